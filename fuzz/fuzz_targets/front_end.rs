//! Fuzz target: any bytes through the front end ([`sls_fuzz::front_end`]).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sls_fuzz::front_end(data));
