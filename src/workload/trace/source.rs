//! The source code of a trace diagnostic: one line of a file, not the whole
//! file (traces are streamed), rendered by miette with its true `file:line:col`.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// Lines longer than this are cropped around the bad cell so that a report
/// stays readable at 80 columns (Azure 2019 rows hold 1444 cells).
const MAX_SHOWN: usize = 64;
/// Bytes kept before the bad cell when cropping.
const LEAD: usize = 24;
const ELLIPSIS: &str = "…";

/// One line of a trace file, possibly cropped, with where it sits in the file.
#[derive(Debug, Clone)]
pub struct LineSource {
    name: String,
    /// The shown text (with a leading `…` when cropped on the left).
    text: String,
    /// Offset, in the full line, that the first byte of `text` stands for.
    offset: usize,
    /// Column (0-based, in characters) of the first character of `text`.
    column: usize,
    /// 0-based line number.
    line: usize,
}

impl LineSource {
    /// The source for line `line_number` (1-based) of file `name`, whose raw
    /// bytes are `raw`, and the label span for bytes `start..end` of that
    /// line, clamped to what is shown.
    pub fn new(name: &str, raw: &[u8], line_number: usize, start: usize, end: usize) -> (Self, SourceSpan) {
        // Invalid UTF-8 becomes `?` byte for byte, so byte offsets stay true.
        let full: String = match std::str::from_utf8(raw) {
            Ok(text) => text.to_owned(),
            Err(_) => raw
                .iter()
                .map(|&b| if b.is_ascii() { b as char } else { '?' })
                .collect(),
        };
        let start = floor_boundary(&full, start.min(full.len()));
        let end = floor_boundary(&full, end.clamp(start, full.len()));
        let (crop_start, crop_end) = if full.len() <= MAX_SHOWN {
            (0, full.len())
        } else {
            let from = floor_boundary(&full, start.saturating_sub(LEAD));
            (from, floor_boundary(&full, (from + MAX_SHOWN).min(full.len())))
        };
        let end = end.min(crop_end);
        let mut text = String::with_capacity(crop_end - crop_start + 2 * ELLIPSIS.len());
        let (offset, column) = if crop_start > 0 {
            text.push_str(ELLIPSIS);
            let before = full[..crop_start].chars().count();
            (crop_start - ELLIPSIS.len(), before - 1)
        } else {
            (0, 0)
        };
        text.push_str(&full[crop_start..crop_end]);
        if crop_end < full.len() {
            text.push_str(ELLIPSIS);
        } else if start == full.len() {
            // miette draws no label past the last character: give a missing
            // cell at the end of the line a blank to point at.
            text.push(' ');
        }
        let source = LineSource {
            name: name.to_owned(),
            text,
            offset,
            column,
            line: line_number.saturating_sub(1),
        };
        (source, SourceSpan::new(start.into(), end - start))
    }
}

/// The largest char boundary of `text` at or before `at`.
fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

impl SourceCode for LineSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        _context_lines_before: usize,
        _context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        // miette reads the primary label's span to print `file:line:col`, so
        // the column returned is that of the span's start.
        let within = span.offset().saturating_sub(self.offset).min(self.text.len());
        let column = self.column + self.text[..floor_boundary(&self.text, within)].chars().count();
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            self.text.as_bytes(),
            SourceSpan::new(self.offset.into(), self.text.len()),
            self.line,
            column,
            1,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contents(source: &LineSource, span: SourceSpan) -> (String, usize, usize) {
        let c = source.read_span(&span, 0, 0).unwrap();
        (String::from_utf8(c.data().to_vec()).unwrap(), c.line(), c.column())
    }

    #[test]
    fn short_lines_are_kept_whole() {
        let (source, span) = LineSource::new("t.csv", b"1.0,f,abc", 7, 6, 9);
        assert_eq!(span, SourceSpan::new(6.into(), 3));
        assert_eq!(contents(&source, span), ("1.0,f,abc".to_owned(), 6, 6));
    }

    #[test]
    fn long_lines_are_cropped_around_the_span() {
        let line = format!("{},x,{}", "1,".repeat(100), "2,".repeat(100));
        let (source, span) = LineSource::new("t.csv", line.as_bytes(), 2, 201, 202);
        let (text, line_index, column) = contents(&source, span);
        assert!(text.starts_with('…') && text.ends_with('…'), "{text}");
        assert_eq!((line_index, column), (1, 201));
        let shown = &text[span.offset() - source.offset..][..1];
        assert_eq!(shown, "x");
    }

    #[test]
    fn invalid_utf8_keeps_offsets() {
        let (source, span) = LineSource::new("t.csv", b"\xff\xfe,bad", 1, 3, 6);
        assert_eq!(contents(&source, span), ("??,bad".to_owned(), 0, 3));
    }
}
