//! The names a replay's template gives its trace functions, unique in
//! their service: two replays whose traces share function names (two
//! regions' tables, each numbering its functions from 0), or a trace
//! function named as a declared function a stream or client runs, ran as
//! distinct functions under one name, so that `invocations.csv`, `summary.json` and the report mixed
//! them. The first keeps its name; a later one is named after its replay
//! (`3#2`: function `3` of the script's second replay), and the run says so.

use std::collections::HashSet;

use crate::ir::Model;
use crate::ir::service::ServiceId;
use crate::ir::workload::Target;

/// The names taken in each service so far.
pub struct TakenNames {
    taken: HashSet<(ServiceId, String)>,
}

impl TakenNames {
    /// The names of the declared functions that `targets` (what streams
    /// and clients invoke, and where) run: a function's, or each of a
    /// workflow's.
    pub fn new(model: &Model, targets: impl Iterator<Item = (Target, ServiceId)>) -> Self {
        let mut taken = HashSet::new();
        for (target, service) in targets {
            match target {
                Target::Function(f) => {
                    taken.insert((service, model.functions[f.0 as usize].name.clone()));
                }
                Target::Workflow(w) => {
                    for f in model.workflows[w.0 as usize].graph.node_weights() {
                        taken.insert((service, model.functions[f.0 as usize].name.clone()));
                    }
                }
            }
        }
        TakenNames { taken }
    }

    /// `name` if no function of `service` has it yet, else the name after
    /// replay `ordinal` (1-based among the script's replays) that none has;
    /// either is taken from now on.
    pub fn take(&mut self, service: ServiceId, name: String, ordinal: usize) -> String {
        let mut unique = name.clone();
        let mut again = 1;
        while self.taken.contains(&(service, unique.clone())) {
            unique = match again {
                1 => format!("{name}#{ordinal}"),
                n => format!("{name}#{ordinal}.{n}"),
            };
            again += 1;
        }
        self.taken.insert((service, unique.clone()));
        unique
    }
}

/// The run's warning of replay `ordinal` (1-based), whose functions in
/// `renamed` were given new names: how many, and the first few.
pub fn renamed_warning(path: &str, service: &str, ordinal: usize, renamed: &[(String, String)]) -> String {
    let listed = crate::syntax::words::list_first(renamed.iter().map(|(old, new)| format!("`{new}` for `{old}`")), 3);
    let (count, verb) = match renamed.len() {
        1 => ("1 of its functions".to_string(), "shares its name"),
        n => (format!("{n} of its functions"), "share their names"),
    };
    format!(
        "trace `{path}`: {count} {verb} with other functions of `{service}`: the results name them after the replay (the script's replay {ordinal}), {listed}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_name_is_named_after_its_replay_until_it_is_free() {
        let mut taken = TakenNames { taken: HashSet::new() };
        let s = ServiceId(0);
        assert_eq!(taken.take(s, "3".into(), 1), "3");
        assert_eq!(taken.take(s, "3".into(), 2), "3#2");
        // A trace function literally named `3#2`, then `3` again in it.
        assert_eq!(taken.take(s, "3#2".into(), 3), "3#2#3");
        assert_eq!(taken.take(s, "3".into(), 2), "3#2.2");
        // Another service has names of its own.
        assert_eq!(taken.take(ServiceId(1), "3".into(), 2), "3");
    }
}
