//! The `sls` command line: `check`, `graph` and `run` over `.sls` scripts,
//! `fmt` to lay them out, `lsp` to serve editors, `explain` for a
//! diagnostic code.
//! Exit codes: 0 clean, 1 diagnostics (or a failed run), 2 usage error.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use sls::check::{Checked, Options, check};
use sls::diagnostic::{Diagnostic, Diagnostics};
use sls::ir::Program;
use sls::syntax::source::{Sources, Span};

#[derive(Parser)]
#[command(
    name = "sls",
    version,
    about = "Simulate serverless platforms from `.sls` experiment scripts"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a script and report every mistake, without running it.
    Check(ScriptArgs),
    /// Print the script's model (workflows, functions, services, hosts) as Graphviz DOT.
    Graph(ScriptArgs),
    /// Run a script and report what happened to every invocation.
    Run(RunArgs),
    /// Format scripts in place in the canonical layout (standard input to
    /// standard output when no file or `-` is given).
    Fmt(FmtArgs),
    /// Serve the language server protocol over standard input and output.
    Lsp,
    /// Explain a diagnostic code (`sls explain unknown_host`): what it
    /// means, a script that makes it, and how to fix it.
    Explain {
        /// The code, with or without its `sls::` prefix.
        code: String,
    },
}

#[derive(Args)]
struct FmtArgs {
    /// The scripts; none or `-` reads standard input.
    files: Vec<PathBuf>,
    /// Change nothing; list the files that are not formatted, exit 1 if any.
    #[arg(long)]
    check: bool,
}

#[derive(Args)]
struct ScriptArgs {
    /// The `.sls` script.
    file: PathBuf,
    /// Override a parameter: `-p nodes=8` (repeatable).
    #[arg(short = 'p', long = "param", value_name = "NAME=VALUE")]
    params: Vec<String>,
    /// The seed of every random draw (over `param seed`).
    #[arg(long)]
    seed: Option<u64>,
}

#[derive(Args)]
struct RunArgs {
    #[command(flatten)]
    script: ScriptArgs,
    /// Folder for `invocations.csv` and `summary.json` (one subfolder per
    /// sweep point and repetition when there are several).
    #[arg(long, default_value = "out")]
    out: PathBuf,
    /// Count and skip bad trace rows instead of stopping at the first.
    #[arg(long)]
    lenient: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => match load(&args) {
            Err(code) => code,
            Ok((_, program)) => {
                say(&format!("{}\n", describe(&program)));
                ExitCode::SUCCESS
            }
        },
        Command::Graph(args) => match load(&args) {
            Err(code) => code,
            Ok((_, program)) => {
                let mut out = std::io::stdout().lock();
                for point in &program.points {
                    let _ = out.write_all(sls::ir::dot::to_dot(&point.model).as_bytes());
                }
                ExitCode::SUCCESS
            }
        },
        Command::Run(args) => match load(&args.script) {
            Err(code) => code,
            Ok((sources, program)) => run(&program, &sources, &args),
        },
        Command::Explain { code } => match sls::code::Code::find(&code) {
            Some(code) => {
                say(&code.explain());
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("sls: no diagnostic code `{code}`; codes look like `sls::unknown_host`");
                ExitCode::from(2)
            }
        },
        Command::Lsp => match sls::lsp::serve() {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("sls: language server: {error}");
                ExitCode::from(1)
            }
        },
        Command::Fmt(args) => {
            use sls::format::command::{Outcome, run};
            let color = std::io::stderr().is_terminal();
            match run(&args.files, args.check, color, terminal_width()) {
                Outcome::Done => ExitCode::SUCCESS,
                Outcome::Failed => ExitCode::from(1),
                Outcome::Unreadable => ExitCode::from(2),
            }
        }
    }
}

/// Runs every point and repetition of a program, printing each summary.
fn run(program: &Program, sources: &Sources, args: &RunArgs) -> ExitCode {
    let options = sls::serverless::RunOptions {
        lenient: args.lenient,
        progress: std::io::stderr().is_terminal(),
        rounds_only: false,
    };
    let many = program.points.len() > 1 || program.repeat > 1;
    for (p, point) in program.points.iter().enumerate() {
        for rep in 0..program.repeat {
            let seed = point.model.seed.wrapping_add(rep as u64);
            let dir = sls::driver::run_dir(&args.out, program, p, rep);
            match sls::driver::run_model(&point.model, seed, &options, &dir) {
                Ok(summary) => {
                    if many {
                        say(&format!("== {} (seed {seed})\n", dir.display()));
                    }
                    say(&summary.render());
                    for warning in &summary.warnings {
                        eprintln!("sls: warning: {warning}");
                    }
                }
                Err(error) => {
                    report_run_error(&error, &point.model, sources);
                    return ExitCode::from(1);
                }
            }
        }
    }
    say(&format!("results in {}\n", args.out.display()));
    ExitCode::SUCCESS
}

/// Writes to standard output, ignoring a closed pipe (`sls run ... | head`):
/// the run's files are written either way.
fn say(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// `1 host`, `2 hosts`.
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// A run that could not finish, with its code: trace diagnostics show the
/// trace's line; an error about something the script declares shows where.
fn report_run_error(error: &sls::serverless::RunError, model: &sls::ir::Model, sources: &Sources) {
    use sls::code::Code;
    use sls::serverless::RunError;
    let color = std::io::stderr().is_terminal();
    let width = if color { terminal_width() } else { 100 };
    let report = |code: Code, message: String, at: Option<(Span, &str)>| match at {
        Some((span, label)) => {
            let diagnostic = Diagnostic::new(code, message, span, label).with_help(code.fix());
            eprint!("{}", Diagnostics(vec![diagnostic]).render(sources, color, width));
        }
        None => eprintln!("sls: {code}: {message}\n  help: {}", code.fix()),
    };
    match error {
        RunError::Trace(trace) => {
            let theme = if color {
                miette::GraphicalTheme::unicode()
            } else {
                miette::GraphicalTheme::unicode_nocolor()
            };
            let mut out = String::new();
            let _ = miette::GraphicalReportHandler::new_themed(theme)
                .with_width(width)
                .render_report(&mut out, trace.as_ref());
            eprint!("{out}");
        }
        RunError::UnknownTraceFunction { trace, function } => report(
            Code::RunUnknownTraceFunction,
            format!("the trace `{trace}` invokes `{function}`, which the script does not declare"),
            model
                .replays
                .iter()
                .find(|r| r.path.display().to_string() == *trace)
                .map(|r| (r.span, "this replay has no template")),
        ),
        RunError::HeadFull { service, layer } => report(
            Code::RunHeadFull,
            format!("the head storage of `{service}` is too small to download layer `{layer}`"),
            model
                .services
                .iter()
                .find(|s| s.name == *service)
                .map(|s| (s.span, "its head disk is full")),
        ),
        RunError::Io(e) => report(Code::RunCannotWrite, format!("cannot write results: {e}"), None),
        RunError::Platform(e) | RunError::Engine(e) => eprintln!("sls: internal error: {e}"),
    }
}

/// Reads and checks a script; on failure prints the diagnostics and returns
/// the exit code.
fn load(args: &ScriptArgs) -> Result<(Sources, Program), ExitCode> {
    let text = read_script(&args.file)?;
    let options = Options {
        params: args.params.clone(),
        seed: args.seed,
    };
    let Checked { sources, program } = check(&args.file, text, &options);
    match program {
        Ok(program) => Ok((sources, program)),
        Err(diagnostics) => {
            let color = std::io::stderr().is_terminal();
            let width = if color { terminal_width() } else { 100 };
            eprint!("{}", diagnostics.render(&sources, color, width));
            let n = diagnostics.len();
            eprintln!(
                "sls: {n} error{} in {}",
                if n == 1 { "" } else { "s" },
                args.file.display()
            );
            Err(ExitCode::from(1))
        }
    }
}

fn read_script(path: &Path) -> Result<String, ExitCode> {
    match std::fs::read(path) {
        Err(error) => {
            eprintln!("sls: cannot read `{}`: {error}", path.display());
            Err(ExitCode::from(2))
        }
        Ok(bytes) => String::from_utf8(bytes).map_err(|_| {
            eprintln!("sls: `{}` is not UTF-8 text", path.display());
            ExitCode::from(2)
        }),
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

/// One line saying what a checked program holds.
fn describe(program: &Program) -> String {
    let Some(first) = program.points.first() else {
        return "ok: nothing to run".to_string();
    };
    let m = &first.model;
    let mut line = format!(
        "ok: {}, {}, {}, {}, {}, {}",
        count(m.platform.hosts.len(), "host"),
        count(m.services.len(), "service"),
        count(m.functions.len(), "function"),
        count(m.workflows.len(), "workflow"),
        count(m.streams.len(), "stream"),
        count(m.replays.len(), "replay")
    );
    if program.points.len() > 1 || program.repeat > 1 {
        line.push_str(&format!(
            "; {} x {}",
            count(program.points.len(), "sweep point"),
            count(program.repeat as usize, "repetition")
        ));
    }
    line
}
