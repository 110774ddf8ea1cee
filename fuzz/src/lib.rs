//! What the fuzz targets check, as plain functions: the targets under
//! `fuzz_targets/` hand libFuzzer's inputs to them, and `sls`'s
//! `tests/fuzz_corpus.rs` (which compiles this file as a module) replays
//! the committed corpus through them with the other tests, on a stable
//! toolchain and where libFuzzer cannot be built.

use std::path::Path;

use sls::check::{Limits, Options, check};
use sls::format::format;
use sls::ir::workload::Arrivals;
use sls::report::{EdgeRecord, InvocationRecord, Names, Sink, WorkflowRecord};
use sls::serverless::{Run, RunError, RunOptions};

/// Any bytes through the front end (parse, check, lower): every input is
/// accepted, or rejected with well-formed diagnostics (help, a span inside
/// its file on character boundaries; the code is of the table by its type)
/// whose rendering is bounded; its warnings are as well formed.
pub fn front_end(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let checked = check(Path::new("fuzz.sls"), text.to_string(), &Options::default());
    let errors = checked.program.as_ref().err();
    if let Some(errors) = errors {
        assert!(!errors.is_empty(), "rejected without a diagnostic");
    }
    for diagnostics in errors.into_iter().chain([&checked.warnings]) {
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

/// Any bytes `sls fmt` formats (it leaves alone a text without a
/// structure: unbalanced brackets, an unclosed string): formatting again
/// gives the same text, and the formatted script means what the input
/// meant: the front end lowers both to the same program, spans aside, or
/// rejects both. (A rejected text's diagnostics may say otherwise once
/// formatted: a misplaced `}` moved to a line of its own is then "the end
/// of the line"; `tests/format.rs` checks that the bad scripts' do not.)
pub fn formatting(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(once) = format(text) else {
        return;
    };
    let twice = format(&once).expect("formatted text has a structure");
    assert_eq!(once, twice, "formatting twice differs from once");
    let meaning = |text: &str| {
        check(Path::new("fuzz.sls"), text.to_string(), &Options::default())
            .program
            .map(|program| without_spans(&format!("{program:?}")))
    };
    match (meaning(text), meaning(&once)) {
        (Ok(before), Ok(after)) if before != after => {
            let differ = before.split(", ").zip(after.split(", ")).find(|(b, a)| b != a);
            panic!("formatting changed the program, first at {differ:?}\n--- formatted:\n{once}");
        }
        (Ok(_), Err(diagnostics)) => panic!(
            "formatting made an accepted script rejected ({})\n--- formatted:\n{once}",
            diagnostics.0[0].code
        ),
        (Err(_), Ok(_)) => panic!("formatting made a rejected script accepted\n--- formatted:\n{once}"),
        _ => {}
    }
}

/// `Debug` text with each `Span { .. }` written as `Span`.
pub fn without_spans(debug: &str) -> String {
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug;
    while let Some(at) = rest.find("Span {") {
        out.push_str(&rest[..at + 4]);
        rest = &rest[at..];
        rest = &rest[rest.find('}').map_or(rest.len(), |end| end + 1)..];
    }
    out.push_str(rest);
    out
}

/// The invocation records a run reports, in their order.
#[derive(Default)]
struct Kept {
    records: Vec<InvocationRecord>,
}

impl Sink for Kept {
    fn begin(&mut self, _: &Names) {}
    fn records(&mut self, records: &mut Vec<InvocationRecord>) -> std::io::Result<()> {
        self.records.append(records);
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
/// (ids 0..n), with its dates in order, a success with all of them. And
/// the schedulers' shortcuts decide what full rounds decide: the same run
/// with every request decided in a round (`rounds_only`) reports the same
/// records, in the same order.
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
            ..Limits::default()
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
        let Some((records, submitted)) = run(model, false) else {
            continue;
        };
        let mut ids: Vec<u64> = records.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        assert!(
            ids.iter().copied().eq(0..submitted),
            "{submitted} invocations submitted, {} reported (ids not 0..n once each)",
            ids.len()
        );
        if let Some(record) = records.iter().find(|r| !dated(r)) {
            panic!("dates out of order, or a success without all of them: {record:?}");
        }
        let Some((in_rounds, _)) = run(model, true) else {
            panic!("full rounds stopped a run the shortcuts ended");
        };
        let longest = records.len().max(in_rounds.len());
        if let Some(at) = (0..longest).find(|&i| records.get(i) != in_rounds.get(i)) {
            panic!(
                "the shortcuts and full rounds differ at record {at}: {:?} against {:?}",
                records.get(at),
                in_rounds.get(at)
            );
        }
    }
}

/// Runs `model` (every request decided in a full round if `rounds_only`):
/// its records and how many invocations it submitted, or None when the
/// script stopped it (a policy that cannot decide, a head storage too
/// small for its images), as the run then says why it ended early.
fn run(model: &sls::ir::Model, rounds_only: bool) -> Option<(Vec<InvocationRecord>, u64)> {
    let mut sink = Kept::default();
    let options = RunOptions {
        rounds_only,
        ..RunOptions::default()
    };
    let outcome = Run::new(model, model.seed, &options, &mut sink)
        .and_then(|mut run| run.run().map(|()| run.invocations_submitted()));
    match outcome {
        Ok(submitted) => Some((sink.records, submitted)),
        Err(error @ (RunError::Engine(_) | RunError::Platform(_))) => {
            panic!("internal error on an accepted script: {error:?}")
        }
        Err(_) => None,
    }
}

/// Whether a record's dates are in order (submit, dispatch, start, end,
/// finish, over those set) and a success has all of them.
fn dated(record: &InvocationRecord) -> bool {
    let dates = [
        Some(record.submit),
        record.dispatch,
        record.start,
        record.end,
        Some(record.finish),
    ];
    let set: Vec<f64> = dates.iter().flatten().copied().collect();
    set.windows(2).all(|pair| pair[0] <= pair[1]) && (!record.succeeded() || dates.iter().all(Option::is_some))
}
