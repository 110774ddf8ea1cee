//! Fuzz target: any bytes through `sls fmt` and the front end
//! ([`sls_fuzz::formatting`]).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sls_fuzz::formatting(data));
