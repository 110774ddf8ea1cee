//! `greedy`: WRENCH's newest scheduler, assembled from four policies —
//! invocation ordering, node selection, eviction, plan selection. For each
//! waiting invocation it looks for a warm container, then for nodes where a
//! new container fits (possibly after evicting idle containers and cached
//! layers), then where the image can be loaded, then copied; every feasible
//! node yields a plan and the plan-selection policy picks one. Decisions
//! update the round's view of the system, so later invocations see them.
//!
//! A round's cost is what it can decide: what a pick reads of an entry is
//! its registration's (key, image, RAM, disk), and a refused pick changes
//! nothing (no plan, so no draw), so every entry of a registration refused
//! since the round's last decision is refused too, unseen; the round ends
//! once only such entries are left, and ends at once when every
//! registration waiting is refused at its start. An order drawn at random
//! is drawn place by place (`shuffle.rs`): a round that ends early skips
//! the draws of the places it did not reach, so the generator moves as
//! in a full round (`RunOptions::rounds_only` turns this off to check so).
//!
//! A pick asks every candidate node for a warm container, then for a cold
//! plan (image in RAM, victims to make room), then for a wait, a load, a
//! wait, a copy: what a node offers a registration at each stage reads
//! only the round's changes on that node (its RAM and disk deltas,
//! evictions, terminations, claimed containers, protected layers, loads
//! and copies decided), which only a commit on that node makes. So each
//! stage of a node's offer is found once per registration and kept until
//! a commit there (`Round::offers`, a row of offers per registration asked
//! this round, indexed by node): a round of many picks rebuilds the lists
//! of the nodes it decided on, not of every candidate per pick. A node
//! with the image in RAM (hence on disk) has nothing to offer past the
//! cold stage (nothing to wait for, load or copy), so the later stages ask
//! only the nodes without it. A container being prewarmed is looked for
//! at the nodes holding an unclaimed one of the key (none when no
//! prewarming container is unclaimed), not across every container per node.
//!
//! A pick that only waits at a node (the image on its way there: no
//! dispatch, transfer, eviction or termination) changes nothing but that
//! node's free slots, and protects its own image's layers there, which
//! no plan for that image may evict anyway. So the next entry of its
//! registration gets the same wait while the node keeps a free slot
//! (`Greedy::waiting_at`; after a prewarm request's wait, the next prewarm
//! request of it), unpicked: a queue waiting on a load or a copy
//! claims the node's slots entry by entry at no pick each. Not under
//! `least_loaded` node selection, where claims reorder the candidates.

use rustc_hash::FxHashMap;

use crate::ir::function::{ImageId, LayerId};
use crate::ir::service::{EvictionSelection, GreedyPolicies, NodeSelection, Ordering, PlanSelection};
use crate::workload::StreamRng;

use super::super::Build;
use super::doomed::DoomedTail;
use super::shuffle;
use super::{Decisions, Dispatch, Overlay, Pending, Placement, Queue, View};
use crate::ir::service::SchedulerSpec;
use crate::serverless::ids::{NodeId, RegId};
use crate::serverless::node::Residency;
use crate::serverless::nodeset::NodeSet;
use crate::serverless::state::ContainerId;

mod run;
mod stage;
mod tier;
mod walk;

use tier::Tier;
use walk::{DrawnOrder, Walk};

pub struct Greedy {
    policies: GreedyPolicies,
    /// `order random(..)`'s generator and shuffle (None: `order fcfs`).
    drawn: Option<DrawnOrder>,
    plan_rng: Option<StreamRng>,
    round: Round,
    order: Vec<usize>,
    /// Entries the round passed, per registration.
    tail: DoomedTail,
    /// Per registration: the `decided` count at which a pick refused it.
    refused: Vec<u64>,
    /// Per registration: the `decided` count at which a pick refused a
    /// prewarm request of it (its later prewarm requests are refused too,
    /// not its invocations).
    refused_prewarms: Vec<u64>,
    /// Decisions (commits) so far, over all rounds, plus one per round.
    decided: u64,
    /// Entries not passed yet of registrations refused since the round's
    /// last decision.
    refused_left: usize,
    /// The last plan committed this round, when it only waits at a node.
    waiting_at: Option<Wait>,
    /// The nodes a pick considers when it lists them (kept to reuse its
    /// allocation).
    candidates: Vec<NodeId>,
    /// Scratch: the nodes a run of waits may claim (`run.rs`).
    run_nodes: NodeSet,
}

/// A wait a pick found, which the next entries of its registration take
/// again while its node has a free slot.
#[derive(Clone, Copy)]
struct Wait {
    reg: RegId,
    node: NodeId,
    /// The tier the image is on its way to.
    tier: Tier,
    /// Whether an invocation's pick found it: then every entry of the
    /// registration gets it; a prewarm request's, only prewarm requests
    /// (an invocation may take a container that is there, which a prewarm
    /// request may not: its pick has the stages past those).
    of_invocation: bool,
}

/// The round's changes to the system, on top of the service state.
#[derive(Default)]
struct Round {
    overlay: Overlay,
    ram_delta: Vec<f64>,
    disk_delta: Vec<f64>,
    touched: Vec<NodeId>,
    evicted_ram: Vec<(NodeId, LayerId)>,
    evicted_disk: Vec<(NodeId, LayerId)>,
    terminated: Vec<ContainerId>,
    protected: Vec<(NodeId, LayerId)>,
    /// Nodes with a commit this round other than a wait: where the round
    /// may have decided transfers or evictions (`stage.rs`).
    committed: NodeSet,
    /// Per node: commits on it, over all rounds (an offer's epoch).
    commits: Vec<u32>,
    /// Rounds begun (and full-round picks): offers of an earlier
    /// generation are not asked yet.
    generation: u64,
    /// Registrations asked this generation: their row of `offers`.
    asked: FxHashMap<RegId, usize>,
    /// Per row, per node: what the node offers the row's registration.
    /// Rows are reused across rounds, their offers renewed when stale.
    offers: Vec<Vec<Offer>>,
}

/// What a node offers a registration's entries, stage by stage, as found
/// when first asked (None: not asked yet); it holds while the generation
/// is `generation` and the node's commits stay at `epoch`.
#[derive(Debug, Default, Clone)]
struct Offer {
    generation: u64,
    epoch: u32,
    /// An idle container of its key (the oldest usable one).
    warm: Option<Option<ContainerId>>,
    /// Whether its image is in RAM there (then on disk too): no later
    /// stage than the cold one has anything to offer.
    in_ram: Option<bool>,
    /// A new container with its image in RAM, and the victims for its room
    /// (boxed, as the other plans: an offer stays small to renew).
    cold: Option<Option<Box<Plan>>>,
    /// Per later stage's tier (`Tier::index`: RAM, then disk): whether
    /// the image is on its way into the tier there (a wait).
    arriving: [Option<bool>; 2],
    /// Per tier: bringing the image into it (a load from disk, a copy),
    /// and the victims that make room there.
    bring: [Option<Option<Box<Plan>>>; 2],
}

/// What running one invocation on one node takes.
#[derive(Debug, Clone, Default)]
struct Plan {
    node: NodeId,
    /// For a plan that only waits: the tier the image is on its way to.
    waits: Option<Tier>,
    dispatch: Option<Option<ContainerId>>,
    terminate: Vec<ContainerId>,
    evict_ram: Vec<LayerId>,
    evict_disk: Vec<LayerId>,
    load: Vec<LayerId>,
    copy: Vec<LayerId>,
}

impl Plan {
    /// EvictionAverse's order: fewer disk evictions, RAM evictions,
    /// terminations, copies, loads.
    fn cost(&self) -> (usize, usize, usize, usize, usize) {
        (
            self.evict_disk.len(),
            self.evict_ram.len(),
            self.terminate.len(),
            self.copy.len(),
            self.load.len(),
        )
    }
}

/// A victim candidate for an eviction policy.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    ram: f64,
    disk: f64,
    last_access: f64,
    created: u64,
    index: usize,
}

/// Its tuning is the scheduler block's properties.
pub fn make(build: &Build) -> Box<dyn Placement> {
    let SchedulerSpec::Greedy(policies) = &build.service.scheduler else {
        unreachable!("`greedy` is built for a greedy scheduler only (SchedulerSpec::name)");
    };
    Box::new(Greedy::new(policies, build.nodes))
}

impl Greedy {
    pub fn new(policies: &GreedyPolicies, nodes: usize) -> Self {
        Greedy {
            drawn: match policies.order {
                Ordering::Random { seed } => Some(DrawnOrder::new(seed)),
                Ordering::Fcfs => None,
            },
            plan_rng: match policies.plan {
                PlanSelection::Random { seed } => Some(StreamRng::new(seed, "scheduler/greedy/plan")),
                PlanSelection::EvictionAverse => None,
            },
            policies: policies.clone(),
            round: Round {
                overlay: Overlay::new(nodes),
                ram_delta: vec![0.0; nodes],
                disk_delta: vec![0.0; nodes],
                commits: vec![0; nodes],
                committed: NodeSet::new(nodes),
                ..Round::default()
            },
            order: Vec::new(),
            tail: DoomedTail::default(),
            refused: Vec::new(),
            refused_prewarms: Vec::new(),
            decided: 0,
            refused_left: 0,
            waiting_at: None,
            candidates: Vec::new(),
            run_nodes: NodeSet::new(nodes),
        }
    }

    /// Victims among `candidates` covering the deficits, by the eviction policy.
    fn pick_victims(&self, mut candidates: Vec<Candidate>, mut ram: f64, mut disk: f64) -> Vec<usize> {
        let mut victims = Vec::new();
        if candidates.is_empty() {
            return victims;
        }
        match self.policies.eviction {
            EvictionSelection::Lru => {
                candidates.sort_by(|a, b| a.last_access.total_cmp(&b.last_access).then(a.created.cmp(&b.created)));
                for c in candidates {
                    if ram <= 0.0 && disk <= 0.0 {
                        break;
                    }
                    ram -= c.ram;
                    disk -= c.disk;
                    victims.push(c.index);
                }
            }
            EvictionSelection::FewestEvictions => {
                let by_ram = ram > 0.0;
                candidates.sort_by(|a, b| {
                    let (x, y) = if by_ram { (a.ram, b.ram) } else { (a.disk, b.disk) };
                    x.total_cmp(&y).then(a.created.cmp(&b.created))
                });
                while (ram > 0.0 || disk > 0.0) && !candidates.is_empty() {
                    let pick = candidates
                        .iter()
                        .position(|c| c.ram >= ram && c.disk >= disk)
                        .unwrap_or(candidates.len() - 1);
                    let c = candidates.remove(pick);
                    ram -= c.ram;
                    disk -= c.disk;
                    victims.push(c.index);
                }
            }
        }
        victims
    }

    fn choose(&mut self, view: &View, plans: Vec<Plan>) -> Option<Plan> {
        if plans.is_empty() {
            return None;
        }
        let by_name = |p: &Plan| view.state.nodes[p.node.index()].name.as_str();
        match &mut self.plan_rng {
            None => plans
                .into_iter()
                .min_by(|a, b| a.cost().cmp(&b.cost()).then_with(|| by_name(a).cmp(by_name(b)))),
            Some(rng) => {
                let mut plans = plans;
                plans.sort_by(|a, b| by_name(a).cmp(by_name(b)));
                let i = rng.below(plans.len() as u64) as usize;
                Some(plans.swap_remove(i))
            }
        }
    }
}

impl Round {
    fn begin(&mut self, view: &View) {
        self.overlay.begin(view.state);
        for n in self.touched.drain(..) {
            self.ram_delta[n.index()] = 0.0;
            self.disk_delta[n.index()] = 0.0;
        }
        self.evicted_ram.clear();
        self.evicted_disk.clear();
        self.terminated.clear();
        self.protected.clear();
        self.committed.clear();
        self.forget_offers();
    }

    /// Offers found so far are stale: a new round, or a full round's pick.
    fn forget_offers(&mut self) {
        self.generation += 1;
        self.asked.clear();
    }

    /// The row of `offers` for `reg`, this generation.
    fn row(&mut self, reg: RegId) -> usize {
        let next = self.asked.len();
        let row = *self.asked.entry(reg).or_insert(next);
        if row == self.offers.len() {
            self.offers.push(vec![Offer::default(); self.commits.len()]);
        }
        row
    }

    /// What `node` offers the registration of `row` so far this round.
    fn offer(&mut self, row: usize, node: NodeId) -> &mut Offer {
        let (generation, epoch) = (self.generation, self.commits[node.index()]);
        let offer = &mut self.offers[row][node.index()];
        if offer.generation != generation || offer.epoch != epoch {
            *offer = Offer {
                generation,
                epoch,
                ..Offer::default()
            };
        }
        offer
    }

    fn free_ram(&self, view: &View, node: NodeId) -> f64 {
        view.state.nodes[node.index()].ram_free + self.ram_delta[node.index()]
    }

    fn free_disk(&self, view: &View, node: NodeId) -> f64 {
        view.state.nodes[node.index()].disk_free + self.disk_delta[node.index()]
    }

    fn adjust(&mut self, node: NodeId, ram: f64, disk: f64) {
        if self.ram_delta[node.index()] == 0.0 && self.disk_delta[node.index()] == 0.0 {
            self.touched.push(node);
        }
        self.ram_delta[node.index()] += ram;
        self.disk_delta[node.index()] += disk;
    }

    fn in_ram(&self, view: &View, node: NodeId, layer: LayerId) -> bool {
        view.state.nodes[node.index()].ram_state(layer) == Residency::Present
            && !self.evicted_ram.contains(&(node, layer))
    }

    fn on_disk(&self, view: &View, node: NodeId, layer: LayerId) -> bool {
        view.state.nodes[node.index()].disk_state(layer) == Residency::Present
            && !self.evicted_disk.contains(&(node, layer))
    }

    fn layers<'v>(view: &'v View, image: ImageId) -> &'v [LayerId] {
        &view.registry.image_layers[image.0 as usize]
    }

    fn image_in_ram(&self, view: &View, node: NodeId, image: ImageId) -> bool {
        Self::layers(view, image)
            .iter()
            .all(|l| self.on_disk(view, node, *l) && self.in_ram(view, node, *l))
    }

    fn image_on_disk(&self, view: &View, node: NodeId, image: ImageId) -> bool {
        Self::layers(view, image).iter().all(|l| self.on_disk(view, node, *l))
    }

    fn usable_idle(&self, view: &View, node: NodeId) -> Vec<ContainerId> {
        view.state.nodes[node.index()]
            .idle
            .iter()
            .copied()
            .filter(|c| {
                !self.terminated.contains(c)
                    && (view.state.containers[c.index()].shared || !self.overlay.container_claimed(*c))
            })
            .collect()
    }
}

impl Greedy {
    /// Evictions that free `ram` and `disk` bytes on `node` for `p`'s
    /// image, added to `plan`; false when impossible. Idle containers of
    /// `p`'s own function are no victims: an invocation would run in one
    /// (its warm stage finds it first), and a prewarm request asks for a
    /// container more than those there, which one evicted would not give.
    fn eviction_plan(&self, view: &View, node: NodeId, p: &Pending, ram: f64, disk: f64, plan: &mut Plan) -> bool {
        let image = p.image;
        let round = &self.round;
        let mut d_ram = (ram - round.free_ram(view, node)).max(0.0);
        let mut d_disk = (disk - round.free_disk(view, node)).max(0.0);
        if d_ram <= 0.0 && d_disk <= 0.0 {
            return true;
        }
        let state = view.state;
        let idle: Vec<ContainerId> = round
            .usable_idle(view, node)
            .into_iter()
            .filter(|c| state.containers[c.index()].evictable() && state.containers[c.index()].key != p.key)
            .collect();
        let candidates: Vec<Candidate> = idle
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let c = &state.containers[c.index()];
                Candidate {
                    ram: c.ram,
                    disk: c.disk,
                    last_access: c.idle_since,
                    created: c.created,
                    index: i,
                }
            })
            .collect();
        for v in self.pick_victims(candidates, d_ram, d_disk) {
            let c = &state.containers[idle[v].index()];
            d_ram -= c.ram;
            d_disk -= c.disk;
            plan.terminate.push(idle[v]);
        }
        // Layers still used by a container that stays are not evictable.
        let n = &state.nodes[node.index()];
        let own = Round::layers(view, image);
        let victims_using = |layer: LayerId| {
            plan.terminate
                .iter()
                .filter(|c| {
                    view.registry.image_layers[view.registry.get(state.containers[c.index()].reg).image.0 as usize]
                        .contains(&layer)
                })
                .count() as u32
        };
        let evictable = |layer: LayerId| {
            let pins = n.layer(layer).map_or(0, |s| s.pins);
            !own.contains(&layer) && !round.protected.contains(&(node, layer)) && pins <= victims_using(layer)
        };
        if d_ram > 0.0 {
            let layers: Vec<(LayerId, f64, f64, u64)> = n
                .layers
                .iter()
                .filter(|(l, s)| {
                    s.ram == Residency::Present
                        && round.in_ram(view, node, **l)
                        && view.registry.layer_ram[l.0 as usize] > 0.0
                })
                .filter(|(l, _)| evictable(**l))
                .map(|(l, s)| (*l, view.registry.layer_ram[l.0 as usize], s.ram_access, s.created))
                .collect();
            let candidates = layers
                .iter()
                .enumerate()
                .map(|(i, (_, r, a, c))| Candidate {
                    ram: *r,
                    disk: 0.0,
                    last_access: *a,
                    created: *c,
                    index: i,
                })
                .collect();
            for v in self.pick_victims(candidates, d_ram, 0.0) {
                d_ram -= layers[v].1;
                plan.evict_ram.push(layers[v].0);
            }
        }
        if d_disk > 0.0 {
            let layers: Vec<(LayerId, f64, f64, u64)> = n
                .layers
                .iter()
                .filter(|(l, s)| {
                    s.disk == Residency::Present
                        && round.on_disk(view, node, **l)
                        && view.registry.layer_size[l.0 as usize] > 0.0
                })
                .filter(|(l, _)| evictable(**l))
                .map(|(l, s)| (*l, view.registry.layer_size[l.0 as usize], s.disk_access, s.created))
                .collect();
            let candidates = layers
                .iter()
                .enumerate()
                .map(|(i, (_, d, a, c))| Candidate {
                    ram: 0.0,
                    disk: *d,
                    last_access: *a,
                    created: *c,
                    index: i,
                })
                .collect();
            for v in self.pick_victims(candidates, 0.0, d_disk) {
                let layer = layers[v].0;
                d_disk -= layers[v].1;
                plan.evict_disk.push(layer);
                // A layer cannot stay in RAM without its file on disk.
                if round.in_ram(view, node, layer) && !plan.evict_ram.contains(&layer) {
                    plan.evict_ram.push(layer);
                    d_ram -= view.registry.layer_ram[layer.0 as usize];
                }
            }
        }
        d_ram <= 0.0 && d_disk <= 0.0
    }

    /// The nodes the node-selection policy offers, with a free slot, into
    /// `nodes`.
    fn candidates(&self, view: &View, nodes: &mut Vec<NodeId>) {
        nodes.clear();
        nodes.extend(self.round.overlay.free.iter());
        if self.policies.node == NodeSelection::LeastLoaded {
            nodes.sort_by_key(|n| std::cmp::Reverse(self.round.overlay.free_slots(view.state, *n)));
        }
    }

    /// What `stage` of `node`'s offer to the registration of `row` holds,
    /// found by `find` when not asked yet (what a node offers reads only
    /// the round's changes on that node: it holds until a commit there).
    fn offered<T: Clone>(
        &mut self,
        (row, node): (usize, NodeId),
        stage: impl Fn(&mut Offer) -> &mut Option<T>,
        find: impl FnOnce(&Self) -> T,
    ) -> T {
        if let Some(found) = stage(self.round.offer(row, node)) {
            return found.clone();
        }
        let found = find(self);
        // The offer was renewed just above.
        *stage(&mut self.round.offers[row][node.index()]) = Some(found.clone());
        found
    }

    /// The warm stage's container at `node` for `p`.
    fn warm_at(&self, view: &View, node: NodeId, p: &Pending) -> Option<ContainerId> {
        let state = view.state;
        self.round
            .usable_idle(view, node)
            .into_iter()
            .filter(|c| state.containers[c.index()].key == p.key)
            .min_by_key(|c| state.containers[c.index()].created)
    }

    /// The cold stage's plan at `node` for `p`: its image in RAM, and the
    /// victims that make room for a new container.
    fn cold_at(&self, view: &View, node: NodeId, p: &Pending) -> Option<Box<Plan>> {
        let mut plan = Plan {
            node,
            dispatch: Some(None),
            ..Plan::default()
        };
        self.eviction_plan(view, node, p, p.ram, p.disk, &mut plan)
            .then(|| Box::new(plan))
    }

    /// The stage that brings the image of `p` into `tier` at `node`: the
    /// layers missing there, and the victims that make room for them. A
    /// load needs the image on disk.
    fn bring_at(&self, view: &View, node: NodeId, p: &Pending, tier: Tier) -> Option<Box<Plan>> {
        let round = &self.round;
        if matches!(tier, Tier::Ram) && !round.image_on_disk(view, node, p.image) {
            return None;
        }
        let layers = tier.missing(round, view, node, p.image);
        if layers.is_empty() {
            return None;
        }
        let (ram, disk) = tier.room(view, &layers);
        let mut plan = tier.plan(node, layers);
        self.eviction_plan(view, node, p, ram, disk, &mut plan)
            .then(|| Box::new(plan))
    }

    fn pick(&mut self, view: &View, p: &Pending) -> Option<Plan> {
        // Full rounds (`RunOptions::rounds_only`) find every offer anew.
        if !view.shortcuts {
            self.round.forget_offers();
        }
        let row = self.round.row(p.reg);
        let mut candidates = std::mem::take(&mut self.candidates);
        candidates.clear();
        // Stages that read their sets word by word need no list.
        if !self.by_words(view) {
            self.candidates(view, &mut candidates);
        }
        let plan = self.pick_among(view, p, row, &candidates);
        self.candidates = candidates;
        plan
    }

    /// The plan for `p` among `candidates`, stage by stage.
    fn pick_among(&mut self, view: &View, p: &Pending, row: usize, candidates: &[NodeId]) -> Option<Plan> {
        let state = view.state;
        // Warm: an idle container of the same registration (a prewarm
        // request starts one of its own: none).
        let idle = state.idle_nodes.get(p.key);
        let warm = p.takes_existing().then(|| {
            self.first_at(
                view,
                candidates,
                &|_, i| idle.map_or(0, |set| set.word(i)),
                |g, node| {
                    let warm = g.offered((row, node), |o| &mut o.warm, |g| g.warm_at(view, node, p));
                    warm.map(|c| Plan {
                        node,
                        dispatch: Some(Some(c)),
                        ..Plan::default()
                    })
                },
            )
        });
        if let Some(warm @ Some(_)) = warm {
            return warm;
        }
        // A container being prewarmed for it (it brings its own slot),
        // at the first node holding one (none when none is unclaimed).
        let round = &self.round;
        let prewarming = state
            .prewarming_nodes
            .get(p.key)
            .filter(|_| state.unclaimed_prewarms > 0 && p.takes_existing());
        if let Some((node, c)) = prewarming.and_then(|nodes| {
            nodes.iter().find_map(|node| {
                state
                    .prewarming_container(node, p.key)
                    .filter(|c| !round.overlay.container_claimed(*c))
                    .map(|c| (node, c))
            })
        }) {
            return Some(Plan {
                node,
                dispatch: Some(Some(c)),
                ..Plan::default()
            });
        }
        // Cold, image ready.
        let sets = &state.images[p.image.0 as usize];
        let cold = self.best_at(
            view,
            candidates,
            &|_, i| sets.in_ram.word(i),
            Tier::COLD_FLOOR,
            |g, node| {
                if !g.holds_in_ram(view, row, node, p) {
                    return None;
                }
                g.offered((row, node), |o| &mut o.cold, |g| g.cold_at(view, node, p))
                    .map(|b| *b)
            },
        );
        if cold.is_some() {
            return cold;
        }
        self.pick_later(view, p, row, candidates)
    }

    /// Whether the image of `p` is in RAM at `node` (then on disk too),
    /// as the offer to `row` has it. Never where the service state does
    /// not have it so: the round only evicts.
    fn holds_in_ram(&mut self, view: &View, row: usize, node: NodeId, p: &Pending) -> bool {
        let in_state = view.state.images[p.image.0 as usize].in_ram.contains(node);
        (!view.shortcuts || in_state)
            && self.offered(
                (row, node),
                |o| &mut o.in_ram,
                |g| g.round.image_in_ram(view, node, p.image),
            )
    }

    /// The plan for `p` among `candidates` without its image in RAM: per
    /// tier (RAM, then disk), a wait where the image is on its way there,
    /// else the best plan that brings it there.
    fn pick_later(&mut self, view: &View, p: &Pending, row: usize, candidates: &[NodeId]) -> Option<Plan> {
        let sets = &view.state.images[p.image.0 as usize];
        // Nodes the round did not commit on hold the image in RAM as the
        // service state says.
        let lacking = |g: &Self, i: usize| !sets.in_ram.word(i) | g.round.committed.word(i);
        for tier in Tier::LATER_STAGES {
            let at = tier.index();
            let wait = self.first_at(
                view,
                candidates,
                &|g, i| (tier.arriving_words(sets, i) | g.round.committed.word(i)) & lacking(g, i),
                |g, node| {
                    let waits = !g.holds_in_ram(view, row, node, p)
                        && g.offered(
                            (row, node),
                            |o| &mut o.arriving[at],
                            |g| tier.arriving(&g.round, view, node, p.image),
                        );
                    waits.then_some(Plan {
                        node,
                        waits: Some(tier),
                        ..Plan::default()
                    })
                },
            );
            if wait.is_some() {
                return wait;
            }
            let brought = self.best_at(
                view,
                candidates,
                &|g, i| (tier.bring_words(sets, i) | g.round.committed.word(i)) & lacking(g, i),
                tier.floor(),
                |g, node| {
                    if g.holds_in_ram(view, row, node, p) {
                        return None;
                    }
                    g.offered((row, node), |o| &mut o.bring[at], |g| g.bring_at(view, node, p, tier))
                        .map(|b| *b)
                },
            );
            if brought.is_some() {
                return brought;
            }
        }
        None
    }

    /// Records a chosen plan in the round and in the decisions.
    fn commit(&mut self, view: &View, p: &Pending, index: u32, plan: Plan, out: &mut Decisions) {
        let state = view.state;
        let node = plan.node;
        let round = &mut self.round;
        round.commits[node.index()] = round.commits[node.index()].wrapping_add(1);
        if plan.waits.is_none() {
            round.committed.insert(node);
        }
        for l in Round::layers(view, p.image) {
            round.protected.push((node, *l));
        }
        for c in &plan.terminate {
            let container = &state.containers[c.index()];
            round.terminated.push(*c);
            round.adjust(node, container.ram, container.disk);
            out.terminate.push(*c);
        }
        for l in &plan.evict_ram {
            round.evicted_ram.push((node, *l));
            round.adjust(node, view.registry.layer_ram[l.0 as usize], 0.0);
            out.evict_ram.push((node, *l));
        }
        for l in &plan.evict_disk {
            round.evicted_disk.push((node, *l));
            round.adjust(node, 0.0, view.registry.layer_size[l.0 as usize]);
            out.evict_disk.push((node, *l));
        }
        let onto_prewarming = matches!(plan.dispatch, Some(Some(c)) if state.containers[c.index()].state == crate::serverless::state::ContainerState::Prewarming);
        match plan.dispatch {
            Some(Some(c)) => {
                if onto_prewarming {
                    round.overlay.claim_prewarming(c);
                } else {
                    round.overlay.claim_container(c);
                }
                out.dispatch.push(Dispatch {
                    waiting: p.waiting,
                    index,
                    node,
                    container: Some(c),
                });
            }
            Some(None) => {
                round.adjust(node, -p.ram, -p.disk);
                out.dispatch.push(Dispatch {
                    waiting: p.waiting,
                    index,
                    node,
                    container: None,
                });
            }
            None => {}
        }
        if !plan.load.is_empty() {
            let (ram, disk) = Tier::Ram.room(view, &plan.load);
            round.adjust(node, -ram, -disk);
            round.overlay.load(view, node, p.image, out);
        }
        if !plan.copy.is_empty() {
            let (ram, disk) = Tier::Disk.room(view, &plan.copy);
            round.adjust(node, -ram, -disk);
            round.overlay.copy(view, node, p.image, out);
        }
        if !onto_prewarming {
            round.overlay.claim(state, node);
        }
    }
}

impl Greedy {
    /// Whether a pick refused the registration of `p` since the round's
    /// last decision.
    fn is_refused(&self, p: &Pending) -> bool {
        self.refused.get(p.reg.index()) == Some(&self.decided)
    }

    /// Whether a pick refused `p`'s registration, or `p` is a prewarm
    /// request and a pick refused one of its registration, since the
    /// round's last decision.
    fn is_judged_refused(&self, p: &Pending) -> bool {
        self.is_refused(p) || (!p.takes_existing() && self.refused_prewarms.get(p.reg.index()) == Some(&self.decided))
    }

    /// Records that a pick refused prewarm request `p`.
    fn refuse_prewarms(&mut self, p: &Pending) {
        let reg = p.reg.index();
        if reg >= self.refused_prewarms.len() {
            self.refused_prewarms.resize(reg + 1, 0);
        }
        self.refused_prewarms[reg] = self.decided;
    }

    /// Records that a pick refused `p`, not passed yet.
    fn refuse(&mut self, queue: Queue, p: &Pending) {
        let reg = p.reg.index();
        if reg >= self.refused.len() {
            self.refused.resize(reg + 1, 0);
        }
        self.refused[reg] = self.decided;
        self.refused_left += self.tail.left_of(queue, p);
    }

    /// Whether a pick refuses every registration waiting, at the round's
    /// start; those it refuses are recorded either way (the round has
    /// decided nothing yet). A pick that finds a plan may have drawn one:
    /// the generator is put back.
    fn refuses_all(&mut self, view: &View, queue: Queue) -> bool {
        let saved = self.plan_rng.clone();
        for (sample, _) in queue.tally().present() {
            if self.pick(view, sample).is_some() {
                self.plan_rng = saved;
                return false;
            }
            self.refuse(queue, sample);
        }
        true
    }
}

impl Placement for Greedy {
    /// Served in order unless the order is drawn at random. A plan drawn
    /// at random (`plan random`) does not change that: the generator is
    /// drawn only to choose among plans that decide something (a cold
    /// start, an image brought; a wait is taken at the first node where
    /// the image is on its way, without a draw), so a round that decided
    /// nothing drew nothing, and the next over the same state decides
    /// the same.
    fn appends_are_inert(&self) -> bool {
        self.drawn.is_none()
    }

    fn schedule(&mut self, view: &View, queue: Queue, out: &mut Decisions) {
        self.round.begin(view);
        self.tail.begin();
        self.decided += 1;
        self.refused_left = 0;
        self.waiting_at = None;
        let waiting = queue.tally().total();
        let exhausted = self.round.overlay.total_free == 0 && view.state.unclaimed_prewarms == 0;
        if view.shortcuts && waiting > 0 && (exhausted || self.refuses_all(view, queue)) {
            // The full round's shuffle draws, then its first check.
            if let Some(drawn) = &mut self.drawn {
                drawn.rng.skip(shuffle::draws(waiting));
            }
            out.exhausted = exhausted;
            return;
        }
        // FCFS over a list kept in submission order takes it as it comes:
        // no list of its positions, no sort.
        let mut walk = match &mut self.drawn {
            // Drawn place by place: a round that ends early draws the
            // places it reached.
            Some(drawn) => {
                drawn.begin(queue, view.step_over);
                Walk::Drawn
            }
            None => view
                .step_over
                .then(|| Walk::in_submit_order(queue))
                .flatten()
                .unwrap_or(Walk::Listed { k: 0 }),
        };
        self.order.clear();
        if matches!(walk, Walk::Listed { .. }) {
            self.order.extend(queue.iter().map(|(i, _)| i));
            self.order.sort_by(|a, b| match (queue.get(*a), queue.get(*b)) {
                (Some(x), Some(y)) => x.submit.total_cmp(&y.submit).then(x.id.cmp(&y.id)),
                _ => std::cmp::Ordering::Equal,
            });
        }
        // Refusals and waits are judged by registration also while prewarm
        // requests wait or prewarming containers are unclaimed (the other
        // shortcuts are off then): an entry's stages read only what the
        // round takes (idle and prewarming containers claimed, slots, room),
        // so an entry of the registration after one refused is refused, and
        // after one that waited waits there while the node has a free slot.
        // An invocation's refusal or wait judges the prewarm requests of
        // its registration too (they get the plans it gets past the warm
        // ones and the containers still starting); a prewarm request's
        // wait judges only the prewarm requests after it, and its refusal
        // nothing (an invocation may take a container that is there).
        let by_registration = view.step_over;
        // Whether the round stepped over entries unseen: the counts of
        // refused entries left (`refused_left`) then miss them.
        let mut stepped = false;
        while let Some(index) = walk.next(queue, &self.order, self.drawn.as_mut()) {
            if self.round.overlay.total_free == 0 && view.state.unclaimed_prewarms == 0 {
                out.exhausted = true;
                break;
            }
            let Some(&p) = queue.get(index) else { continue };
            // Without a free slot only an invocation can be placed (on a
            // prewarming container, which brings its own): the round ends
            // once every one is claimed, and steps over the prewarm
            // requests up to the next invocation (each would find no node:
            // a crowd of them waiting past the slots costs each arrival's
            // round nothing). Claims only take slots: none comes back.
            if view.step_over && self.round.overlay.total_free == 0 {
                if self.round.overlay.nothing_left(view.state) {
                    break;
                }
                if !p.takes_existing()
                    && let Some(passed) = walk.step_to_invocation(queue, index)
                {
                    self.tail.pass_unknown(passed);
                    stepped = true;
                    continue;
                }
            }
            let mut waited = None;
            if !self.is_judged_refused(&p) {
                let again = self.waiting_at.filter(|w| {
                    w.reg == p.reg
                        && (w.of_invocation || !p.takes_existing())
                        && self.round.overlay.free.contains(w.node)
                });
                let waits = again.map(|w| Plan {
                    node: w.node,
                    waits: Some(w.tier),
                    ..Plan::default()
                });
                // A wait taken again judges as the pick that found it did.
                let judges = by_registration && (p.takes_existing() || again.is_some_and(|w| w.of_invocation));
                match waits.or_else(|| self.pick(view, &p)) {
                    Some(plan) => {
                        let alike = by_registration && self.policies.node != NodeSelection::LeastLoaded;
                        let of_invocation = again.map_or(p.takes_existing(), |w| w.of_invocation);
                        self.waiting_at = plan.waits.filter(|_| alike).map(|tier| Wait {
                            reg: p.reg,
                            node: plan.node,
                            tier,
                            of_invocation,
                        });
                        waited = self.waiting_at.filter(|w| w.of_invocation).map(|w| (w.node, w.tier));
                        self.commit(view, &p, index as u32, plan, out);
                        self.decided += 1;
                        self.refused_left = 0;
                    }
                    None if judges && p.takes_existing() => self.refuse(queue, &p),
                    None if by_registration && !p.takes_existing() => self.refuse_prewarms(&p),
                    None => {}
                }
            }
            if by_registration {
                if self.is_refused(&p) {
                    self.refused_left -= 1;
                }
                self.tail.pass(&p);
                let left = self.tail.left(queue);
                if left > 0 && left == self.refused_left && !stepped {
                    break;
                }
                // The entries after a wait, when all of its registration,
                // once its node has no free slot left (until then each
                // waits there, `waiting_at`: the cheaper order, and the
                // same decisions, `run.rs`).
                let full = |&(node, _): &(NodeId, Tier)| !self.round.overlay.free.contains(node);
                if let Some(wait) = waited.filter(|w| full(w) && left > 0 && left == self.tail.left_of(queue, &p)) {
                    let taken = self.wait_run(view, &p, wait, left);
                    if taken > 0 {
                        self.tail.pass_many(&p, taken);
                        self.decided += 1;
                        walk.skip(queue, taken, self.drawn.as_mut());
                    }
                }
            }
        }
        if let Some(drawn) = &mut self.drawn {
            drawn.end_round();
        }
    }
}
