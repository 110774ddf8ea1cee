//! Compressed trace files, told by their first bytes: traces are
//! published compressed (the Azure datasets as archives, others as gzip)
//! and a user may point a replay at one as downloaded. Read as text, its
//! header fails with bytes that say nothing; this names the compressor
//! and the command that gives the text.

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

/// The compressor whose magic bytes `start` (a file's first bytes) begins
/// with, and its command: `None` for text.
pub(crate) fn compressed(start: &[u8]) -> Option<(&'static str, &'static str)> {
    MAGIC
        .iter()
        .find(|(magic, _, _)| {
            start.len() >= magic.len()
                && magic
                    .iter()
                    .zip(start)
                    .all(|(m, b)| (*m == b'?' && b.is_ascii_digit()) || m == b)
        })
        .map(|(_, format, command)| (*format, *command))
}

/// Where the help suggests writing the text: the name less its
/// compressor's extension, or with `.txt` after it when it has none.
pub(crate) fn decompressed_name(name: &str) -> String {
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
        assert_eq!(compressed(b"\x1f\x8b\x08\x00rest"), Some(("gzip", "gzip -dc")));
        assert_eq!(compressed(b"\xfd7zXZ\x00\x00"), Some(("xz", "xz -dc")));
        assert_eq!(compressed(b"\x28\xb5\x2f\xfd\x04"), Some(("zstd", "zstd -dc")));
        assert_eq!(compressed(b"PK\x03\x04\x14"), Some(("zip", "unzip -p")));
        assert_eq!(compressed(b"BZh91AY&SY\x00"), Some(("bzip2", "bzip2 -dc")));
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
