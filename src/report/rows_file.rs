//! The file a run's rows are written to: aligned writes go straight from
//! the writer's memory to the disk (`O_DIRECT`, on Linux), past the page
//! cache, where a buffered write is first copied by the kernel into the
//! cache: at 100 requests/s that copy of the 1.1 GB of `invocations.csv`
//! (and the file system's work per cached page) was more than half of the
//! writer thread's CPU. The first write that is not aligned (the last
//! rows, a file system that refuses direct writes) switches the file to
//! writes through the cache for good: the bytes are the same either way.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// The alignment a direct write needs, of its memory, its length and its
/// place in the file: a page, a multiple of the block size of the disks
/// in use.
pub const ALIGN: usize = 4096;


/// A file written directly while its writes are aligned, through a buffer
/// otherwise.
pub enum RowsFile {
    /// Through the page cache.
    Buffered(BufWriter<File>),
    /// Past it: `written` bytes so far, all of them aligned writes.
    Direct { file: File, path: PathBuf, written: u64 },
    /// Through the page cache after direct writes, unbuffered: what comes
    /// after the aligned megabytes is the last rows, written once (a
    /// buffer would only add a copy, and a megabyte of memory).
    Appended(File),
}

impl RowsFile {
    /// Creates (or empties) the file at `path`, to be written through the
    /// page cache.
    pub fn buffered(path: &Path) -> io::Result<RowsFile> {
        File::create(path).map(|file| RowsFile::Buffered(BufWriter::with_capacity(1 << 20, file)))
    }

    /// Creates (or empties) the file at `path`, to be written directly
    /// where the system allows it, else through the page cache.
    pub fn direct(path: &Path) -> io::Result<RowsFile> {
        match open_direct(path) {
            Ok(file) => Ok(RowsFile::Direct {
                file,
                path: path.to_owned(),
                written: 0,
            }),
            Err(_) => RowsFile::buffered(path),
        }
    }

    /// True while writes still go past the page cache.
    pub fn is_direct(&self) -> bool {
        matches!(self, RowsFile::Direct { .. })
    }
}

impl Write for RowsFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            RowsFile::Buffered(out) => out.write(buf),
            RowsFile::Appended(out) => out.write(buf),
            RowsFile::Direct { file, path, written } => {
                let aligned = |n: usize| n.is_multiple_of(ALIGN);
                if aligned(buf.as_ptr() as usize) && aligned(buf.len()) && written.is_multiple_of(ALIGN as u64) {
                    match file.write(buf) {
                        Ok(n) => {
                            *written += n as u64;
                            return Ok(n);
                        }
                        // The file system wants another alignment: buffered from now on.
                        Err(error) if error.kind() == io::ErrorKind::InvalidInput => {}
                        Err(error) => return Err(error),
                    }
                }
                // Appended after the direct writes, which are on the file already.
                *self = RowsFile::Appended(OpenOptions::new().append(true).open(&*path)?);
                self.write(buf)
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            RowsFile::Buffered(out) => out.flush(),
            // Nothing is held: a direct write is on the file when it returns.
            RowsFile::Direct { .. } | RowsFile::Appended(_) => Ok(()),
        }
    }
}

#[cfg(target_os = "linux")]
fn open_direct(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .custom_flags(libc::O_DIRECT)
        .open(path)
}

#[cfg(not(target_os = "linux"))]
fn open_direct(_: &Path) -> io::Result<File> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::{ALIGN, RowsFile};

    /// `len` bytes of `bytes` from its first page-aligned byte on.
    fn aligned(bytes: &[u8], len: usize) -> &[u8] {
        let start = bytes.as_ptr().align_offset(ALIGN);
        &bytes[start..start + len]
    }

    #[test]
    fn aligned_writes_go_direct_and_the_rest_is_appended_after_them() {
        let path = std::env::temp_dir().join(format!("sls-rows-file-{}.csv", std::process::id()));
        let bytes: Vec<u8> = (0..5 * ALIGN as u32).map(|i| (i % 251) as u8).collect();
        let mut file = RowsFile::direct(&path).unwrap();
        // On a file system with direct writes, the first two pages go
        // direct; the tail, unaligned, and all after it are buffered.
        let direct = file.is_direct();
        file.write_all(aligned(&bytes, 2 * ALIGN)).unwrap();
        assert_eq!(file.is_direct(), direct);
        file.write_all(b"tail, 12 bytes").unwrap();
        assert!(!file.is_direct());
        file.write_all(aligned(&bytes, ALIGN)).unwrap();
        file.flush().unwrap();
        let mut expected = aligned(&bytes, 2 * ALIGN).to_vec();
        expected.extend_from_slice(b"tail, 12 bytes");
        expected.extend_from_slice(aligned(&bytes, ALIGN));
        assert!(std::fs::read(&path).unwrap() == expected, "the bytes differ");
        std::fs::remove_file(&path).unwrap();
    }
}
