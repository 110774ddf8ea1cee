//! The time series files of a run (`sls run --timeseries INTERVAL`), one
//! row per interval and thing: `series-functions.csv` (per function:
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

/// Containers and memory of one function of one service, one mean per
/// interval.
#[derive(Debug, Clone, Default)]
pub struct FunctionSeries {
    pub name: String,
    pub service: u32,
    /// The registrations it sums (`report::parts`): their invocations are
    /// the occupancy's.
    pub registrations: Vec<usize>,
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

/// A table held whole: named columns of equal length (what the Parquet
/// writer takes; CSV is written row by row, [`TableRows::write_csv`]).
pub struct Table {
    pub columns: Vec<(&'static str, Column)>,
}

/// One cell of a row.
#[derive(Debug, Clone, Copy)]
pub enum Cell<'a> {
    Text(&'a str),
    Number(f64),
}

/// What receives the rows of a table, one at a time.
type RowSink<'s> = dyn FnMut(&[Cell]) -> io::Result<()> + 's;

/// A walk over the rows of a table, each given to the sink.
type Walk<'a> = Box<dyn Fn(&mut RowSink) -> io::Result<()> + 'a>;

/// A table as its column names and a walk over its rows, so that a file
/// is written a row at a time without the table being held whole.
pub struct TableRows<'a> {
    pub header: Vec<&'static str>,
    walk: Walk<'a>,
}

impl TableRows<'_> {
    /// The table as CSV: a header, then one line per row; numbers in
    /// their shortest exact form.
    pub fn write_csv(&self, out: &mut impl Write) -> io::Result<()> {
        writeln!(out, "{}", self.header.join(","))?;
        let mut floats = ryu::Buffer::new();
        (self.walk)(&mut |row: &[Cell]| {
            for (k, cell) in row.iter().enumerate() {
                if k > 0 {
                    out.write_all(b",")?;
                }
                match cell {
                    Cell::Text(text) => out.write_all(quote(text).as_bytes())?,
                    Cell::Number(v) => out.write_all(format_float(&mut floats, *v).as_bytes())?,
                }
            }
            out.write_all(b"\n")
        })
    }

    /// The table held whole, by columns.
    pub fn table(&self) -> Table {
        let mut columns: Vec<Option<Column>> = (0..self.header.len()).map(|_| None).collect();
        let walked = (self.walk)(&mut |row: &[Cell]| {
            for (column, cell) in columns.iter_mut().zip(row) {
                match (
                    column.get_or_insert_with(|| match cell {
                        Cell::Text(_) => Column::Text(Vec::new()),
                        Cell::Number(_) => Column::Number(Vec::new()),
                    }),
                    cell,
                ) {
                    (Column::Text(v), Cell::Text(t)) => v.push((*t).to_string()),
                    (Column::Number(v), Cell::Number(x)) => v.push(*x),
                    // Every row of a table has the same kinds of cells.
                    _ => {}
                }
            }
            Ok(())
        });
        debug_assert!(walked.is_ok(), "collecting rows cannot fail");
        Table {
            columns: self
                .header
                .iter()
                .zip(columns)
                .map(|(name, column)| (*name, column.unwrap_or(Column::Number(Vec::new()))))
                .collect(),
        }
    }
}

/// The most key columns a table of [`RunSeries::blocks`] has.
const MAX_KEYS: usize = 2;

/// The columns of `series-functions` and `series-services` after their keys.
const FUNCTION_COLUMNS: [&str; 9] = [
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

impl RunSeries {
    /// The tables, by file name (without extension), with the waiting and
    /// running invocations, arrivals and cold starts of `occupancy`.
    pub fn tables<'a>(&'a self, occupancy: &'a Occupancy) -> Vec<(&'static str, TableRows<'a>)> {
        vec![
            (FUNCTIONS, self.functions_table(occupancy)),
            (SERVICES, self.services_table(occupancy)),
            (NODES, self.nodes_table()),
            (LINKS, self.links_table()),
            (PULLS, self.pulls_table()),
        ]
    }

    /// One block of rows per thing, each block one row per interval: the
    /// columns `time` (the interval's start), `seconds` (its length), the
    /// thing's `keys` and its `values`, which `row` gives, for the thing of
    /// that index, interval by interval.
    fn blocks<'a, T>(
        &'a self,
        things: &'a [T],
        keys: &[&'static str],
        values: &[&'static str],
        row: impl Fn(usize, &T, &mut dyn FnMut(usize, &[&str], &[f64]) -> io::Result<()>) -> io::Result<()> + 'a,
    ) -> TableRows<'a> {
        let mut header = vec!["time", "seconds"];
        header.extend(keys.iter().chain(values));
        TableRows {
            header,
            walk: Box::new(move |sink| {
                for (index, thing) in things.iter().enumerate() {
                    row(index, thing, &mut |k, keys, values| {
                        let mut cells = [Cell::Number(0.0); 2 + MAX_KEYS + FUNCTION_COLUMNS.len()];
                        cells[0] = Cell::Number(k as f64 * self.interval);
                        cells[1] = Cell::Number(self.seconds[k]);
                        let after_keys = 2 + keys.len();
                        for (cell, key) in cells[2..after_keys].iter_mut().zip(keys) {
                            *cell = Cell::Text(key);
                        }
                        for (cell, value) in cells[after_keys..].iter_mut().zip(values) {
                            *cell = Cell::Number(*value);
                        }
                        sink(&cells[..after_keys + values.len()])
                    })?;
                }
                Ok(())
            }),
        }
    }

    fn functions_table<'a>(&'a self, occupancy: &'a Occupancy) -> TableRows<'a> {
        let keys = ["service", "function"];
        self.blocks(&self.functions, &keys, &FUNCTION_COLUMNS, move |_, f, emit| {
            let o = occupancy.means_of(&f.registrations, self.interval, &self.seconds);
            let keys = [self.services[f.service as usize].as_str(), f.name.as_str()];
            for i in 0..self.seconds.len() {
                let values = [
                    o.waiting[i],
                    o.running[i],
                    f.starting[i],
                    f.busy[i],
                    f.idle[i],
                    f.reserved[i],
                    f.idle_memory[i],
                    o.arrivals[i],
                    o.cold_starts[i],
                ];
                emit(i, &keys, &values)?;
            }
            Ok(())
        })
    }

    fn services_table<'a>(&'a self, occupancy: &'a Occupancy) -> TableRows<'a> {
        let n = self.seconds.len();
        let mut sums = vec![[0.0; FUNCTION_COLUMNS.len()]; n * self.services.len()];
        for f in &self.functions {
            let occupied = occupancy.means_of(&f.registrations, self.interval, &self.seconds);
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
        self.blocks(&self.services, &["service"], &FUNCTION_COLUMNS, move |s, name, emit| {
            for (i, values) in sums[s * n..][..n].iter().enumerate() {
                emit(i, &[name.as_str()], values)?;
            }
            Ok(())
        })
    }

    fn nodes_table(&self) -> TableRows<'_> {
        let values = ["cpu_utilisation", "ram_used_bytes", "disk_used_bytes"];
        self.blocks(&self.nodes, &["service", "host"], &values, |_, node, emit| {
            let keys = [self.services[node.service as usize].as_str(), node.host.as_str()];
            for i in 0..self.seconds.len() {
                emit(i, &keys, &[node.cpu[i], node.ram[i], node.disk[i]])?;
            }
            Ok(())
        })
    }

    fn links_table(&self) -> TableRows<'_> {
        self.blocks(&self.links, &["link"], &["bytes", "utilisation"], |_, link, emit| {
            for i in 0..self.seconds.len() {
                emit(i, &[link.name.as_str()], &[link.bytes[i], link.utilisation[i]])?;
            }
            Ok(())
        })
    }

    fn pulls_table(&self) -> TableRows<'_> {
        TableRows {
            header: vec![
                "service", "kind", "layer", "images", "host", "start", "end", "bytes", "outcome",
            ],
            walk: Box::new(move |sink| {
                for p in &self.pulls {
                    sink(&[
                        Cell::Text(&self.services[p.service as usize]),
                        Cell::Text(p.kind),
                        Cell::Text(&p.layer),
                        Cell::Text(&p.images),
                        Cell::Text(&p.host),
                        Cell::Number(p.start),
                        Cell::Number(p.end),
                        Cell::Number(p.bytes),
                        Cell::Text(if p.done { "done" } else { "failed" }),
                    ])?;
                }
                Ok(())
            }),
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

/// Writes the tables into `dir` as CSV (a row at a time), or as Parquet
/// when `parquet` (a table at a time).
pub fn write(dir: &Path, tables: &[(&'static str, TableRows)], parquet: bool) -> io::Result<()> {
    for (name, table) in tables {
        let path = dir.join(format!("{name}.{}", if parquet { "parquet" } else { "csv" }));
        let mut file = io::BufWriter::new(std::fs::File::create(&path)?);
        if parquet {
            write_parquet(file, &table.table())?;
        } else {
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
