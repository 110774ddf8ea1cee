//! The report stage: per-invocation CSV rows streamed as they complete, and the run summary.
