//! `sls`: a language and interpreter for simulating serverless platforms.
//!
//! [`language`] describes the language once (statements, properties,
//! choices, units) for every tool. Data flows one way through the stages,
//! each owned by one module: [`syntax`] (tokens, lossless tree, AST with
//! spans) -> [`check`] (names, units,
//! types; diagnostics) -> [`ir`] (the lowered, checked model; petgraph
//! graphs) -> [`engine`] (events, time, fluid resources) -> [`serverless`]
//! (the service model, driven by [`workload`]) -> [`report`] (summaries and
//! CSV output). [`format`](mod@format) prints the tree in the canonical layout.

// A closed pipe must not panic the command: print through `console`.
#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]

mod cache_hint;
pub mod check;
pub mod code;
pub mod console;
pub mod diagnostic;
pub mod driver;
pub mod engine;
pub mod format;
mod handoff;
pub mod ir;
pub mod language;
pub mod lsp;
pub mod output;
pub mod pictures;
pub mod report;
pub mod serverless;
pub mod syntax;
#[cfg(test)]
mod test_rng;
pub mod workload;

/// The policy API: traits to implement, and [`policy::Policies`] to
/// register them under names a script chooses.
pub use serverless::policy;
