//! Workflows: dependency graphs of functions (petgraph), with the
//! probability or exclusive choice on each edge.

use petgraph::graph::{DiGraph, NodeIndex};
use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

use super::function::FunctionId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct WorkflowId(pub u32);

/// A node runs when every incoming edge has fired (an AND join); roots run
/// when the workflow instance starts.
#[derive(Debug, Clone)]
pub struct Workflow {
    pub name: String,
    pub graph: DiGraph<FunctionId, Edge>,
}

/// Whether an edge fires once its source has finished.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Edge {
    /// Fires with this probability (1 for a plain edge), independently.
    Chance(f64),
    /// One of an exclusive choice: of all edges with the same `choice`, exactly
    /// one fires, this one with probability `weight`.
    Choice { choice: u32, weight: f64 },
}

impl Workflow {
    /// Nodes without predecessors, in insertion order.
    pub fn roots(&self) -> impl Iterator<Item = NodeIndex> + '_ {
        self.graph.node_indices().filter(|n| {
            self.graph
                .neighbors_directed(*n, petgraph::Direction::Incoming)
                .next()
                .is_none()
        })
    }
}

impl PartialEq for Workflow {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.graph.node_weights().eq(other.graph.node_weights())
            && self.graph.raw_edges().len() == other.graph.raw_edges().len()
            && self
                .graph
                .raw_edges()
                .iter()
                .zip(other.graph.raw_edges())
                .all(|(a, b)| a.source() == b.source() && a.target() == b.target() && a.weight == b.weight)
    }
}

/// Serialised as node and edge lists, so snapshots read plainly.
impl Serialize for Workflow {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct EdgeRow {
            from: usize,
            to: usize,
            edge: Edge,
        }
        let nodes: Vec<FunctionId> = self.graph.node_weights().copied().collect();
        let edges: Vec<EdgeRow> = self
            .graph
            .raw_edges()
            .iter()
            .map(|e| EdgeRow {
                from: e.source().index(),
                to: e.target().index(),
                edge: e.weight,
            })
            .collect();
        let mut s = serializer.serialize_struct("Workflow", 3)?;
        s.serialize_field("name", &self.name)?;
        s.serialize_field("nodes", &nodes)?;
        s.serialize_field("edges", &edges)?;
        s.end()
    }
}
