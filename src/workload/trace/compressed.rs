//! Compressed trace files, told by their first bytes: traces are
//! published compressed (the Azure datasets as archives, others as gzip)
//! and a user may point a replay at one as downloaded. Read as text, its
//! header fails with bytes that say nothing; this names the compressor
//! and the command that gives the text: the checker at the replay's path
//! in the script, the line reader (which every format opens its files
//! through) for a file replaced since.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// A compressor's magic bytes, its name, and the command that writes the
/// decompressed file to standard output.
const MAGIC: [(&[u8], &str, &str); 5] = [
    (b"\x1f\x8b", "gzip", "gzip -dc"),
    (b"\xfd7zXZ\x00", "xz", "xz -dc"),
    (b"\x28\xb5\x2f\xfd", "zstd", "zstd -dc"),
    (b"PK\x03\x04", "zip", "unzip -p"),
    // `BZh`, the block size, then the block magic (the digits of pi):
    // a text header may begin with `BZh`, not with this.
    (b"BZh?\x31\x41\x59\x26\x53\x59", "bzip2", "bzip2 -dc"),
];

/// A compressor a trace file was written by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Compressor {
    /// Its name: `gzip`.
    pub name: &'static str,
    /// The command that writes the text to standard output: `gzip -dc`.
    tool: &'static str,
}

impl Compressor {
    /// The command, run in the file's folder, that gives the text of the
    /// file at `path`: `gzip -dc trace.csv.gz > trace.csv` (the file's name
    /// alone: a long path made the help too long to show whole).
    pub(crate) fn command(&self, path: &str) -> String {
        let name = Path::new(path)
            .file_name()
            .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned());
        format!("{} {name} > {}", self.tool, decompressed_name(&name))
    }
}

/// The compressor whose magic bytes `start` (a file's first bytes) begins
/// with: `None` for text.
pub(crate) fn compressed(start: &[u8]) -> Option<Compressor> {
    MAGIC
        .iter()
        .find(|(magic, _, _)| {
            start.len() >= magic.len()
                && magic
                    .iter()
                    .zip(start)
                    .all(|(m, b)| (*m == b'?' && b.is_ascii_digit()) || m == b)
        })
        .map(|(_, name, tool)| Compressor { name, tool })
}

/// The compressor of the file at `path`, from its first bytes; `None` for
/// text, or a file that cannot be read (its reader says why).
pub(crate) fn compressed_file(path: &Path) -> Option<Compressor> {
    let mut start = Vec::with_capacity(MAGIC_BYTES);
    File::open(path)
        .ok()?
        .take(MAGIC_BYTES as u64)
        .read_to_end(&mut start)
        .ok()?;
    compressed(&start)
}

/// The longest magic, in bytes.
const MAGIC_BYTES: usize = 10;

/// Where the help suggests writing the text: the name less its
/// compressor's extension, or with `.txt` after it when it has none.
fn decompressed_name(name: &str) -> String {
    let plain = [".gz", ".xz", ".zst", ".zip", ".bz2"]
        .iter()
        .find_map(|extension| name.strip_suffix(extension));
    match plain {
        Some(plain) if !plain.is_empty() => plain.to_string(),
        _ => format!("{name}.txt"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_compressor_is_told_by_its_magic_and_text_is_not() {
        let name = |start: &[u8]| compressed(start).map(|c| c.name);
        assert_eq!(name(b"\x1f\x8b\x08\x00rest"), Some("gzip"));
        assert_eq!(name(b"\xfd7zXZ\x00\x00"), Some("xz"));
        assert_eq!(name(b"\x28\xb5\x2f\xfd\x04"), Some("zstd"));
        assert_eq!(name(b"PK\x03\x04\x14"), Some("zip"));
        assert_eq!(name(b"BZh91AY&SY\x00"), Some("bzip2"));
        assert_eq!(
            compressed(b"\x1f\x8b")
                .map(|c| c.command("traces/d01.csv.gz"))
                .as_deref(),
            Some("gzip -dc d01.csv.gz > d01.csv")
        );
        // Text, even beginning like a magic, and files too short to tell.
        for text in [&b"time,function"[..], b"BZh,column", b"PK,app", b"\x1f", b""] {
            assert_eq!(compressed(text), None, "{text:?}");
        }
    }

    #[test]
    fn the_decompressed_file_loses_the_extension_or_gains_txt() {
        assert_eq!(decompressed_name("trace.csv.gz"), "trace.csv");
        assert_eq!(decompressed_name("d01.csv.zst"), "d01.csv");
        assert_eq!(decompressed_name("trace.csv"), "trace.csv.txt");
        assert_eq!(decompressed_name(".gz"), ".gz.txt");
    }
}
