//! Mistakes raised in Python: every diagnostic (the checker's, a trace
//! reader's, a run's about something the script declares) becomes an
//! `sls.DiagnosticError` carrying each one's code, message, file, line,
//! column, label and help, and the text the command line would print (plain
//! and in colour, for a terminal or a notebook). Other run errors map to
//! Python's own exceptions.

use miette::{GraphicalReportHandler, GraphicalTheme};
use pyo3::exceptions::{PyKeyboardInterrupt, PyOSError, PyRuntimeError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use sls::check::RaisedWith;
use sls::diagnostic::{Diagnostic, Diagnostics};
use sls::ir::Model;
use sls::serverless::RunError;
use sls::syntax::source::Sources;

/// The width diagnostics are drawn at.
const WIDTH: usize = 100;

/// `text` of a diagnostic as a user sees it, plain or in colour.
fn render(diagnostic: &dyn miette::Diagnostic, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = GraphicalReportHandler::new_themed(theme)
        .with_width(WIDTH)
        .render_report(&mut out, diagnostic);
    out
}

/// One diagnostic as the fields of `sls.Diagnostic`: where its first label
/// points (file, 1-based line and column) is read from its source, so a
/// checker's diagnostic and a trace reader's are described alike.
fn fields<'py>(py: Python<'py>, diagnostic: &dyn miette::Diagnostic) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("code", diagnostic.code().map(|c| c.to_string()))?;
    dict.set_item("message", diagnostic.to_string())?;
    dict.set_item("help", diagnostic.help().map(|h| h.to_string()))?;
    let label = diagnostic.labels().and_then(|mut labels| labels.next());
    let place = label.as_ref().and_then(|label| {
        let contents = diagnostic.source_code()?.read_span(label.inner(), 0, 0).ok()?;
        Some((
            contents.name().map(str::to_string),
            contents.line() + 1,
            contents.column() + 1,
        ))
    });
    let (file, line, column) = match place {
        Some((file, line, column)) => (file, Some(line), Some(column)),
        None => (None, None, None),
    };
    dict.set_item("file", file)?;
    dict.set_item("line", line)?;
    dict.set_item("column", column)?;
    dict.set_item("label", label.and_then(|l| l.label().map(str::to_string)))?;
    dict.set_item("rendered", render(diagnostic, false))?;
    dict.set_item("rendered_color", render(diagnostic, true))?;
    let severity = match diagnostic.severity() {
        Some(miette::Severity::Warning) => "warning",
        _ => "error",
    };
    dict.set_item("severity", severity)?;
    Ok(dict)
}

/// `sls.DiagnosticError` holding `diagnostics` (each a miette diagnostic).
fn diagnostic_error(py: Python<'_>, diagnostics: &[&dyn miette::Diagnostic]) -> PyErr {
    let made = (|| {
        let described = diagnostics
            .iter()
            .map(|d| fields(py, *d))
            .collect::<PyResult<Vec<_>>>()?;
        let class = py.import("sls._errors")?.getattr("DiagnosticError")?;
        class.call1((described,))
    })();
    match made {
        Ok(error) => PyErr::from_value(error),
        Err(error) => error,
    }
}

/// The checker's warnings of a script, each an `sls.Diagnostic`.
pub fn warnings<'py>(py: Python<'py>, warnings: &Diagnostics, sources: &Sources) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let class = py.import("sls._errors")?.getattr("Diagnostic")?;
    warnings
        .0
        .iter()
        .map(|w| class.call((), Some(&fields(py, &w.bind(sources))?)))
        .collect()
}

/// The checker's diagnostics of a script.
pub fn check_error(py: Python<'_>, diagnostics: &Diagnostics, sources: &Sources) -> PyErr {
    let bound: Vec<_> = diagnostics.0.iter().map(|d| d.bind(sources)).collect();
    let all: Vec<&dyn miette::Diagnostic> = bound.iter().map(|b| b as &dyn miette::Diagnostic).collect();
    diagnostic_error(py, &all)
}

/// A run that could not finish, as the Python exception that says why.
pub fn run_error(py: Python<'_>, error: RunError, model: &Model, sources: &Sources, raised_with: RaisedWith) -> PyErr {
    if let RunError::Policy(policy) = &error
        && let Some(declared) = sls::driver::declared(&error, model, raised_with)
        && let Some((span, label)) = declared.at
    {
        // A policy written in the script: where its expression failed.
        let diagnostic = Diagnostic::new(declared.code, declared.message, span, label).with_help(declared.help);
        return policy_error(py, policy.clone(), Some(&diagnostic.bind(sources)));
    }
    if let Some(declared) = sls::driver::declared(&error, model, raised_with) {
        let help = declared.help;
        return match declared.at {
            Some((span, label)) => {
                let diagnostic = Diagnostic::new(declared.code, declared.message, span, label).with_help(help);
                check_error(py, &Diagnostics::from(vec![diagnostic]), sources)
            }
            None => diagnostic_error(
                py,
                &[&Unplaced {
                    code: declared.code.as_str(),
                    message: declared.message,
                    help,
                }],
            ),
        };
    }
    match error {
        RunError::Trace(trace) => diagnostic_error(py, &[trace.as_ref()]),
        RunError::Io(error) => PyOSError::new_err(error.to_string()),
        RunError::Interrupted => PyKeyboardInterrupt::new_err("the run was interrupted"),
        RunError::Policy(error) => policy_error(py, error, None),
        other => PyRuntimeError::new_err(format!("internal error: {other:?}")),
    }
}

/// `sls.PolicyError`: a policy written in Python raised, or answered no
/// decision, at a simulated date; or one written in the script failed at
/// the expression `at` points to (its file, line, column and rendering).
fn policy_error(py: Python<'_>, error: sls::policy::PolicyError, at: Option<&dyn miette::Diagnostic>) -> PyErr {
    let made = (|| {
        let class = py.import("sls._errors")?.getattr("PolicyError")?;
        let place = at.map(|d| fields(py, d)).transpose()?;
        let field = |name: &str| -> PyResult<Option<Bound<'_, PyAny>>> {
            place.as_ref().map_or(Ok(None), |p| p.get_item(name))
        };
        class.call1((
            error.policy,
            error.at,
            error.message,
            field("file")?,
            field("line")?,
            field("column")?,
            field("rendered")?,
        ))
    })();
    match made {
        Ok(error) => PyErr::from_value(error),
        Err(error) => error,
    }
}

/// A diagnostic with no place in a file to point at.
#[derive(Debug)]
struct Unplaced {
    code: &'static str,
    message: String,
    help: String,
}

impl std::fmt::Display for Unplaced {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Unplaced {}

impl miette::Diagnostic for Unplaced {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(&self.help))
    }
}
