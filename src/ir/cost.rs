//! The prices a run is billed at: a script's `cost` block, or
//! `sls run --cost PRICES` (which wins over the block). The bill itself is
//! the report's (`report::cost`).

use serde::{Deserialize, Serialize};

/// Prices, in the currency of the provider's price list (US dollars for
/// AWS Lambda's). The units are in the names: a GB of memory is 1024 MB
/// (1.024e9 bytes, as Lambda bills its memory setting), a GB transferred is
/// 2^30 bytes (as AWS bills data transfer).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Prices {
    /// Per GB-second of memory given to running invocations.
    pub per_gb_second: f64,
    /// Per request (an invocation that started).
    pub per_request: f64,
    /// Per GB a body read from or wrote to a storage over the network.
    #[serde(default)]
    pub per_gb_transferred: f64,
    /// Per GB-second of memory held by idle containers (keep-alive,
    /// provisioned concurrency).
    #[serde(default)]
    pub per_idle_gb_second: f64,
}
