//! The checker's working state: parameter values in effect, the files read,
//! the collected diagnostics, and the helpers every block checker shares
//! (name tables and property lists).

use crate::code::Code;
use crate::language::properties::Owner;
use crate::language::registered::Registered;
use std::path::Path;
use std::sync::Arc;

use indexmap::IndexMap;

use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean};
use crate::syntax::ast::{Expr, Ident, Member, Property};
use crate::syntax::source::{FileId, Span};

use super::budget::Limits;
use super::files::ReadError;
use super::load::Loaded;

/// A parameter's value in effect for one sweep point.
#[derive(Debug, Clone)]
pub(crate) struct ParamValue {
    pub value: Expr,
    /// Where the parameter is declared.
    pub declared: Span,
}

pub(crate) struct Ctx<'a> {
    pub params: &'a IndexMap<String, ParamValue>,
    /// The caps on declared work the script is checked against.
    pub limits: Limits,
    /// The script's files, for paths written in them.
    loaded: &'a Loaded,
    pub diagnostics: Diagnostics,
    /// What the script may run with but likely did not mean.
    pub warnings: Diagnostics,
    /// The member of a family (or the declaration extending a template)
    /// being checked: its diagnostics point at what is written, shared by
    /// all members, so they name it, and are shown once.
    pub member: Option<Member>,
    /// The policies the script declares (`keep_alive NAME { ... }`), compiled.
    pub policies: super::written::Declared,
    /// Policies registered by the program running the script, whose names
    /// a script may choose besides the built-ins'.
    pub registered: &'a Registered,
}

/// No registered policy (the command line's case).
static NONE_REGISTERED: Registered = Registered {
    keep_alive: Vec::new(),
    placement: Vec::new(),
};

impl<'a> Ctx<'a> {
    pub fn new(params: &'a IndexMap<String, ParamValue>, loaded: &'a Loaded, limits: Limits) -> Self {
        Ctx {
            params,
            limits,
            loaded,
            diagnostics: Diagnostics::default(),
            warnings: Diagnostics::default(),
            member: None,
            policies: Default::default(),
            registered: &NONE_REGISTERED,
        }
    }

    /// The same context, where the policies `registered` may be chosen.
    pub fn with_registered(self, registered: &'a Registered) -> Self {
        Ctx { registered, ..self }
    }

    /// The folder that paths written in `file` are relative to.
    pub fn folder(&self, file: FileId) -> &'a Path {
        self.loaded.folder(file)
    }

    /// The text of a data file (read once per check, within its size cap).
    pub fn data_file(&self, path: &Path) -> Result<Arc<String>, ReadError> {
        self.loaded.data_file(path)
    }

    pub fn error(&mut self, diagnostic: Diagnostic) {
        noted(&mut self.diagnostics, diagnostic, self.member.as_ref());
    }

    /// Keeps a warning ([`Diagnostic::warning`]): the script still runs.
    pub fn warn(&mut self, diagnostic: Diagnostic) {
        noted(&mut self.warnings, diagnostic, self.member.as_ref());
    }

    /// Whether diagnostics are only counted now, counting this one if so:
    /// asked before explaining a mistake whose help searches the script's
    /// names, so that a script of a thousand mistakes costs no more than
    /// its first few.
    pub fn counted_only(&mut self) -> bool {
        let full = self.diagnostics.is_full();
        if full {
            self.diagnostics.suppress(1);
        }
        full
    }
}

/// Adds `diagnostic` to `list`; made while checking a family's `member`,
/// it names the member, and is kept once for all of them.
fn noted(list: &mut Diagnostics, mut diagnostic: Diagnostic, member: Option<&Member>) {
    if let Some(member) = member {
        let seen = list
            .0
            .iter()
            .any(|d| d.code == diagnostic.code && d.primary == diagnostic.primary);
        if seen {
            return;
        }
        let note = format!("found in {}", member.note);
        let help = match diagnostic.help.take() {
            Some(help) => format!("{help}\n{note}"),
            None => note,
        };
        diagnostic = diagnostic.with_help(help);
    }
    list.push(diagnostic);
}

/// Declared names of one kind (hosts, functions, ...), in declaration order.
pub(crate) struct Names<T> {
    /// What the names are, for messages: "host", "function".
    pub kind: &'static str,
    /// Stable code of the "unknown name" diagnostic of this kind.
    pub unknown_code: Code,
    /// `None` marks a declaration that had errors of its own: references to
    /// it resolve to nothing without a second diagnostic.
    pub entries: IndexMap<String, (Option<T>, Span)>,
}

impl<T: Copy> Names<T> {
    pub fn new(kind: &'static str, unknown_code: Code) -> Self {
        Names {
            kind,
            unknown_code,
            entries: IndexMap::new(),
        }
    }

    /// Declares a name; a second declaration is a diagnostic and is ignored.
    pub fn declare(&mut self, ctx: &mut Ctx, name: &Ident, value: T) -> bool {
        if let Some((_, first)) = self.entries.get(&name.name) {
            ctx.error(
                Diagnostic::new(
                    Code::DuplicateName,
                    format!("{} `{}` is declared twice", self.kind, name.name),
                    name.span,
                    "declared again here",
                )
                .with_label(*first, "first declared here")
                .with_help(format!("give each {} its own name, or remove one of them", self.kind)),
            );
            return false;
        }
        self.entries.insert(name.name.clone(), (Some(value), name.span));
        true
    }

    /// Records a declaration that failed its own checks, so that uses of the
    /// name do not add "unknown name" diagnostics to the real one.
    pub fn declare_broken(&mut self, name: &Ident) {
        self.entries.entry(name.name.clone()).or_insert((None, name.span));
    }

    pub fn get(&self, name: &str) -> Option<T> {
        self.entries.get(name).and_then(|(v, _)| *v)
    }

    /// Whether the name is declared (even with errors of its own).
    pub fn contains(&self, name: &str) -> bool {
        self.entries.contains_key(name)
    }

    /// Looks a name up; an unknown name is a diagnostic with a suggestion.
    pub fn resolve(&self, ctx: &mut Ctx, name: &Ident) -> Option<T> {
        if let Some((value, _)) = self.entries.get(&name.name) {
            return *value;
        }
        if ctx.counted_only() {
            return None;
        }
        let help = match did_you_mean(&name.name, self.entries.keys().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`?"),
            None if self.entries.is_empty() => {
                let article = if self.kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
                    "an"
                } else {
                    "a"
                };
                format!("declare {article} {} named `{}` first", self.kind, name.name)
            }
            None => format!(
                "the declared {}s are {}",
                self.kind,
                crate::syntax::words::list_names(self.entries.keys().map(String::as_str))
            ),
        };
        ctx.error(
            Diagnostic::new(
                self.unknown_code,
                format!("no {} named `{}`", self.kind, name.name),
                name.span,
                format!("unknown {}", self.kind),
            )
            .with_help(help),
        );
        None
    }
}

/// The properties of one block, checked against the names it accepts.
pub(crate) struct Props<'p> {
    found: IndexMap<&'static str, &'p Property>,
    /// Names written that the block does not accept (already reported).
    unknown: Vec<&'p str>,
    /// What the block is, for messages: "host `node`".
    pub owner: String,
    /// Where to point when a required property is missing.
    pub owner_span: Span,
}

/// The blocks a property name that is not accepted here belongs to, from
/// the language's table, to say so.
fn belongs_to(name: &str) -> Option<String> {
    let owners: Vec<&str> = Owner::ALL
        .iter()
        .filter(|o| o.property(name).is_some())
        .map(|o| o.noun())
        .collect();
    (!owners.is_empty()).then(|| crate::syntax::words::list_words(&owners))
}

impl<'p> Props<'p> {
    /// Sorts `properties` into the accepted names; unknown and repeated
    /// names are diagnostics.
    pub fn new(
        ctx: &mut Ctx,
        properties: &'p [Property],
        accepted: &[&'static str],
        owner: String,
        owner_span: Span,
    ) -> Self {
        let mut found: IndexMap<&'static str, &'p Property> = IndexMap::new();
        let mut unknown = Vec::new();
        for property in properties {
            let name = property.name.name.as_str();
            let Some(&accepted_name) = accepted.iter().find(|a| **a == name) else {
                let synonym = crate::language::synonyms::meant(name).filter(|word| accepted.contains(word));
                let help = match (did_you_mean(name, accepted.iter().copied()), belongs_to(name)) {
                    (Some(best), _) => format!("did you mean `{best}`?"),
                    (None, _) if let Some(word) = synonym => format!("`{name}` is written `{word}` here"),
                    (None, Some(home)) => format!(
                        "`{name}` is a property of {home}; {owner} accepts {}",
                        crate::syntax::words::list_names(accepted.iter().copied())
                    ),
                    (None, None) => format!(
                        "{owner} accepts {}",
                        crate::syntax::words::list_names(accepted.iter().copied())
                    ),
                };
                unknown.push(property.name.name.as_str());
                ctx.error(
                    Diagnostic::new(
                        Code::UnknownProperty,
                        format!("{owner} has no property `{name}`"),
                        property.name.span,
                        "unknown property",
                    )
                    .with_help(help),
                );
                continue;
            };
            if let Some(first) = found.get(accepted_name) {
                ctx.error(
                    Diagnostic::new(
                        Code::DuplicateProperty,
                        format!("`{name}` is set twice in {owner}"),
                        property.span,
                        "set again here",
                    )
                    .with_label(first.span, "first set here")
                    .with_help("keep one of them"),
                );
                continue;
            }
            found.insert(accepted_name, property);
        }
        Props {
            found,
            unknown,
            owner,
            owner_span,
        }
    }

    pub fn get(&self, name: &str) -> Option<&'p Expr> {
        self.found.get(name).map(|p| &p.value)
    }

    /// A property that must be present; its absence is a diagnostic.
    pub fn required(&self, ctx: &mut Ctx, name: &str, example: &str) -> Option<&'p Expr> {
        let value = self.get(name);
        // A misspelling of it was reported already, with this name as the fix.
        let misspelled = self.unknown.iter().any(|u| did_you_mean(u, [name]).is_some());
        if value.is_none() && !misspelled {
            ctx.error(
                Diagnostic::new(
                    Code::MissingProperty,
                    format!("{} has no `{name}`", self.owner),
                    self.owner_span,
                    format!("`{name}` is required here"),
                )
                .with_help(format!("add `{name} {example}`")),
            );
        }
        value
    }
}
