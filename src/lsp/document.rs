//! Documents the editor has open, and the conversion between byte offsets
//! and the editor's positions (lines and UTF-16 columns).

use std::path::PathBuf;

use lsp_types::{Position, Range, Uri};

/// Line starts of a text, to turn offsets into positions and back.
#[derive(Debug, Clone)]
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { starts }
    }

    /// The position of a byte offset.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|s| *s <= offset) - 1;
        let start = self.starts[line];
        let column: usize = text[start..offset].chars().map(char::len_utf16).sum();
        Position::new(line as u32, column as u32)
    }

    pub fn range(&self, text: &str, start: usize, end: usize) -> Range {
        Range::new(self.position(text, start), self.position(text, end))
    }

    /// The byte offset of a position (clamped to its line and the text).
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return text.len();
        };
        let line = text[start..].split('\n').next().unwrap_or("");
        let mut units = 0;
        for (at, c) in line.char_indices() {
            if units >= position.character as usize {
                return start + at;
            }
            units += c.len_utf16();
        }
        start + line.len()
    }
}

/// An open document.
#[derive(Debug, Clone)]
pub struct Document {
    pub uri: Uri,
    /// The editor's version of the text.
    pub version: i32,
    pub text: String,
    pub lines: Lines,
}

impl Document {
    pub fn new(uri: Uri, version: i32, text: String) -> Self {
        let lines = Lines::new(&text);
        Document {
            uri,
            version,
            text,
            lines,
        }
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        self.lines.range(&self.text, start, end)
    }

    pub fn offset(&self, position: Position) -> usize {
        self.lines.offset(&self.text, position)
    }
}

/// The file a `file:` URI names.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    if uri.scheme().map(|s| s.as_str()) != Some("file") {
        return None;
    }
    Some(PathBuf::from(percent_decode(uri.path().as_str())))
}

/// The `file:` URI of a path.
pub fn uri_of(path: &std::path::Path) -> Option<Uri> {
    let absolute = std::path::absolute(path).ok()?;
    let mut text = String::from("file://");
    for byte in absolute.to_string_lossy().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => text.push(byte as char),
            _ => text.push_str(&format!("%{byte:02X}")),
        }
    }
    text.parse().ok()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = text.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
