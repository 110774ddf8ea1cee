//! A program that runs `.sls` scripts with two policies of its own,
//! registered under the names the script chooses them by:
//! - `last_gap` (keep-alive): a function's idle container stays twice the
//!   last gap between two of its arrivals (none before its second arrival);
//! - `warm_first` (placement): an invocation goes to a node with an idle
//!   container of its function, else to the node with the most free slots.
//!
//! `cargo run --release -- [SCRIPT [RESULTS_FOLDER]]` (by default
//! `study.sls` beside this file, results in `target/custom-policy`).

use std::path::PathBuf;
use std::process::ExitCode;

use sls::check::{Options, check};
use sls::driver::run_to_end;
use sls::policy::keep_alive::{Idle, KeepAlive};
use sls::policy::{Choosing, PickNode, Policies, RegId};
use sls::serverless::{RunError, RunOptions};

/// `last_gap`: per function, its last arrival and the gap before it.
#[derive(Default)]
struct LastGap {
    /// Indexed by the function's id ([`RegId::index`]).
    arrivals: Vec<Arrivals>,
}

#[derive(Default, Clone, Copy)]
struct Arrivals {
    last: Option<f64>,
    gap: Option<f64>,
}

impl LastGap {
    fn of(&mut self, function: RegId) -> &mut Arrivals {
        let i = function.index();
        if self.arrivals.len() <= i {
            self.arrivals.resize(i + 1, Arrivals::default());
        }
        &mut self.arrivals[i]
    }
}

impl KeepAlive for LastGap {
    fn arrived(&mut self, function: RegId, now: f64) {
        let arrivals = self.of(function);
        if let Some(last) = arrivals.last {
            arrivals.gap = Some(now - last);
        }
        arrivals.last = Some(now);
    }

    fn keep_for(&mut self, idle: &Idle) -> f64 {
        // No gap seen yet: the container goes at once.
        self.of(idle.reg()).gap.map_or(0.0, |gap| 2.0 * gap)
    }

    fn keeps(&self, _function: RegId) -> bool {
        // A container prewarmed with `prewarm` may stay (its window is
        // asked when it is ready).
        true
    }
}

/// `warm_first`.
struct WarmFirst;

impl PickNode for WarmFirst {
    fn pick(&mut self, choosing: &Choosing) -> Option<usize> {
        let nodes = 0..choosing.nodes();
        if let Some(warm) = nodes.clone().find(|&n| choosing.warm(n)) {
            return Some(warm);
        }
        // The most free slots, the first node on ties; none free: wait.
        nodes
            .filter(|&n| choosing.free_slots(n) > 0)
            .max_by_key(|&n| (choosing.free_slots(n), std::cmp::Reverse(n)))
    }
}

fn main() -> ExitCode {
    // This folder: the crate's own, or `sls`'s when the tests build this
    // program as an example of `sls` (see `Cargo.toml` at the top).
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let here = match env!("CARGO_PKG_NAME") {
        "sls" => crate_dir.join("examples/custom-policy"),
        _ => crate_dir,
    };
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let script = args.next().unwrap_or_else(|| here.join("study.sls"));
    let results = args.next().unwrap_or_else(|| here.join("../../target/custom-policy"));

    // The names the script may choose, and how each policy is built (once
    // per service or function that chooses it).
    let policies = Policies::new()
        .keep_alive("last_gap", |_build| Box::new(LastGap::default()))
        .pick_node("warm_first", |_build| WarmFirst);

    let text = match std::fs::read_to_string(&script) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("cannot read {}: {error}", script.display());
            return ExitCode::from(2);
        }
    };
    let options = Options {
        registered: policies.names(),
        ..Options::default()
    };
    let checked = check(&script, text, &options);
    let program = match checked.program {
        Ok(program) => program,
        Err(diagnostics) => {
            eprint!("{}", diagnostics.render(&checked.sources, false, 100));
            return ExitCode::from(1);
        }
    };
    let run = RunOptions {
        policies,
        ..RunOptions::default()
    };
    // The script sweeps nothing: its one point, with the seed it says.
    let point = &program.points[0];
    let summary = match run_to_end(&point.model, point.model.seed, &run, &results) {
        Ok(summary) => summary,
        // A policy that stopped the run (`Build::stopper`) says why.
        Err(RunError::Policy(error)) => {
            eprintln!("the run stopped: {error}");
            return ExitCode::from(1);
        }
        Err(error) => {
            eprintln!("the run stopped: {error:?}");
            return ExitCode::from(1);
        }
    };
    let totals = &summary.totals;
    println!(
        "invocations {}  succeeded {}  cold starts {}  warm starts {}",
        totals.invocations, totals.succeeded, totals.cold_starts, totals.warm_starts
    );
    for function in &summary.functions {
        println!("  {}: cold starts {}", function.name, function.outcomes.cold_starts);
    }
    println!("results in {}", results.display());
    ExitCode::SUCCESS
}
