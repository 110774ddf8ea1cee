//! Reading a script and, depth first, the files it includes: each file is
//! parsed once; a missing include or an include cycle is a diagnostic.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::code::Code;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::syntax::ast::{File, Item};
use crate::syntax::source::{FileId, Sources, Span};
use crate::syntax::tree::parse_file;

use super::files::{MAX_DATA_BYTES, ReadError, read_capped, read_script, refusal};

/// Every file of a script, parsed, with the folder each one is in (paths in
/// a file are relative to its folder).
pub struct Loaded {
    pub files: Vec<(FileId, File)>,
    /// Folder of each file, in the order of `files`.
    folders: Vec<PathBuf>,
    /// Canonical path of each file, in the order of `files`.
    canonical: Vec<Option<PathBuf>>,
    /// Data files read at check time, by path: each is read once, however
    /// many calls and sweep points name it.
    data: RefCell<HashMap<PathBuf, Arc<String>>>,
    /// The top-level statements that hold a syntax error, in every file.
    pub broken: Vec<Span>,
    /// Whether an include could not be read (what it declares is unknown).
    pub include_unread: bool,
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

    /// Places the items of `file`, unless placed already: a file included
    /// twice (or by two files) counts once, at its first include, so that
    /// files including each other twice over do not multiply their items.
    fn collect<'a>(&'a self, file: FileId, out: &mut Vec<(FileId, &'a Item)>, placed: &mut Vec<FileId>) {
        let Some((_, ast)) = self.files.iter().find(|(id, _)| *id == file) else {
            return;
        };
        if placed.contains(&file) {
            return;
        }
        placed.push(file);
        for item in &ast.items {
            match item {
                Item::Include(path) => {
                    if let Some(target) = self.included(file, &path.value) {
                        self.collect(target, out, placed);
                    }
                }
                _ => out.push((file, item)),
            }
        }
    }

    /// The folder a file's relative paths start from.
    pub fn folder(&self, file: FileId) -> &Path {
        self.files
            .iter()
            .position(|(id, _)| *id == file)
            .and_then(|i| self.folders.get(i))
            .map_or(Path::new("."), PathBuf::as_path)
    }

    /// The text of the data file at `path` (invalid UTF-8 replaced), read
    /// within [`MAX_DATA_BYTES`].
    pub fn data_file(&self, path: &Path) -> Result<Arc<String>, ReadError> {
        if let Some(text) = self.data.borrow().get(path) {
            return Ok(text.clone());
        }
        let bytes = read_capped(path, MAX_DATA_BYTES)?;
        let text = Arc::new(String::from_utf8_lossy(&bytes).into_owned());
        self.data.borrow_mut().insert(path.to_path_buf(), text.clone());
        Ok(text)
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
            data: RefCell::default(),
            broken: Vec::new(),
            include_unread: false,
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
        let parsed = parse_file(id, &text);
        let ast = parsed.ast;
        self.diagnostics.extend(parsed.diagnostics);
        self.loaded.broken.extend(parsed.broken);
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
                        Code::IncludeCycle,
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
            let read = read_script(&target);
            self.loaded.include_unread |= read.is_err();
            match read {
                Ok(included) => {
                    if let Some(canonical) = canonical {
                        stack.push((canonical, Some(span)));
                        self.file(&target, included, stack);
                        stack.pop();
                    }
                }
                Err(ReadError::NotText) => self.diagnostics.push(
                    Diagnostic::new(
                        Code::IncludeNotText,
                        format!("`{include}` is not UTF-8 text"),
                        span,
                        "not a script",
                    )
                    .with_help("include `.sls` scripts only"),
                ),
                Err(ReadError::Io(error)) => self.diagnostics.push(
                    Diagnostic::new(
                        Code::IncludeNotFound,
                        format!("cannot read `{include}`: {error}"),
                        span,
                        "cannot be read",
                    )
                    .with_help("include paths are relative to the folder of the including file"),
                ),
                Err(refused) => self.diagnostics.push(refusal(&include, span, &refused, "script")),
            }
        }
    }
}
