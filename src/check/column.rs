//! One named column of numbers from the text of a CSV file, for
//! `empirical("file.csv", "column")`: the first non-blank line is the header
//! naming the columns, cells are split at commas and trimmed (not unquoted),
//! and empty or missing cells are skipped, so columns may differ in length.

/// Why a column could not be read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ColumnError {
    /// No header cell has the name; `header` holds the names there are
    /// (none for an empty file).
    Unknown { header: Vec<String> },
    /// A cell is not a finite number; `line` counts from 1.
    NotANumber { line: usize, cell: String },
    /// A cell is a number below zero.
    Negative { line: usize, cell: String },
    /// The column has no value at all.
    Empty,
}

/// The numbers of column `name`, top to bottom.
pub(crate) fn read_column(text: &str, name: &str) -> Result<Vec<f64>, ColumnError> {
    // A byte-order mark, as spreadsheet programs write, is not part of the header.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text
        .split('\n')
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim_end_matches('\r')))
        .filter(|(_, line)| !line.trim().is_empty());
    let header: Vec<String> = match lines.next() {
        Some((_, line)) => line.split(',').map(|c| c.trim().to_string()).collect(),
        None => Vec::new(),
    };
    let Some(index) = header.iter().position(|c| c == name) else {
        return Err(ColumnError::Unknown { header });
    };
    let mut values = Vec::new();
    for (line, text) in lines {
        let cell = text.split(',').nth(index).unwrap_or("").trim();
        if cell.is_empty() {
            continue;
        }
        match cell.parse::<f64>() {
            Ok(value) if !value.is_finite() => return Err(not_a_number(line, cell)),
            Ok(value) if value < 0.0 => {
                return Err(ColumnError::Negative {
                    line,
                    cell: cell.to_string(),
                });
            }
            Ok(value) => values.push(value),
            Err(_) => return Err(not_a_number(line, cell)),
        }
    }
    if values.is_empty() {
        return Err(ColumnError::Empty);
    }
    Ok(values)
}

fn not_a_number(line: usize, cell: &str) -> ColumnError {
    ColumnError::NotANumber {
        line,
        cell: cell.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_named_column_skipping_blanks() {
        let text = "\u{feff}id, ms ,kb\r\n1,12.5,3\n\n2,,4\n3,7\n4,1e2,5";
        assert_eq!(read_column(text, "ms"), Ok(vec![12.5, 7.0, 100.0]));
        assert_eq!(read_column(text, "kb"), Ok(vec![3.0, 4.0, 5.0]));
    }

    #[test]
    fn bad_cells_name_their_line() {
        let text = "ms\n1\n\nfast\n";
        assert_eq!(
            read_column(text, "ms"),
            Err(ColumnError::NotANumber {
                line: 4,
                cell: "fast".to_string()
            })
        );
        assert_eq!(
            read_column("ms\n-2", "ms"),
            Err(ColumnError::Negative {
                line: 2,
                cell: "-2".to_string()
            })
        );
        assert_eq!(
            read_column("ms\ninf", "ms"),
            Err(ColumnError::NotANumber {
                line: 2,
                cell: "inf".to_string()
            })
        );
    }

    #[test]
    fn unknown_and_empty_columns() {
        assert_eq!(
            read_column("a,b\n1,2", "c"),
            Err(ColumnError::Unknown {
                header: vec!["a".to_string(), "b".to_string()]
            })
        );
        assert_eq!(read_column("", "c"), Err(ColumnError::Unknown { header: Vec::new() }));
        assert_eq!(read_column("a,b\n1\n2", "b"), Err(ColumnError::Empty));
    }
}
