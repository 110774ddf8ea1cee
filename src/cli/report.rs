//! `sls report OUT`: the pictures of a results folder, as one HTML page
//! (`OUT/report.html`) or as SVG files (`OUT/charts/NAME.svg`).

use std::path::Path;
use std::process::ExitCode;

use sls::output::folder::INCOMPLETE;

/// Writes the page or the charts; exit 0, or 1 when the folder cannot be
/// read or written.
pub fn report(root: &Path, svg: bool) -> ExitCode {
    if root.join(INCOMPLETE).exists() {
        sls::tellln!(
            "sls: the results in `{}` are incomplete (see its INCOMPLETE file); run the experiment again first",
            root.display()
        );
        return ExitCode::from(1);
    }
    // A folder no run wrote (a typo, or the script's folder) is told as
    // such, not as a file that cannot be read.
    if !root.join(sls::output::manifest::MANIFEST).is_file() {
        let what = if root.is_dir() {
            "holds no sls results (it has no manifest.json)"
        } else {
            "is not a folder"
        };
        sls::tellln!(
            "sls: `{}` {what}; give the `--out` folder of a run (`out` by default)",
            root.display()
        );
        return ExitCode::from(1);
    }
    let charts = match sls::pictures::charts(root) {
        Ok(drawn) => {
            for note in &drawn.notes {
                sls::tellln!("sls: note: {note}");
            }
            drawn.charts
        }
        Err(message) => {
            sls::tellln!("sls: {message}");
            return ExitCode::from(1);
        }
    };
    let written = if svg {
        let dir = root.join("charts");
        std::fs::create_dir_all(&dir).and_then(|()| {
            for chart in &charts {
                std::fs::write(dir.join(format!("{}.svg", chart.name)), &chart.svg)?;
            }
            Ok(dir)
        })
    } else {
        let title = format!("sls results: {}", root.display());
        let path = root.join("report.html");
        std::fs::write(&path, sls::pictures::page(&title, &charts)).map(|()| path)
    };
    match written {
        Ok(path) => {
            sls::sayln!("{} charts in {}", charts.len(), path.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            sls::tellln!("sls: cannot write the report in `{}`: {error}", root.display());
            ExitCode::from(1)
        }
    }
}
