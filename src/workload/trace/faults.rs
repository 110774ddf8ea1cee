//! Where the bad rows found while scanning a trace go: reported together
//! (strict mode) or skipped and counted per kind (lenient mode).

use super::error::{BadCell, SkippedRows, TraceError, TraceErrorKind};

/// At most this many bad rows are shown in one report; the rest are counted.
const MAX_SHOWN: usize = 10;

/// The bad rows met so far while scanning a trace.
#[derive(Debug)]
pub(crate) struct Faults {
    lenient: bool,
    shown: Vec<TraceError>,
    count: u64,
    skipped: SkippedRows,
}

impl Faults {
    pub(crate) fn new(lenient: bool) -> Self {
        Faults {
            lenient,
            shown: Vec::new(),
            count: 0,
            skipped: SkippedRows::default(),
        }
    }

    /// Records bad row `line_number` (1-based) of `file`.
    pub(crate) fn report(&mut self, file: &str, line: &[u8], line_number: usize, bad: BadCell) {
        if self.lenient {
            self.skipped.add(bad.fault);
            return;
        }
        self.count += 1;
        if self.shown.len() < MAX_SHOWN {
            self.shown.push(TraceError::row(file, line, line_number, bad));
        }
    }

    /// The rows skipped (lenient mode), or the report of every bad row (strict mode).
    pub(crate) fn finish(mut self) -> Result<SkippedRows, TraceError> {
        match self.count {
            0 => Ok(self.skipped),
            1 => Err(self.shown.remove(0)),
            count => Err(TraceErrorKind::BadRows {
                count,
                shown: self.shown.len(),
                errors: self.shown,
            }
            .into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workload::trace::error::RowFault;

    fn bad(fault: RowFault) -> BadCell {
        BadCell {
            fault,
            start: 0,
            end: 1,
            column: "time".into(),
            help: "h".into(),
        }
    }

    #[test]
    fn lenient_mode_counts_per_kind() {
        let mut faults = Faults::new(true);
        faults.report("t.csv", b"x", 2, bad(RowFault::NotANumber));
        faults.report("t.csv", b"x", 3, bad(RowFault::NotANumber));
        let skipped = faults.finish().unwrap();
        assert_eq!(skipped.get(RowFault::NotANumber), 2);
    }

    #[test]
    fn strict_mode_reports_one_or_many() {
        let mut one = Faults::new(false);
        one.report("t.csv", b"x", 2, bad(RowFault::NotANumber));
        let error = one.finish().unwrap_err();
        assert!(matches!(error.kind(), TraceErrorKind::NotANumber { .. }));
        let mut many = Faults::new(false);
        for line in 0..25 {
            many.report("t.csv", b"x", line, bad(RowFault::OutOfOrder));
        }
        match many.finish().unwrap_err().kind() {
            TraceErrorKind::BadRows { count, shown, errors } => {
                assert_eq!((*count, *shown, errors.len()), (25, MAX_SHOWN, MAX_SHOWN));
            }
            other => panic!("{other:?}"),
        }
    }
}
