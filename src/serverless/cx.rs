//! What a component's handler may reach besides its own state: the shared
//! world, the outbox, and the workflow instances (a body fetches its inputs
//! from them before its steps, in the same call).

use super::outbox::Outbox;
use super::workflow::Workflows;
use super::world::World;

pub struct Cx<'a, 'm> {
    pub world: &'a mut World<'m>,
    pub flows: &'a mut Workflows,
    pub out: &'a mut Outbox,
}
