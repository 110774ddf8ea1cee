//! `sls graph`: the model as Graphviz DOT, or as SVG drawn by Graphviz's
//! `dot` when it is installed.

use std::io::Write;
use std::process::{Command, ExitCode, Stdio};

use sls::ir::Program;

/// What `sls graph` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Dot,
    Svg,
}

/// Prints the model of every point (DOT), or of the first one (SVG).
pub fn graph(program: &Program, format: Format) -> ExitCode {
    match format {
        Format::Dot => {
            let mut out = std::io::stdout().lock();
            for point in &program.points {
                let _ = out.write_all(sls::ir::dot::to_dot(&point.model).as_bytes());
            }
            ExitCode::SUCCESS
        }
        Format::Svg => {
            let Some(point) = program.points.first() else {
                return ExitCode::SUCCESS;
            };
            if program.points.len() > 1 {
                sls::tellln!(
                    "sls: the sweep has {} points; drawing the first (choose one with -p)",
                    program.points.len()
                );
            }
            match draw(&sls::ir::dot::to_dot(&point.model)) {
                Ok(svg) => {
                    let _ = std::io::stdout().lock().write_all(&svg);
                    ExitCode::SUCCESS
                }
                Err(message) => {
                    sls::tellln!("sls: {message}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

/// Runs `dot -Tsvg` on `dot`.
fn draw(dot: &str) -> Result<Vec<u8>, String> {
    let child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err("`--format svg` needs Graphviz's `dot` on the PATH (Debian: `apt-get install graphviz`); without it, `sls graph` prints DOT".to_string());
        }
        Err(e) => return Err(format!("cannot run Graphviz's `dot`: {e}")),
    };
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(dot.as_bytes())
            .map_err(|e| format!("cannot give Graphviz's `dot` the graph: {e}"))?;
    }
    let output = child
        .wait_with_output()
        .map_err(|e| format!("Graphviz's `dot` failed: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "Graphviz's `dot` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(output.stdout)
}
