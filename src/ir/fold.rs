//! Which things `sls graph` draws as one: a family (`node[1]` to
//! `node[20000]`, as `host node[1..N]` declares them; functions, images,
//! links and streams alike) of more than [`FOLD_OVER`] members is one node
//! of the graph, its edges drawn once. Graphviz lays out a few hundred
//! nodes in seconds and twenty thousand not in minutes; a family's
//! members are alike, so one stands for all.

use std::collections::HashMap;

/// Members a family may have and still be drawn one by one.
pub const FOLD_OVER: usize = 32;

/// A list of named things (hosts, links, functions...) folded by family.
pub struct Folded {
    /// For each thing, the one drawn for it: itself, or its family's
    /// first member.
    pub drawn_as: Vec<usize>,
    /// For a family's first member, its family when folded.
    families: HashMap<usize, Family>,
}

/// A folded family.
struct Family {
    /// Its name with the range of its indices: `node[1..20000]`.
    name: String,
    /// Its members, in declaration order.
    members: Vec<usize>,
}

/// Folds `names` (in declaration order) by family.
pub fn fold<'a>(names: impl Iterator<Item = &'a str>) -> Folded {
    let names: Vec<&str> = names.collect();
    // Each family's members and indices, by its name less the index.
    let mut by_family: HashMap<(&str, &str), Vec<(usize, u64)>> = HashMap::new();
    for (i, name) in names.iter().enumerate() {
        if let Some((prefix, index, suffix)) = member(name) {
            by_family.entry((prefix, suffix)).or_default().push((i, index));
        }
    }
    let mut drawn_as: Vec<usize> = (0..names.len()).collect();
    let mut families = HashMap::new();
    for ((prefix, suffix), members) in by_family {
        if members.len() <= FOLD_OVER {
            continue;
        }
        let first = members[0].0;
        let (low, high) = members.iter().fold((u64::MAX, 0), |(low, high), (_, index)| {
            (low.min(*index), high.max(*index))
        });
        for (i, _) in &members {
            drawn_as[*i] = first;
        }
        families.insert(
            first,
            Family {
                name: format!("{prefix}[{low}..{high}]{suffix}"),
                members: members.into_iter().map(|(i, _)| i).collect(),
            },
        );
    }
    Folded { drawn_as, families }
}

impl Folded {
    /// Whether `i` is drawn: itself, or its folded family's first member.
    pub fn drawn(&self, i: usize) -> bool {
        self.drawn_as[i] == i
    }

    /// The things `i` is drawn for: its family's members, or itself.
    pub fn members(&self, i: usize) -> Vec<usize> {
        self.families.get(&i).map_or_else(|| vec![i], |f| f.members.clone())
    }

    /// The label of `i` when it stands for a folded family:
    /// `f[1..8192]`, a new line, `8192 functions`.
    pub fn label(&self, i: usize, noun: &str) -> Option<String> {
        let family = self.families.get(&i)?;
        Some(format!("{}\n{} {noun}", family.name, family.members.len()))
    }
}

/// `node[12]` is member 12 of `node`; `f[3]#0` (a stream) of `f[]#0`.
fn member(name: &str) -> Option<(&str, u64, &str)> {
    let close = name.rfind(']')?;
    let open = name[..close].rfind('[')?;
    let index = name[open + 1..close].parse().ok()?;
    Some((&name[..open], index, &name[close + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_families_of_more_than_the_bound_fold() {
        let mut names = vec!["gateway".to_string()];
        names.extend((1..=FOLD_OVER + 1).map(|i| format!("node[{i}]")));
        names.extend((1..=FOLD_OVER).map(|i| format!("edge[{i}]")));
        names.push("node[x]".to_string());
        names.extend((1..=FOLD_OVER + 1).map(|i| format!("f[{i}]#0")));
        let folded = fold(names.iter().map(String::as_str));
        assert_eq!(folded.families.len(), 2);
        let family = &folded.families[&1];
        assert_eq!(family.name, format!("node[1..{}]", FOLD_OVER + 1));
        assert_eq!(family.members, (1..=FOLD_OVER + 1).collect::<Vec<_>>());
        // Every member drawn as the first; the small family and the
        // others as themselves.
        let streams = 2 * FOLD_OVER + 3;
        for (i, name) in names.iter().enumerate() {
            let expected = match name {
                _ if name.starts_with("node[") && name != "node[x]" => 1,
                _ if name.starts_with("f[") => streams,
                _ => i,
            };
            assert_eq!(folded.drawn_as[i], expected, "{name}");
        }
        let label = format!("f[1..{}]#0\n{} streams", FOLD_OVER + 1, FOLD_OVER + 1);
        assert_eq!(folded.label(streams, "streams"), Some(label));
        assert_eq!(folded.label(0, "hosts"), None);
        assert_eq!(folded.members(streams).len(), FOLD_OVER + 1);
        assert_eq!(folded.members(0), [0]);
    }
}
