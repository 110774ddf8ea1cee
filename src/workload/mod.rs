//! Workloads at run time: random amounts, arrival patterns and streamed trace readers.
