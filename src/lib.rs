//! `sls`: a language and interpreter for simulating serverless platforms.
//!
//! Data flows one way through the stages, each owned by one module:
//! [`syntax`] (tokens, grammar, AST with spans) -> [`check`] (names, units,
//! types; diagnostics) -> [`ir`] (the lowered, checked model; petgraph
//! graphs) -> [`engine`] (events, time, fluid resources) -> [`serverless`]
//! (the service model, driven by [`workload`]) -> [`report`] (summaries and
//! CSV output).

pub mod check;
pub mod diagnostic;
pub mod engine;
pub mod ir;
pub mod report;
pub mod serverless;
pub mod syntax;
pub mod workload;
