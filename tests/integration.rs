//! The integration tests, one module per file of this folder, built as one
//! test binary: linked once rather than once a file (cargo's default), and
//! run on one pool of threads, so that a slow test of one file overlaps the
//! tests of the others. Each module is as its file was as a binary of its
//! own; the helpers they share are `support`.

mod support;

mod admission;
mod autoscaling;
mod bounds;
mod breakdown;
mod cli;
mod concurrency;
mod conservation;
mod cost;
mod cost_block;
mod cpu_limits;
mod custom_policy;
mod diagnostics;
mod editors;
mod empirical;
mod engine_api;
mod engine_classes;
mod engine_cores;
mod engine_invariants;
mod eviction;
mod exactness;
mod examples;
mod families;
mod format;
mod fuzz_corpus;
mod io_limits;
mod keep_alive;
mod last_sleep;
mod lean_output;
mod lsp;
mod mapped_traces;
mod oracle;
mod outputs;
mod payloads;
mod percentile_gaps;
mod placement;
mod registered_policies;
mod replay_as_list;
mod report;
mod robustness;
mod rounds;
mod run_errors;
mod runs;
mod sand;
mod stalls;
mod summary_percentiles;
mod sweeps;
mod timeseries;
mod trace_edits;
mod tree;
mod warnings;
mod workload_arrivals;
mod workload_diagnostics;
mod workload_traces;
mod written_policies;
