//! What a run would cost on a provider that bills as AWS Lambda does: the
//! memory an invocation was given times its billed duration (GB-seconds),
//! a price per request, the bytes its body moved over the network, and the
//! memory idle containers held (for providers that bill keep-alive or
//! provisioned memory). The prices are the script's `cost` block or
//! `sls run --cost PRICES`; when both are given the command line wins, and
//! the summary says which prices it used (`prices_from`). The bill is in the
//! summary per function, per service and in total.
//!
//! - Duration: an invocation is billed when it started (its container was
//!   up and its function began), from `start` to `end` (or to `finish` when
//!   it has no end: a timeout or a failed host), rounded up to the
//!   millisecond; its memory is its function's `limits { ram }` (a trace
//!   function's: its trace memory) in GB of 1024 MB ([`GB`]). Invocations
//!   that never started cost nothing.
//! - Transferred: the bytes a body read from and wrote to a storage service
//!   over the network (`read X from S`, `write X to S`: what its `ingress`
//!   and `egress` limits count), in GB of 2^30 bytes ([`TRANSFER_GB`]).
//!   Scratch-disk reads and writes, workflow outputs, request payloads and
//!   image pulls are not billed.
//! - Idle: the memory of idle containers over the time they sat idle (the
//!   summary's `idle_gb_seconds` of keep-alive, in GB of 1024 MB).

use serde::{Deserialize, Serialize};

use crate::language::units::MAX_AMOUNT;

pub use crate::ir::cost::Prices;

/// Bytes of the GB memory prices are per: 1024 MB, so `limits { ram 512MB }`
/// is billed 0.5 GB, as Lambda bills its 512 MB setting.
pub const GB: f64 = 1024.0 * 1e6;

/// Bytes of the GB transfer prices are per: 2^30, as AWS bills data transfer.
pub const TRANSFER_GB: f64 = 1_073_741_824.0;

/// Published price lists `--cost` knows by name: AWS Lambda's on-demand
/// prices in us-east-1 (first tier, free tier left out).
pub const PROVIDERS: [(&str, Prices); 2] = [
    (
        "aws-lambda",
        Prices {
            per_gb_second: 0.000_016_666_7,
            per_request: 0.000_000_2,
            per_gb_transferred: 0.0,
            per_idle_gb_second: 0.0,
        },
    ),
    (
        "aws-lambda-arm",
        Prices {
            per_gb_second: 0.000_013_333_4,
            per_request: 0.000_000_2,
            per_gb_transferred: 0.0,
            per_idle_gb_second: 0.0,
        },
    ),
];

impl std::str::FromStr for Prices {
    type Err = String;

    /// A provider's name, or `per_gb_second=X,per_request=Y` (any price may
    /// be left out: 0; also `per_million_requests`, `per_gb_transferred`
    /// and `per_idle_gb_second`).
    fn from_str(text: &str) -> Result<Prices, String> {
        if let Some((_, prices)) = PROVIDERS.iter().find(|(name, _)| *name == text) {
            return Ok(*prices);
        }
        let mut prices = Prices::default();
        let names: Vec<&str> = PROVIDERS.iter().map(|(name, _)| *name).collect();
        for part in text.split(',') {
            let (key, value) = part.split_once('=').ok_or_else(|| {
                format!(
                    "`{part}` is no price: write a provider ({}) or `per_gb_second=0.0000166667,per_request=0.0000002`",
                    names.join(", ")
                )
            })?;
            let value: f64 = value
                .trim()
                .parse()
                .ok()
                // Bounded as a script's amounts are: a price of 1e308
                // made every bill infinite (`null` in `summary.json`).
                .filter(|v: &f64| (0.0..=MAX_AMOUNT).contains(v))
                .ok_or_else(|| format!("`{value}` is no price: write a number from 0 to 1e18, such as 0.0000166667"))?;
            match key.trim() {
                "per_gb_second" => prices.per_gb_second = value,
                "per_request" => prices.per_request = value,
                "per_million_requests" => prices.per_request = value / 1e6,
                "per_gb_transferred" => prices.per_gb_transferred = value,
                "per_idle_gb_second" => prices.per_idle_gb_second = value,
                other => {
                    return Err(format!(
                        "`{other}` is no price: write per_gb_second, per_request, per_million_requests, per_gb_transferred or per_idle_gb_second"
                    ));
                }
            }
        }
        Ok(prices)
    }
}

/// What one set of invocations was billed for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// Invocations that started.
    pub requests: u64,
    /// Their durations, each rounded up to the millisecond.
    pub billed_ms: u64,
}

impl Usage {
    /// Bills `start` to `stop` (seconds) as one request.
    pub fn add(&mut self, start: f64, stop: f64) {
        // Rounded to the nanosecond first, so 5 ms is 5 ms whatever its
        // last binary digits.
        let nanos = nanoseconds(stop - start);
        self.requests += 1;
        self.billed_ms += nanos.div_ceil(1_000_000);
    }
}

/// `seconds` in whole nanoseconds, rounded half away from zero as
/// `f64::round` does; 0 when negative or NaN. By hand below 4e18 ns:
/// `f64::round` is a library call on the baseline x86-64 target, and there
/// the conversions to and from a signed integer are exact and one
/// instruction each (the unsigned ones are a dozen, with branches). Runs
/// once per invocation here and per date in `invocations.csv`.
#[inline]
pub(super) fn nanoseconds(seconds: f64) -> u64 {
    let x = seconds * 1e9;
    if (0.0..4e18).contains(&x) {
        let whole = x as i64;
        whole as u64 + u64::from(x - whole as f64 >= 0.5)
    } else {
        x.round().max(0.0) as u64
    }
}

/// Where a run's prices come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PricesFrom {
    /// The script's `cost` block.
    Script,
    /// `sls run --cost`, the script having no `cost` block.
    CommandLine,
    /// `sls run --cost`, which wins over the script's `cost` block.
    CommandLineOverScript,
}

impl PricesFrom {
    /// The prices to bill at, from the command line's and the script's.
    pub fn choose(command_line: Option<Prices>, script: Option<Prices>) -> Option<(Prices, PricesFrom)> {
        match (command_line, script) {
            (Some(prices), None) => Some((prices, PricesFrom::CommandLine)),
            (Some(prices), Some(_)) => Some((prices, PricesFrom::CommandLineOverScript)),
            (None, Some(prices)) => Some((prices, PricesFrom::Script)),
            (None, None) => None,
        }
    }

    /// For the printed summary.
    pub fn describe(self) -> &'static str {
        match self {
            PricesFrom::Script => "the script's `cost` block",
            PricesFrom::CommandLine => "--cost",
            PricesFrom::CommandLineOverScript => "--cost, over the script's `cost` block",
        }
    }
}

/// What one registration (a function in a service) is billed for.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Billed {
    /// Bytes of memory each invocation was given.
    pub memory: f64,
    pub usage: Usage,
    /// Bytes its bodies moved over the network.
    pub transferred: f64,
    /// GB-seconds (of [`GB`]) its containers sat idle.
    pub idle_gb_seconds: f64,
}

/// The bill of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cost {
    pub prices: Prices,
    pub prices_from: PricesFrom,
    pub requests: u64,
    pub gb_seconds: f64,
    pub idle_gb_seconds: f64,
    pub transferred_gb: f64,
    pub total: f64,
    /// Per service, those with anything billed, in declaration order.
    pub services: Vec<ServiceCost>,
    /// Per function (a function of two services has a line in each), those
    /// with anything billed.
    pub functions: Vec<FunctionCost>,
}

/// The bill of one service: its functions' summed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceCost {
    pub name: String,
    pub requests: u64,
    pub gb_seconds: f64,
    pub idle_gb_seconds: f64,
    pub transferred_gb: f64,
    pub cost: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionCost {
    pub name: String,
    pub service: String,
    /// Bytes of memory each invocation was billed for.
    pub memory: f64,
    pub requests: u64,
    pub billed_seconds: f64,
    pub gb_seconds: f64,
    pub idle_gb_seconds: f64,
    pub transferred_bytes: f64,
    pub transferred_gb: f64,
    pub cost: f64,
}

impl Cost {
    /// The bill at `prices` of every registration's `billed` (indexed like
    /// `names.functions`).
    pub fn of(prices: Prices, prices_from: PricesFrom, billed: &[Billed], names: &super::Names) -> Cost {
        let functions: Vec<FunctionCost> = billed
            .iter()
            .enumerate()
            .filter(|(_, b)| b.usage.requests > 0 || b.transferred > 0.0 || b.idle_gb_seconds > 0.0)
            .map(|(f, b)| {
                let billed_seconds = b.usage.billed_ms as f64 / 1e3;
                let gb_seconds = b.memory / GB * billed_seconds;
                let transferred_gb = b.transferred / TRANSFER_GB;
                let service = names
                    .function_services
                    .get(f)
                    .and_then(|s| names.services.get(*s as usize));
                FunctionCost {
                    name: names.functions.get(f).cloned().unwrap_or_default(),
                    service: service.cloned().unwrap_or_default(),
                    memory: b.memory,
                    requests: b.usage.requests,
                    billed_seconds,
                    gb_seconds,
                    idle_gb_seconds: b.idle_gb_seconds,
                    transferred_bytes: b.transferred,
                    transferred_gb,
                    cost: gb_seconds * prices.per_gb_second
                        + b.usage.requests as f64 * prices.per_request
                        + transferred_gb * prices.per_gb_transferred
                        + b.idle_gb_seconds * prices.per_idle_gb_second,
                }
            })
            .collect();
        let services = names
            .services
            .iter()
            .filter_map(|name| {
                let mut total = ServiceCost {
                    name: name.clone(),
                    ..ServiceCost::default()
                };
                let mut any = false;
                for f in functions.iter().filter(|f| f.service == *name) {
                    any = true;
                    total.requests += f.requests;
                    total.gb_seconds += f.gb_seconds;
                    total.idle_gb_seconds += f.idle_gb_seconds;
                    total.transferred_gb += f.transferred_gb;
                    total.cost += f.cost;
                }
                any.then_some(total)
            })
            .collect();
        Cost {
            prices,
            prices_from,
            requests: functions.iter().map(|f| f.requests).sum(),
            gb_seconds: functions.iter().map(|f| f.gb_seconds).sum(),
            idle_gb_seconds: functions.iter().map(|f| f.idle_gb_seconds).sum(),
            transferred_gb: functions.iter().map(|f| f.transferred_gb).sum(),
            total: functions.iter().map(|f| f.cost).sum(),
            services,
            functions,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_by_name_or_by_value() {
        assert_eq!("aws-lambda".parse::<Prices>(), Ok(PROVIDERS[0].1));
        let custom: Prices = "per_gb_second=0.00002,per_million_requests=0.4".parse().unwrap();
        assert_eq!(custom.per_gb_second, 0.00002);
        assert!((custom.per_request - 0.4e-6).abs() < 1e-18);
        assert!("azure".parse::<Prices>().unwrap_err().contains("aws-lambda"));
        assert!("per_gb_second=-1".parse::<Prices>().is_err());
        // Past the bound of any amount: its bills were infinite.
        assert!(
            "per_gb_second=1e308"
                .parse::<Prices>()
                .unwrap_err()
                .contains("from 0 to 1e18")
        );
        assert!("per_request=1e18".parse::<Prices>().is_ok());
        assert!("per_hour=1".parse::<Prices>().is_err());
        let all: Prices = "per_gb_transferred=0.09,per_idle_gb_second=0.0000041667"
            .parse()
            .unwrap();
        assert_eq!(
            (all.per_gb_transferred, all.per_idle_gb_second),
            (0.09, 0.000_004_166_7)
        );
    }

    /// The hand rounding is `f64::round`'s, floored at 0, for any value:
    /// halves, huge, negative, NaN and infinite ones.
    #[test]
    fn nanoseconds_round_as_the_library_does() {
        let mut next = crate::test_rng::xorshift(0x9e37_79b9_7f4a_7c15);
        let random = std::iter::repeat_with(move || f64::from_bits(next()));
        let special = [
            0.0,
            -0.0,
            0.5e-9,
            1.5e-9,
            2.5e-9,
            -0.5e-9,
            4e9,
            1e10,
            1e30,
            f64::NAN,
            f64::INFINITY,
            -1.0,
        ];
        for seconds in special.into_iter().chain(random.take(100_000)) {
            let expected = (seconds * 1e9).round().max(0.0) as u64;
            assert_eq!(super::nanoseconds(seconds), expected, "{seconds}");
        }
    }

    /// 1 GB for 1.0001 s and 2 GB for 5 ms: 1.001 + 0.010 GB-s, two requests.
    #[test]
    fn durations_round_up_to_the_millisecond() {
        let mut one = Usage::default();
        one.add(2.0, 3.0001);
        let mut two = Usage::default();
        two.add(0.1, 0.105);
        assert_eq!(
            one,
            Usage {
                requests: 1,
                billed_ms: 1001
            }
        );
        assert_eq!(
            two,
            Usage {
                requests: 1,
                billed_ms: 5
            }
        );
        let names = super::super::Names {
            functions: vec!["a".into(), "b".into(), "idle".into()],
            function_services: vec![0, 0, 0],
            services: vec!["faas".into()],
            ..Default::default()
        };
        let prices = Prices {
            per_gb_second: 1.0,
            per_request: 0.5,
            per_gb_transferred: 0.25,
            per_idle_gb_second: 0.125,
        };
        let billed = [
            Billed {
                memory: GB,
                usage: one,
                ..Billed::default()
            },
            Billed {
                memory: 2.0 * GB,
                usage: two,
                transferred: 2.0 * TRANSFER_GB,
                ..Billed::default()
            },
            // Never invoked, but its prewarmed container idled 8 GB-s.
            Billed {
                memory: GB,
                idle_gb_seconds: 8.0,
                ..Billed::default()
            },
        ];
        let cost = Cost::of(prices, PricesFrom::Script, &billed, &names);
        assert_eq!(cost.functions.len(), 3);
        assert_eq!(cost.requests, 2);
        assert!((cost.gb_seconds - 1.011).abs() < 1e-12);
        // 1.011 GB-s x 1 + 2 requests x 0.5 + 2 GB x 0.25 + 8 idle GB-s x 0.125.
        assert!((cost.total - (1.011 + 1.0 + 0.5 + 1.0)).abs() < 1e-12);
        assert_eq!(cost.services.len(), 1);
        assert!((cost.services[0].cost - cost.total).abs() < 1e-12);
    }
}
