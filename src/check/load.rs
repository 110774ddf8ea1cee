//! Reading a script and, depth first, the files it includes: each file is
//! parsed once; a missing include or an include cycle is a diagnostic.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::syntax::ast::{File, Item};
use crate::syntax::source::{FileId, Sources, Span};
use crate::syntax::tree::parse_file;

/// Every file of a script, parsed, with the folder each one is in (paths in
/// a file are relative to its folder).
pub struct Loaded {
    pub files: Vec<(FileId, File)>,
    /// Folder of each file, in the order of `files`.
    folders: Vec<PathBuf>,
    /// Canonical path of each file, in the order of `files`.
    canonical: Vec<Option<PathBuf>>,
}

impl Loaded {
    /// All items in reading order: an included file's items stand where the
    /// `include` stands.
    pub fn items(&self) -> Vec<(FileId, &Item)> {
        let mut out = Vec::new();
        if let Some((root, _)) = self.files.first() {
            self.collect(*root, &mut out, &mut Vec::new());
        }
        out
    }

    fn collect<'a>(&'a self, file: FileId, out: &mut Vec<(FileId, &'a Item)>, stack: &mut Vec<FileId>) {
        let Some((_, ast)) = self.files.iter().find(|(id, _)| *id == file) else {
            return;
        };
        if stack.contains(&file) {
            return;
        }
        stack.push(file);
        for item in &ast.items {
            match item {
                Item::Include(path) => {
                    if let Some(target) = self.included(file, &path.value) {
                        self.collect(target, out, stack);
                    }
                }
                _ => out.push((file, item)),
            }
        }
        stack.pop();
    }

    /// The folder a file's relative paths start from.
    pub fn folder(&self, file: FileId) -> &Path {
        self.files
            .iter()
            .position(|(id, _)| *id == file)
            .and_then(|i| self.folders.get(i))
            .map_or(Path::new("."), PathBuf::as_path)
    }

    fn included(&self, from: FileId, path: &str) -> Option<FileId> {
        let wanted = self.folder(from).join(path).canonicalize().ok()?;
        let index = self
            .canonical
            .iter()
            .position(|c| c.as_deref() == Some(wanted.as_path()))?;
        self.files.get(index).map(|(id, _)| *id)
    }
}

/// Loads `path` and everything it includes into `sources`.
pub fn load(sources: &mut Sources, path: &Path, text: String) -> (Loaded, Diagnostics) {
    let mut loader = Loader {
        sources,
        loaded: Loaded {
            files: Vec::new(),
            folders: Vec::new(),
            canonical: Vec::new(),
        },
        diagnostics: Diagnostics::default(),
    };
    let mut stack = Vec::new();
    if let Ok(root) = path.canonicalize() {
        stack.push((root, None));
    }
    loader.file(path, text, &mut stack);
    (loader.loaded, loader.diagnostics)
}

struct Loader<'s> {
    sources: &'s mut Sources,
    loaded: Loaded,
    diagnostics: Diagnostics,
}

/// Files being read, outermost first, with the include that opened each.
type Stack = Vec<(PathBuf, Option<Span>)>;

impl Loader<'_> {
    fn file(&mut self, path: &Path, text: String, stack: &mut Stack) {
        let id = self.sources.add(path.display().to_string(), text);
        let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let text = self.sources.get(id).text.clone();
        let (ast, diagnostics) = parse_file(id, &text);
        self.diagnostics.extend(diagnostics);
        self.loaded.folders.push(folder.clone());
        self.loaded.canonical.push(path.canonicalize().ok());
        let includes: Vec<(String, Span)> = ast
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Include(p) => Some((p.value.clone(), p.span)),
                _ => None,
            })
            .collect();
        self.loaded.files.push((id, ast));
        for (include, span) in includes {
            let target = folder.join(&include);
            let canonical = target.canonicalize().ok();
            if let Some(canonical) = &canonical {
                if let Some((_, first)) = stack.iter().find(|(p, _)| p == canonical) {
                    let mut diagnostic = Diagnostic::new(
                        "sls::include_cycle",
                        format!("`{include}` is already being read: the includes form a cycle"),
                        span,
                        "include cycle",
                    );
                    if let Some(first) = first {
                        diagnostic = diagnostic.with_label(*first, "the cycle starts here");
                    }
                    self.diagnostics
                        .push(diagnostic.with_help("remove one of the includes of the cycle"));
                    continue;
                }
                if self.loaded.canonical.iter().any(|c| c.as_ref() == Some(canonical)) {
                    // Already read: its items are placed at its first include.
                    continue;
                }
            }
            match std::fs::read(&target) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(included) => {
                        if let Some(canonical) = canonical {
                            stack.push((canonical, Some(span)));
                            self.file(&target, included, stack);
                            stack.pop();
                        }
                    }
                    Err(_) => self.diagnostics.push(
                        Diagnostic::new(
                            "sls::include_not_text",
                            format!("`{include}` is not UTF-8 text"),
                            span,
                            "not a script",
                        )
                        .with_help("include `.sls` scripts only"),
                    ),
                },
                Err(error) => self.diagnostics.push(
                    Diagnostic::new(
                        "sls::include_not_found",
                        format!("cannot read `{include}`: {error}"),
                        span,
                        "cannot be read",
                    )
                    .with_help("include paths are relative to the folder of the including file"),
                ),
            }
        }
    }
}
