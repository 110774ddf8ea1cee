//! The language's one description, read by every tool: the statements and
//! their shapes (the grammar of record: the parser follows it, the
//! tree-sitter grammar is generated from it), the properties each block
//! accepts with their meaning and unit, the words a value may be, and the
//! units. A new construct is a row here; the parser, the formatter, the
//! language server and the editors' grammars pick it up.

pub mod choices;
pub mod grammar;
pub mod observables;
pub mod policies;
pub mod properties;
pub mod registered;
pub mod synonyms;
pub mod units;

/// The parameter that is the run's seed unless `--seed` is given: a name
/// with a meaning of its own.
pub const SEED_PARAM: &str = "seed";

/// Declares a fieldless enum with `ALL`, every variant in order.
macro_rules! listed_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The position of the variant in [`Self::ALL`].
            pub fn index(self) -> usize {
                self as usize
            }
        }
    };
}
pub(crate) use listed_enum;

/// Every word the language reserves somewhere (statement and clause
/// keywords), sorted and without repeats.
pub fn keywords() -> Vec<&'static str> {
    let mut words: Vec<&'static str> = grammar::Construct::ALL.iter().flat_map(|c| c.row().words()).collect();
    words.sort_unstable();
    words.dedup();
    words
}
