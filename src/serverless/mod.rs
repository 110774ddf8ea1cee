//! The serverless service model (WRENCH and SAND) interpreted on the engine.

pub mod platform;
