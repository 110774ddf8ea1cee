//! Stalls: invocations wait, nothing can ever place them, yet something
//! keeps happening, so the engine's queue never empties and simulated
//! time would run on for ever. Two shapes are recognised, each only once
//! nothing else is left to happen (no invocation runs or starts, no
//! arrival, failure, recovery or other timer is due):
//!
//! - only autoscalers' rounds, for longer than their decisions may still
//!   change (an autoscaler whose load does not move asks again at every
//!   tick: Knative's KPA stays in panic while invocations wait for
//!   containers that cannot start);
//! - only the services' own layer transfers (and autoscalers' rounds),
//!   one of which has brought the same layer to the same place a hundred
//!   times or more ([`REPEATS`]), while invocations or prewarm requests
//!   wait: a placement that brings images where its requests are to go,
//!   on nodes whose RAM idle containers hold (an autoscaler keeps them),
//!   loads one image over another and back, round after round
//!   (`balanced` on more functions than the nodes hold containers of;
//!   `least_loaded` with an autoscaler's prewarm requests waiting after
//!   the last invocation).
//!
//! What waits is then dropped (`Run::abandon_unfinished`): invocations
//! end as `not_run`, prewarm requests never start; the run says why in
//! its warnings ([`Run::stall_warnings`]).

use std::collections::HashMap;

use crate::ir::service::ServiceId;

use super::super::ids::{NodeId, TransferId};
use super::super::service::Transfer;
use super::super::tag::Tag;
use super::Run;

/// How many times one transfer completes, with nothing else happening,
/// before the run counts as stalled, at least: twice as many as entries
/// wait, if more. Once is a deterministic placement's cycle only if the
/// list's order is the same at each turn, but a prewarm request refused
/// goes to the end of the list, so the order turns: twice the list's
/// length lets every entry come round twice. A placement that draws
/// (`random`) may break out of a cycle by chance: the count leaves it a
/// hundred cycles' worth of draws. A bound, not a proof.
const REPEATS: u32 = 100;

/// What the run watches for a stall.
#[derive(Debug, Default)]
pub(super) struct StallWatch {
    /// Since when only autoscalers' rounds (and what they set off at
    /// once) have happened while invocations wait, with what invocations
    /// had done by then.
    ticks: Option<(f64, Progress)>,
    /// Since when only layer transfers and autoscalers' rounds have
    /// happened while invocations or prewarm requests wait.
    transfers: Option<Window>,
    /// The stalls of layer transfers found (for the warnings): after
    /// one, a closed-loop client goes on, and may meet another.
    found: Vec<Stall>,
}

/// Layer transfers repeating with nothing else happening.
#[derive(Debug)]
struct Window {
    since: f64,
    /// What waited when it began (the same at every transfer since).
    waited: Waited,
    /// How many times each transfer completed since.
    counts: HashMap<(ServiceId, Transfer), u32>,
}

/// What arrived and waits. Between two ends of transfers (or
/// autoscalers' rounds) that each found nothing else pending, anything
/// else that happened was set off and over in between: an invocation
/// dispatched and ended (fewer live), a prewarm request started (fewer
/// waiting; only an autoscaler's round, itself watched, or an arrival
/// asks for another). So an equal count means nothing else happened, and
/// other events need no look (no cost on the run's common path).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Waited {
    arrivals: u64,
    invocations: usize,
    prewarms: usize,
}

/// A stall of repeated layer transfers, as the warnings say it.
#[derive(Debug)]
struct Stall {
    since: f64,
    at: f64,
    service: ServiceId,
    transfer: Transfer,
    /// Invocations waiting.
    waiting: usize,
    /// Prewarm requests waiting, in every service.
    prewarms: usize,
    /// How many times the transfer completed.
    repeats: u32,
}

/// What invocations have done: arrived, live, live and dispatched. Equal
/// at two dates, none arrived, was dispatched or ended in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Progress {
    arrivals: u64,
    live: usize,
    dispatched: usize,
}

impl StallWatch {
    /// Forgets both windows: something else happened, or the run
    /// abandoned what waited.
    pub(super) fn reset(&mut self) {
        self.ticks = None;
        self.transfers = None;
    }
}

impl Run<'_> {
    /// Whether the run is stalled, at the event tagged `tag` (asked before
    /// the event is handled). Between two autoscalers' rounds or two ends
    /// of transfers, what a round set off at once (a layer copy to a node
    /// that is down fails at once) may have happened: each window goes by
    /// what invocations and prewarm requests did.
    #[inline(always)]
    pub(super) fn stalled(&mut self, tag: Tag) -> bool {
        match tag {
            Tag::Autoscale(_) => self.stalled_on_ticks(),
            Tag::Transfer(s, t) => self.stalled_on_transfers(s, t),
            _ => false,
        }
    }

    /// What arrived and waits now.
    fn waited(&self) -> Waited {
        Waited {
            arrivals: self.world.next_id,
            invocations: self.world.invocations.live_count(),
            prewarms: self.services.iter().map(|s| s.prewarm_requests_waiting()).sum(),
        }
    }

    /// Whether only layer transfers and the `ticks` autoscalers' rounds
    /// are left to happen: no activity but the services' transfers (less
    /// `ending`, whose activity is over and whose end is not handled yet),
    /// no other timer, no replay's arrival.
    fn only_transfers_and(&self, ticks: usize, ending: usize) -> bool {
        let engine = &self.world.engine;
        let transfers: usize = self.services.iter().map(|s| s.transfers_in_flight()).sum();
        engine.live_activities() + ending == transfers
            && engine.pending_timers() == ticks
            && self.feeds.next_replay_arrival().is_none()
    }

    /// At an autoscaler's round: whether only autoscalers' rounds are
    /// left to happen, invocations wait, and it has been so for longer
    /// than any autoscaler's decisions may still change.
    #[cold]
    #[inline(never)]
    fn stalled_on_ticks(&mut self) -> bool {
        // The round due now is not pending any more (its service learns so
        // when it is handled): anything else pending is another's.
        let ticking = self.services.iter().filter(|s| s.autoscale_pending()).count() - 1;
        if !self.only_transfers_and(ticking, 0) {
            self.stall.reset();
            return false;
        }
        let waited = self.waited();
        if self.stall.transfers.as_ref().is_some_and(|w| w.waited != waited) {
            self.stall.transfers = None;
        }
        if self.services.iter().any(|s| s.transfers_in_flight() > 0) {
            // The transfers' window goes on; this one needs none.
            self.stall.ticks = None;
            return false;
        }
        let invocations = &self.world.invocations;
        let progress = Progress {
            arrivals: self.world.next_id,
            live: invocations.live_count(),
            dispatched: invocations.live().filter(|(_, i)| i.dispatch.is_set()).count(),
        };
        if progress.live == 0 {
            self.stall.reset();
            return false;
        }
        let now = self.world.now();
        let since = match self.stall.ticks {
            Some((since, before)) if before == progress => since,
            _ => {
                self.stall.ticks = Some((now, progress));
                now
            }
        };
        now - since > self.settles_within()
    }

    /// At the end of transfer `t` of service `s`: whether only layer
    /// transfers and autoscalers' rounds are left to happen, invocations
    /// or prewarm requests wait, this transfer has now completed so
    /// [`REPEATS`] times or twice as many as entries wait, and the
    /// autoscalers have had time to settle. A dispatch in between
    /// would have left a start-up or a body pending (or, ended, a
    /// different count of invocations live), which ends the window.
    #[cold]
    #[inline(never)]
    fn stalled_on_transfers(&mut self, s: ServiceId, t: TransferId) -> bool {
        let ticking = self.services.iter().filter(|s| s.autoscale_pending()).count();
        let waited = self.waited();
        let Some(transfer) = self.services[s.index()].transfer(t) else {
            return false;
        };
        if waited.invocations + waited.prewarms == 0 || !self.only_transfers_and(ticking, 1) {
            self.stall.reset();
            return false;
        }
        let now = self.world.now();
        let settles = self.settles_within();
        if self.stall.transfers.as_ref().is_some_and(|w| w.waited != waited) {
            self.stall.transfers = None;
        }
        let window = self.stall.transfers.get_or_insert_with(|| Window {
            since: now,
            waited,
            counts: HashMap::new(),
        });
        let since = window.since;
        let count = window.counts.entry((s, transfer)).or_insert(0);
        *count += 1;
        let repeats = *count;
        let entries = u32::try_from(2 * (waited.invocations + waited.prewarms)).unwrap_or(u32::MAX);
        if repeats < REPEATS.max(entries) || now - since <= settles {
            return false;
        }
        // An invocation dispatched to a node, waiting there for its
        // image, starts once it comes: the window starts again (a walk of
        // the invocations, once every hundred repeats).
        if self.world.invocations.live().any(|(_, i)| i.dispatch.is_set()) {
            self.stall.transfers = None;
            return false;
        }
        self.stall.found.push(Stall {
            since,
            at: now,
            service: s,
            transfer,
            waiting: waited.invocations,
            prewarms: waited.prewarms,
            repeats,
        });
        true
    }

    /// How long the services' autoscalers may still change their
    /// decisions once nothing else changes.
    fn settles_within(&self) -> f64 {
        (self.services.iter())
            .map(|s| s.autoscaler_settles_within())
            .fold(0.0, f64::max)
    }

    /// The warnings of the stalls of layer transfers found.
    pub(super) fn stall_warnings(&self) -> impl Iterator<Item = String> + '_ {
        self.stall.found.iter().map(|stall| self.stall_warning(stall))
    }

    fn stall_warning(&self, stall: &Stall) -> String {
        let model = self.world.model;
        let service = &model.services[stall.service.index()];
        let node = |n: NodeId| &self.services[stall.service.index()].state.nodes[n.index()].name;
        let (what, layer) = match stall.transfer {
            Transfer::Download { layer } => (format!("downloaded to the head of `{}`", service.name), layer),
            Transfer::Copy { node: n, layer } => (format!("copied to the disk of `{}`", node(n)), layer),
            Transfer::Load { node: n, layer } => (format!("loaded into the RAM of `{}`", node(n)), layer),
        };
        let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        let waited = match (stall.waiting, stall.prewarms) {
            (0, p) => plural(p, "prewarm request"),
            (w, 0) => plural(w, "invocation"),
            (w, p) => format!("{} and {}", plural(w, "invocation"), plural(p, "prewarm request")),
        };
        let dropped = match (stall.waiting, stall.prewarms) {
            (0, _) => "they never start".to_owned(),
            (w, 0) => format!("the {} recorded as not_run", plural(w, "invocation")),
            (w, _) => format!(
                "the {} recorded as not_run, the prewarm requests never start",
                plural(w, "invocation")
            ),
        };
        format!(
            "the run stalled at {:.3} s: from {:.3} s on, nothing arrived, started or ended while {waited} waited, and `{}` did nothing but transfer layers: layer `{}` was {what} {} times, evicted each time before anything used it; what waited is dropped ({dropped})",
            stall.at, stall.since, service.name, model.layers[layer.0 as usize].name, stall.repeats,
        )
    }
}
