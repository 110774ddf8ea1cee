//! SIGINT and SIGTERM as a request to stop: the first one sets a flag the
//! runs poll (so they stop between events, their rows flushed, and the
//! results folder says it was interrupted); a second one ends the process
//! at once, as the signal's default would.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use signal_hook::consts::{SIGINT, SIGTERM};

/// The signals that stop a run.
const SIGNALS: [i32; 2] = [SIGINT, SIGTERM];

/// Which stop signal arrived, if any.
#[derive(Debug, Clone, Default)]
pub struct Interrupt {
    received: Arc<AtomicBool>,
    signal: Arc<AtomicUsize>,
}

impl Interrupt {
    /// Installs the handlers. A system that refuses them leaves the
    /// signals' default actions (the process ends at once, its folder
    /// still marked incomplete).
    pub fn watch() -> Interrupt {
        let interrupt = Interrupt::default();
        for signal in SIGNALS {
            // The second signal ends the process: registered first, so it
            // sees the flag as the previous signal left it.
            let _ = signal_hook::flag::register_conditional_default(signal, Arc::clone(&interrupt.received));
            let _ = signal_hook::flag::register_usize(signal, Arc::clone(&interrupt.signal), signal as usize);
            let _ = signal_hook::flag::register(signal, Arc::clone(&interrupt.received));
        }
        interrupt
    }

    /// The signal received, once one was.
    pub fn received(&self) -> Option<Signal> {
        if !self.received.load(Ordering::SeqCst) {
            return None;
        }
        Some(Signal(self.signal.load(Ordering::SeqCst) as i32))
    }
}

/// A stop signal by number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signal(pub i32);

impl Signal {
    /// `SIGINT`, `SIGTERM`.
    pub fn name(self) -> String {
        match self.0 {
            SIGINT => "SIGINT".to_string(),
            SIGTERM => "SIGTERM".to_string(),
            n => format!("signal {n}"),
        }
    }

    /// The exit status a shell gives a process ended by this signal.
    pub fn exit_code(self) -> u8 {
        (128 + self.0).clamp(0, 255) as u8
    }
}
