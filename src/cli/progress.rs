//! Progress on the terminal (stderr, only when it is one): a single run
//! shows its simulated clock and invocations so far; a sweep shows a bar of
//! its runs with the point under way, a percentage and the time left.

use indicatif::{ProgressBar, ProgressStyle};

use sls::output::Manifest;

/// A progress display, or nothing when stderr is no terminal.
pub struct Progress {
    bar: Option<ProgressBar>,
    /// Points and repetitions, to name the run under way.
    points: usize,
    repeat: u32,
    /// A single run shows its simulated date, a sweep its runs.
    single: bool,
}

impl Progress {
    pub fn new(manifest: &Manifest, show: bool) -> Progress {
        let runs = manifest.runs.len();
        let points = manifest.runs.iter().map(|r| r.point + 1).max().unwrap_or(1);
        let repeat = manifest.runs.iter().map(|r| r.repetition + 1).max().unwrap_or(1);
        let single = runs == 1;
        let bar = show.then(|| {
            if single {
                let bar = ProgressBar::new_spinner();
                bar.set_style(
                    ProgressStyle::with_template("{spinner} {elapsed} {msg}")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
                bar
            } else {
                let bar = ProgressBar::new(runs as u64);
                bar.set_style(
                    ProgressStyle::with_template("{bar:30} {pos}/{len} runs {percent}%  ETA {eta}  {msg}")
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                bar
            }
        });
        Progress {
            bar,
            points,
            repeat,
            single,
        }
    }

    /// Run `index` started.
    pub fn started(&self, index: usize) {
        if let Some(bar) = &self.bar
            && !self.single
        {
            let (point, repetition) = (index / self.repeat as usize, index % self.repeat as usize);
            bar.set_message(format!(
                "point {} of {}, repetition {} of {}",
                point + 1,
                self.points,
                repetition + 1,
                self.repeat
            ));
        }
    }

    /// A run is under way at simulated date `now` with `submitted` invocations.
    pub fn tick(&self, now: f64, submitted: u64) {
        let Some(bar) = &self.bar else { return };
        if self.single {
            bar.set_message(format!("simulated {}, {submitted} invocations", clock(now)));
        }
        bar.tick();
    }

    /// A run ended.
    pub fn finished(&self) {
        if let Some(bar) = &self.bar
            && !self.single
        {
            bar.inc(1);
        }
    }

    /// Removes the display.
    pub fn clear(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// A simulated date as `1d 02:03:04`.
fn clock(seconds: f64) -> String {
    let total = seconds.max(0.0) as u64;
    let (days, rest) = (total / 86400, total % 86400);
    let text = format!("{:02}:{:02}:{:02}", rest / 3600, rest % 3600 / 60, rest % 60);
    if days > 0 { format!("{days}d {text}") } else { text }
}
