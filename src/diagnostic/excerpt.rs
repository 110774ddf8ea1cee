//! One line of a file shown in a diagnostic instead of the whole file: a
//! trace row (traces are streamed, never held whole), or a script line too
//! long or too strange to print as it is. The line is cropped around what is
//! pointed at and its control characters are escaped, so a report stays
//! readable at 80 columns and nothing in it drives the terminal; miette
//! renders it with its true `file:line:col`.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use super::text::{escape, needs_escape, push_visible};

/// Lines longer than this (in bytes) are cropped around the place pointed
/// at (Azure 2019 rows hold 1444 cells).
pub const MAX_SHOWN: usize = 64;
/// Bytes kept before the place pointed at when cropping.
const LEAD: usize = 24;
const ELLIPSIS: &str = "…";

/// Where a character of the line stands in the shown text.
#[derive(Debug, Clone, Copy)]
struct Mark {
    /// Byte offset in the line.
    line_byte: usize,
    /// Byte offset in the shown text.
    text_byte: usize,
    /// Column (0-based, in characters) in the line.
    column: usize,
}

/// One line of a file, possibly cropped and escaped, with where it sits in
/// the file. Label spans given to miette are offsets in the shown text, made
/// by [`Excerpt::span`] from offsets in the line.
#[derive(Debug, Clone)]
pub struct Excerpt {
    name: String,
    /// The shown text (with `…` where cropped).
    text: String,
    /// One mark per shown character of the line, and one for the end of
    /// what is shown; sorted by both offsets.
    marks: Vec<Mark>,
    /// 0-based line number.
    line: usize,
}

impl Excerpt {
    /// Line `line_number` (1-based) of file `name`, whose raw bytes are
    /// `raw`, cropped to show bytes `start..` of the line.
    pub fn new(name: &str, raw: &[u8], line_number: usize, start: usize) -> Self {
        // Invalid UTF-8 becomes `?` byte for byte, so byte offsets stay true.
        let full: std::borrow::Cow<str> = match std::str::from_utf8(raw) {
            Ok(text) => text.into(),
            Err(_) => raw
                .iter()
                .map(|&b| if b.is_ascii() { b as char } else { '?' })
                .collect::<String>()
                .into(),
        };
        let start = floor_boundary(&full, start.min(full.len()));
        let (crop_start, crop_end) = if full.len() <= MAX_SHOWN {
            (0, full.len())
        } else {
            let from = floor_boundary(&full, start.saturating_sub(LEAD));
            (from, floor_boundary(&full, (from + MAX_SHOWN).min(full.len())))
        };
        let mut text = String::with_capacity(crop_end - crop_start + 2 * ELLIPSIS.len());
        let mut column = full[..crop_start].chars().count();
        if crop_start > 0 {
            text.push_str(ELLIPSIS);
        }
        let mut marks = Vec::with_capacity(crop_end - crop_start + 1);
        for (at, c) in full[crop_start..crop_end].char_indices() {
            marks.push(Mark {
                line_byte: crop_start + at,
                text_byte: text.len(),
                column,
            });
            push_visible(&mut text, c);
            column += 1;
        }
        marks.push(Mark {
            line_byte: crop_end,
            text_byte: text.len(),
            column,
        });
        if crop_end < full.len() {
            text.push_str(ELLIPSIS);
        } else if start == full.len() {
            // miette draws no label past the last character: give a place
            // at the end of the line a blank to point at.
            text.push(' ');
        }
        Excerpt {
            name: escape(name).into_owned(),
            text,
            marks,
            line: line_number.saturating_sub(1),
        }
    }

    /// The label span for bytes `start..end` of the line, clamped to what is
    /// shown (a place cropped away is pointed at on the nearest side).
    pub fn span(&self, start: usize, end: usize) -> SourceSpan {
        let from = self.text_offset(start);
        let to = self.text_offset(end.max(start)).max(from);
        SourceSpan::new(from.into(), to - from)
    }

    /// Whether bytes `start..end` of the line are all shown.
    pub fn shows(&self, start: usize, end: usize) -> bool {
        let (first, last) = (self.marks[0].line_byte, self.marks[self.marks.len() - 1].line_byte);
        first <= start && end <= last
    }

    fn text_offset(&self, line_byte: usize) -> usize {
        let i = self.marks.partition_point(|m| m.line_byte <= line_byte);
        self.marks[i.saturating_sub(1)].text_byte
    }
}

/// Whether a line must be shown as an [`Excerpt`] rather than as it is: too
/// long, or holding characters that must be escaped.
pub fn needs_excerpt(line: &str) -> bool {
    line.len() > 4 * MAX_SHOWN || line.chars().any(needs_escape)
}

/// The largest char boundary of `text` at or before `at`.
fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        _context_lines_before: usize,
        _context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        // miette reads the primary label's span to print `file:line:col`, so
        // the column returned is that of the span's start.
        let i = self.marks.partition_point(|m| m.text_byte <= span.offset());
        let column = self.marks[i.saturating_sub(1)].column;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            self.text.as_bytes(),
            SourceSpan::new(0.into(), self.text.len()),
            self.line,
            column,
            1,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contents(source: &Excerpt, span: SourceSpan) -> (String, usize, usize) {
        let c = source.read_span(&span, 0, 0).unwrap();
        (String::from_utf8(c.data().to_vec()).unwrap(), c.line(), c.column())
    }

    #[test]
    fn short_lines_are_kept_whole() {
        let source = Excerpt::new("t.csv", b"1.0,f,abc", 7, 6);
        let span = source.span(6, 9);
        assert_eq!(span, SourceSpan::new(6.into(), 3));
        assert_eq!(contents(&source, span), ("1.0,f,abc".to_owned(), 6, 6));
    }

    #[test]
    fn long_lines_are_cropped_around_the_span() {
        let line = format!("{},x,{}", "1,".repeat(100), "2,".repeat(100));
        let source = Excerpt::new("t.csv", line.as_bytes(), 2, 201);
        let span = source.span(201, 202);
        let (text, line_index, column) = contents(&source, span);
        assert!(text.starts_with('…') && text.ends_with('…'), "{text}");
        assert_eq!((line_index, column), (1, 201));
        assert_eq!(&text[span.offset()..][..1], "x");
        assert!(source.shows(201, 202) && !source.shows(0, 1));
    }

    #[test]
    fn invalid_utf8_keeps_offsets() {
        let source = Excerpt::new("t.csv", b"\xff\xfe,bad", 1, 3);
        let span = source.span(3, 6);
        assert_eq!(contents(&source, span), ("??,bad".to_owned(), 0, 3));
    }

    #[test]
    fn control_characters_are_escaped_and_labels_follow() {
        let source = Excerpt::new("t\u{1b}.csv", b"a\x1b[31m,\x00,bad", 1, 9);
        let span = source.span(9, 12);
        let (text, _, column) = contents(&source, span);
        assert_eq!(text, "a\\u{1b}[31m,\\u{0},bad");
        assert_eq!(&text[span.offset()..span.offset() + span.len()], "bad");
        assert_eq!(column, 9);
        assert_eq!(source.name, "t\\u{1b}.csv");
    }
}
