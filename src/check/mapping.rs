//! Checking trace mappings: a `format NAME { ... }` declaration, or the
//! block of a `replay csv` (or of a replay of a declared format, whose
//! properties override the format's). Each property maps a meaning to a
//! column with its unit (`duration column("runtime", 1ms)`), or gives a
//! value for what the trace lacks (`memory 128MB`, maybe random); payload
//! sizes replace the service's (`request_payload column("body", 1B)`). Once the
//! replayed file is known, its header is read and every column the mapping
//! names must be in it.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use indexmap::IndexMap;

use crate::code::Code;
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::ir::mapping::{Field, FunctionColumns, Mapping, TimeColumn, TimeUnit};
use crate::ir::workload::MinuteSpread;
use crate::language::choices::Choices;
use crate::language::properties::Owner;
use crate::language::units::Dim;
use crate::syntax::ast::{Expr, ExprKind, Item, Property, PropertyDecl};
use crate::syntax::source::{FileId, Span};
use crate::workload::trace::Cells;
use crate::workload::trace::mapped::timestamp::{DIRECTIVES, Layout};

use super::context::{Ctx, Props};

/// Built-in formats: a `format` may not take their names.
pub(crate) const BUILT_IN: &[&str] = &["azure2019", "azure2021", "csv"];

/// The longest header line read to check a mapping's columns.
const MAX_HEADER_BYTES: u64 = 1 << 20;

/// A checked mapping, and where each column it reads is named in the script.
pub(crate) struct Checked {
    pub mapping: Mapping,
    pub columns: Vec<(String, Span)>,
}

/// The `format` declarations of a script by name, each checked once
/// (`None`: it has mistakes, reported already).
pub(crate) type Formats<'i> = IndexMap<String, Option<&'i PropertyDecl>>;

/// Checks every `format` declaration of `items`.
pub(crate) fn declare_formats<'i>(ctx: &mut Ctx, items: &[(FileId, &'i Item)]) -> Formats<'i> {
    let mut formats: Formats = IndexMap::new();
    let mut spans: IndexMap<String, Span> = IndexMap::new();
    for (_, item) in items {
        let Item::Format(decl) = item else { continue };
        let name = &decl.name;
        if BUILT_IN.contains(&name.name.as_str()) {
            ctx.error(
                Diagnostic::new(
                    Code::DuplicateName,
                    format!("`{}` is a built-in trace format", name.name),
                    name.span,
                    "declared again here",
                )
                .with_help("give the format a name of its own, like `my_trace`"),
            );
            continue;
        }
        if let Some(first) = spans.get(&name.name) {
            ctx.error(
                Diagnostic::new(
                    Code::DuplicateName,
                    format!("trace format `{}` is declared twice", name.name),
                    name.span,
                    "declared again here",
                )
                .with_label(*first, "first declared here")
                .with_help("rename one of them"),
            );
            continue;
        }
        spans.insert(name.name.clone(), name.span);
        let checked = check_mapping(ctx, &name.name, &decl.properties, name.span);
        formats.insert(name.name.clone(), checked.map(|_| decl));
    }
    formats
}

/// Checks the mapping of format `name` written as `properties`.
pub(crate) fn check_mapping(ctx: &mut Ctx, name: &str, properties: &[Property], span: Span) -> Option<Checked> {
    let props = Props::new(
        ctx,
        properties,
        &Owner::Mapping.names(""),
        format!("trace format `{name}`"),
        span,
    );
    let mut columns = Vec::new();
    let time = props
        .required(ctx, "time", "column(\"time\", 1s)")
        .and_then(|e| time_column(ctx, e, &mut columns));
    let header = props
        .get("function")
        .and_then(|e| ctx.resolve(e))
        .is_some_and(|e| matches!(&e.kind, ExprKind::Name(n) if n.name == "header"));
    let function = match props.required(ctx, "function", "column(\"function\")") {
        None => None,
        Some(_) if header => counted(ctx, &props, &mut columns),
        Some(e) => {
            let only_with_header = ["period", "spread", "ignore"];
            for extra in only_with_header.iter().filter_map(|p| props.get(p)) {
                bad_mapping(
                    ctx,
                    extra.span,
                    "this only applies to a trace whose columns are functions".into(),
                    "remove it, or write `function header` for a trace with a column per function".into(),
                );
            }
            column(ctx, e, &mut columns, "function")
                .map(FunctionColumns::Column)
                .filter(|_| only_with_header.iter().all(|p| props.get(p).is_none()))
        }
    };
    let app = props
        .get("app")
        .map(|e| column(ctx, e, &mut columns, "app"))
        .map_or(Some(None), |c| c.map(Some));
    let mut field = |ctx: &mut Ctx, property: &str, dim: Dim| match props.get(property) {
        None => Some(None),
        Some(e) => {
            let field = self::field(ctx, e, dim, &mut columns)?;
            if header && matches!(field, Field::Column { .. }) {
                bad_mapping(
                    ctx,
                    e.span,
                    format!("a row of a trace whose columns are functions has no `{property}` per invocation"),
                    format!("give a value for every invocation: `{property} {}`", example(dim)),
                );
                return None;
            }
            Some(Some(field))
        }
    };
    let duration = field(ctx, "duration", Dim::Time);
    let memory = field(ctx, "memory", Dim::Size);
    let request_payload = field(ctx, "request_payload", Dim::Size);
    let response_payload = field(ctx, "response_payload", Dim::Size);
    Some(Checked {
        mapping: Mapping {
            name: name.to_string(),
            time: time?,
            function: function?,
            app: app?,
            duration: duration?,
            memory: memory?,
            request_payload: request_payload?,
            response_payload: response_payload?,
        },
        columns,
    })
}

/// `function header`: its period, spread and ignored columns.
fn counted(ctx: &mut Ctx, props: &Props, columns: &mut Vec<(String, Span)>) -> Option<FunctionColumns> {
    let period = props
        .required(ctx, "period", "1min")
        .and_then(|e| ctx.positive(e, Dim::Time));
    let spread = match props.get("spread") {
        None => Some(MinuteSpread::Uniform),
        Some(e) => ctx.word(e, Choices::Spread).map(|(w, _)| match w.as_str() {
            "poisson" => MinuteSpread::Poisson,
            _ => MinuteSpread::Uniform,
        }),
    };
    let ignore = match props.get("ignore") {
        None => Some(Vec::new()),
        Some(e) => match &ctx.resolve(e)?.kind {
            ExprKind::List(items) => {
                let names: Vec<Option<String>> = items
                    .iter()
                    .map(|i| {
                        let name = ctx.string(i, "\"day\"")?;
                        columns.push((name.clone(), i.span));
                        Some(name)
                    })
                    .collect();
                names.into_iter().collect()
            }
            _ => {
                bad_mapping(
                    ctx,
                    e.span,
                    "expected a list of column names".into(),
                    "write `ignore [\"day\"]`".into(),
                );
                None
            }
        },
    };
    Some(FunctionColumns::Header {
        period: period?,
        spread: spread?,
        ignore: ignore?,
    })
}

/// `column("name", unit)` for a date: a time unit or `timestamp("layout")`.
fn time_column(ctx: &mut Ctx, e: &Expr, columns: &mut Vec<(String, Span)>) -> Option<TimeColumn> {
    let (name, args) = call(ctx, e, "column(\"time\", 1s)")?;
    let args = ctx.arity(e, "column", args, &["\"name\"", "unit"])?;
    let column = ctx.string(&args[0], "\"time\"")?;
    columns.push((column.clone(), args[0].span));
    let _ = name;
    let unit = match &ctx.resolve(&args[1])?.kind {
        ExprKind::Call { name, args: layout } if name.name == "timestamp" => {
            let layout = ctx.arity(&args[1], "timestamp", layout, &["\"%Y-%m-%d %H:%M:%S\""])?;
            let text = ctx.string(&layout[0], "\"%Y-%m-%d %H:%M:%S\"")?;
            if let Err(why) = Layout::parse(&text) {
                bad_mapping(
                    ctx,
                    layout[0].span,
                    format!("not a timestamp layout: {why}"),
                    format!("write the layout with {DIRECTIVES}, like `\"%Y-%m-%d %H:%M:%S\"`"),
                );
                return None;
            }
            TimeUnit::Timestamp(text)
        }
        _ => TimeUnit::Seconds(scale(ctx, &args[1], Dim::Time)?),
    };
    Some(TimeColumn { column, unit })
}

/// `column("name")`: a column of names.
fn column(ctx: &mut Ctx, e: &Expr, columns: &mut Vec<(String, Span)>, what: &str) -> Option<String> {
    let example = format!("column(\"{what}\")");
    let (_, args) = call(ctx, e, &example)?;
    let args = ctx.arity(e, "column", args, &["\"name\""])?;
    let column = ctx.string(&args[0], &format!("\"{what}\""))?;
    columns.push((column.clone(), args[0].span));
    Some(column)
}

/// `column("name", unit)` of numbers in `dim`, or a value drawn per invocation.
fn field(ctx: &mut Ctx, e: &Expr, dim: Dim, columns: &mut Vec<(String, Span)>) -> Option<Field> {
    let resolved = ctx.resolve(e)?;
    let ExprKind::Call { name, args } = &resolved.kind else {
        return ctx.distribution(e, dim).map(Field::Drawn);
    };
    if name.name != "column" {
        return ctx.distribution(e, dim).map(Field::Drawn);
    }
    let args = ctx.arity(resolved, "column", args, &["\"name\"", example(dim)])?;
    let column = ctx.string(&args[0], "\"name\"")?;
    let scale = scale(ctx, &args[1], dim)?;
    columns.push((column.clone(), args[0].span));
    Some(Field::Column { column, scale })
}

/// The unit of a column's numbers: a quantity of `dim` (`1ms`); a bare
/// unit (`ms`) is said to need its number.
fn scale(ctx: &mut Ctx, e: &Expr, dim: Dim) -> Option<f64> {
    if let ExprKind::Name(n) = &e.kind
        && crate::language::units::lookup(&n.name).is_some()
    {
        bad_mapping(
            ctx,
            e.span,
            format!("`{}` is a unit without its number", n.name),
            format!("write what one in the column is worth: `1{}`", n.name),
        );
        return None;
    }
    ctx.positive(e, dim)
}

/// The call `e` is (through parameters), if it is `column(...)`.
fn call<'a: 'e, 'e>(ctx: &mut Ctx<'a>, e: &'e Expr, example: &str) -> Option<(&'e str, &'e [Expr])> {
    let resolved = ctx.resolve(e)?;
    match &resolved.kind {
        ExprKind::Call { name, args } if name.name == "column" => Some((name.name.as_str(), args.as_slice())),
        _ => {
            bad_mapping(
                ctx,
                e.span,
                "expected the column that holds it".into(),
                format!("write `{example}`, naming a column of the trace's header"),
            );
            None
        }
    }
}

/// A unit for help, per dimension.
fn example(dim: Dim) -> &'static str {
    match dim {
        Dim::Time => "1ms",
        _ => "1MB",
    }
}

fn bad_mapping(ctx: &mut Ctx, span: Span, message: String, help: String) {
    ctx.error(Diagnostic::new(Code::BadMapping, message, span, "not a mapping").with_help(help));
}

/// Checks that the header of the trace at `path` (shown as `shown`) has
/// every column of `checked`; a diagnostic on each one it lacks.
pub(crate) fn check_header(ctx: &mut Ctx, checked: &Checked, path: &Path, shown: &str) -> bool {
    let Some(header) = read_header(path) else {
        // An unreadable file is the reader's to report, with its own code.
        return true;
    };
    let mut ok = true;
    for (column, span) in &checked.columns {
        if header.iter().any(|h| h == column) {
            continue;
        }
        let help = match did_you_mean(column, header.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!(
                "the columns of `{shown}` are {}",
                crate::syntax::words::list_names(header.iter().map(String::as_str))
            ),
        };
        ctx.error(
            Diagnostic::new(
                Code::UnknownTraceColumn,
                format!("`{shown}` has no column `{column}`"),
                *span,
                "no such column",
            )
            .with_help(help),
        );
        ok = false;
    }
    ok
}

/// The cells of the first non-blank line of a file, trimmed.
pub(super) fn read_header(path: &Path) -> Option<Vec<String>> {
    let file = std::fs::File::open(path).ok()?;
    let mut reader = BufReader::new(file.take(MAX_HEADER_BYTES));
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).ok()? == 0 {
            return Some(Vec::new());
        }
        if !line.trim().is_empty() {
            break;
        }
    }
    let line = line.strip_prefix('\u{feff}').unwrap_or(&line);
    // Cut as the readers cut it: a quoted name is read without its quotes.
    let cells = Cells::new(line.trim_end_matches(['\n', '\r']).as_bytes());
    Some(
        cells
            .map(|(_, cell)| String::from_utf8_lossy(cell).trim().to_string())
            .collect(),
    )
}
