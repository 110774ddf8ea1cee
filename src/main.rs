//! The `sls` command line: `check`, `graph` and `run` over `.sls` scripts,
//! `merge` to put a sweep's parts together, `fmt` to lay them out, `lsp` to serve editors, `explain` for a
//! diagnostic code.
//! Exit codes: 0 clean, 1 diagnostics (or a failed run), 2 usage error.

// A closed pipe must not panic the command: print through `sls::console`.
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod cli;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use sls::check::{Limits, Options, RaisedWith, check};
use sls::ir::Program;
use sls::syntax::source::Sources;

use cli::{say, terminal_width};

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
    /// Print the script's model (streams, workflows, functions, services, hosts, links, routes) as Graphviz DOT or SVG.
    Graph(GraphArgs),
    /// Run a script and report what happened to every invocation.
    Run(RunArgs),
    /// Put results folders of one experiment together (the parts `sls run
    /// --point K` wrote, one per task of a job array): every run's files,
    /// `manifest.json` and `runs.csv`, as one `sls run` would have written them.
    Merge(MergeArgs),
    /// Draw a results folder's charts into one self-contained HTML page.
    Report(ReportArgs),
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
struct MergeArgs {
    /// The results folders to merge (each written by `sls run ... --point K`).
    #[arg(required = true)]
    parts: Vec<PathBuf>,
    /// Folder for the merged results (made if missing).
    #[arg(long)]
    out: PathBuf,
    /// Replace results of another experiment in `--out`.
    #[arg(long)]
    force: bool,
    /// Print nothing but errors.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// The caps the parts ran under (their script is checked again).
    #[command(flatten)]
    limits: LimitArgs,
}

#[derive(Args)]
struct ReportArgs {
    /// A folder `sls run` wrote.
    out: PathBuf,
    /// Write the charts alone, as SVG files in `OUT/charts/`.
    #[arg(long)]
    svg: bool,
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
    #[command(flatten)]
    limits: LimitArgs,
}

/// Caps on the work a script declares; a script over one is refused
/// before anything runs, with the flag that raises it.
#[derive(Args, Clone)]
struct LimitArgs {
    /// Most runs of a sweep (points x repetitions).
    #[arg(long, value_name = "N", default_value_t = Limits::default().runs)]
    max_runs: u64,
    /// Most hosts (and links) of the platform; routes may be ten times as many.
    #[arg(long, value_name = "N", default_value_t = Limits::default().hosts)]
    max_hosts: u64,
    /// Most invocations the workload declares, over all runs.
    #[arg(long, value_name = "N", default_value_t = Limits::default().invocations)]
    max_invocations: u64,
    /// Most bytes of result files, as estimated from the declared invocations.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().output)]
    max_output: u64,
    /// Most invocations in flight at once in a run (waiting, starting or
    /// running), some 300 bytes of memory each: a burst over it is refused;
    /// a backlog growing past it stops the run with
    /// `sls::run::too_many_in_flight` rather than take all memory.
    #[arg(long, value_name = "N", default_value_t = Limits::default().in_flight)]
    max_in_flight: u64,
}

#[derive(Args)]
struct GraphArgs {
    #[command(flatten)]
    script: ScriptArgs,
    /// `dot` (Graphviz's language) or `svg` (drawn by Graphviz's `dot`).
    #[arg(long, value_enum, default_value = "dot")]
    format: cli::graph::Format,
}

#[derive(Args)]
struct RunArgs {
    #[command(flatten)]
    script: ScriptArgs,
    /// Folder for the results: `invocations.csv` and `summary.json`, one
    /// subfolder per sweep point and repetition when there are several,
    /// `manifest.json` saying what each holds.
    #[arg(long, default_value = "out")]
    out: PathBuf,
    /// Count and skip bad trace rows instead of stopping at the first, and
    /// leave out Azure 2019 functions without the percentiles their
    /// template draws from.
    #[arg(long)]
    lenient: bool,
    /// Replace results of another script or other parameters in `--out`.
    #[arg(long)]
    force: bool,
    /// Where each run writes one row per invocation: `invocations.csv`,
    /// `invocations.parquet` (the same columns, typed and compressed) or
    /// nowhere (`summary.json` alone, its figures unchanged).
    #[arg(long, value_enum, value_name = "FORMAT", default_value = "csv")]
    invocations: sls::driver::Invocations,
    /// Bill each run at these prices in its summary (per function and in
    /// total): `aws-lambda` (x86, us-east-1), `aws-lambda-arm`, or
    /// `per_gb_second=X,per_request=Y` (or `per_million_requests=Y`).
    #[arg(long, value_name = "PRICES")]
    cost: Option<sls::report::cost::Prices>,
    /// Also write time series, one row per interval of simulated time:
    /// per function and service (invocations waiting and running,
    /// containers starting, busy and idle, memory reserved and idle), per
    /// node (CPU, RAM, disk), per link (bytes, utilisation), and every
    /// layer pull; exact means over each interval. `1s`, `250ms`, `1m`.
    /// At most 131,072 intervals, fewer for a run metering many things
    /// (a GiB of means in all): a longer run has them widened two by two
    /// (means still exact), with a warning.
    #[arg(long, value_name = "INTERVAL", value_parser = sls::report::series::parse_interval)]
    timeseries: Option<f64>,
    /// Run sweep point K alone (from 0, in the order `sls check` counts
    /// them), all its repetitions: one task of a cluster's job array, whose
    /// parts `sls merge` puts together. Give each part its own `--out`.
    #[arg(long, value_name = "K")]
    point: Option<usize>,
    /// Runs at once (sweep points and repetitions); default: one per core.
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0, hide_default_value = true)]
    jobs: usize,
    /// Print every run's summary, not only a sweep's table.
    #[arg(long, short = 'v', conflicts_with = "quiet")]
    verbose: bool,
    /// Print nothing but errors and warnings.
    #[arg(long, short = 'q')]
    quiet: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => match load(&args, Warnings::Shown) {
            Err(code) => code,
            Ok((_, program)) => {
                say(&format!("{}\n", describe(&program)));
                ExitCode::SUCCESS
            }
        },
        Command::Graph(args) => match load(&args.script, Warnings::Shown) {
            Err(code) => code,
            Ok((_, program)) => cli::graph::graph(&program, args.format),
        },
        Command::Report(args) => cli::report::report(&args.out, args.svg),
        Command::Merge(args) => {
            // The parts' script, checked again as they ran it.
            let load_script = |file: &Path, params: &[String], seed: Option<u64>| {
                // Its warnings were shown when the parts ran.
                load(
                    &ScriptArgs {
                        file: file.to_path_buf(),
                        params: params.to_vec(),
                        seed,
                        limits: args.limits.clone(),
                    },
                    Warnings::Hidden,
                )
            };
            cli::merge::merge(&args.parts, &args.out, args.force, args.quiet, &load_script)
        }
        Command::Run(args) => match load(&args.script, Warnings::Shown) {
            Err(code) => code,
            Ok((sources, program)) => cli::run::run(
                &program,
                &sources,
                &cli::run::Request {
                    script: &args.script.file,
                    overrides: &args.script.params,
                    seed: args.script.seed,
                    out: &args.out,
                    lenient: args.lenient,
                    max_in_flight: args.script.limits.max_in_flight,
                    force: args.force,
                    output: sls::driver::Output {
                        invocations: args.invocations,
                        cost: args.cost,
                        timeseries: args.timeseries,
                    },
                    point: args.point,
                    jobs: args.jobs,
                    verbose: args.verbose,
                    quiet: args.quiet,
                },
            ),
        },
        Command::Explain { code } => match sls::code::Code::find(&code) {
            Some(code) => {
                say(&code.explain());
                ExitCode::SUCCESS
            }
            None => {
                let alike: Vec<String> = sls::code::Code::ending_with(&code)
                    .iter()
                    .map(|c| format!("`{}`", c.as_str()))
                    .collect();
                if alike.is_empty() {
                    sls::tellln!("sls: no diagnostic code `{code}`; codes look like `sls::unknown_host`");
                } else {
                    sls::tellln!(
                        "sls: more than one code ends with `{code}`: {}; write the one meant",
                        alike.join(", ")
                    );
                }
                ExitCode::from(2)
            }
        },
        Command::Lsp => match sls::lsp::serve() {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                sls::tellln!("sls: language server: {error}");
                ExitCode::from(1)
            }
        },
        Command::Fmt(args) => {
            use sls::format::command::{Outcome, run};
            let color = cli::stderr_is_terminal();
            match run(&args.files, args.check, color, terminal_width()) {
                Outcome::Done => ExitCode::SUCCESS,
                Outcome::Failed => ExitCode::from(1),
                Outcome::Unreadable => ExitCode::from(2),
            }
        }
    }
}

/// `1 host`, `2 hosts`.
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// Whether checking a script shows its warnings.
#[derive(Clone, Copy, PartialEq)]
enum Warnings {
    Shown,
    Hidden,
}

/// Reads and checks a script; prints its warnings if `warnings` says so,
/// and on failure its errors, returning the exit code.
fn load(args: &ScriptArgs, warnings: Warnings) -> Result<(Sources, Program), ExitCode> {
    let text = read_script(&args.file)?;
    let l = &args.limits;
    let options = Options {
        params: args.params.clone(),
        seed: args.seed,
        limits: Limits {
            runs: l.max_runs,
            hosts: l.max_hosts,
            invocations: l.max_invocations,
            output: l.max_output,
            in_flight: l.max_in_flight,
            raised_with: RaisedWith::Flags,
        },
        // The command line registers no policy of its own.
        ..Options::default()
    };
    let checked = check(&args.file, text, &options);
    let (sources, program) = (checked.sources, checked.program);
    let color = cli::stderr_is_terminal();
    let width = if color { terminal_width() } else { 100 };
    if warnings == Warnings::Shown && !checked.warnings.is_empty() {
        sls::console::tell(&checked.warnings.render(&sources, color, width));
    }
    match program {
        Ok(program) => Ok((sources, program)),
        Err(diagnostics) => {
            sls::console::tell(&diagnostics.render(&sources, color, width));
            let n = diagnostics.len();
            sls::tellln!(
                "sls: {n} error{} in {}",
                if n == 1 { "" } else { "s" },
                sls::diagnostic::text::quote_path(&args.file.display().to_string())
            );
            Err(ExitCode::from(1))
        }
    }
}

fn read_script(path: &Path) -> Result<String, ExitCode> {
    // A trace or a results file given for a script: told what it is, not
    // read as a script (its first cell an unknown statement).
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    if let Some(kind @ ("csv" | "json" | "parquet")) = extension.as_deref() {
        let shown = sls::diagnostic::text::quote_path(&path.display().to_string());
        let replay = if kind == "csv" {
            format!(": a trace is replayed from a script, `replay csv \"{shown}\"`")
        } else {
            String::new()
        };
        sls::tellln!("sls: `{shown}` is a .{kind} file, not a `.sls` script{replay}");
        return Err(ExitCode::from(2));
    }
    sls::check::files::read_script(path).map_err(|error| {
        let shown = sls::diagnostic::text::quote_path(&path.display().to_string());
        if path.is_dir() {
            // A folder of examples or of results, given for a script.
            let example = path.join("NAME.sls");
            let example = sls::diagnostic::text::quote_path(&example.display().to_string());
            sls::tellln!("sls: `{shown}` is a folder; give a `.sls` script (`{example}`)");
        } else {
            sls::tellln!("sls: cannot read `{shown}`: {error}");
        }
        ExitCode::from(2)
    })
}

/// One line saying what a checked program holds.
fn describe(program: &Program) -> String {
    let Some(first) = program.points.first() else {
        return "ok: nothing to run".to_string();
    };
    let m = &first.model;
    let generated = first.generated;
    let from_families = |n: usize| match n {
        0 => String::new(),
        n => format!(" ({n} from families)"),
    };
    let mut line = format!(
        "ok: {}, {}, {}{}, {}, {}{}, {}, {}",
        count(m.platform.hosts.len(), "host"),
        count(m.services.len(), "service"),
        count(m.functions.len(), "function"),
        from_families(generated.functions),
        count(m.workflows.len(), "workflow"),
        count(m.streams.len(), "stream"),
        from_families(generated.streams),
        count(m.replays.len(), "replay"),
        count(m.clients.len(), "client")
    );
    if !program.points.iter().any(|p| p.model.declares_work()) {
        line.push_str("; declares nothing to run (no `workload`)");
    }
    if generated.images > 0 {
        line.push_str(&format!("; {} from families", count(generated.images, "image")));
    }
    if program.points.len() > 1 || program.repeat > 1 {
        line.push_str(&format!(
            "; {} x {}",
            count(program.points.len(), "sweep point"),
            count(program.repeat as usize, "repetition")
        ));
    }
    line
}
