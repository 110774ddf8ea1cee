//! What a run would cost on a provider that bills as AWS Lambda does: the
//! memory an invocation was given times its billed duration (GB-seconds),
//! plus a price per request. `sls run --cost PRICES` adds the bill to the
//! summary, per function and in total, with the prices it used.
//!
//! An invocation is billed when it started (its container was up and its
//! function began): its duration runs from `start` to `end` (or to
//! `finish` when it has no end: a timeout or a failed host), rounded up to
//! the millisecond; its memory is its function's `limits { ram }` (a trace
//! function's: its trace memory) in GB of 1024 MB ([`GB`]). Invocations
//! that never started (refused, never placed, skipped) cost nothing. Idle
//! containers, data transfer and provisioned concurrency are not billed.

use serde::{Deserialize, Serialize};

/// Bytes of the GB prices are per: 1024 MB, so `limits { ram 512MB }` is
/// billed 0.5 GB, as Lambda bills its 512 MB setting.
pub const GB: f64 = 1024.0 * 1e6;

/// Prices, in the currency of the provider's price list (US dollars for
/// the named ones).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Prices {
    /// Per GB-second of memory given to running invocations.
    pub per_gb_second: f64,
    /// Per request (an invocation that started).
    pub per_request: f64,
}

/// Published price lists `--cost` knows by name: AWS Lambda's on-demand
/// prices in us-east-1 (first tier, free tier left out).
pub const PROVIDERS: [(&str, Prices); 2] = [
    (
        "aws-lambda",
        Prices {
            per_gb_second: 0.000_016_666_7,
            per_request: 0.000_000_2,
        },
    ),
    (
        "aws-lambda-arm",
        Prices {
            per_gb_second: 0.000_013_333_4,
            per_request: 0.000_000_2,
        },
    ),
];

impl std::str::FromStr for Prices {
    type Err = String;

    /// A provider's name, or `per_gb_second=X,per_request=Y` (either may be
    /// left out: 0), or `per_gb_second=X,per_million_requests=Y`.
    fn from_str(text: &str) -> Result<Prices, String> {
        if let Some((_, prices)) = PROVIDERS.iter().find(|(name, _)| *name == text) {
            return Ok(*prices);
        }
        let mut prices = Prices {
            per_gb_second: 0.0,
            per_request: 0.0,
        };
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
                .filter(|v: &f64| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| format!("`{value}` is no price: write a number of at least 0, such as 0.0000166667"))?;
            match key.trim() {
                "per_gb_second" => prices.per_gb_second = value,
                "per_request" => prices.per_request = value,
                "per_million_requests" => prices.per_request = value / 1e6,
                other => {
                    return Err(format!(
                        "`{other}` is no price: write per_gb_second, per_request or per_million_requests"
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
        let nanos = ((stop - start) * 1e9).round().max(0.0) as u64;
        self.requests += 1;
        self.billed_ms += nanos.div_ceil(1_000_000);
    }
}

/// The bill of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cost {
    pub prices: Prices,
    pub requests: u64,
    pub gb_seconds: f64,
    pub total: f64,
    /// Per function (a function of two services has a line in each), those
    /// with requests.
    pub functions: Vec<FunctionCost>,
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
    pub cost: f64,
}

impl Cost {
    /// The bill for `usage` per function, each given `memory[f]` bytes.
    pub fn of(prices: Prices, usage: &[Usage], memory: &[f64], names: &super::Names) -> Cost {
        let functions: Vec<FunctionCost> = usage
            .iter()
            .enumerate()
            .filter(|(_, u)| u.requests > 0)
            .map(|(f, u)| {
                let memory = memory.get(f).copied().unwrap_or(0.0);
                let billed_seconds = u.billed_ms as f64 / 1e3;
                let gb_seconds = memory / GB * billed_seconds;
                let service = names
                    .function_services
                    .get(f)
                    .and_then(|s| names.services.get(*s as usize));
                FunctionCost {
                    name: names.functions.get(f).cloned().unwrap_or_default(),
                    service: service.cloned().unwrap_or_default(),
                    memory,
                    requests: u.requests,
                    billed_seconds,
                    gb_seconds,
                    cost: gb_seconds * prices.per_gb_second + u.requests as f64 * prices.per_request,
                }
            })
            .collect();
        Cost {
            prices,
            requests: functions.iter().map(|f| f.requests).sum(),
            gb_seconds: functions.iter().map(|f| f.gb_seconds).sum(),
            total: functions.iter().map(|f| f.cost).sum(),
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
        assert!("per_hour=1".parse::<Prices>().is_err());
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
        };
        let cost = Cost::of(prices, &[one, two, Usage::default()], &[GB, 2.0 * GB, GB], &names);
        assert_eq!(cost.functions.len(), 2);
        assert_eq!(cost.requests, 2);
        assert!((cost.gb_seconds - 1.011).abs() < 1e-12);
        assert!((cost.total - 2.011).abs() < 1e-12);
    }
}
