//! Where results go: a results folder claimed by one run at a time
//! ([`folder`]), the manifest saying which experiment wrote it and what
//! each subfolder holds ([`manifest`]), and stop signals turned into a
//! clean, marked stop ([`interrupt`]); folders holding parts of one
//! experiment put together ([`merge`]); a sweep's repetitions that gave
//! the same summary told ([`repetitions`]).

pub mod folder;
pub mod interrupt;
pub mod manifest;
pub mod merge;
pub mod repetitions;
pub mod runs;
pub mod table;

pub use folder::{FolderError, OutFolder};
pub use interrupt::{Interrupt, Signal};
pub use manifest::{Manifest, RunEntry, folder_names};
