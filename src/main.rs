//! The `sls` command line: `check`, `graph` and `run` over `.sls` scripts.
//! Exit codes: 0 clean, 1 diagnostics (or a failed run), 2 usage error.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use sls::check::{Checked, Options, check};
use sls::ir::Program;

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
            Ok((_, program)) => run(&program, &args),
        },
    }
}

/// Runs every point and repetition of a program, printing each summary.
fn run(program: &Program, args: &RunArgs) -> ExitCode {
    let options = sls::serverless::RunOptions {
        lenient: args.lenient,
        progress: std::io::stderr().is_terminal(),
        rounds_only: false,
        class_threshold: None,
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
                    report_run_error(&error);
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

/// A run that could not finish: trace diagnostics are rendered with their
/// source line; other causes in one sentence.
fn report_run_error(error: &sls::serverless::RunError) {
    use sls::serverless::RunError;
    match error {
        RunError::Trace(trace) => {
            let color = std::io::stderr().is_terminal();
            let theme = if color {
                miette::GraphicalTheme::unicode()
            } else {
                miette::GraphicalTheme::unicode_nocolor()
            };
            let mut out = String::new();
            let _ = miette::GraphicalReportHandler::new_themed(theme)
                .with_width(if color { terminal_width() } else { 100 })
                .render_report(&mut out, trace.as_ref());
            eprint!("{out}");
        }
        RunError::UnknownTraceFunction { trace, function } => eprintln!(
            "sls: the trace `{trace}` invokes `{function}`, which the script does not declare; declare it, or give the replay a template with `as`"
        ),
        RunError::HeadFull { service, layer } => eprintln!(
            "sls: the head storage of `{service}` is too small to download layer `{layer}`; give its head disk more space"
        ),
        RunError::Io(e) => eprintln!("sls: cannot write results: {e}"),
        RunError::Platform(e) | RunError::Engine(e) => eprintln!("sls: internal error: {e}"),
    }
}

/// Reads and checks a script; on failure prints the diagnostics and returns
/// the exit code.
fn load(args: &ScriptArgs) -> Result<(PathBuf, Program), ExitCode> {
    let text = read_script(&args.file)?;
    let options = Options {
        params: args.params.clone(),
        seed: args.seed,
    };
    let Checked { sources, program } = check(&args.file, text, &options);
    match program {
        Ok(program) => Ok((args.file.clone(), program)),
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
