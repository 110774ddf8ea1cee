//! Replayed functions the percentile files give no curve their template
//! needs: a function without a row in `function_durations_percentiles`
//! whose template sleeps `trace.duration`, or one whose application has no
//! row in `app_memory_percentiles` while the template reserves
//! `trace.memory`. The published trace has such gaps; without a curve an
//! invocation slept 0 s or reserved no RAM, without a word. A strict
//! replay refuses them before the run; a lenient one leaves them out and
//! counts them with their invocations, for the run's warnings.

use super::super::error::TraceError;
use super::super::{FunctionInfo, Needs};

/// Functions a lenient replay left out for want of a curve, and the
/// invocations they had in the replayed minutes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct LeftOut {
    functions: u64,
    invocations: u64,
}

/// The gaps met while the replayed functions are chosen.
pub(super) struct Gaps {
    needs: Needs,
    /// Functions without a needed curve, per field (duration, memory),
    /// with the first met of each (its `app/function` name).
    lacking: [(u64, Option<String>); 2],
    left_out: LeftOut,
}

/// The fields, in [`Gaps::lacking`]'s order: the field, and the file
/// that gives it with what it lacks.
const FIELDS: [(&str, &str, &str); 2] = [
    ("duration", "function_durations_percentiles", "no row"),
    ("memory", "app_memory_percentiles", "no row for their application"),
];

impl Gaps {
    pub(super) fn new(needs: Needs) -> Self {
        Gaps {
            needs,
            lacking: Default::default(),
            left_out: LeftOut::default(),
        }
    }

    /// Whether `function` (with `invocations` in the replayed minutes)
    /// has every curve its template needs; if not, it is counted.
    pub(super) fn served(&mut self, function: &FunctionInfo, invocations: u64) -> bool {
        let wants = [
            self.needs.duration && function.durations.is_none(),
            self.needs.memory && function.memory.is_none(),
        ];
        // A function not invoked in the replayed minutes draws nothing.
        if !wants.contains(&true) || invocations == 0 {
            return true;
        }
        for (lacking, wanted) in self.lacking.iter_mut().zip(wants) {
            if wanted {
                lacking.0 += 1;
                let app = function.app.as_deref().unwrap_or_default();
                lacking.1.get_or_insert_with(|| format!("{app}/{}", function.name));
            }
        }
        self.left_out.functions += 1;
        self.left_out.invocations += invocations;
        false
    }

    /// In a strict replay, the error for the first field some function
    /// lacks (`replayed` functions were served, over `days`); none if none
    /// lacks one. In a lenient one, a warning counting what was left out.
    pub(super) fn end(self, lenient: bool, replayed: u64, days: &[u32]) -> Result<Option<String>, TraceError> {
        if lenient {
            return Ok(self.warning());
        }
        for ((count, first), (field, file, lack)) in self.lacking.into_iter().zip(FIELDS) {
            let Some(first) = first else { continue };
            let file = match days {
                [day] => format!("`{file}.anon.d{day:02}.csv`"),
                _ => format!("the replayed days' `{file}` files"),
            };
            let (have, their, named) = if count == 1 {
                ("has", "its", format!("`{first}`"))
            } else {
                ("have", "their", format!("the first: `{first}`"))
            };
            let lack = if count == 1 {
                lack.replace("their", "its")
            } else {
                lack.to_string()
            };
            return Err(TraceError::no_percentiles(
                format!(
                    "{count} of the {} replayed functions {have} {lack} in {file} ({named}), and {their} template uses `trace.{field}`",
                    replayed + self.left_out.functions
                ),
                "run with `--lenient` to replay without them (a warning counts them and their invocations), or choose applications the file has rows for",
            ));
        }
        Ok(None)
    }

    /// The run's warning for the functions a lenient replay left out.
    fn warning(&self) -> Option<String> {
        let LeftOut { functions, invocations } = self.left_out;
        let plural = |n: u64, one: &'static str, many: &'static str| if n == 1 { one } else { many };
        (functions > 0).then(|| {
            format!(
                "{functions} {} left out, with {invocations} {} of the replayed minutes: the percentile files have no curve {} template's `trace.` fields draw from ({})",
                plural(functions, "function", "functions"),
                plural(invocations, "invocation", "invocations"),
                plural(functions, "its", "their"),
                crate::code::Code::TraceNoPercentiles
            )
        })
    }
}
