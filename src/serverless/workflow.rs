//! Workflow instances: the roots are invoked when an instance starts; when a
//! node's invocation succeeds, each outgoing edge fires (with its
//! probability, or as the draw of its exclusive choice); a node runs once
//! all its incoming edges have fired, and is skipped (with everything after
//! it) as soon as one of them does not. An instance ends when every node
//! has run or been skipped.

use petgraph::Direction;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

use crate::ir::service::ServiceId;
use crate::ir::workflow::{Edge, WorkflowId};
use crate::workload::StreamRng;

use super::invocation::Origin;
use super::run::Run;

pub struct Instance {
    pub workflow: WorkflowId,
    pub service: u32,
    pub origin: Origin,
    /// The source that started it (for its invocations' seeds).
    pub source: u32,
    /// Incoming edges of each node not resolved yet.
    waiting: Vec<u32>,
    /// Whether every resolved incoming edge of each node fired.
    fired: Vec<bool>,
    /// Nodes neither run nor skipped yet.
    left: u32,
    failed: bool,
    rng: StreamRng,
}

impl Run<'_> {
    pub(crate) fn start_workflow(&mut self, f: u32, w: WorkflowId, service: u32, origin: Origin) {
        let graph = &self.model.workflows[w.0 as usize].graph;
        let waiting: Vec<u32> = graph
            .node_indices()
            .map(|n| graph.neighbors_directed(n, Direction::Incoming).count() as u32)
            .collect();
        let source = &mut self.sources[f as usize];
        source.issued += 1;
        let rng = StreamRng::new(super::feed::mix(self.seed ^ source.key, source.issued), "workflow");
        let instance = Instance {
            workflow: w,
            service,
            origin,
            source: f,
            fired: vec![true; waiting.len()],
            left: waiting.len() as u32,
            waiting,
            failed: false,
            rng,
        };
        let id = match self.free_instances.pop() {
            Some(i) => {
                self.instances[i as usize] = Some(instance);
                i
            }
            None => {
                self.instances.push(Some(instance));
                (self.instances.len() - 1) as u32
            }
        };
        let roots: Vec<NodeIndex> = self.model.workflows[w.0 as usize].roots().collect();
        for node in roots {
            self.run_node(id, node);
        }
    }

    fn run_node(&mut self, instance: u32, node: NodeIndex) {
        let Some(i) = self.instances[instance as usize].as_ref() else {
            return;
        };
        let (w, service, source) = (i.workflow, i.service, i.source);
        let function = self.model.workflows[w.0 as usize].graph[node];
        let reg = self.registry.declared(self.model, function, ServiceId(service));
        let origin = Origin::Workflow {
            instance,
            node: node.index() as u32,
        };
        self.request(source, reg, service, origin, None, None);
    }

    /// A node's invocation ended.
    pub(crate) fn workflow_node_done(&mut self, instance: u32, node: u32, succeeded: bool) {
        let node = NodeIndex::new(node as usize);
        let Some(i) = self.instances[instance as usize].as_mut() else {
            return;
        };
        let graph = &self.model.workflows[i.workflow.0 as usize].graph;
        i.failed |= !succeeded;
        // Which edges fire: independent chances, and one draw per choice.
        let mut outcome: Vec<(NodeIndex, bool)> = Vec::new();
        let mut choices: Vec<(u32, f64)> = Vec::new();
        for edge in graph.edges_directed(node, Direction::Outgoing) {
            let fired = succeeded
                && match *edge.weight() {
                    Edge::Chance(p) => p >= 1.0 || i.rng.uniform() < p,
                    Edge::Choice { choice, weight } => {
                        let draw = match choices.iter_mut().find(|(c, _)| *c == choice) {
                            Some((_, left)) => left,
                            None => {
                                choices.push((choice, i.rng.uniform()));
                                &mut choices.last_mut().expect("just pushed").1
                            }
                        };
                        // The first edge whose cumulated weight passes the draw fires.
                        let hit = *draw >= 0.0 && *draw < weight;
                        *draw -= weight;
                        if hit {
                            *draw = -1.0;
                        }
                        hit
                    }
                };
            outcome.push((edge.target(), fired));
        }
        self.resolve(instance, outcome);
    }

    /// Counts one node as resolved and passes its edges' outcomes on; nodes
    /// whose incoming edges are all resolved run or are skipped.
    fn resolve(&mut self, instance: u32, outcome: Vec<(NodeIndex, bool)>) {
        let mut ready = Vec::new();
        let mut skipped = Vec::new();
        {
            let Some(i) = self.instances[instance as usize].as_mut() else {
                return;
            };
            i.left -= 1;
            for (target, fired) in outcome {
                let t = target.index();
                i.waiting[t] -= 1;
                i.fired[t] &= fired;
                if i.waiting[t] == 0 {
                    if i.fired[t] {
                        ready.push(target);
                    } else {
                        skipped.push(target);
                    }
                }
            }
        }
        for target in ready {
            self.run_node(instance, target);
        }
        for target in skipped {
            let graph = &self.model.workflows
                [self.instances[instance as usize].as_ref().map_or(0, |i| i.workflow.0) as usize]
                .graph;
            let next: Vec<(NodeIndex, bool)> = graph
                .edges_directed(target, Direction::Outgoing)
                .map(|e| (e.target(), false))
                .collect();
            self.resolve(instance, next);
        }
        let finished = self.instances[instance as usize].as_ref().is_some_and(|i| i.left == 0);
        if finished {
            if let Some(i) = self.instances[instance as usize].take() {
                self.free_instances.push(instance);
                let now = self.engine.now();
                self.origin_done(i.origin, now, !i.failed);
            }
        }
    }
}
