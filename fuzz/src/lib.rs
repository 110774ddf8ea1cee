//! What the fuzz targets check, as plain functions: the targets under
//! `fuzz_targets/` hand libFuzzer's inputs to them, and `sls`'s
//! `tests/fuzz_corpus.rs` (which compiles this file as a module) replays
//! the committed corpus through them with the other tests, on a stable
//! toolchain and where libFuzzer cannot be built.

use std::path::Path;

use sls::check::{Limits, Options, check};
use sls::ir::workload::Arrivals;
use sls::report::{EdgeRecord, InvocationRecord, Names, Sink, WorkflowRecord};
use sls::serverless::{Run, RunError, RunOptions};

/// Any bytes through the front end (parse, check, lower): every input is
/// accepted, or rejected with well-formed diagnostics (help, a span inside
/// its file on character boundaries; the code is of the table by its type)
/// whose rendering is bounded.
pub fn front_end(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let checked = check(Path::new("fuzz.sls"), text.to_string(), &Options::default());
    if let Err(diagnostics) = checked.program {
        assert!(!diagnostics.is_empty(), "rejected without a diagnostic");
        for d in &diagnostics.0 {
            assert!(d.help.is_some(), "{} without help", d.code);
            let file = checked.sources.get(d.primary.span.file);
            assert!(d.primary.span.start <= d.primary.span.end);
            assert!(d.primary.span.end as usize <= file.text.len());
            assert!(file.text.is_char_boundary(d.primary.span.start as usize));
            assert!(file.text.is_char_boundary(d.primary.span.end as usize));
        }
        let rendered = diagnostics.render(&checked.sources, false, 80);
        // At most 50 reports of a few cropped lines each, whatever the input.
        assert!(rendered.len() < 200_000, "{} bytes of diagnostics", rendered.len());
    }
}

/// What a run reports of its invocations: their ids, and the first
/// record whose dates are out of order or whose success lacks a date.
#[derive(Default)]
struct Count {
    ids: Vec<u64>,
    misdated: Option<String>,
}

impl Sink for Count {
    fn begin(&mut self, _: &Names) {}
    fn records(&mut self, records: &mut Vec<InvocationRecord>) -> std::io::Result<()> {
        for record in records.drain(..) {
            self.ids.push(record.id);
            let dates = [
                Some(record.submit),
                record.dispatch,
                record.start,
                record.end,
                Some(record.finish),
            ];
            let set: Vec<f64> = dates.iter().flatten().copied().collect();
            let in_order = set.windows(2).all(|pair| pair[0] <= pair[1]);
            let whole = !record.succeeded() || dates.iter().all(Option::is_some);
            if (!in_order || !whole) && self.misdated.is_none() {
                self.misdated = Some(format!("{record:?}"));
            }
        }
        Ok(())
    }
    fn workflow(&mut self, _: WorkflowRecord) -> std::io::Result<()> {
        Ok(())
    }
    fn edge(&mut self, _: &EdgeRecord) -> std::io::Result<()> {
        Ok(())
    }
}

/// Any bytes the front end accepts under small caps on declared work are
/// run, every sweep point once. A run ends by itself (the caps bound its
/// work) without a panic or an internal error: a mistake in the script is a
/// diagnostic, never an engine failure. Nothing disappears: a run that ends
/// without an error reports every invocation it submitted exactly once
/// (ids 0..n), with its dates in order, a success with all of them.
pub fn short_run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let options = Options {
        limits: Limits {
            runs: 4,
            hosts: 64,
            invocations: 200,
            output: 1 << 20,
        },
        ..Options::default()
    };
    let Ok(program) = check(Path::new("fuzz.sls"), text.to_string(), &options).program else {
        return;
    };
    for point in &program.points {
        let model = &point.model;
        // A closed loop without a count declares no number of invocations,
        // and a replay reads files: neither is a short run.
        let open_ended = model
            .streams
            .iter()
            .any(|s| matches!(s.arrivals, Arrivals::Closed { .. }) && s.window.count.is_none());
        if open_ended || !model.replays.is_empty() {
            continue;
        }
        let mut sink = Count::default();
        let outcome = Run::new(model, model.seed, &RunOptions::default(), &mut sink)
            .and_then(|mut run| run.run().map(|()| run.invocations_submitted()));
        let submitted = match outcome {
            Ok(submitted) => submitted,
            Err(error @ (RunError::Engine(_) | RunError::Platform(_))) => {
                panic!("internal error on an accepted script: {error:?}")
            }
            // A run the script stops (a policy that cannot decide, a head
            // storage too small for its images) says why it ended early.
            Err(_) => continue,
        };
        let mut ids = std::mem::take(&mut sink.ids);
        ids.sort_unstable();
        assert!(
            ids.iter().copied().eq(0..submitted),
            "{submitted} invocations submitted, {} reported (ids not 0..n once each)",
            ids.len()
        );
        if let Some(record) = sink.misdated {
            panic!("dates out of order, or a success without all of them: {record}");
        }
    }
}
