//! The serverless service model (WRENCH and SAND) interpreted on the engine.
