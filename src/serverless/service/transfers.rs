//! The layer transfers of a service in flight: downloads to its head,
//! copies to a node's disk, loads into a node's RAM, each with its start
//! date. Their engine tags name the service and the entry, so each
//! completion reaches its service.

use crate::ir::function::LayerId;

use super::super::ids::{NodeId, TransferId};

/// A layer transfer in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transfer {
    Download { layer: LayerId },
    Copy { node: NodeId, layer: LayerId },
    Load { node: NodeId, layer: LayerId },
}

#[derive(Debug, Default)]
pub struct Transfers {
    entries: Vec<Option<(Transfer, f64)>>,
    free: Vec<TransferId>,
}

impl Transfers {
    /// A transfer starting at `now`.
    pub fn insert(&mut self, transfer: Transfer, now: f64) -> TransferId {
        match self.free.pop() {
            Some(t) => {
                self.entries[t.index()] = Some((transfer, now));
                t
            }
            None => {
                self.entries.push(Some((transfer, now)));
                TransferId((self.entries.len() - 1) as u32)
            }
        }
    }

    /// The transfer `t`, if in flight.
    pub fn get(&self, t: TransferId) -> Option<Transfer> {
        self.entries
            .get(t.index())
            .copied()
            .flatten()
            .map(|(transfer, _)| transfer)
    }

    /// How many transfers are in flight.
    pub fn in_flight(&self) -> usize {
        self.entries.len() - self.free.len()
    }

    /// The transfer and its start date; it leaves the table.
    pub fn take(&mut self, t: TransferId) -> Option<(Transfer, f64)> {
        let transfer = self.entries.get_mut(t.index()).and_then(Option::take)?;
        self.free.push(t);
        Some(transfer)
    }
}
