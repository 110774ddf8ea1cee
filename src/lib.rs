//! `sls`: a language and interpreter for simulating serverless platforms.
//!
//! Data flows one way through the stages, each owned by one module:
//! [`syntax`] (tokens, grammar, AST with spans) -> [`check`] (names, units,
//! types; diagnostics) -> [`ir`] (the lowered, checked model; petgraph
//! graphs) -> [`engine`] (events, time, fluid resources) -> [`serverless`]
//! (the service model, driven by [`workload`]) -> [`report`] (summaries and
//! CSV output).

// The pest parser is generated without pest's `std` feature (whose native
// stack probe on every rule call cost a fifth of parse time); its code then
// names `alloc` from the crate root. Deep nesting is refused by the token
// pre-pass instead.
extern crate alloc;

pub mod check;
pub mod diagnostic;
pub mod driver;
pub mod engine;
pub mod format;
pub mod ir;
pub mod language;
pub mod report;
pub mod serverless;
pub mod syntax;
pub mod workload;
