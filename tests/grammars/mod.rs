//! Generators of the editors' grammars, and of the readable grammar in
//! `grammar/`, from the language's tables.

pub mod ebnf;
pub mod textmate;
pub mod treesitter;
