//! How many threads the process runs and how much memory it holds (the
//! `support` crate reads both).

pub use support::process::thread_count;

/// The process's resident memory in bytes; `None` if unknown.
pub fn resident_bytes() -> Option<u64> {
    support::process::memory().map(|m| m.resident_bytes)
}
