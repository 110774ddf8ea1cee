//! Fuzz target: short runs of accepted scripts ([`sls_fuzz::short_run`]).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sls_fuzz::short_run(data));
