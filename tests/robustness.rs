//! No input makes `sls` panic: every example cut at every token boundary,
//! and thousands of random byte edits of the examples, are either accepted
//! or rejected with diagnostics that carry a code and a span inside the file.

use crate::support;
use crate::support::split_mix::SplitMix;

use std::path::Path;

use sls::check::{Options, check};
use sls::syntax::token::tokenize;

/// Checks `text` as if it were the file at `path`; asserts that a rejection
/// is well-formed.
fn assert_handled(path: &Path, text: &str) {
    let checked = check(path, text.to_string(), &Options::default());
    if let Err(diagnostics) = &checked.program
        && let Some(why) = support::rejection::ill_formed(diagnostics, &checked.sources)
    {
        panic!("{}: {why}:\n{text}", path.display());
    }
}

#[test]
fn every_prefix_at_token_boundaries() {
    for path in support::example_scripts() {
        let text = std::fs::read_to_string(&path).expect("example");
        let relative = support::relative(&path);
        std::env::set_current_dir(support::root()).expect("root");
        for (_, range) in tokenize(&text) {
            assert_handled(&relative, &text[..range.start]);
        }
        assert_handled(&relative, &text);
    }
}

#[test]
fn random_byte_edits() {
    const EDITS_PER_EXAMPLE: usize = 400;
    // Bytes a user (or a bad paste) would plausibly insert.
    let alphabet: &[u8] = b"{}[]()<->.,;:=*/%\"\\ \n\t0123456789abcxyzMBGfsu_#@\xc3\xa9\xe2\x86\x92";
    let mut rng = SplitMix(0x5151_2026);
    for path in support::example_scripts() {
        let original = std::fs::read(&path).expect("example");
        let relative = support::relative(&path);
        std::env::set_current_dir(support::root()).expect("root");
        for _ in 0..EDITS_PER_EXAMPLE {
            let mut bytes = original.clone();
            for _ in 0..1 + rng.below(3) {
                let at = rng.below(bytes.len());
                match rng.below(3) {
                    0 => {
                        bytes.remove(at);
                    }
                    1 => bytes.insert(at, alphabet[rng.below(alphabet.len())]),
                    _ => bytes[at] = alphabet[rng.below(alphabet.len())],
                }
            }
            // The CLI refuses non-UTF-8 files before parsing; so do we here.
            if let Ok(text) = String::from_utf8(bytes) {
                assert_handled(&relative, &text);
            }
        }
    }
}
