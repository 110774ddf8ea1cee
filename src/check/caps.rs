//! The caps on a script's work ([`super::Limits`]) by name, and how a user
//! raises each: the command line's `--max-...` flags, or the Python
//! package's `limits=` keys. A diagnostic over a cap names the way of
//! whoever checked the script, so its help can be followed as written.

/// One cap of [`super::Limits`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cap {
    Runs,
    Hosts,
    Invocations,
    Output,
    InFlight,
}

/// How the user who checks a script raises a cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RaisedWith {
    /// `sls check` and `sls run`'s flags: `--max-runs 5000`.
    #[default]
    Flags,
    /// The Python package's keyword: `limits={"max_runs": 5000}`.
    PythonLimits,
}

impl Cap {
    pub const ALL: [Cap; 5] = [Cap::Runs, Cap::Hosts, Cap::Invocations, Cap::Output, Cap::InFlight];

    /// The Python key, which is the flag without its dashes, `_` for `-`.
    pub fn key(self) -> &'static str {
        match self {
            Cap::Runs => "max_runs",
            Cap::Hosts => "max_hosts",
            Cap::Invocations => "max_invocations",
            Cap::Output => "max_output",
            Cap::InFlight => "max_in_flight",
        }
    }

    /// The command line's flag.
    pub fn flag(self) -> String {
        format!("--{}", self.key().replace('_', "-"))
    }
}

impl RaisedWith {
    /// How to set `cap` to `value` (`N` when no one value is known), in
    /// backquotes: `` `--max-runs 5000` `` or `` `limits={"max_runs": 5000}` ``.
    pub fn set(self, cap: Cap, value: &str) -> String {
        match self {
            RaisedWith::Flags => format!("`{} {value}`", cap.flag()),
            RaisedWith::PythonLimits => format!("`limits={{\"{}\": {value}}}`", cap.key()),
        }
    }

    /// The cap's name, in backquotes: `` `--max-hosts` `` or `` `max_hosts` ``.
    pub fn name(self, cap: Cap) -> String {
        match self {
            RaisedWith::Flags => format!("`{}`", cap.flag()),
            RaisedWith::PythonLimits => format!("`{}`", cap.key()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cap_is_raised_by_its_flag_or_its_python_key() {
        assert_eq!(RaisedWith::Flags.set(Cap::InFlight, "20"), "`--max-in-flight 20`");
        assert_eq!(
            RaisedWith::PythonLimits.set(Cap::InFlight, "20"),
            "`limits={\"max_in_flight\": 20}`"
        );
        assert_eq!(RaisedWith::Flags.name(Cap::Hosts), "`--max-hosts`");
        assert_eq!(RaisedWith::PythonLimits.name(Cap::Hosts), "`max_hosts`");
        let flags: Vec<String> = Cap::ALL.iter().map(|c| c.flag()).collect();
        assert_eq!(
            flags,
            [
                "--max-runs",
                "--max-hosts",
                "--max-invocations",
                "--max-output",
                "--max-in-flight"
            ]
        );
    }
}
