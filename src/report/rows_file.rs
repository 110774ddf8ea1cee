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

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::RowsFile;

    #[test]
    fn both_kinds_write_every_byte_in_order() {
        let dir = std::env::temp_dir().join(format!("sls-rows-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let rows: Vec<Vec<u8>> = (0..3000u32)
            .map(|i| format!("{i},{}\n", "x".repeat(i as usize % 700)).into_bytes())
            .collect();
        for (name, create) in [
            (
                "buffered.csv",
                RowsFile::buffered as fn(&std::path::Path) -> std::io::Result<RowsFile>,
            ),
            ("unbuffered.csv", RowsFile::unbuffered),
        ] {
            let path = dir.join(name);
            let mut file = create(&path).unwrap();
            for row in &rows {
                file.write_all(row).unwrap();
            }
            file.flush().unwrap();
            drop(file);
            assert!(
                std::fs::read(&path).unwrap() == rows.concat(),
                "{name}: the bytes differ"
            );
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
