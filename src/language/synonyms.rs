//! Words other tools, papers or English use for the language's own (a
//! function's `memory` is its `ram`, a stream's `during` its `for`): one
//! table, read by the checker for a property not accepted and by the
//! parser for a keyword not expected, each telling what is written here
//! when that word is accepted where the slip was made.

/// Words of other tools, and the language's word each stands for.
const TABLE: &[(&[&str], &str)] = &[
    // Properties of functions and services.
    (&["memory", "mem", "memory_size", "memory_limit", "memory_mb"], "ram"),
    (&["timeout", "time_limit", "max_duration"], "time"),
    (&["vcpu", "vcpus", "cpus", "cpu_limit"], "cpu"),
    (&["ephemeral_storage", "scratch", "tmp"], "disk"),
    (
        &["container_concurrency", "containerConcurrency", "max_concurrency"],
        "concurrency",
    ),
    (
        &[
            "cold_start",
            "cold_start_delay",
            "startup",
            "container_start",
            "startup_time",
        ],
        "container_startup",
    ),
    (&["keepalive", "keep_alive_timeout", "idle_time", "ttl"], "idle_timeout"),
    (&["scheduling", "placement"], "scheduler"),
    (&["bw"], "bandwidth"),
    // Keywords of streams.
    (&["during", "lasting", "duration"], "for"),
    (&["times", "number", "total"], "count"),
    (&["each", "interval", "period"], "every"),
    (&["spike"], "burst"),
];

/// The language's word `word` stands for, if the table has it.
pub fn meant(word: &str) -> Option<&'static str> {
    TABLE
        .iter()
        .find(|(others, _)| others.contains(&word))
        .map(|(_, ours)| *ours)
}

#[cfg(test)]
mod tests {
    use super::super::grammar::Construct;
    use super::super::properties::Owner;
    use super::TABLE;

    /// Every word the table points to is one of the language's, a property
    /// of some block or a keyword of some construct (a renamed property
    /// would otherwise leave help naming a word that no longer exists).
    /// A word of the table may be the language's elsewhere (`memory` of a
    /// `with`): it is only looked up where it is not accepted.
    #[test]
    fn the_table_points_at_words_of_the_language() {
        let keywords: Vec<&str> = Construct::ALL.iter().flat_map(|c| c.row().words()).collect();
        let known = |word: &str| Owner::ALL.iter().any(|o| o.property(word).is_some()) || keywords.contains(&word);
        for (others, ours) in TABLE {
            assert!(known(ours), "`{ours}` is no word of the language");
            assert!(!others.contains(ours), "`{ours}` stands for itself");
        }
    }
}
