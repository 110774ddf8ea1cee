//! Generators of the editors' grammars from the language's tables.

pub mod textmate;
pub mod treesitter;
