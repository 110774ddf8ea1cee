//! Fuzz target: any bytes through the front end (parse, check, lower). Every
//! input is accepted or rejected with well-formed diagnostics, and the
//! rendering of those diagnostics is bounded by the input.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use sls::check::{Options, check};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let checked = check(Path::new("fuzz.sls"), text.to_string(), &Options::default());
    if let Err(diagnostics) = checked.program {
        assert!(!diagnostics.is_empty(), "rejected without a diagnostic");
        for d in &diagnostics.0 {
            assert!(d.code.starts_with("sls::"), "code {}", d.code);
            assert!(d.help.is_some(), "{} without help", d.code);
            let file = checked.sources.get(d.primary.span.file);
            assert!(d.primary.span.start <= d.primary.span.end);
            assert!(d.primary.span.end as usize <= file.text.len());
            assert!(file.text.is_char_boundary(d.primary.span.start as usize));
            assert!(file.text.is_char_boundary(d.primary.span.end as usize));
        }
        let _ = diagnostics.render(&checked.sources, false, 80);
    }
});
