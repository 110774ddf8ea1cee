//! `empirical(..)`: a distribution over values listed in the script,
//! `empirical([1s, 2s])`, or over one column of a CSV file read at check
//! time, `empirical("d.csv", "ms", 1ms)`, the third argument giving the unit
//! of the column's plain numbers.

use crate::code::Code;
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::ir::Distribution;
use crate::syntax::ast::{Expr, ExprKind};
use crate::syntax::words::list_names;

use super::column::{ColumnError, read_column};
use super::context::Ctx;
use super::eval::describe_expr;
use super::files::{ReadError, refusal};
use crate::language::units::{Dim, lookup};

impl Ctx<'_> {
    /// The distribution of `call` (an `empirical` call with `args`), in SI units.
    pub(super) fn empirical(&mut self, call: &Expr, args: &[Expr], dim: Dim) -> Option<Distribution> {
        let Some(first) = args.first() else {
            self.empirical_arity(call, dim, None, 0);
            return None;
        };
        let first_value = self.resolve(first)?;
        match &first_value.kind {
            ExprKind::Str(path) => {
                if !(2..=3).contains(&args.len()) {
                    self.empirical_arity(call, dim, Some(path), args.len());
                    return None;
                }
                self.empirical_csv(call, path, first_value, &args[1], args.get(2), dim)
            }
            _ if args.len() == 1 => self.empirical_list(first_value, first, dim),
            _ => {
                self.empirical_arity(call, dim, None, args.len());
                None
            }
        }
    }

    /// A call with the wrong number of arguments; `path` is the CSV file
    /// it names, if any.
    fn empirical_arity(&mut self, call: &Expr, dim: Dim, path: Option<&str>, found: usize) {
        let help = match path {
            Some(path) => format!("write `{}`", csv_form(path, dim)),
            None => format!("write {}", forms(dim)),
        };
        self.error(
            Diagnostic::new(
                Code::WrongArguments,
                format!(
                    "`empirical` takes a list, or a CSV file and a column; found {found} argument{}",
                    if found == 1 { "" } else { "s" }
                ),
                call.span,
                "wrong number of arguments",
            )
            .with_help(help),
        );
    }

    /// `empirical([v, ...])`: `list` is the resolved first argument.
    fn empirical_list(&mut self, list: &Expr, use_site: &Expr, dim: Dim) -> Option<Distribution> {
        let example = dim.example("1");
        let ExprKind::List(items) = &list.kind else {
            self.value_error(
                Code::TypeMismatch,
                format!("expected a list of values, found {}", describe_expr(list)),
                list,
                use_site,
                format!("write {}", forms(dim)),
            );
            return None;
        };
        if items.is_empty() {
            self.value_error(
                Code::OutOfRange,
                "an empirical distribution needs at least one value".to_string(),
                list,
                use_site,
                format!("write `empirical([{example}])`"),
            );
            return None;
        }
        let values: Vec<Option<f64>> = items.iter().map(|i| self.non_negative(i, dim)).collect();
        values
            .into_iter()
            .collect::<Option<Vec<f64>>>()
            .map(Distribution::Empirical)
    }

    /// `empirical("file.csv", "column"[, unit])`: `path_expr` is the resolved
    /// path string `path`.
    fn empirical_csv(
        &mut self,
        call: &Expr,
        path: &str,
        path_expr: &Expr,
        column_expr: &Expr,
        unit_expr: Option<&Expr>,
        dim: Dim,
    ) -> Option<Distribution> {
        let column = self.string(column_expr, "\"duration_ms\"");
        let unit = match unit_expr {
            Some(e) => self.column_unit_ratio(e, dim),
            None if dim == Dim::Number => Some((1.0, 1.0)),
            None => {
                let column = column.as_deref().unwrap_or("column");
                self.error(
                    Diagnostic::new(
                        Code::MissingUnit,
                        format!("the numbers of column `{column}` have no unit, but {dim} is needed"),
                        call.span,
                        "no unit for the column",
                    )
                    .with_help(format!(
                        "add the unit of the column: `empirical({path:?}, {column:?}, {})`",
                        column_unit(column, dim)
                    )),
                );
                None
            }
        };
        let column = column?;
        // A path is relative to the folder of the file it is written in.
        let file = self.folder(path_expr.span.file).join(path);
        let text = match self.data_file(&file) {
            Ok(text) => text,
            Err(ReadError::Io(error)) => {
                self.error(
                    Diagnostic::new(
                        Code::EmpiricalMissingFile,
                        match error.kind() {
                            std::io::ErrorKind::NotFound => format!("no file at `{path}`"),
                            _ => format!("cannot read `{path}`: {error}"),
                        },
                        path_expr.span,
                        "cannot be read",
                    )
                    .with_help(
                        "write the path of a CSV file relative to this script's folder: `\"data/durations.csv\"`",
                    ),
                );
                return None;
            }
            Err(refused) => {
                self.error(refusal(path, path_expr.span, &refused, "CSV file"));
                return None;
            }
        };
        let column_span = self.resolve(column_expr).map_or(column_expr.span, |e| e.span);
        let values = match read_column(&text, &column) {
            Ok(values) => values,
            Err(ColumnError::Unknown { header }) => {
                self.error(
                    Diagnostic::new(
                        Code::EmpiricalUnknownColumn,
                        format!("`{path}` has no column `{column}`"),
                        column_span,
                        "no such column",
                    )
                    .with_help(unknown_column_help(path, &column, &header)),
                );
                return None;
            }
            Err(ColumnError::NotANumber { line, cell }) => {
                self.error(
                    Diagnostic::new(
                        Code::EmpiricalNotANumber,
                        format!("`{path}` line {line}, column `{column}`: `{cell}` is not a number"),
                        call.span,
                        format!("reads `{path}`"),
                    )
                    .with_help(match dim {
                        Dim::Number => "write a plain number in each cell, like `12.5`".to_string(),
                        _ => format!(
                            "write a plain number in each cell, like `12.5`, and its unit as the third argument: `{}`",
                            column_unit(&column, dim)
                        ),
                    }),
                );
                return None;
            }
            Err(ColumnError::Negative { line, cell }) => {
                self.error(
                    Diagnostic::new(
                        Code::EmpiricalNegativeValue,
                        format!("`{path}` line {line}, column `{column}`: `{cell}` is negative"),
                        call.span,
                        format!("reads `{path}`"),
                    )
                    .with_help(format!(
                        "{} cannot be negative: write zero or more in the cell, or remove the row",
                        dim.describe()
                    )),
                );
                return None;
            }
            Err(ColumnError::Empty) => {
                self.error(
                    Diagnostic::new(
                        Code::EmpiricalEmptyColumn,
                        format!("column `{column}` of `{path}` has no values"),
                        column_span,
                        "empty column",
                    )
                    .with_help(format!(
                        "write numbers in the `{column}` column, one per line below the header (empty cells are skipped)"
                    )),
                );
                return None;
            }
        };
        let (numerator, denominator) = unit?;
        Some(Distribution::Empirical(
            values.into_iter().map(|v| v * numerator / denominator).collect(),
        ))
    }

    /// The unit of a column's numbers, above zero, as the ratio giving it in SI.
    fn column_unit_ratio(&mut self, expr: &Expr, dim: Dim) -> Option<(f64, f64)> {
        let (numerator, denominator) = self.quantity_ratio(expr, dim)?;
        if numerator / denominator > 0.0 {
            return Some((numerator, denominator));
        }
        let written = self.written(expr);
        self.out_of_range(
            expr,
            format!("must be a unit greater than zero, not `{written}`"),
            &format!("write the unit of the column's numbers, such as `{}`", dim.example("1")),
        );
        None
    }
}

/// The two forms of `empirical`, for help texts.
fn forms(dim: Dim) -> String {
    format!(
        "`empirical([{}, {}])` or `{}`",
        dim.example("1"),
        dim.example("2"),
        csv_form("d.csv", dim)
    )
}

/// The CSV form of `empirical` reading `path`, with a unit when `dim` needs one.
fn csv_form(path: &str, dim: Dim) -> String {
    match dim {
        Dim::Number => format!("empirical({path:?}, \"column\")"),
        _ => format!("empirical({path:?}, \"column\", {})", dim.example("1")),
    }
}

/// The unit a column most likely holds: the unit its name ends with (`ms`,
/// `duration_ms`) when that unit measures `dim`, or the dimension's example.
fn column_unit(column: &str, dim: Dim) -> String {
    let suffix = column.rsplit(['_', ' ', '(', '[']).next().unwrap_or(column);
    let suffix = suffix.trim_end_matches([')', ']']);
    match lookup(suffix) {
        Some(info) if info.dim == dim => format!("1{suffix}"),
        _ => dim.example("1"),
    }
}

fn unknown_column_help(path: &str, column: &str, header: &[String]) -> String {
    if header.is_empty() {
        return format!("`{path}` is empty: its first line must name the columns, like `{column}`");
    }
    if header.iter().all(|c| c.parse::<f64>().is_ok()) {
        return format!(
            "the first line of `{path}` holds numbers: add a header line naming the columns, like `{column}`"
        );
    }
    match did_you_mean(column, header.iter().map(String::as_str)) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!(
            "the columns of `{path}` are {}",
            list_names(header.iter().map(String::as_str))
        ),
    }
}
