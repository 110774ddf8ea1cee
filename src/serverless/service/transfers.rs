//! The layer transfers of a service in flight: downloads to its head,
//! copies to a node's disk, loads into a node's RAM. Their engine tags name
//! the service and the entry, so each completion reaches its service.

use crate::ir::function::LayerId;

use super::super::ids::{NodeId, TransferId};

/// A layer transfer in flight.
#[derive(Debug, Clone, Copy)]
pub enum Transfer {
    Download { layer: LayerId },
    Copy { node: NodeId, layer: LayerId },
    Load { node: NodeId, layer: LayerId },
}

#[derive(Debug, Default)]
pub struct Transfers {
    entries: Vec<Option<Transfer>>,
    free: Vec<TransferId>,
}

impl Transfers {
    pub fn insert(&mut self, transfer: Transfer) -> TransferId {
        match self.free.pop() {
            Some(t) => {
                self.entries[t.index()] = Some(transfer);
                t
            }
            None => {
                self.entries.push(Some(transfer));
                TransferId((self.entries.len() - 1) as u32)
            }
        }
    }

    /// The transfer, which leaves the table.
    pub fn take(&mut self, t: TransferId) -> Option<Transfer> {
        let transfer = self.entries.get_mut(t.index()).and_then(Option::take)?;
        self.free.push(t);
        Some(transfer)
    }
}
