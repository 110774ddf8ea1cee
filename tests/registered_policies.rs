//! Policies registered through the library (`sls::policy::Policies`):
//! `check` accepts their names where a built-in of the kind goes (and
//! suggests them for near misses), runs build and ask them, and one that
//! cannot decide stops the run with its name and the simulated date.

use std::path::Path;
use std::sync::{Arc, Mutex};

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

/// The second node while it is up, else the first node up: a home node
/// with a fallback, which must tell a failed node from a busy one (both
/// have no free slot).
struct Home;

impl PickNode for Home {
    fn pick(&mut self, choosing: &Choosing) -> Option<usize> {
        std::iter::once(1).chain(0..choosing.nodes()).find(|&n| choosing.up(n))
    }
}

/// [`Home`], writing down what it is told of node[2] at each pick: the
/// date, whether it is up, its RAM free.
struct Watching(Arc<Mutex<Vec<(f64, bool, f64)>>>);

impl PickNode for Watching {
    fn pick(&mut self, choosing: &Choosing) -> Option<usize> {
        let seen = (choosing.now(), choosing.up(1), choosing.ram_free(1));
        self.0.lock().expect("not poisoned").push(seen);
        Home.pick(choosing)
    }
}

fn policies() -> Policies {
    Policies::new()
        .keep_alive("never", |_| Box::new(Window(0.0)))
        .keep_alive("forever", |_| Box::new(Window(1e9)))
        .pick_node("second", |_| Always(1))
        .pick_node("tenth", |_| Always(9))
        .pick_node("home", |_| Home)
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
fn a_registered_placement_sees_which_nodes_are_up() {
    // node[2] fails for good at 95 s, between arrivals (every 10 s from 0,
    // each run over by 2.x s): nothing runs there then.
    let failing = |choice: &str| {
        let text = script(choice).replacen("via l[i]\n", "via l[i]\n  fail host node[2] at 95s\n", 1);
        run(&text, &policies()).expect("checks").expect("runs")
    };
    // Sent to node[2] for ever, the 10 arrivals of each function from
    // 100 s wait for a node that never comes back.
    let stuck = failing("scheduler second");
    assert_eq!(stuck.totals.invocations, 40);
    assert_eq!(stuck.totals.succeeded, 20);
    let causes: Vec<_> = stuck.totals.failures.iter().map(|c| (c.cause, c.count)).collect();
    assert_eq!(causes, [("not_run", 20)]);
    // Told it is down, the home placement falls back to node[1]: all 40
    // succeed, 20 on each node, node[1]'s from 100 s on.
    let home = failing("scheduler home");
    assert_eq!((home.totals.invocations, home.totals.succeeded), (40, 40));
    let busy = |name: &str| {
        let node = home.nodes.iter().find(|n| n.node == name).expect("the node's use");
        node.busy_core_seconds
    };
    // Each node ran 20 bodies of a 1 s sleep.
    assert_eq!((busy("node[1]"), busy("node[2]")), (20.0, 20.0));
}

#[test]
fn a_failed_node_has_no_ram_free_for_a_placement() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let watched = Arc::clone(&seen);
    let policies = policies().pick_node("watching", move |_| Watching(Arc::clone(&watched)));
    let text = script("scheduler watching").replacen("via l[i]\n", "via l[i]\n  fail host node[2] at 95s\n", 1);
    let summary = run(&text, &policies).expect("checks").expect("runs");
    assert_eq!((summary.totals.invocations, summary.totals.succeeded), (40, 40));
    let seen = seen.lock().expect("not poisoned");
    // Up to 90 s, node[2] holds at most the two functions' containers
    // (100 MB each) and their image (10 MB) of its 8 GB; from 100 s it is
    // down, and nothing can start there: none free (what ran there is
    // gone, which left its whole RAM unused, not free).
    let (before, after): (Vec<_>, Vec<_>) = seen.iter().partition(|(now, ..)| *now < 95.0);
    // Each of the 20 invocations on either side asked at least once.
    let asked = (before.len(), after.len());
    assert!(asked.0 >= 20 && asked.1 >= 20, "{asked:?}");
    for (now, up, ram_free) in before {
        assert!(up && (7.79e9..=8e9).contains(&ram_free), "{now}: {up} {ram_free}");
    }
    for (now, up, ram_free) in after {
        assert!(!up && ram_free == 0.0, "{now}: {up} {ram_free}");
    }
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
fn written_registered_and_built_in_names_coexist() {
    let with = |declared: &str, choice: &str| format!("{declared}\n{}", script(choice));
    let written = "keep_alive half_minute { idle 30s }\nplacement busy_last { score node = busy(node); pick min }";
    // A written keep-alive (30 s) beside a registered placement (node[2]
    // only): each function invoked every 10 s stays warm, one cold start
    // each.
    let mixed = run(
        &with(written, "keep_alive half_minute\n  scheduler second"),
        &policies(),
    );
    let mixed = mixed.expect("checks").expect("runs");
    assert_eq!((mixed.totals.cold_starts, mixed.totals.warm_starts), (2, 38));
    // A registered keep-alive keeping nothing under a written placement:
    // every invocation cold.
    let reverse = run(&with(written, "keep_alive never\n  scheduler busy_last"), &policies());
    let reverse = reverse.expect("checks").expect("runs");
    assert_eq!((reverse.totals.invocations, reverse.totals.cold_starts), (40, 40));
    // Did-you-mean runs over the three: a declared name, a registered one.
    let bad = |choice: &str| run(&with(written, choice), &policies()).expect_err("diagnostics");
    let near = bad("keep_alive half_minte");
    assert!(near.contains("did you mean `half_minute`?"), "{near}");
    let near = bad("scheduler secnd");
    assert!(near.contains("did you mean `second`?"), "{near}");
    // A declared name may take neither a built-in's nor a registered one's.
    let shadow = run(&with("keep_alive forever { idle 1s }", "keep_alive fixed"), &policies());
    let shadow = shadow.expect_err("diagnostics");
    assert!(
        shadow.contains("`forever` is the name of a registered keep_alive policy"),
        "{shadow}"
    );
    let shadow = run(
        &with("placement fcfs { score node = 1 }", "keep_alive fixed"),
        &policies(),
    );
    let shadow = shadow.expect_err("diagnostics");
    assert!(
        shadow.contains("`fcfs` is the name of a built-in placement policy"),
        "{shadow}"
    );
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
