//! Units and dimensions: every quantity a script writes is converted to SI
//! (seconds, bytes, flops, bytes/s, flop/s, 1/s) and typed by its dimension,
//! so a size never slips in where a rate is expected.

use std::fmt;

use super::listed_enum;

/// The largest amount of any dimension, in SI units (1e18 s, bytes, flops,
/// bytes/s, flop/s, events/s). Beyond it a value is a mistake (an exabyte
/// written to a scratch disk), and below it the sums, products and
/// quotients a run makes of amounts stay finite.
pub const MAX_AMOUNT: f64 = 1e18;

/// The smallest rate above zero (bytes/s, flop/s, events/s): an amount
/// divided by a rate stays finite.
pub const MIN_RATE: f64 = 1e-6;

listed_enum! {
    /// What a quantity measures.
    pub enum Dim {
        /// A plain number: a count, a probability, a factor.
        Number,
        Time,
        /// Bytes.
        Size,
        /// Bytes per second.
        ByteRate,
        Flops,
        /// Flops per second.
        FlopRate,
        /// Events per second (`50/s`).
        Frequency,
    }
}

impl Dim {
    /// "a time", "a data size", ... for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Dim::Number => "a plain number",
            Dim::Time => "a time",
            Dim::Size => "a data size",
            Dim::ByteRate => "a data rate",
            Dim::Flops => "an amount of computation",
            Dim::FlopRate => "a computation speed",
            Dim::Frequency => "a rate of events",
        }
    }

    /// An example of a well-written value of this dimension.
    pub fn example(self, digits: &str) -> String {
        let unit = match self {
            Dim::Number => "",
            Dim::Time => "s",
            Dim::Size => "MB",
            Dim::ByteRate => "MBps",
            Dim::Flops => "Gf",
            Dim::FlopRate => "Gf/s",
            Dim::Frequency => "/s",
        };
        format!("{digits}{unit}")
    }

    /// The symbol of the SI unit values of this dimension are in (none for
    /// plain numbers), as `runs.csv` headers and messages giving a bound show it.
    pub fn symbol(self) -> &'static str {
        match self {
            Dim::Number => "",
            Dim::Time => "s",
            Dim::Size => "B",
            Dim::ByteRate => "B/s",
            Dim::Flops => "f",
            Dim::FlopRate => "f/s",
            Dim::Frequency => "1/s",
        }
    }

    /// Whether a value is a rate, which a run divides amounts by.
    pub fn is_rate(self) -> bool {
        matches!(self, Dim::ByteRate | Dim::FlopRate | Dim::Frequency)
    }

    /// The units a user may write for this dimension, for help texts.
    pub fn units(self) -> &'static str {
        match self {
            Dim::Number => "no unit",
            Dim::Time => "`ns`, `us`, `ms`, `s`, `min`, `h` or `d`",
            Dim::Size => "`B`, `kB`, `MB`, `GB`, `TB` or `KiB`, `MiB`, `GiB`, `TiB`",
            Dim::ByteRate => "`Bps`, `kBps`, `MBps`, `GBps` (bytes/s), `bps`, `Mbps`, `Gbps` (bits/s), or `MB/s`",
            Dim::Flops => "`f`, `kf`, `Mf`, `Gf`, `Tf`",
            Dim::FlopRate => "`f/s`, `Mf/s`, `Gf/s`, `Tf/s`",
            Dim::Frequency => "`/s`, `/min` or `/h` after a number",
        }
    }
}

impl fmt::Display for Dim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// What a unit suffix means.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnitInfo {
    pub dim: Dim,
    /// SI value = written value x `mul` / `div`. Sub-units divide rather than
    /// multiply by a fraction, so `20us` is exactly the double nearest 2e-5.
    pub mul: f64,
    pub div: f64,
    /// Whether the unit counts bits (a size in bits is refused: sizes are bytes).
    pub bits: bool,
}

const fn unit(dim: Dim, mul: f64) -> UnitInfo {
    UnitInfo {
        dim,
        mul,
        div: 1.0,
        bits: false,
    }
}

const fn sub(dim: Dim, div: f64) -> UnitInfo {
    UnitInfo {
        dim,
        mul: 1.0,
        div,
        bits: false,
    }
}

const fn bits(dim: Dim, mul: f64) -> UnitInfo {
    UnitInfo {
        dim,
        mul,
        div: 8.0,
        bits: true,
    }
}

/// Every unit suffix, with its meaning.
pub const UNITS: &[(&str, UnitInfo)] = &[
    ("ns", sub(Dim::Time, 1e9)),
    ("us", sub(Dim::Time, 1e6)),
    ("µs", sub(Dim::Time, 1e6)),
    ("ms", sub(Dim::Time, 1e3)),
    ("s", unit(Dim::Time, 1.0)),
    ("min", unit(Dim::Time, 60.0)),
    ("h", unit(Dim::Time, 3600.0)),
    ("d", unit(Dim::Time, 86400.0)),
    ("B", unit(Dim::Size, 1.0)),
    ("kB", unit(Dim::Size, 1e3)),
    ("KB", unit(Dim::Size, 1e3)),
    ("MB", unit(Dim::Size, 1e6)),
    ("GB", unit(Dim::Size, 1e9)),
    ("TB", unit(Dim::Size, 1e12)),
    ("PB", unit(Dim::Size, 1e15)),
    ("KiB", unit(Dim::Size, 1024.0)),
    ("MiB", unit(Dim::Size, 1048576.0)),
    ("GiB", unit(Dim::Size, 1073741824.0)),
    ("TiB", unit(Dim::Size, 1099511627776.0)),
    ("b", bits(Dim::Size, 1.0)),
    ("kb", bits(Dim::Size, 1e3)),
    ("Kb", bits(Dim::Size, 1e3)),
    ("Mb", bits(Dim::Size, 1e6)),
    ("Gb", bits(Dim::Size, 1e9)),
    ("Tb", bits(Dim::Size, 1e12)),
    ("Bps", unit(Dim::ByteRate, 1.0)),
    ("kBps", unit(Dim::ByteRate, 1e3)),
    ("KBps", unit(Dim::ByteRate, 1e3)),
    ("MBps", unit(Dim::ByteRate, 1e6)),
    ("GBps", unit(Dim::ByteRate, 1e9)),
    ("TBps", unit(Dim::ByteRate, 1e12)),
    ("KiBps", unit(Dim::ByteRate, 1024.0)),
    ("MiBps", unit(Dim::ByteRate, 1048576.0)),
    ("GiBps", unit(Dim::ByteRate, 1073741824.0)),
    ("bps", bits(Dim::ByteRate, 1.0)),
    ("kbps", bits(Dim::ByteRate, 1e3)),
    ("Kbps", bits(Dim::ByteRate, 1e3)),
    ("Mbps", bits(Dim::ByteRate, 1e6)),
    ("Gbps", bits(Dim::ByteRate, 1e9)),
    ("Tbps", bits(Dim::ByteRate, 1e12)),
    ("f", unit(Dim::Flops, 1.0)),
    ("kf", unit(Dim::Flops, 1e3)),
    ("Kf", unit(Dim::Flops, 1e3)),
    ("Mf", unit(Dim::Flops, 1e6)),
    ("Gf", unit(Dim::Flops, 1e9)),
    ("Tf", unit(Dim::Flops, 1e12)),
    ("Pf", unit(Dim::Flops, 1e15)),
];

/// Units as other tools and speech spell them, each with the unit of this
/// language it means: suggested for an unknown unit of the same dimension,
/// never accepted (`1sec` is `1s`, `512M` of RAM is `512MB`).
pub const SPELLINGS: &[(&str, &str)] = &[
    ("sec", "s"),
    ("secs", "s"),
    ("second", "s"),
    ("seconds", "s"),
    ("msec", "ms"),
    ("msecs", "ms"),
    ("millis", "ms"),
    ("usec", "us"),
    ("nsec", "ns"),
    ("mins", "min"),
    ("minute", "min"),
    ("minutes", "min"),
    ("hr", "h"),
    ("hrs", "h"),
    ("hour", "h"),
    ("hours", "h"),
    ("day", "d"),
    ("days", "d"),
    ("k", "kB"),
    ("K", "kB"),
    ("M", "MB"),
    ("G", "GB"),
    ("T", "TB"),
    ("Ki", "KiB"),
    ("Mi", "MiB"),
    ("Gi", "GiB"),
    ("meg", "MB"),
    ("gig", "GB"),
    ("flop", "f"),
    ("flops", "f"),
    ("Mflop", "Mf"),
    ("Gflop", "Gf"),
    ("Tflop", "Tf"),
    ("MFLOP", "Mf"),
    ("GFLOP", "Gf"),
    ("TFLOP", "Tf"),
];

/// Looks up a unit suffix.
pub fn lookup(name: &str) -> Option<UnitInfo> {
    UNITS.iter().find(|(n, _)| *n == name).map(|(_, u)| *u)
}

/// The dimension of `dim` per unit of time (`MB` per `s` is a data rate).
pub fn per_time(dim: Dim) -> Option<Dim> {
    match dim {
        Dim::Number => Some(Dim::Frequency),
        Dim::Size => Some(Dim::ByteRate),
        Dim::Flops => Some(Dim::FlopRate),
        _ => None,
    }
}
