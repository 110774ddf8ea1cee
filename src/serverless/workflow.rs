//! Workflow instances. The roots are invoked when an instance starts; when
//! a node's invocation succeeds, each outgoing edge fires (with its
//! probability, or as the draw of its exclusive choice); a node runs once
//! all its incoming edges have fired, and is skipped (with everything after
//! it) as soon as one does not. The trigger of a node travels on the
//! service's message bus — a host's local bus when the next function can
//! run in the same application sandbox (SAND's fast path), the global bus
//! otherwise — and the node, once started, fetches its predecessors'
//! outputs from the local data layer (same host) or the global one (kept on
//! the service's head host: the data goes up to it and down from it over
//! the platform's network). An instance ends when every node has run or
//! been skipped.
//!
//! The component owns the instances and the input fetches in flight; it
//! asks for invocations (and tells their origin) through the outbox.

use petgraph::Direction;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

use crate::engine::{Activity, HostId};
use crate::ir::service::{BusKind, Granularity, ServiceId};
use crate::ir::workflow::{Edge, WorkflowId};
use crate::report::{Channel, EdgeRecord, WorkflowRecord};
use crate::workload::StreamRng;

use super::ids::{FlowNode, InstanceId, NodeId, SourceId};
use super::invocation::InvocationHandle;

use super::invocation::{Invocation, Origin};
use super::outbox::{Effect, NodeRequest, Outbox};
use super::tag::Tag;
use super::world::World;

/// Where a node of an instance stands.
#[derive(Debug, Clone)]
struct NodeState {
    /// Incoming edges not resolved yet, and whether all resolved ones fired.
    waiting: u32,
    fired: bool,
    /// Where it ran (service node index and host), what it output, when it ended.
    ran_on: Option<(NodeId, HostId)>,
    output: f64,
    end: f64,
    /// The predecessor whose completion made it ready (critical path).
    trigger: Option<FlowNode>,
    /// When the trigger left the bus, which bus, and the node it is bound to
    /// when it came over a local bus.
    delivered: f64,
    bus: Channel,
    local: Option<NodeId>,
}

pub struct Instance {
    id: u64,
    workflow: WorkflowId,
    service: ServiceId,
    origin: Origin,
    /// The source that started it (for its invocations' seeds).
    source: SourceId,
    start: f64,
    nodes: Vec<NodeState>,
    /// Nodes neither run nor skipped yet, and the tallies.
    left: u32,
    ran: u32,
    skipped: u32,
    failed: bool,
    rng: StreamRng,
}

/// An invocation's inputs being fetched: edges and how their data moves.
pub struct Fetch {
    pending: u32,
    edges: Vec<EdgeRecord>,
    activities: Vec<crate::engine::ActivityId>,
}

/// The workflow instances of a run.
#[derive(Default)]
pub struct Workflows {
    instances: Vec<Option<Instance>>,
    free_instances: Vec<InstanceId>,
    /// Instances started so far (their ids in `workflows.csv`).
    next_instance: u64,
    /// Workflow invocations fetching their inputs.
    fetches: rustc_hash::FxHashMap<InvocationHandle, Fetch>,
    /// Triggers sent over the buses.
    pub bus: crate::report::BusCounts,
}

impl Workflows {
    /// Starts an instance of `w` for source `f`; `seed` seeds its draws.
    #[allow(clippy::too_many_arguments)]
    pub fn start(
        &mut self,
        world: &mut World,
        out: &mut Outbox,
        f: SourceId,
        seed: u64,
        w: WorkflowId,
        service: ServiceId,
        origin: Origin,
    ) {
        let now = world.now();
        let graph = &world.model.workflows[w.0 as usize].graph;
        let nodes: Vec<NodeState> = graph
            .node_indices()
            .map(|n| NodeState {
                waiting: graph.neighbors_directed(n, Direction::Incoming).count() as u32,
                fired: true,
                ran_on: None,
                output: 0.0,
                end: now,
                trigger: None,
                delivered: now,
                bus: Channel::Global,
                local: None,
            })
            .collect();
        let rng = StreamRng::new(seed, "workflow");
        let instance = Instance {
            id: self.next_instance,
            workflow: w,
            service,
            origin,
            source: f,
            start: now,
            left: nodes.len() as u32,
            nodes,
            ran: 0,
            skipped: 0,
            failed: false,
            rng,
        };
        self.next_instance += 1;
        let id = match self.free_instances.pop() {
            Some(i) => {
                self.instances[i.index()] = Some(instance);
                i
            }
            None => {
                self.instances.push(Some(instance));
                InstanceId((self.instances.len() - 1) as u32)
            }
        };
        for node in world.model.workflows[w.0 as usize].roots() {
            self.trigger_delivered(world, out, id, FlowNode(node.index() as u32));
        }
    }

    /// The id (in `workflows.csv`) of an instance in flight.
    pub fn instance_id(&self, instance: InstanceId) -> Option<u64> {
        self.instances.get(instance.index())?.as_ref().map(|i| i.id)
    }

    /// A node's trigger is off the bus: its invocation is requested.
    pub fn trigger_delivered(&mut self, world: &mut World, out: &mut Outbox, instance: InstanceId, node: FlowNode) {
        let now = world.now();
        let Some(i) = self.instances[instance.index()].as_mut() else {
            return;
        };
        let state = &mut i.nodes[node.index()];
        state.delivered = now;
        let (w, service, source, local) = (i.workflow, i.service, i.source, state.local);
        let function = world.model.workflows[w.0 as usize].graph[NodeIndex::new(node.index())];
        let reg = world.registry.declared(world.model, function, service);
        out.push(Effect::Request(NodeRequest {
            source,
            reg,
            service,
            origin: Origin::Workflow { instance, node },
            local,
        }));
    }

    /// A node's invocation ended: its successors' edges resolve.
    pub fn node_done(
        &mut self,
        world: &mut World,
        out: &mut Outbox,
        instance: InstanceId,
        node: FlowNode,
        invocation: &Invocation,
    ) {
        let succeeded = invocation.cause.is_none();
        let nodes = &world.settings[invocation.service.index()].nodes;
        let ran_on = invocation.node.map(|n| (n, nodes[n.index()].host));
        let Some(i) = self.instances[instance.index()].as_mut() else {
            return;
        };
        let state = &mut i.nodes[node.index()];
        state.ran_on = ran_on;
        state.output = invocation.body.output;
        state.end = invocation.finish;
        i.ran += 1;
        i.failed |= !succeeded;
        let graph = &world.model.workflows[i.workflow.0 as usize].graph;
        // Which edges fire: independent chances, and one draw per choice.
        let mut outcome: Vec<(NodeIndex, bool)> = Vec::new();
        let mut choices: Vec<(u32, f64)> = Vec::new();
        for edge in graph.edges_directed(NodeIndex::new(node.index()), Direction::Outgoing) {
            let fired = succeeded
                && match *edge.weight() {
                    Edge::Chance(p) => p >= 1.0 || i.rng.uniform() < p,
                    Edge::Choice { choice, weight } => {
                        // The draw of a choice, minus the weights of the
                        // edges already passed: the edge it falls in fires.
                        let left = match choices.iter_mut().find(|(c, _)| *c == choice) {
                            Some((_, left)) => left,
                            None => {
                                choices.push((choice, i.rng.uniform()));
                                &mut choices.last_mut().expect("just pushed").1
                            }
                        };
                        let hit = (0.0..weight).contains(left);
                        *left = if hit { -1.0 } else { *left - weight };
                        hit
                    }
                };
            outcome.push((edge.target(), fired));
        }
        self.resolve(world, out, instance, Some(node), outcome);
    }

    /// Counts one node as resolved and passes its edges' outcomes on:
    /// targets whose incoming edges are all resolved are triggered or
    /// skipped. The triggers' requests, the skipped nodes and the end check
    /// go out as effects, in that order, so that what a trigger starts at
    /// once comes before them, as in a program that would call each in turn.
    fn resolve(
        &mut self,
        world: &mut World,
        out: &mut Outbox,
        instance: InstanceId,
        from: Option<FlowNode>,
        outcome: Vec<(NodeIndex, bool)>,
    ) {
        let mut ready = Vec::new();
        let mut skipped = Vec::new();
        {
            let Some(i) = self.instances[instance.index()].as_mut() else {
                return;
            };
            i.left -= 1;
            for (target, fired) in outcome {
                let t = &mut i.nodes[target.index()];
                t.waiting -= 1;
                t.fired &= fired;
                if t.waiting == 0 {
                    let target = FlowNode(target.index() as u32);
                    if t.fired {
                        t.trigger = from;
                        ready.push(target);
                    } else {
                        skipped.push(target);
                    }
                }
            }
        }
        for target in ready {
            self.send_trigger(world, out, instance, target);
        }
        for target in skipped {
            out.push(Effect::Skipped(instance, target));
        }
        out.push(Effect::FinishIfDone(instance));
    }

    /// A skipped node counts as resolved, and so do its outgoing edges, unfired.
    pub fn skipped(&mut self, world: &mut World, out: &mut Outbox, instance: InstanceId, node: FlowNode) {
        let Some(i) = self.instances[instance.index()].as_mut() else {
            return;
        };
        i.skipped += 1;
        let graph = &world.model.workflows[i.workflow.0 as usize].graph;
        let next: Vec<(NodeIndex, bool)> = graph
            .edges_directed(NodeIndex::new(node.index()), Direction::Outgoing)
            .map(|e| (e.target(), false))
            .collect();
        self.resolve(world, out, instance, None, next);
    }

    /// Ends an instance once every node has run or been skipped.
    pub fn finish_if_done(&mut self, world: &mut World, out: &mut Outbox, instance: InstanceId) {
        if self.instances[instance.index()].as_ref().is_some_and(|i| i.left == 0) {
            self.finish_instance(world, out, instance);
        }
    }

    /// Puts a ready node's trigger on the bus: the host's local bus when the
    /// node can run in the sandbox its trigger ran in, the global bus
    /// (through the host agent, for a hierarchical bus) otherwise.
    fn send_trigger(&mut self, world: &mut World, out: &mut Outbox, instance: InstanceId, node: FlowNode) {
        let Some(i) = self.instances[instance.index()].as_mut() else {
            return;
        };
        let settings = &world.settings[i.service.index()];
        let graph = &world.model.workflows[i.workflow.0 as usize].graph;
        let app_of = |n: FlowNode| &world.model.functions[graph[NodeIndex::new(n.index())].0 as usize].app;
        let trigger = i.nodes[node.index()].trigger;
        let local_node = trigger.and_then(|t| {
            let same_app = app_of(t) == app_of(node);
            let local = settings.bus.kind == BusKind::Hierarchical
                && settings.granularity == Granularity::PerApplication
                && same_app;
            local.then_some(i.nodes[t.index()].ran_on.map(|(n, _)| n)).flatten()
        });
        let bus = &settings.bus;
        let delay = match (local_node, bus.kind) {
            (Some(_), _) => bus.local_latency + bus.local_per_message,
            (None, BusKind::Hierarchical) if trigger.is_some() => {
                bus.agent_forward + bus.global_latency + bus.global_per_message
            }
            (None, _) => bus.global_latency + bus.global_per_message,
        };
        if local_node.is_some() {
            self.bus.local += 1;
            self.bus.backup += bus.backup as u64;
        } else if trigger.is_some() {
            self.bus.global += 1;
        }
        let state = &mut i.nodes[node.index()];
        state.local = local_node;
        state.bus = if local_node.is_some() {
            Channel::Local
        } else {
            Channel::Global
        };
        if delay > 0.0 {
            // After the requests of the triggers sent before it.
            out.push(Effect::Timer(delay, Tag::Trigger(instance, node)));
        } else {
            self.trigger_delivered(world, out, instance, node);
        }
    }

    fn finish_instance(&mut self, world: &mut World, out: &mut Outbox, instance: InstanceId) {
        let Some(i) = self.instances[instance.index()].take() else {
            return;
        };
        self.free_instances.push(instance);
        let graph = &world.model.workflows[i.workflow.0 as usize].graph;
        // The critical path ends at the node that ended last and follows
        // each node's trigger back.
        let last = (0..i.nodes.len())
            .filter(|n| i.nodes[*n].ran_on.is_some())
            .max_by(|a, b| i.nodes[*a].end.total_cmp(&i.nodes[*b].end));
        // Its outcome is known when its last node's is, whether or not
        // that node ran on a host (one refused or never run ends too).
        let end = i.nodes.iter().map(|n| n.end).fold(i.start, f64::max);
        let mut path = Vec::new();
        let mut at = last.map(|n| FlowNode(n as u32));
        while let Some(n) = at {
            let function = graph[NodeIndex::new(n.index())];
            let reg = world.registry.declared(world.model, function, i.service);
            path.push(reg.0);
            at = i.nodes[n.index()].trigger;
        }
        path.reverse();
        let record = WorkflowRecord {
            instance: i.id,
            workflow: i.workflow.0,
            service: i.service.0,
            start: i.start,
            end,
            succeeded: !i.failed,
            ran: i.ran,
            skipped: i.skipped,
            critical_path: path,
        };
        world.write_workflow(record);
        out.push(Effect::OriginDone(i.origin, end));
    }

    /// Starts fetching a workflow invocation's inputs (its predecessors'
    /// outputs); returns false when there is nothing to wait for.
    pub fn fetch_inputs(&mut self, world: &mut World, handle: InvocationHandle) -> bool {
        let now = world.now();
        let Some(inv) = world.invocations.get(handle) else {
            return false;
        };
        let Origin::Workflow { instance, node } = inv.origin else {
            return false;
        };
        let (s, my_node) = (inv.service, inv.node);
        let Some(i) = self.instances[instance.index()].as_ref() else {
            return false;
        };
        let settings = &world.settings[s.index()];
        let my_host = my_node.map(|n| settings.nodes[n.index()].host);
        let graph = &world.model.workflows[i.workflow.0 as usize].graph;
        let me = NodeIndex::new(node.index());
        let (data, head) = (&settings.data, settings.head_host);
        let reg_of = |n: NodeIndex| graph[n];
        let mut edges = Vec::new();
        let mut activities = Vec::new();
        for pred in graph.neighbors_directed(me, Direction::Incoming) {
            let p = &i.nodes[pred.index()];
            let Some((_, from_host)) = p.ran_on else { continue };
            // Same host: the host's store, or memory when there is none; but
            // with only a global store declared, data goes through it.
            let local = Some(from_host) == my_host && (data.local.is_some() || data.global.is_none());
            let bytes = p.output;
            let channel = if local { Channel::Local } else { Channel::Global };
            let activity = match (local, bytes > 0.0) {
                (_, false) => None,
                (true, true) => data.local.as_ref().map(|layer| Activity::Sleep {
                    seconds: layer.latency + bytes / layer.bandwidth,
                }),
                (false, true) => {
                    // Through the service's global store, kept on its head
                    // host: up, (its own latency and bandwidth,) down.
                    let to = my_host.unwrap_or(from_host);
                    let mut steps = vec![Activity::Transfer {
                        src: from_host,
                        dst: head,
                        bytes,
                    }];
                    if let Some(layer) = &data.global {
                        steps.push(Activity::Sleep {
                            seconds: layer.latency + bytes / layer.bandwidth,
                        });
                    }
                    steps.push(Activity::Transfer {
                        src: head,
                        dst: to,
                        bytes,
                    });
                    Some(Activity::Sequence(steps))
                }
            };
            activities.extend(activity);
            let state = &i.nodes[node.index()];
            edges.push(EdgeRecord {
                instance: i.id,
                workflow: i.workflow.0,
                from: world.registry.declared_id(reg_of(pred), s).map_or(u32::MAX, |r| r.0),
                to: world.registry.declared_id(reg_of(me), s).map_or(u32::MAX, |r| r.0),
                bytes,
                triggered: p.end,
                delivered: state.delivered,
                data_ready: now,
                bus: if state.trigger == Some(FlowNode(pred.index() as u32)) {
                    state.bus
                } else {
                    Channel::Global
                },
                data: channel,
            });
        }
        let pending = activities.len() as u32;
        if pending == 0 {
            for e in &edges {
                world.write_edge(e);
            }
            return false;
        }
        let activities = activities
            .into_iter()
            .filter_map(|a| world.start_tracked(a, Tag::Input(handle)))
            .collect();
        self.fetches.insert(
            handle,
            Fetch {
                pending,
                edges,
                activities,
            },
        );
        true
    }

    /// Stops fetching an invocation's inputs (it timed out meanwhile).
    pub fn abandon_fetch(&mut self, world: &mut World, handle: InvocationHandle) {
        if let Some(fetch) = self.fetches.remove(&handle) {
            for a in fetch.activities {
                world.cancel_tracked(a);
            }
        }
    }

    /// One input of an invocation arrived; with the last one, its body runs.
    pub fn input_arrived(&mut self, world: &mut World, out: &mut Outbox, handle: InvocationHandle) {
        let now = world.now();
        let Some(fetch) = self.fetches.get_mut(&handle) else {
            return;
        };
        fetch.pending -= 1;
        if fetch.pending > 0 {
            return;
        }
        if let Some(fetch) = self.fetches.remove(&handle) {
            for mut e in fetch.edges {
                e.data_ready = now;
                world.write_edge(&e);
            }
        }
        out.push(Effect::RunSteps(handle));
    }
}
