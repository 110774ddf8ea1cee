//! The two storage tiers a `greedy` pick brings an image to, RAM (a load
//! from disk) and disk (a copy from the registry), as one stage over a
//! tier: what differs between them is only which residency, transfer,
//! layer size and plan list each reads or fills.

use crate::ir::function::{ImageId, LayerId};
use crate::serverless::ids::NodeId;
use crate::serverless::node::Residency;
use crate::serverless::state::ImageSets;

use super::super::View;
use super::{Plan, Round};

/// A plan's cost under `eviction_averse` (`Plan::cost`).
pub(super) type Cost = (usize, usize, usize, usize, usize);

/// Where a later stage brings the image: RAM first, then disk.
#[derive(Debug, Clone, Copy)]
pub(super) enum Tier {
    Ram,
    Disk,
}

impl Tier {
    /// The order a pick tries them in: a load before a copy.
    pub(super) const LATER_STAGES: [Tier; 2] = [Tier::Ram, Tier::Disk];

    /// The least cost (`Plan::cost`) of a new container's plan: nothing to
    /// evict, terminate, copy or load.
    pub(super) const COLD_FLOOR: Cost = (0, 0, 0, 0, 0);

    /// The least cost of a plan bringing the image into this tier: one
    /// layer to load (copy), nothing else.
    pub(super) fn floor(self) -> Cost {
        match self {
            Tier::Ram => (0, 0, 0, 0, 1),
            Tier::Disk => (0, 0, 0, 1, 0),
        }
    }

    /// The nodes of word `i` where the service state has every layer of
    /// the image in this tier or on its way there.
    pub(super) fn arriving_words(self, sets: &ImageSets, i: usize) -> u64 {
        match self {
            Tier::Ram => sets.ram_or_loading.word(i),
            Tier::Disk => sets.disk_or_copying.word(i),
        }
    }

    /// The nodes of word `i` where the service state has the whole image
    /// in this tier (in RAM: on disk too).
    pub(super) fn image_words(self, sets: &ImageSets, i: usize) -> u64 {
        match self {
            Tier::Ram => sets.in_ram.word(i),
            Tier::Disk => sets.on_disk.word(i),
        }
    }

    /// The nodes of word `i` where, but for the round's own changes, a
    /// plan may bring the image into this tier: a load needs it on disk,
    /// and nothing is copied where every layer is on disk or on its way.
    pub(super) fn bring_words(self, sets: &ImageSets, i: usize) -> u64 {
        match self {
            Tier::Ram => sets.on_disk.word(i),
            Tier::Disk => !sets.disk_or_copying.word(i),
        }
    }

    /// Its slot in an offer's per-tier stages.
    pub(super) fn index(self) -> usize {
        self as usize
    }

    /// Whether the whole image is in this tier at `node` (in RAM means
    /// on disk too), after the round's evictions.
    pub(super) fn holds_image(self, round: &Round, view: &View, node: NodeId, image: ImageId) -> bool {
        match self {
            Tier::Ram => round.image_in_ram(view, node, image),
            Tier::Disk => round.image_on_disk(view, node, image),
        }
    }

    /// Whether `layer` is in this tier at `node`, after the round's
    /// evictions.
    fn holds(self, round: &Round, view: &View, node: NodeId, layer: LayerId) -> bool {
        match self {
            Tier::Ram => round.in_ram(view, node, layer),
            Tier::Disk => round.on_disk(view, node, layer),
        }
    }

    /// Whether `layer` is on its way into this tier at `node`.
    fn in_transit(self, view: &View, node: NodeId, layer: LayerId) -> bool {
        let node = &view.state.nodes[node.index()];
        let residency = match self {
            Tier::Ram => node.ram_state(layer),
            Tier::Disk => node.disk_state(layer),
        };
        residency == Residency::InTransit
    }

    /// Whether the round decided to bring `layer` into this tier at `node`.
    fn decided(self, round: &Round, node: NodeId, layer: LayerId) -> bool {
        match self {
            Tier::Ram => round.overlay.decided_load(node, layer),
            Tier::Disk => round.overlay.decided_copy(node, layer),
        }
    }

    /// Whether every layer of the image is in this tier at `node`, on its
    /// way there, or decided this round, but not all of them are there:
    /// a wait stage.
    pub(super) fn arriving(self, round: &Round, view: &View, node: NodeId, image: ImageId) -> bool {
        !self.holds_image(round, view, node, image)
            && Round::layers(view, image).iter().all(|l| {
                self.holds(round, view, node, *l) || self.in_transit(view, node, *l) || self.decided(round, node, *l)
            })
    }

    /// The layers of the image to bring into this tier at `node` (neither
    /// there nor on their way).
    pub(super) fn missing(self, round: &Round, view: &View, node: NodeId, image: ImageId) -> Vec<LayerId> {
        Round::layers(view, image)
            .iter()
            .copied()
            .filter(|l| !self.holds(round, view, node, *l) && !self.in_transit(view, node, *l))
            .collect()
    }

    /// The room `layers` take in this tier, as (RAM, disk) bytes.
    pub(super) fn room(self, view: &View, layers: &[LayerId]) -> (f64, f64) {
        match self {
            Tier::Ram => (layers.iter().map(|l| view.registry.layer_ram[l.0 as usize]).sum(), 0.0),
            Tier::Disk => (0.0, layers.iter().map(|l| view.registry.layer_size[l.0 as usize]).sum()),
        }
    }

    /// A plan at `node` that brings `layers` into this tier.
    pub(super) fn plan(self, node: NodeId, layers: Vec<LayerId>) -> Plan {
        match self {
            Tier::Ram => Plan {
                node,
                load: layers,
                ..Plan::default()
            },
            Tier::Disk => Plan {
                node,
                copy: layers,
                ..Plan::default()
            },
        }
    }
}
