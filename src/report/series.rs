//! The time series files of a run (`sls run --timeseries INTERVAL`), one
//! row per interval and thing: `series-functions.csv` (per registration:
//! invocations waiting and running, containers starting, busy and idle,
//! memory reserved and idle), `series-services.csv` (the same summed per
//! service), `series-nodes.csv` (per compute node: CPU utilisation, RAM and
//! disk in use), `series-links.csv` (per link: bandwidth used and
//! utilisation) and `pulls.csv` (every layer download, copy and load, one
//! row each). Every value is an exact time-weighted mean over its interval
//! (`time` is its start, `seconds` its length: the last one is cut at the
//! run's end): quantities are integrated from change to change, never
//! sampled. With `--invocations parquet`, the same tables are written as
//! Parquet (`.parquet` instead of `.csv`).

use std::io::{self, Write};
use std::path::Path;

use super::csv::{format_float, quote};
use super::timeseries::Occupancy;

/// The files, by table.
pub const FUNCTIONS: &str = "series-functions";
pub const SERVICES: &str = "series-services";
pub const NODES: &str = "series-nodes";
pub const LINKS: &str = "series-links";
pub const PULLS: &str = "pulls";
pub const TABLES: [&str; 5] = [FUNCTIONS, SERVICES, NODES, LINKS, PULLS];

/// Containers and memory of one registration, one mean per interval.
#[derive(Debug, Clone, Default)]
pub struct FunctionSeries {
    pub name: String,
    pub service: u32,
    /// Containers starting ahead of any invocation (prewarming).
    pub starting: Vec<f64>,
    /// Containers serving an invocation (a cold start's start-up included).
    pub busy: Vec<f64>,
    pub idle: Vec<f64>,
    /// Bytes reserved by its containers (their memory limits), and by
    /// the idle ones among them.
    pub reserved: Vec<f64>,
    pub idle_memory: Vec<f64>,
}

/// One compute node of one service.
#[derive(Debug, Clone, Default)]
pub struct NodeSeries {
    pub service: u32,
    pub host: String,
    /// Share of its cores' flops in use, 0 to 1.
    pub cpu: Vec<f64>,
    /// Bytes of RAM and disk in use (containers' reservations and layers).
    pub ram: Vec<f64>,
    pub disk: Vec<f64>,
}

/// One network link.
#[derive(Debug, Clone, Default)]
pub struct LinkSeries {
    pub name: String,
    /// Bandwidth used in the interval, in bytes (both directions): the
    /// bytes carried under the `raw` network model; under `lv08` the
    /// flows' shares, their 5 % cross-traffic on the reverse direction
    /// included, before the 0.97 bandwidth factor (SimGrid's accounting).
    pub bytes: Vec<f64>,
    /// Mean share of its bandwidth in use, 0 to 1 (the busier direction
    /// of a split-duplex link).
    pub utilisation: Vec<f64>,
}

/// One layer transfer.
#[derive(Debug, Clone, Default)]
pub struct PullRow {
    pub service: u32,
    /// `download` (to the head), `copy` (head to node), `load` (disk to RAM).
    pub kind: &'static str,
    pub layer: String,
    /// The images holding the layer, `+`-separated.
    pub images: String,
    /// The host it went to (the head's for a download).
    pub host: String,
    pub start: f64,
    pub end: f64,
    pub bytes: f64,
    pub done: bool,
}

/// Everything a run metered.
#[derive(Debug, Clone, Default)]
pub struct RunSeries {
    /// Seconds each interval covers: the interval asked for, the last one
    /// cut at the run's end.
    pub interval: f64,
    pub seconds: Vec<f64>,
    pub functions: Vec<FunctionSeries>,
    pub services: Vec<String>,
    pub nodes: Vec<NodeSeries>,
    pub links: Vec<LinkSeries>,
    pub pulls: Vec<PullRow>,
}

/// A column of a table.
pub enum Column {
    Text(Vec<String>),
    Number(Vec<f64>),
}

/// A table to write: named columns of equal length.
pub struct Table {
    pub columns: Vec<(&'static str, Column)>,
}

impl Table {
    fn rows(&self) -> usize {
        self.columns.first().map_or(0, |(_, c)| match c {
            Column::Text(v) => v.len(),
            Column::Number(v) => v.len(),
        })
    }

    /// The table as CSV: a header, then one line per row; numbers in
    /// their shortest exact form.
    pub fn write_csv(&self, out: &mut impl Write) -> io::Result<()> {
        let header: Vec<&str> = self.columns.iter().map(|(name, _)| *name).collect();
        writeln!(out, "{}", header.join(","))?;
        let mut floats = ryu::Buffer::new();
        for row in 0..self.rows() {
            for (k, (_, column)) in self.columns.iter().enumerate() {
                if k > 0 {
                    out.write_all(b",")?;
                }
                match column {
                    Column::Text(v) => out.write_all(quote(&v[row]).as_bytes())?,
                    Column::Number(v) => out.write_all(format_float(&mut floats, v[row]).as_bytes())?,
                }
            }
            out.write_all(b"\n")?;
        }
        Ok(())
    }
}

impl RunSeries {
    /// The tables, by file name (without extension), with the waiting and
    /// running invocations of `occupancy`.
    pub fn tables(&self, occupancy: &Occupancy) -> Vec<(&'static str, Table)> {
        vec![
            (FUNCTIONS, self.functions_table(occupancy)),
            (SERVICES, self.services_table(occupancy)),
            (NODES, self.nodes_table()),
            (LINKS, self.links_table()),
            (PULLS, self.pulls_table()),
        ]
    }

    fn times(&self) -> Vec<f64> {
        (0..self.seconds.len()).map(|k| k as f64 * self.interval).collect()
    }

    /// One block of rows per thing, each block one row per interval: the
    /// columns `time` (the interval's start), `seconds` (its length) and
    /// `keys`, which `label` gives for each thing.
    fn blocks<T>(
        &self,
        things: &[T],
        keys: &[&'static str],
        mut label: impl FnMut(&T) -> Vec<String>,
    ) -> Vec<(&'static str, Column)> {
        let n = self.seconds.len();
        let times = self.times();
        let (mut time, mut seconds) = (
            Vec::with_capacity(n * things.len()),
            Vec::with_capacity(n * things.len()),
        );
        let mut labels: Vec<Vec<String>> = vec![Vec::new(); keys.len()];
        for thing in things {
            for (column, name) in labels.iter_mut().zip(label(thing)) {
                column.extend(std::iter::repeat_n(name, n));
            }
            time.extend_from_slice(&times);
            seconds.extend_from_slice(&self.seconds);
        }
        let mut columns = vec![("time", Column::Number(time)), ("seconds", Column::Number(seconds))];
        columns.extend(keys.iter().copied().zip(labels.into_iter().map(Column::Text)));
        columns
    }

    fn functions_table(&self, occupancy: &Occupancy) -> Table {
        let mut columns = self.blocks(&self.functions, &["service", "function"], |f| {
            vec![self.services[f.service as usize].clone(), f.name.clone()]
        });
        let (mut waiting, mut running) = (Vec::new(), Vec::new());
        let (mut arrivals, mut cold_starts) = (Vec::new(), Vec::new());
        for k in 0..self.functions.len() {
            let occupied = occupancy.means(k, &self.seconds);
            waiting.extend(occupied.waiting);
            running.extend(occupied.running);
            arrivals.extend(occupied.arrivals);
            cold_starts.extend(occupied.cold_starts);
        }
        let joined = |f: fn(&FunctionSeries) -> &Vec<f64>| {
            Column::Number(self.functions.iter().flat_map(|x| f(x).iter().copied()).collect())
        };
        columns.extend([
            ("waiting", Column::Number(waiting)),
            ("running", Column::Number(running)),
            ("containers_starting", joined(|f| &f.starting)),
            ("containers_busy", joined(|f| &f.busy)),
            ("containers_idle", joined(|f| &f.idle)),
            ("memory_reserved_bytes", joined(|f| &f.reserved)),
            ("memory_idle_bytes", joined(|f| &f.idle_memory)),
            ("arrivals", Column::Number(arrivals)),
            ("cold_starts", Column::Number(cold_starts)),
        ]);
        Table { columns }
    }

    fn services_table(&self, occupancy: &Occupancy) -> Table {
        let n = self.seconds.len();
        let mut sums = vec![[0.0; 9]; n * self.services.len()];
        for (k, f) in self.functions.iter().enumerate() {
            let occupied = occupancy.means(k, &self.seconds);
            let parts = [
                &occupied.waiting,
                &occupied.running,
                &f.starting,
                &f.busy,
                &f.idle,
                &f.reserved,
                &f.idle_memory,
                &occupied.arrivals,
                &occupied.cold_starts,
            ];
            let block = &mut sums[f.service as usize * n..][..n];
            for (i, part) in parts.into_iter().enumerate() {
                for (sum, value) in block.iter_mut().zip(part) {
                    sum[i] += value;
                }
            }
        }
        let mut columns = self.blocks(&self.services, &["service"], |s| vec![s.clone()]);
        let names = [
            "waiting",
            "running",
            "containers_starting",
            "containers_busy",
            "containers_idle",
            "memory_reserved_bytes",
            "memory_idle_bytes",
            "arrivals",
            "cold_starts",
        ];
        for (i, name) in names.into_iter().enumerate() {
            columns.push((name, Column::Number(sums.iter().map(|s| s[i]).collect())));
        }
        Table { columns }
    }

    fn nodes_table(&self) -> Table {
        let mut columns = self.blocks(&self.nodes, &["service", "host"], |n| {
            vec![self.services[n.service as usize].clone(), n.host.clone()]
        });
        let joined = |f: fn(&NodeSeries) -> &Vec<f64>| {
            Column::Number(self.nodes.iter().flat_map(|x| f(x).iter().copied()).collect())
        };
        columns.extend([
            ("cpu_utilisation", joined(|n| &n.cpu)),
            ("ram_used_bytes", joined(|n| &n.ram)),
            ("disk_used_bytes", joined(|n| &n.disk)),
        ]);
        Table { columns }
    }

    fn links_table(&self) -> Table {
        let mut columns = self.blocks(&self.links, &["link"], |l| vec![l.name.clone()]);
        let joined = |f: fn(&LinkSeries) -> &Vec<f64>| {
            Column::Number(self.links.iter().flat_map(|x| f(x).iter().copied()).collect())
        };
        columns.extend([
            ("bytes", joined(|l| &l.bytes)),
            ("utilisation", joined(|l| &l.utilisation)),
        ]);
        Table { columns }
    }

    fn pulls_table(&self) -> Table {
        let text = |f: fn(&PullRow) -> String| Column::Text(self.pulls.iter().map(f).collect());
        let number = |f: fn(&PullRow) -> f64| Column::Number(self.pulls.iter().map(f).collect());
        let services = Column::Text(
            self.pulls
                .iter()
                .map(|p| self.services[p.service as usize].clone())
                .collect(),
        );
        Table {
            columns: vec![
                ("service", services),
                ("kind", text(|p| p.kind.to_string())),
                ("layer", text(|p| p.layer.clone())),
                ("images", text(|p| p.images.clone())),
                ("host", text(|p| p.host.clone())),
                ("start", number(|p| p.start)),
                ("end", number(|p| p.end)),
                ("bytes", number(|p| p.bytes)),
                (
                    "outcome",
                    text(|p| (if p.done { "done" } else { "failed" }).to_string()),
                ),
            ],
        }
    }
}

/// An interval of simulated time as given on the command line: a
/// duration with its unit (`1s`, `250ms`, `5m`, `1h`), in seconds.
pub fn parse_interval(text: &str) -> Result<f64, String> {
    let seconds = humantime::parse_duration(text.trim())
        .map_err(|e| format!("`{text}` is not a duration ({e}); write it with its unit: `1s`, `250ms`, `1m`"))?
        .as_secs_f64();
    if seconds > 0.0 {
        Ok(seconds)
    } else {
        Err(format!("the interval must be longer than 0, not `{text}`"))
    }
}

/// Writes the tables into `dir` as CSV, or as Parquet when `parquet`.
pub fn write(dir: &Path, tables: &[(&'static str, Table)], parquet: bool) -> io::Result<()> {
    for (name, table) in tables {
        let path = dir.join(format!("{name}.{}", if parquet { "parquet" } else { "csv" }));
        let file = io::BufWriter::new(std::fs::File::create(&path)?);
        if parquet {
            write_parquet(file, table)?;
        } else {
            let mut file = file;
            table.write_csv(&mut file)?;
            file.flush()?;
        }
    }
    Ok(())
}

#[cfg(feature = "parquet")]
fn write_parquet(out: impl Write + Send, table: &Table) -> io::Result<()> {
    super::parquet::write_table(out, table)
}

#[cfg(not(feature = "parquet"))]
fn write_parquet(_: impl Write + Send, _: &Table) -> io::Result<()> {
    Err(io::Error::other(
        "this sls was built without Parquet (cargo's `parquet` feature)",
    ))
}
