//! The files a run writes its rows to: through a buffer of their own, or
//! without one for a writer that buffers its rows itself and writes them
//! a megabyte at a time (`invocations.csv`), where a second buffer would
//! only copy the last rows once more, into a megabyte of memory touched as
//! the run ends, when its memory is at its peak.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// A file created (or emptied) for a run's output.
pub enum RowsFile {
    /// Small writes gathered a megabyte at a time.
    Buffered(BufWriter<File>),
    /// Each write goes to the file as it is.
    Unbuffered(File),
}

impl RowsFile {
    /// The file at `path`, written through a megabyte's buffer.
    pub fn buffered(path: &Path) -> io::Result<RowsFile> {
        File::create(path).map(|file| RowsFile::Buffered(BufWriter::with_capacity(1 << 20, file)))
    }

    /// The file at `path`, for a writer whose writes are large already.
    pub fn unbuffered(path: &Path) -> io::Result<RowsFile> {
        File::create(path).map(RowsFile::Unbuffered)
    }
}

impl Write for RowsFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            RowsFile::Buffered(out) => out.write(buf),
            RowsFile::Unbuffered(out) => out.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            RowsFile::Buffered(out) => out.flush(),
            RowsFile::Unbuffered(out) => out.flush(),
        }
    }
}
