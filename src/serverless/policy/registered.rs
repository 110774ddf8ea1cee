//! Policies registered at run time under names of their own: a program
//! that uses `sls` as a library implements a policy trait
//! ([`KeepAlive`], or [`Placement`] through [`PickNode`]), registers a
//! constructor under a name in [`Policies`], and runs a script that names
//! it (`keep_alive mine`, `scheduler mine`). `check` is given the names
//! ([`Policies::names`]); the run is given the constructors
//! ([`RunOptions::policies`](crate::serverless::RunOptions::policies)). A
//! registered policy that cannot decide stops the run cleanly
//! ([`Stopper`]).

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;
use std::sync::Arc;

use crate::language::policies::{KEEP_ALIVE, PLACEMENT, Policy};
use crate::language::registered::Registered;

use super::Build;
use super::keep_alive::KeepAlive;
use super::placement::{PickNode, Placement, by_pick};

/// A keep-alive constructor: the policy of one service (or function),
/// from what [`Build`] tells of it.
pub type MakeKeepAlive = dyn Fn(&Build) -> Box<dyn KeepAlive> + Send + Sync;
/// A placement constructor: the policy of one service.
pub type MakePlacement = dyn Fn(&Build) -> Box<dyn Placement> + Send + Sync;

/// Policies registered under names a script may choose, besides the
/// built-in ones. Cheap to clone (the constructors are shared).
///
/// ```
/// use sls::policy::Policies;
/// use sls::policy::keep_alive::{Idle, KeepAlive};
///
/// /// Keeps a container twice as long on node 0 as elsewhere.
/// struct Lopsided;
///
/// impl KeepAlive for Lopsided {
///     fn keep_for(&mut self, idle: &Idle) -> f64 {
///         if idle.node_index() == 0 { 120.0 } else { 60.0 }
///     }
///     fn keeps(&self, _function: sls::policy::RegId) -> bool {
///         true
///     }
/// }
///
/// let policies = Policies::new().keep_alive("lopsided", |_build| Box::new(Lopsided));
/// assert_eq!(policies.names().keep_alive, ["lopsided"]);
/// ```
#[derive(Clone, Default)]
pub struct Policies {
    keep_alive: Vec<(String, Arc<MakeKeepAlive>)>,
    placement: Vec<(String, Arc<MakePlacement>)>,
}

impl fmt::Debug for Policies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Policies")
            .field("keep_alive", &self.names().keep_alive)
            .field("placement", &self.names().placement)
            .finish()
    }
}

impl Policies {
    /// No registered policy.
    pub fn new() -> Self {
        Policies::default()
    }

    /// Registers a keep-alive policy: `keep_alive name` in a service or a
    /// function builds one with `make` for it.
    ///
    /// # Panics
    /// If `name` cannot be registered ([`Policies::keep_alive_refused`]).
    pub fn keep_alive(
        mut self,
        name: impl Into<String>,
        make: impl Fn(&Build) -> Box<dyn KeepAlive> + Send + Sync + 'static,
    ) -> Self {
        let name = name.into();
        if let Some(why) = self.keep_alive_refused(&name) {
            panic!("{why}");
        }
        self.keep_alive.push((name, Arc::new(make)));
        self
    }

    /// Registers a placement policy: `scheduler name` in a service builds
    /// one with `make` for it.
    ///
    /// # Panics
    /// If `name` cannot be registered ([`Policies::placement_refused`]).
    pub fn placement(
        mut self,
        name: impl Into<String>,
        make: impl Fn(&Build) -> Box<dyn Placement> + Send + Sync + 'static,
    ) -> Self {
        let name = name.into();
        if let Some(why) = self.placement_refused(&name) {
            panic!("{why}");
        }
        self.placement.push((name, Arc::new(make)));
        self
    }

    /// Registers a placement policy that picks a node for each waiting
    /// invocation ([`PickNode`]); the service does the rest as for the
    /// built-in placements (it reuses an idle container there, else loads
    /// or copies the image and starts one).
    ///
    /// # Panics
    /// If `name` cannot be registered ([`Policies::placement_refused`]).
    pub fn pick_node<P: PickNode + 'static>(
        self,
        name: impl Into<String>,
        make: impl Fn(&Build) -> P + Send + Sync + 'static,
    ) -> Self {
        self.placement(name, move |build| by_pick(build, make(build)))
    }

    /// Why `name` cannot name a keep-alive policy here, if it cannot: it
    /// is not a word a script can write, or a built-in or registered
    /// keep-alive policy has it.
    pub fn keep_alive_refused(&self, name: &str) -> Option<String> {
        refused(name, "keep-alive", KEEP_ALIVE, self.keep_alive.iter().map(|(n, _)| n))
    }

    /// Why `name` cannot name a placement policy here, if it cannot (as
    /// [`Policies::keep_alive_refused`]).
    pub fn placement_refused(&self, name: &str) -> Option<String> {
        refused(name, "placement", PLACEMENT, self.placement.iter().map(|(n, _)| n))
    }

    /// The registered names, for `check` ([`crate::check::Options`]).
    pub fn names(&self) -> Registered {
        Registered {
            keep_alive: self.keep_alive.iter().map(|(n, _)| n.clone()).collect(),
            placement: self.placement.iter().map(|(n, _)| n.clone()).collect(),
        }
    }

    /// The keep-alive policy registered as `name`, built for `build`.
    pub(crate) fn make_keep_alive(&self, name: &str, build: &Build) -> Option<Box<dyn KeepAlive>> {
        let (name, make) = self.keep_alive.iter().find(|(n, _)| n == name)?;
        Some(make(&build.named(name)))
    }

    /// The placement policy registered as `name`, built for `build`.
    pub(crate) fn make_placement(&self, name: &str, build: &Build) -> Option<Box<dyn Placement>> {
        let (name, make) = self.placement.iter().find(|(n, _)| n == name)?;
        Some(make(&build.named(name)))
    }
}

/// Why `name` cannot be registered among `registered` policies of `kind`.
fn refused<'a>(
    name: &str,
    kind: &str,
    builtins: &[Policy],
    mut registered: impl Iterator<Item = &'a String>,
) -> Option<String> {
    let word = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !word || crate::language::keywords().contains(&name) {
        return Some(format!(
            "`{name}` cannot name a {kind} policy: a script names it with a word of letters, digits and `_` that is no keyword"
        ));
    }
    if builtins.iter().any(|p| p.choice.word == name) {
        return Some(format!(
            "`{name}` is a built-in {kind} policy: register yours under another name"
        ));
    }
    if registered.any(|n| n == name) {
        return Some(format!("a {kind} policy is registered as `{name}` already"));
    }
    None
}

/// Why a registered policy stopped the run: its name, the simulated date
/// and what it said.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyError {
    pub policy: String,
    /// Simulated seconds.
    pub at: f64,
    pub message: String,
    /// The expression that could not decide, for a policy written in the
    /// script (its message says when and for what); `None` for a
    /// registered policy.
    pub span: Option<crate::syntax::source::Span>,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "policy `{}` failed at {} s: {}", self.policy, self.at, self.message)
    }
}

/// The run's slot for the first registered policy's failure, checked by
/// the run after each event.
#[derive(Debug, Clone, Default)]
pub(crate) struct Failure(Rc<RefCell<Option<PolicyError>>>);

impl Failure {
    /// The first failure, once.
    pub(crate) fn take(&self) -> Option<PolicyError> {
        self.0.borrow_mut().take()
    }

    /// Whether a failure waits to be taken.
    #[inline]
    pub(crate) fn is_set(&self) -> bool {
        self.0.borrow().is_some()
    }
}

/// How a policy stops the run when it cannot decide (its
/// [`Build::stopper`]): the run ends with
/// [`RunError::Policy`](crate::serverless::RunError::Policy) once the
/// current event is handled; the policy still returns a decision, which
/// is the last one taken.
#[derive(Debug, Clone)]
pub struct Stopper {
    policy: String,
    failure: Failure,
}

impl Stopper {
    pub(crate) fn new(policy: &str, failure: &Failure) -> Self {
        Stopper {
            policy: policy.to_string(),
            failure: failure.clone(),
        }
    }

    /// Stops the run: at simulated date `at` (seconds), for `message`.
    /// The first stop of a run is the one reported.
    pub fn stop(&self, at: f64, message: impl Into<String>) {
        self.failure.0.borrow_mut().get_or_insert_with(|| PolicyError {
            policy: self.policy.clone(),
            at,
            message: message.into(),
            span: None,
        });
    }
}
