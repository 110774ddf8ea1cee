//! Reading the files a script names (the script itself, its includes, the
//! CSV files of `empirical`) within bounds: only regular files (a device
//! such as `/dev/zero` never ends, a FIFO may never open), and at most a
//! given size, so that checking any script takes bounded time and memory.

use std::fmt;
use std::io::Read;
use std::path::Path;

use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::syntax::source::Span;

/// The largest script or included file.
pub const MAX_SCRIPT_BYTES: u64 = 1 << 20;

/// The largest CSV file `empirical` reads.
pub const MAX_DATA_BYTES: u64 = 64 << 20;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// A device, FIFO, socket or folder.
    NotAFile,
    /// Larger than the bound (in bytes) for its kind.
    TooLarge(u64),
    /// Not UTF-8 text (where text was wanted).
    NotText,
    Io(std::io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotAFile => f.write_str("not a regular file"),
            ReadError::TooLarge(max) => write!(f, "larger than {}", size_words(*max)),
            ReadError::NotText => f.write_str("not UTF-8 text"),
            ReadError::Io(error) => error.fmt(f),
        }
    }
}

/// The bytes of the regular file at `path`, if it holds at most `max`.
pub fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let metadata = std::fs::metadata(path).map_err(ReadError::Io)?;
    if !metadata.is_file() {
        return Err(ReadError::NotAFile);
    }
    if metadata.len() > max {
        return Err(ReadError::TooLarge(max));
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    // The file may grow after its size was read (or report none, as files
    // under /proc do): read one byte past the bound to notice.
    file.take(max + 1).read_to_end(&mut bytes).map_err(ReadError::Io)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge(max));
    }
    Ok(bytes)
}

/// The diagnostic of a file refused for what it is (not for an I/O error):
/// `kind` says what it should have been ("script", "CSV file").
pub(crate) fn refusal(path: &str, span: Span, error: &ReadError, kind: &str) -> Diagnostic {
    match error {
        ReadError::TooLarge(max) => Diagnostic::new(
            Code::FileTooLarge,
            format!("`{path}` is {error}, the most a {kind} may be"),
            span,
            "too large",
        )
        .with_help(format!(
            "check that this is the {kind} meant; a larger one must be split into files of at most {}",
            size_words(*max)
        )),
        _ => Diagnostic::new(
            Code::NotAFile,
            format!("`{path}` is not a regular file"),
            span,
            "not a file",
        )
        .with_help(format!(
            "a {kind} is read from a file on disk, never from a device, pipe or folder: save what it holds to a file and name that"
        )),
    }
}

/// The text of the script at `path`: a regular file of at most
/// [`MAX_SCRIPT_BYTES`] of UTF-8.
pub fn read_script(path: &Path) -> Result<String, ReadError> {
    String::from_utf8(read_capped(path, MAX_SCRIPT_BYTES)?).map_err(|_| ReadError::NotText)
}

/// Standard input as a script, within [`MAX_SCRIPT_BYTES`].
pub fn read_script_from(input: impl Read) -> Result<String, ReadError> {
    let mut bytes = Vec::new();
    input
        .take(MAX_SCRIPT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > MAX_SCRIPT_BYTES {
        return Err(ReadError::TooLarge(MAX_SCRIPT_BYTES));
    }
    String::from_utf8(bytes).map_err(|_| ReadError::NotText)
}

/// `1 MiB`, `9.1 MiB`, `20 GiB`: a number of bytes in words.
pub fn size_words(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if value.fract() == 0.0 {
        format!("{value} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_and_folders_are_refused() {
        assert!(matches!(
            read_capped(Path::new("/dev/zero"), 10),
            Err(ReadError::NotAFile)
        ));
        assert!(matches!(read_capped(Path::new("."), 10), Err(ReadError::NotAFile)));
    }

    #[test]
    fn files_over_the_bound_are_refused() {
        let dir = std::env::temp_dir().join(format!("sls-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("eleven.txt");
        std::fs::write(&path, "hello world").unwrap();
        assert!(matches!(read_capped(&path, 10), Err(ReadError::TooLarge(10))));
        assert_eq!(read_capped(&path, 11).unwrap(), b"hello world");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn bounds_read_as_words() {
        assert_eq!(size_words(MAX_SCRIPT_BYTES), "1 MiB");
        assert_eq!(size_words(MAX_DATA_BYTES), "64 MiB");
        assert_eq!(size_words(1000), "1000 bytes");
        assert_eq!(size_words(9_553_480), "9.1 MiB");
        assert_eq!(size_words(20_000_000_000), "18.6 GiB");
    }
}
