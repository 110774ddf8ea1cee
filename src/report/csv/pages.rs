//! The rows' buffer, handed to the output a megabyte at a time from a
//! page-aligned address: writes the kernel can take straight from this
//! memory to the disk ([`crate::report::RowsFile`]), where an unaligned
//! write goes through the page cache, a copy that was more than half of the
//! writer thread's CPU at 100 requests/s.

use std::io::{self, Write};

use crate::report::rows_file::ALIGN;

/// Bytes handed over at once: a multiple of [`ALIGN`].
pub const FLUSH_AT: usize = 1 << 20;

/// Rows formatted and not yet written, in `bytes[start..end]`, with room
/// after `end` for the row being formatted.
pub struct Pages {
    bytes: Vec<u8>,
    /// The first page-aligned byte of `bytes`.
    start: usize,
    end: usize,
}

impl Pages {
    /// A buffer holding `first` with `room` bytes after the megabyte.
    pub fn new(first: &[u8], room: usize) -> Pages {
        let mut pages = Pages {
            bytes: Vec::new(),
            start: 0,
            end: 0,
        };
        pages.make_room(room);
        pages.bytes[pages.start..pages.start + first.len()].copy_from_slice(first);
        pages.end = pages.start + first.len();
        pages
    }

    /// Grows the room after the megabyte to `room` bytes, exactly: `resize`
    /// alone would double the megabyte's capacity.
    pub fn make_room(&mut self, room: usize) {
        let length = ALIGN + FLUSH_AT.max(self.end - self.start) + room;
        self.bytes.reserve_exact(length.saturating_sub(self.bytes.len()));
        self.bytes.resize(length, 0);
        // The vector may have moved: the rows move to its first page boundary.
        let start = self.bytes.as_ptr().align_offset(ALIGN);
        self.bytes.copy_within(self.start..self.end, start);
        self.end = self.end - self.start + start;
        self.start = start;
    }

    /// The buffer and where the next row begins in it.
    pub fn room(&mut self) -> (&mut [u8], usize) {
        (&mut self.bytes, self.end)
    }

    /// Marks the bytes up to `end` as formatted, and writes a megabyte to
    /// `out` once there is one, keeping what follows it for the next.
    pub fn filled_to(&mut self, end: usize, out: &mut impl Write) -> io::Result<()> {
        self.end = end;
        if end - self.start >= FLUSH_AT {
            out.write_all(&self.bytes[self.start..self.start + FLUSH_AT])?;
            self.bytes.copy_within(self.start + FLUSH_AT..end, self.start);
            self.end -= FLUSH_AT;
        }
        Ok(())
    }

    /// Writes what is left to `out`.
    pub fn finish(&mut self, out: &mut impl Write) -> io::Result<()> {
        out.write_all(&self.bytes[self.start..self.end])?;
        self.end = self.start;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::io::{self, Write};

    use super::{ALIGN, FLUSH_AT, Pages};

    /// An output that keeps what it was given and each write's address
    /// and length.
    #[derive(Default)]
    struct Recorder {
        bytes: Vec<u8>,
        writes: Vec<(usize, usize)>,
    }

    impl Write for Recorder {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.writes.push((buf.as_ptr() as usize, buf.len()));
            self.bytes.extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn megabytes_are_handed_over_aligned_and_the_bytes_kept_in_order() {
        let mut out = Recorder::default();
        let mut pages = Pages::new(b"header\n", 64);
        let mut expected = b"header\n".to_vec();
        for i in 0..100_000u32 {
            if i == 1000 {
                // Room grown mid-way (the vector moves): the rows move with it.
                pages.make_room(4096);
            }
            let row = format!("{i},{}\n", "x".repeat((i % 50) as usize));
            let (bytes, at) = pages.room();
            bytes[at..at + row.len()].copy_from_slice(row.as_bytes());
            pages.filled_to(at + row.len(), &mut out).unwrap();
            expected.extend_from_slice(row.as_bytes());
        }
        pages.finish(&mut out).unwrap();
        assert_eq!(out.bytes, expected);
        let (last, whole) = out.writes.split_last().unwrap();
        assert!(whole.len() >= 2);
        for &(address, length) in whole {
            assert_eq!((address % ALIGN, length), (0, FLUSH_AT));
        }
        assert!(last.1 < FLUSH_AT);
    }
}
