//! What a scheduler has already promised within one round: slots claimed,
//! containers claimed, layers it decided to copy or load. Node choices
//! later in the round see the system as it will be once those decisions
//! apply, as WRENCH's schedulers do with their scheduling-state copy. Also
//! the classic choice of a node by passes and its translation into
//! decisions, shared by the classic schedulers.

mod alike;
mod kept_prefix;
mod waiting_words;

pub use alike::Room;
pub use kept_prefix::KeptPrefix;

use crate::ir::function::{ImageId, LayerId};

use super::{Decisions, Dispatch, Pending, Site, View};
use crate::serverless::ids::{KeyId, NodeId};
use crate::serverless::node::Residency;
use crate::serverless::nodeset::NodeSet;
use crate::serverless::nodeset::watched::WatchedNodeSet;
use crate::serverless::state::{ContainerId, ServiceState};
use waiting_words::WaitingWords;

#[derive(Debug, Default)]
pub struct Overlay {
    /// Nodes with a slot not yet claimed this round: the others have
    /// none left, whatever `claimed` counts (a run of claims, see
    /// [`Overlay::decide_alike`], takes one-slot nodes out of it without
    /// counting them there).
    pub free: NodeSet,
    claimed: Vec<u32>,
    touched: Vec<NodeId>,
    loading: Vec<(NodeId, LayerId)>,
    copying: Vec<(NodeId, LayerId)>,
    /// Images whose loads (copies) this round decided, per node: nodes
    /// where the image is on its way though the service state does not
    /// show it yet.
    loading_images: Vec<(NodeId, ImageId)>,
    copying_images: Vec<(NodeId, ImageId)>,
    containers: Vec<ContainerId>,
    /// Prewarming containers among them.
    prewarming_claimed: u32,
    /// Nodes where the round decided a new container.
    cold_starts: Vec<NodeId>,
    /// Free slots left this round, over all nodes.
    pub total_free: u64,
    /// Where entries only wait for their image, kept across rounds.
    waiting: WaitingWords,
    /// How many nodes the round took out of `free` other than by claims
    /// listed in `touched` (runs of them): unless the kept prefix read
    /// counted them all as its own ([`KeptPrefix::taken_in_walk`]), its
    /// count of the round's free nodes is read word by word.
    unlisted: usize,
    /// Rounds begun, to tell a kept prefix's takes of this round.
    round: u64,
    /// The service's free nodes as the kept prefixes (`kept_prefix.rs`)
    /// last read them, listing the words changed since: the service's set
    /// is not watched, its changes being on every loaded dispatch's path.
    service_free: WatchedNodeSet,
}

/// A node chosen by a classic pass, with the container to reuse.
#[derive(Debug, Clone, Copy)]
pub struct Choice {
    pub node: NodeId,
    pub pass: Pass,
    pub container: Option<ContainerId>,
}

/// Which classic pass found a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    IdleContainer,
    PrewarmingContainer,
    InRam,
    Loading,
    OnDisk,
    Copying,
    AnyFree,
}

impl Pass {
    /// Whether the pass runs the invocation at once (a dispatch), rather
    /// than waiting for or deciding an image transfer.
    pub fn runs_at_once(self) -> bool {
        matches!(self, Pass::IdleContainer | Pass::PrewarmingContainer | Pass::InRam)
    }
}

impl Overlay {
    pub fn new(nodes: usize) -> Self {
        Overlay {
            free: NodeSet::new(nodes),
            claimed: vec![0; nodes],
            ..Overlay::default()
        }
    }

    /// Starts a round over the current state.
    pub fn begin(&mut self, state: &ServiceState) {
        for n in self.touched.drain(..) {
            self.claimed[n.index()] = 0;
        }
        self.free.copy_from(&state.free_slot_nodes);
        self.loading.clear();
        self.copying.clear();
        self.loading_images.clear();
        self.copying_images.clear();
        self.containers.clear();
        self.prewarming_claimed = 0;
        self.cold_starts.clear();
        self.total_free = state.total_free_slots;
        self.unlisted = 0;
        self.round += 1;
    }

    /// The nodes the round claimed slots of one at a time (not in runs).
    pub fn claimed_nodes(&self) -> &[NodeId] {
        &self.touched
    }

    /// Whether the round took nodes out of `free` in runs, unlisted in
    /// [`claimed_nodes`](Self::claimed_nodes).
    pub fn claimed_in_runs(&self) -> bool {
        self.unlisted > 0
    }

    pub fn free_slots(&self, state: &ServiceState, node: NodeId) -> u32 {
        if !self.free.contains(node) {
            return 0;
        }
        state.nodes[node.index()]
            .free_slots
            .saturating_sub(self.claimed[node.index()])
    }

    /// Claims one slot of `node` for the rest of the round.
    pub fn claim(&mut self, state: &ServiceState, node: NodeId) {
        self.claim_slots(state, node, 1);
    }

    /// Claims `count` slots of `node` (free this round) for the rest of
    /// the round.
    fn claim_slots(&mut self, state: &ServiceState, node: NodeId, count: u32) {
        if self.claimed[node.index()] == 0 {
            self.touched.push(node);
        }
        self.claimed[node.index()] += count;
        self.total_free = self.total_free.saturating_sub(u64::from(count));
        if self.free_slots(state, node) == 0 {
            self.free.remove(node);
        }
    }

    /// Claims every free slot of the nodes with `image` in RAM, as the
    /// entries a round passes unseen would have (`doomed.rs`).
    pub fn claim_nodes_in_ram(&mut self, state: &ServiceState, image: ImageId) {
        let in_ram = &state.images[image.0 as usize].in_ram;
        let nodes: Vec<NodeId> = self.free.iter().filter(|n| in_ram.contains(*n)).collect();
        for node in nodes {
            let slots = self.free_slots(state, node);
            if self.claimed[node.index()] == 0 {
                self.touched.push(node);
            }
            self.claimed[node.index()] += slots;
            self.total_free = self.total_free.saturating_sub(u64::from(slots));
            self.free.remove(node);
        }
    }

    pub fn claim_container(&mut self, container: ContainerId) {
        self.containers.push(container);
    }

    /// Claims a prewarming container (it comes with its own slot).
    pub fn claim_prewarming(&mut self, container: ContainerId) {
        self.claim_container(container);
        self.prewarming_claimed += 1;
    }

    /// Whether the round can place nothing more: no slot is left, and
    /// every prewarming container (which brings its own) is claimed.
    pub fn nothing_left(&self, state: &ServiceState) -> bool {
        self.total_free == 0 && self.prewarming_claimed == state.unclaimed_prewarms
    }

    pub fn container_claimed(&self, container: ContainerId) -> bool {
        self.containers.contains(&container)
    }

    /// Whether this round decided to load `layer` at `node`.
    pub fn decided_load(&self, node: NodeId, layer: LayerId) -> bool {
        self.loading.contains(&(node, layer))
    }

    /// Whether this round decided to copy `layer` to `node`.
    pub fn decided_copy(&self, node: NodeId, layer: LayerId) -> bool {
        self.copying.contains(&(node, layer))
    }

    fn loading(&self, state: &ServiceState, node: NodeId, layer: LayerId) -> bool {
        state.nodes[node.index()].ram_state(layer) != Residency::Absent || self.loading.contains(&(node, layer))
    }

    fn copying(&self, state: &ServiceState, node: NodeId, layer: LayerId) -> bool {
        state.nodes[node.index()].disk_state(layer) != Residency::Absent || self.copying.contains(&(node, layer))
    }

    fn layers<'v>(view: &'v View, image: ImageId) -> &'v [LayerId] {
        &view.registry.image_layers[image.0 as usize]
    }

    /// Every layer of `image` in RAM at `node` or on its way there.
    pub fn ram_or_loading(&self, view: &View, node: NodeId, image: ImageId) -> bool {
        Self::layers(view, image)
            .iter()
            .all(|l| self.loading(view.state, node, *l))
    }

    /// Every layer of `image` on `node`'s disk or on its way there.
    pub fn disk_or_copying(&self, view: &View, node: NodeId, image: ImageId) -> bool {
        Self::layers(view, image)
            .iter()
            .all(|l| self.copying(view.state, node, *l))
    }

    /// Decides loads of the layers of `image` not in RAM nor loading at `node`.
    pub fn load(&mut self, view: &View, node: NodeId, image: ImageId, out: &mut Decisions) {
        self.loading_images.push((node, image));
        for l in Self::layers(view, image) {
            if !self.loading(view.state, node, *l) {
                self.loading.push((node, *l));
                out.load.push((node, *l));
            }
        }
    }

    /// Decides copies of the layers of `image` not on disk nor copying at `node`.
    pub fn copy(&mut self, view: &View, node: NodeId, image: ImageId, out: &mut Decisions) {
        self.copying_images.push((node, image));
        for l in Self::layers(view, image) {
            if !self.copying(view.state, node, *l) {
                self.copying.push((node, *l));
                out.copy.push((node, *l));
            }
        }
    }

    /// [`classic_choice`](Self::classic_choice) for an invocation alone in
    /// a round (nothing claimed yet), when its pass runs it at once; the
    /// other passes decide transfers, left to a full round. Nothing is
    /// claimed, so the service's own sets stand for the round's.
    pub fn lone_placement(view: &View, p: &Pending) -> Option<Site> {
        let state = view.state;
        // A full round would stop at once (no slot, no prewarm to take).
        if state.total_free_slots == 0 && state.unclaimed_prewarms == 0 {
            return None;
        }
        let choice = runs_at_once(state, p, &state.free_slot_nodes, &[])?;
        Some(Site {
            node: choice.node,
            container: choice.container,
        })
    }

    /// WRENCH's classic node choice: the first node in list order, by
    /// passes (idle container, image in RAM, loading, on disk, copying, any
    /// free slot); a prewarming container comes right after idle ones.
    pub fn classic_choice(&self, view: &View, p: &Pending) -> Option<Choice> {
        let state = view.state;
        if let Some(choice) = runs_at_once(state, p, &self.free, &self.containers) {
            return Some(choice);
        }
        let sets = &state.images[p.image.0 as usize];
        // The image on its way to RAM: in the service state, or by a load
        // decided earlier in this round (on the image or a layer it shares).
        let loading = sets.ram_or_loading.first_common(&self.free);
        let decided = self.first_decided(&self.loading_images, p.image, |n| self.ram_or_loading(view, n, p.image));
        if let Some(node) = earliest(loading, decided) {
            return Some(Choice {
                node,
                pass: Pass::Loading,
                container: None,
            });
        }
        if let Some(node) = sets.on_disk.first_common(&self.free) {
            return Some(Choice {
                node,
                pass: Pass::OnDisk,
                container: None,
            });
        }
        let copying = sets.disk_or_copying.first_common(&self.free);
        let decided = self.first_decided(&self.copying_images, p.image, |n| {
            self.disk_or_copying(view, n, p.image)
        });
        if let Some(node) = earliest(copying, decided) {
            return Some(Choice {
                node,
                pass: Pass::Copying,
                container: None,
            });
        }
        self.free.first().map(|node| Choice {
            node,
            pass: Pass::AnyFree,
            container: None,
        })
    }

    /// Whether an idle or prewarming container of `p`'s key is not
    /// claimed this round: what an invocation of its registration would
    /// take (the first passes of the classic choice), whatever `p` is.
    pub fn has_container_for(&self, state: &ServiceState, p: &Pending) -> bool {
        first_idle_among(state, p.key, &self.free, &self.containers).is_some()
            || first_prewarming_among(state, p.key, &self.containers).is_some()
    }

    /// [`ServiceState::cold_start_fails_inertly`] once the containers
    /// this round took are busy.
    pub fn cold_start_fails_inertly(&self, view: &View, node: NodeId, p: &Pending) -> bool {
        let state = view.state;
        !self.may_evict_a_take(state, node)
            && state.cold_start_fails_inertly(view.registry, node, p.ram, p.disk, &self.containers)
    }

    /// Whether a new container the round decided at `node` may make its
    /// room by evicting an idle container the round took there: the
    /// service, which does not see the round's claims, may then refuse the
    /// take, and the RAM the round counted as taken is free again.
    fn may_evict_a_take(&self, state: &ServiceState, node: NodeId) -> bool {
        !self.containers.is_empty()
            && self.cold_starts.contains(&node)
            && self.containers.iter().any(|c| state.containers[c.index()].node == node)
    }

    /// The first free node where this round decided transfers that make
    /// `image` complete (`complete` checks it layer by layer).
    fn first_decided(
        &self,
        decided: &[(NodeId, ImageId)],
        image: ImageId,
        complete: impl Fn(NodeId) -> bool,
    ) -> Option<NodeId> {
        decided
            .iter()
            .filter(|(n, i)| self.free.contains(*n) && (*i == image || complete(*n)))
            .map(|(n, _)| *n)
            .min()
    }

    /// The classic decision for `p` at a node chosen by the policy: the
    /// node's first pass (idle container, image in RAM, loading, on disk,
    /// copying, any slot) decides; a node without a free slot only gets
    /// the copy or load that brings the image closer.
    pub fn act_at(&mut self, view: &View, p: &Pending, index: u32, node: NodeId, out: &mut Decisions) {
        let state = view.state;
        let free = self.free_slots(state, node) > 0;
        let (pass, container) = if let Some(c) = state
            .idle_container(node, p.key)
            .filter(|c| p.takes_existing() && !self.container_claimed(*c))
        {
            (Pass::IdleContainer, Some(c))
        } else if state.images[p.image.0 as usize].in_ram.contains(node) {
            (Pass::InRam, None)
        } else if self.ram_or_loading(view, node, p.image) {
            (Pass::Loading, None)
        } else if state.images[p.image.0 as usize].on_disk.contains(node) {
            (Pass::OnDisk, None)
        } else if self.disk_or_copying(view, node, p.image) {
            (Pass::Copying, None)
        } else {
            (Pass::AnyFree, None)
        };
        match (pass, free) {
            (_, true) => self.classic_act(view, p, index, Choice { node, pass, container }, out),
            (Pass::OnDisk, false) => self.load(view, node, p.image, out),
            (Pass::AnyFree, false) => self.copy(view, node, p.image, out),
            _ => {}
        }
    }

    /// Busy slots of `node`, counting those claimed this round.
    pub fn busy_slots(&self, state: &ServiceState, node: NodeId) -> u32 {
        state.nodes[node.index()].slots - self.free_slots(state, node)
    }

    /// The classic translation of a node choice into decisions; claims the slot.
    pub fn classic_act(&mut self, view: &View, p: &Pending, index: u32, choice: Choice, out: &mut Decisions) {
        let Choice { node, pass, container } = choice;
        match pass {
            Pass::PrewarmingContainer | Pass::IdleContainer | Pass::InRam => {
                match container {
                    Some(c) if pass == Pass::PrewarmingContainer => self.claim_prewarming(c),
                    Some(c) => self.claim_container(c),
                    None => self.cold_starts.push(node),
                }
                out.dispatch.push(Dispatch {
                    waiting: p.waiting,
                    index,
                    node,
                    container,
                });
                // A prewarming container comes with its own slot.
                if pass == Pass::PrewarmingContainer {
                    return;
                }
            }
            Pass::Loading | Pass::Copying => {}
            Pass::OnDisk => self.load(view, node, p.image, out),
            Pass::AnyFree => self.copy(view, node, p.image, out),
        }
        self.claim(view.state, node);
    }
}

/// The classic passes that run an invocation at once, in their order: an
/// idle container, a prewarming one (it comes with its own slot), the
/// image in RAM; among the nodes of `free`, containers of `claimed` aside.
/// A prewarm request starts a container of its own: the image in RAM.
fn runs_at_once(state: &ServiceState, p: &Pending, free: &NodeSet, claimed: &[ContainerId]) -> Option<Choice> {
    if p.takes_existing() {
        if let Some((node, c)) = first_idle_among(state, p.key, free, claimed) {
            return Some(Choice {
                node,
                pass: Pass::IdleContainer,
                container: Some(c),
            });
        }
        if let Some((node, c)) = first_prewarming_among(state, p.key, claimed) {
            return Some(Choice {
                node,
                pass: Pass::PrewarmingContainer,
                container: Some(c),
            });
        }
    }
    let node = state.images[p.image.0 as usize].in_ram.first_common(free)?;
    Some(Choice {
        node,
        pass: Pass::InRam,
        container: None,
    })
}

/// The first node of `free` (list order) with an idle container of `key`
/// not in `claimed`, and that container (the oldest, if several).
#[inline]
pub fn first_idle_among(
    state: &ServiceState,
    key: KeyId,
    free: &NodeSet,
    claimed: &[ContainerId],
) -> Option<(NodeId, ContainerId)> {
    // A sandbox serves any number of invocations at once, so a claimed
    // one still serves (tested second: claims are rare, and the
    // container's flag costs a memory access).
    state.first_idle_among(key, free, |c| {
        !claimed.contains(c) || state.containers[c.index()].shared
    })
}

/// The first node with a prewarming container of `key` not in `claimed`.
fn first_prewarming_among(state: &ServiceState, key: KeyId, claimed: &[ContainerId]) -> Option<(NodeId, ContainerId)> {
    // Nearly every run has none, and the key's row of nodes is then a
    // cache miss (one per cold start with thousands of functions) to learn
    // nothing.
    if state.unclaimed_prewarms == 0 {
        return None;
    }
    let nodes = state.prewarming_nodes.non_empty(key)?;
    nodes.iter().find_map(|node| {
        state
            .prewarming_container(node, key)
            .filter(|c| !claimed.contains(c))
            .map(|c| (node, c))
    })
}

fn earliest(a: Option<NodeId>, b: Option<NodeId>) -> Option<NodeId> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}
