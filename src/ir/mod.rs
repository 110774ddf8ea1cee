//! The intermediate representation: the checked model in SI units (seconds,
//! bytes, flops, bytes/s), with names resolved to ids, order fixed by
//! declaration, and dependency graphs as petgraph graphs.

pub mod cost;
pub mod distribution;
pub mod dot;
pub mod fold;
pub mod function;
pub mod mapping;
pub mod model;
pub mod platform;
pub mod policy;
pub mod service;
pub mod workflow;
pub mod workload;

pub use distribution::Distribution;
pub use model::{Model, Point, Program, Setting};
