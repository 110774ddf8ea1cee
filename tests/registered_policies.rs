//! Policies registered through the library (`sls::policy::Policies`):
//! `check` accepts their names where a built-in of the kind goes (and
//! suggests them for near misses), runs build and ask them, and one that
//! cannot decide stops the run with its name and the simulated date.

use std::path::Path;

use sls::check::{Options, check};
use sls::driver::summarise;
use sls::policy::keep_alive::{Idle, KeepAlive};
use sls::policy::{Choosing, PickNode, Policies, RegId};
use sls::report::Summary;
use sls::serverless::{RunError, RunOptions};

/// Two functions invoked every 10 s, 20 times each, on `node[1..2]`;
/// `CHOICE` is replaced by the service's policy lines.
const SCRIPT: &str = include_str!("registered/two_functions.sls");

/// A fixed window, in seconds.
struct Window(f64);

impl KeepAlive for Window {
    fn keep_for(&mut self, _idle: &Idle) -> f64 {
        self.0
    }

    fn keeps(&self, _reg: RegId) -> bool {
        self.0 > 0.0
    }
}

/// Always the node it names (possibly one that does not exist).
struct Always(usize);

impl PickNode for Always {
    fn pick(&mut self, _choosing: &Choosing) -> Option<usize> {
        Some(self.0)
    }
}

fn policies() -> Policies {
    Policies::new()
        .keep_alive("never", |_| Box::new(Window(0.0)))
        .keep_alive("forever", |_| Box::new(Window(1e9)))
        .pick_node("second", |_| Always(1))
        .pick_node("tenth", |_| Always(9))
}

fn script(choice: &str) -> String {
    SCRIPT.replace("CHOICE", choice)
}

/// The diagnostics of `text` as `sls check` prints them, or the program's
/// first model's run with `policies` registered.
fn run(text: &str, policies: &Policies) -> Result<Result<Summary, RunError>, String> {
    let options = Options {
        registered: policies.names(),
        ..Options::default()
    };
    let checked = check(Path::new("registered.sls"), text.to_string(), &options);
    let program = checked.program.map_err(|d| d.render(&checked.sources, false, 100))?;
    let run = RunOptions {
        policies: policies.clone(),
        ..RunOptions::default()
    };
    let model = &program.points[0].model;
    Ok(summarise(model, model.seed, &run, None, &mut |_, _| {
        std::ops::ControlFlow::Continue(())
    }))
}

fn summary(choice: &str) -> Summary {
    run(&script(choice), &policies())
        .expect("the script checks")
        .expect("the run ends")
}

#[test]
fn a_registered_keep_alive_decides() {
    // None kept: every one of the 40 invocations starts cold.
    let never = summary("keep_alive never");
    assert_eq!((never.totals.invocations, never.totals.cold_starts), (40, 40));
    // Kept for ever: one cold start per function.
    let forever = summary("keep_alive forever");
    assert_eq!((forever.totals.cold_starts, forever.totals.warm_starts), (2, 38));
    // A function may choose its own.
    let text = script("keep_alive never").replacen("image img; limits", "image img; keep_alive forever; limits", 1);
    let mixed = run(&text, &policies()).expect("checks").expect("runs");
    assert_eq!(mixed.totals.cold_starts, 21);
}

#[test]
fn a_registered_placement_decides() {
    let second = summary("scheduler second");
    assert_eq!(second.totals.succeeded, 40);
    // Every invocation ran on node[2] (index 1): node[1] was never busy.
    let busy = |name: &str| {
        let node = second.nodes.iter().find(|n| n.node == name).expect("the node's use");
        node.busy_core_seconds
    };
    assert_eq!(busy("node[1]"), 0.0);
    assert!(busy("node[2]") >= 40.0, "{}", busy("node[2]"));
}

#[test]
fn a_registered_name_is_checked_like_a_built_in() {
    let bad = |choice: &str| run(&script(choice), &policies()).expect_err("diagnostics");
    let near = bad("keep_alive forevr");
    assert!(near.contains("did you mean `forever`?"), "{near}");
    let args = bad("scheduler second(3)");
    assert!(
        args.contains("sls::wrong_arguments") && args.contains("`second` takes no arguments"),
        "{args}"
    );
    // A keep-alive's name is no placement.
    let kind = bad("scheduler never");
    assert!(kind.contains("`never` is not a scheduler"), "{kind}");
    // Without the registration the name is unknown, the built-ins listed.
    let alone = run(&script("keep_alive forever"), &Policies::new()).expect_err("diagnostics");
    assert!(alone.contains("write one of `fixed`, `none` or `hybrid`"), "{alone}");
}

#[test]
fn a_policy_that_cannot_decide_stops_the_run() {
    let stopped = run(&script("scheduler tenth"), &policies()).expect("checks");
    match stopped {
        Err(RunError::Policy(error)) => {
            assert_eq!(error.policy, "tenth");
            assert_eq!(error.at, 0.0);
            assert_eq!(error.message, "it chose node 9, but the service has 2 (0 to 1)");
        }
        other => panic!("{:?}", other.map(|s| s.totals)),
    }
}

#[test]
fn names_that_cannot_be_registered_are_refused() {
    let policies = policies();
    assert!(policies.keep_alive_refused("fixed").unwrap().contains("built-in"));
    assert!(policies.keep_alive_refused("never").unwrap().contains("already"));
    assert!(policies.placement_refused("two words").unwrap().contains("cannot name"));
    assert_eq!(policies.placement_refused("never"), None);
}
