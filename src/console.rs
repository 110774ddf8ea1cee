//! What the command line prints, to standard output and standard error,
//! without ever panicking: a closed pipe (`sls check x.sls 2>&1 | head -1`)
//! ends the message, not the command, whose results are written either
//! way. (`println!` and `eprintln!` panic on a closed pipe; the crate's
//! lints forbid them outside tests.)

use std::io::Write;

/// Writes `text` to standard output as it is, ignoring a closed pipe.
pub fn say(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// Writes `text` to standard error as it is, ignoring a closed pipe.
pub fn tell(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// `println!` through [`say`]: a line on standard output that a closed
/// pipe drops.
#[macro_export]
macro_rules! sayln {
    ($($arg:tt)*) => {
        $crate::console::say(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprintln!` through [`tell`]: a line on standard error that a closed
/// pipe drops.
#[macro_export]
macro_rules! tellln {
    ($($arg:tt)*) => {
        $crate::console::tell(&format!("{}\n", format_args!($($arg)*)))
    };
}
