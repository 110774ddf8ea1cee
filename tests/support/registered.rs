//! A placement registered through the library, as a researcher's own,
//! for the generated scenarios (`scenario`): the scripts are checked with
//! its name registered and run with it.

/// The name of [`Wanderer`], a placement the scenarios may choose.
pub const WANDERER: &str = "wanderer";

/// A placement registered through the library, as a researcher's own
/// (`sls::policy::PickNode`): each invocation to a node drawn from its id
/// and the date, with a free slot or not, up or down (or none: it waits).
/// No built-in placement acts on a node without a free slot; this one
/// brings images to busy and failed nodes and leaves invocations waiting
/// there until a later round draws a free node.
struct Wanderer;

impl sls::policy::PickNode for Wanderer {
    fn pick(&mut self, choosing: &sls::policy::Choosing) -> Option<usize> {
        let id = choosing.invocation().unwrap_or(u64::MAX);
        let mut h = id.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ choosing.now().to_bits();
        h ^= h >> 29;
        h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
        h ^= h >> 32;
        let node = (h % (choosing.nodes() as u64 + 1)) as usize;
        (node < choosing.nodes()).then_some(node)
    }
}

/// The policies the scenarios' scripts may name beside the built-in ones,
/// for their check and their runs.
pub fn policies() -> sls::policy::Policies {
    sls::policy::Policies::new().pick_node(WANDERER, |_| Wanderer)
}

/// The options of a scenario's run: its registered policies.
pub fn run_options() -> sls::serverless::RunOptions {
    sls::serverless::RunOptions {
        policies: policies(),
        ..Default::default()
    }
}
