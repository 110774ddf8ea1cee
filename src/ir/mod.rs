//! The intermediate representation: the checked model in SI units, with dependency graphs as petgraph graphs.

pub mod distribution;

pub use distribution::Distribution;
pub mod workload;
