//! The `trace.` fields a replay gives its template. A template whose body
//! or limits use `trace.duration` or `trace.memory` is replayed only from a
//! trace that gives them: from one that does not, each invocation slept
//! 0 s or reserved no RAM, without a word. What each format gives: a
//! mapping, what it maps; a plain CSV, the optional columns its header
//! names; Azure 2021, a duration and no memory; Azure 2019, both, for each
//! function and application its percentile files have a row for (the
//! reader checks the rows, which only a scan of the files finds).

use std::path::Path;

use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::ir::function::Function;
use crate::ir::workload::TraceFormat;
use crate::syntax::ast::Ident;
use crate::syntax::words::list_all;

use super::context::Ctx;

/// Whether the replay of `path` (shown as `shown`) in `format` gives every
/// `trace.` field `template` (written `name`) uses; one diagnostic naming
/// all it lacks if not.
pub(super) fn check(
    ctx: &mut Ctx,
    format: &TraceFormat,
    path: &Path,
    shown: &str,
    template: &Function,
    name: &Ident,
) -> bool {
    let used = template.trace_fields();
    if used.is_empty() {
        return true;
    }
    // An unreadable file or a bad header is the reader's to report.
    let Some(header) = (matches!(format, TraceFormat::Csv))
        .then(|| super::mapping::read_header(path))
        .unwrap_or(Some(Vec::new()))
    else {
        return true;
    };
    let lacking: Vec<&str> = used
        .into_iter()
        .filter(|field| !gives(format, &header, field))
        .collect();
    if lacking.is_empty() {
        return true;
    }
    let uses = list_all(
        &lacking
            .iter()
            .map(|field| format!("`trace.{field}`"))
            .collect::<Vec<_>>(),
    );
    let (what, help) = explain(format, shown, &lacking, &name.name);
    ctx.error(
        Diagnostic::new(
            Code::MissingArgument,
            format!("`{}` uses {uses}, which {what}", name.name),
            name.span,
            "template",
        )
        .with_help(help),
    );
    false
}

/// Whether `format` gives `field` (`duration` or `memory`); `header` is a
/// plain CSV's.
fn gives(format: &TraceFormat, header: &[String], field: &str) -> bool {
    match format {
        TraceFormat::Mapped(mapping) => match field {
            "duration" => mapping.duration.is_some(),
            _ => mapping.memory.is_some(),
        },
        TraceFormat::Csv => header.iter().any(|cell| cell == field),
        TraceFormat::Azure2021 => field == "duration",
        TraceFormat::Azure2019(_) => true,
    }
}

/// The end of the message (after "which") and the help, for the fields
/// `format` lacks.
fn explain(format: &TraceFormat, shown: &str, lacking: &[&str], template: &str) -> (String, String) {
    // A column and a value for every invocation, as a help shows them.
    let column = |field: &&str| {
        let unit = if *field == "duration" { "1ms" } else { "1MB" };
        format!("`{field} column(\"name\", {unit})`")
    };
    let value = |field: &&str| {
        let value = if *field == "duration" { "100ms" } else { "128MB" };
        format!("`{field} {value}`")
    };
    let values = lacking.iter().map(value);
    match format {
        TraceFormat::Mapped(mapping) => {
            let (them, each) = if lacking.len() == 1 {
                ("it", "")
            } else {
                ("them", "each ")
            };
            (
                format!("trace format `{}` does not give", mapping.name),
                format!(
                    "map {them} in the replay's block, {each}to a column ({}) or to a value for every invocation ({})",
                    lacking.iter().map(column).collect::<Vec<_>>().join(", "),
                    values.collect::<Vec<_>>().join(", ")
                ),
            )
        }
        TraceFormat::Csv => {
            let columns = lacking
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(" or ");
            let adds: Vec<String> = lacking
                .iter()
                .map(|f| match *f {
                    "duration" => "a `duration` column (seconds) after `function`".to_string(),
                    _ => "a `memory` column (MB) last".to_string(),
                })
                .collect();
            let adds = list_all(&adds);
            let mapping = [
                "`time column(\"time\", 1s)`".to_string(),
                "`function column(\"function\")`".to_string(),
            ];
            (
                format!("`{shown}` does not give: its header has no {columns} column"),
                format!(
                    "add {adds}; or map the file in a block after `as {template}`, giving every invocation a value: {}",
                    list_all(&mapping.into_iter().chain(values).collect::<Vec<_>>())
                ),
            )
        }
        // Azure 2019 gives both fields: only Azure 2021's memory is asked for.
        TraceFormat::Azure2021 | TraceFormat::Azure2019(_) => (
            "an `azure2021` trace does not give: its rows have no memory".to_string(),
            format!("give `{template}` a RAM limit of its own, such as `limits {{ ram 256MB }}`"),
        ),
    }
}
