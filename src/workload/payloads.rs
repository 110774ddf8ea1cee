//! The payload sizes one invocation carries, when its trace row or its
//! `with` gives them: they replace its service's `request_payload` and
//! `response_payload` for that invocation alone.

/// Bytes sent with one request and with its answer; `None`: the service's.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Payloads {
    pub request: Option<f64>,
    pub response: Option<f64>,
}
