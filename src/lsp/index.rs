//! The names of a script and the files it includes: every declaration and
//! every reference, read off the trees (a name node's kind says what it
//! declares or refers to), and what each reference resolves to.

use std::path::{Path, PathBuf};

use rowan::TextRange;

use crate::language::grammar::{Construct, Role, Space};
use crate::language::properties::Value;
use crate::syntax::source::FileId;
use crate::syntax::tree::{self, Kind, NodeKind, SyntaxNode};

/// One file of the script.
pub struct File {
    pub path: Option<PathBuf>,
    pub text: String,
    pub root: SyntaxNode,
}

/// A declared name.
#[derive(Debug, Clone)]
pub struct Symbol {
    pub space: Space,
    pub name: String,
    pub file: usize,
    /// The name as written.
    pub range: TextRange,
    /// The whole declaration.
    pub statement: TextRange,
}

/// A name written where a declared one is meant.
#[derive(Debug, Clone)]
pub struct Reference {
    pub name: String,
    pub file: usize,
    pub range: TextRange,
    /// The kinds of names it may be, in the order they are tried.
    pub spaces: Vec<Space>,
}

/// The names of a script and its includes; file 0 is the script.
pub struct Index {
    pub files: Vec<File>,
    pub symbols: Vec<Symbol>,
    pub references: Vec<Reference>,
}

impl Index {
    /// Indexes `text` (the file at `path`, when it has one) and, depth
    /// first, the files it includes (`read` gives their text).
    pub fn new(path: Option<PathBuf>, text: String, read: &dyn Fn(&Path) -> Option<String>) -> Self {
        let mut index = Index {
            files: Vec::new(),
            symbols: Vec::new(),
            references: Vec::new(),
        };
        index.add(path, text, read);
        index
    }

    fn add(&mut self, path: Option<PathBuf>, text: String, read: &dyn Fn(&Path) -> Option<String>) {
        let root = tree::read(FileId(self.files.len() as u32), &text).root;
        let file = self.files.len();
        let folder = path.as_deref().and_then(Path::parent).map(Path::to_path_buf);
        self.files.push(File {
            path,
            text,
            root: root.clone(),
        });
        for node in root.descendants() {
            self.visit(file, &node);
        }
        let includes: Vec<String> = root
            .children()
            .filter(|n| n.kind() == Kind::Construct(Construct::Include))
            .filter_map(|n| n.children().find(|c| c.kind() == Kind::Node(NodeKind::Text)))
            .map(|t| t.text().to_string().trim_matches('"').to_string())
            .collect();
        for include in includes {
            let Some(folder) = &folder else { continue };
            let target = folder.join(include);
            let known = self
                .files
                .iter()
                .any(|f| f.path.as_ref().and_then(|p| p.canonicalize().ok()) == target.canonicalize().ok());
            if !known && let Some(text) = read(&target) {
                self.add(Some(target), text, read);
            }
        }
    }

    fn visit(&mut self, file: usize, node: &SyntaxNode) {
        match node.kind() {
            Kind::Name(role) => {
                let name = node.text().to_string();
                if let Some(space) = role.declares() {
                    let statement = declaration(node).map_or(node.text_range(), |d| d.text_range());
                    self.symbols.push(Symbol {
                        space,
                        name,
                        file,
                        range: node.text_range(),
                        statement,
                    });
                } else if !role.refers().is_empty() {
                    self.references.push(Reference {
                        name,
                        file,
                        range: node.text_range(),
                        spaces: role.refers().to_vec(),
                    });
                }
            }
            // `image runtime[k]`: the family's name, before its index.
            Kind::Node(NodeKind::Indexed) => {
                let Some(Value::Name(space) | Value::Names(space)) = property_value(node) else {
                    return;
                };
                let base = node
                    .children_with_tokens()
                    .filter_map(|e| e.into_token())
                    .find(|t| t.kind() == Kind::Token(tree::TokenKind::Ident));
                if let Some(base) = base {
                    self.references.push(Reference {
                        name: base.text().to_string(),
                        file,
                        range: base.text_range(),
                        spaces: vec![space],
                    });
                }
            }
            Kind::Node(NodeKind::Word) => {
                // A bare word names a parameter, else (`keep_alive adaptive`,
                // `scheduler packed`, `param policy = adaptive`) a policy
                // written in the script: a policy's name is no built-in
                // word, so a word of another set cannot be one.
                let mut spaces = vec![Space::Param, Space::Policy];
                if let Some(Value::Name(space) | Value::Names(space)) = property_value(node) {
                    spaces.insert(0, space);
                }
                self.references.push(Reference {
                    name: node.text().to_string(),
                    file,
                    range: node.text_range(),
                    spaces,
                });
            }
            _ => {}
        }
    }

    /// The declaration a reference names.
    pub fn resolve(&self, reference: &Reference) -> Option<&Symbol> {
        reference.spaces.iter().find_map(|space| {
            self.symbols
                .iter()
                .find(|s| s.space == *space && s.name == reference.name)
        })
    }

    /// The declaration at an offset of a file: the one written there, or
    /// the one a reference there names.
    pub fn symbol_at(&self, file: usize, offset: usize) -> Option<&Symbol> {
        let at = |range: TextRange| file_contains(range, offset);
        if let Some(symbol) = self.symbols.iter().find(|s| s.file == file && at(s.range)) {
            return Some(symbol);
        }
        self.reference_at(file, offset).and_then(|r| self.resolve(r))
    }

    pub fn reference_at(&self, file: usize, offset: usize) -> Option<&Reference> {
        self.references
            .iter()
            .find(|r| r.file == file && file_contains(r.range, offset))
    }

    /// Every reference that names a declaration.
    pub fn references_to<'i>(&'i self, symbol: &'i Symbol) -> impl Iterator<Item = &'i Reference> + 'i {
        self.references.iter().filter(move |r| {
            self.resolve(r)
                .is_some_and(|s| s.file == symbol.file && s.range == symbol.range)
        })
    }

    /// The declared names of some kinds.
    pub fn declared<'i>(&'i self, spaces: &'i [Space]) -> impl Iterator<Item = &'i Symbol> + 'i {
        self.symbols.iter().filter(move |s| spaces.contains(&s.space))
    }
}

/// Whether an offset is in a range or at its end (the cursor after a name).
fn file_contains(range: TextRange, offset: usize) -> bool {
    usize::from(range.start()) <= offset && offset <= usize::from(range.end())
}

/// The statement a declared name belongs to.
fn declaration(name: &SyntaxNode) -> Option<SyntaxNode> {
    name.ancestors().find(|n| matches!(n.kind(), Kind::Construct(_)))
}

/// What the property a value is written for takes, if the value is one
/// (or an element of a list that is one).
pub fn property_value(value: &SyntaxNode) -> Option<Value> {
    let property = value
        .ancestors()
        .skip(1)
        .take_while(|n| {
            matches!(
                n.kind(),
                Kind::Node(NodeKind::List) | Kind::Construct(Construct::Property)
            )
        })
        .find(|n| n.kind() == Kind::Construct(Construct::Property))?;
    let (owner, kind) = owner_of(&property)?;
    let name = property.children().find(|c| c.kind() == Kind::Name(Role::Property))?;
    let name = name.text().to_string();
    owner
        .accepted(&kind)
        .find(|p| p.name == name)
        .or_else(|| owner.property(&name))
        .map(|p| p.value)
}

/// The owner of a statement's block and the kind word of that block's
/// statement (`greedy` for `scheduler greedy { ... }`).
pub fn owner_of(statement: &SyntaxNode) -> Option<(crate::language::properties::Owner, String)> {
    let block = statement.parent().filter(|p| p.kind() == Kind::Node(NodeKind::Block))?;
    let holder = block.parent()?;
    let Kind::Construct(construct) = holder.kind() else {
        return None;
    };
    Some((construct.owner()?, kind_word(&holder)))
}

/// The word that picks the kind of a block: a sandbox's, a bus's, a
/// replay's format, a scheduler's policy.
pub fn kind_word(statement: &SyntaxNode) -> String {
    statement
        .children()
        .find(|c| {
            matches!(
                c.kind(),
                Kind::Name(_) | Kind::Node(NodeKind::Word) | Kind::Node(NodeKind::Call)
            )
        })
        .and_then(|n| {
            n.children_with_tokens()
                .filter_map(|e| e.into_token())
                .find(|t| t.kind() == Kind::Token(tree::TokenKind::Ident))
        })
        .map(|t| t.text().to_string())
        .unwrap_or_default()
}
