//! Policies a program registers under names of its own when it runs a
//! script through the library (`sls::policy::Policies`, or Python's
//! `sls.run(..., policies=...)`), as `check` sees them: only their names,
//! by kind. A script may choose a registered name wherever it chooses a
//! built-in policy of that kind; a registered policy takes no arguments in
//! the script (its settings are given where it is registered). The command
//! line registers none, so its diagnostics are those of the built-ins alone.

/// The registered policies' names, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Registered {
    /// Keep-alive policies (`keep_alive NAME`).
    pub keep_alive: Vec<String>,
    /// Placement policies (`scheduler NAME`).
    pub placement: Vec<String>,
}
