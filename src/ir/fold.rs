//! Which hosts and links `sls graph` draws as one: a family (`node[1]` to
//! `node[20000]`, as `host node[1..N]` declares them) of more than
//! [`FOLD_OVER`] members is one node of the graph, its edges drawn once.
//! Graphviz lays out a few hundred nodes in seconds and twenty thousand
//! not in minutes; a family's members are alike, so one stands for all.

use std::collections::HashMap;

/// Members a family may have and still be drawn one by one.
pub const FOLD_OVER: usize = 32;

/// A list of named things (hosts, links) folded by family.
pub struct Folded {
    /// For each thing, the one drawn for it: itself, or its family's
    /// first member.
    pub drawn_as: Vec<usize>,
    /// For a family's first member, its family when folded: the name
    /// range (`node[1..20000]`) and the members.
    pub families: HashMap<usize, Family>,
}

pub struct Family {
    pub name: String,
    pub members: Vec<usize>,
}

/// Folds `names` (in declaration order) by family.
pub fn fold<'a>(names: impl Iterator<Item = &'a str>) -> Folded {
    let names: Vec<&str> = names.collect();
    // Each family's members and indices, by the name before its index.
    let mut by_prefix: HashMap<&str, Vec<(usize, u64)>> = HashMap::new();
    for (i, name) in names.iter().enumerate() {
        if let Some((prefix, index)) = member(name) {
            by_prefix.entry(prefix).or_default().push((i, index));
        }
    }
    let mut drawn_as: Vec<usize> = (0..names.len()).collect();
    let mut families = HashMap::new();
    for (prefix, members) in by_prefix {
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
                name: format!("{prefix}[{low}..{high}]"),
                members: members.into_iter().map(|(i, _)| i).collect(),
            },
        );
    }
    Folded { drawn_as, families }
}

/// `node[12]` is member 12 of `node`.
fn member(name: &str) -> Option<(&str, u64)> {
    let inner = name.strip_suffix(']')?;
    let open = inner.rfind('[')?;
    let index = inner[open + 1..].parse().ok()?;
    Some((&inner[..open], index))
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
        let folded = fold(names.iter().map(String::as_str));
        assert_eq!(folded.families.len(), 1);
        let family = &folded.families[&1];
        assert_eq!(family.name, format!("node[1..{}]", FOLD_OVER + 1));
        assert_eq!(family.members, (1..=FOLD_OVER + 1).collect::<Vec<_>>());
        // Every member drawn as the first; the small family and the
        // others as themselves.
        for (i, name) in names.iter().enumerate() {
            let expected = if name.starts_with("node[") && name != "node[x]" {
                1
            } else {
                i
            };
            assert_eq!(folded.drawn_as[i], expected, "{name}");
        }
    }
}
