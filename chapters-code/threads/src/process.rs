//! Processes: a program running in an address space of its own.
//!
//! A child process cannot reach into its parent's memory, so when it
//! crashes, only it dies. The parent learns how the child ended from its
//! exit status: a code the child chose (`exit(3)`; a Rust panic in `main`
//! ends with code 101), or, on Unix, the signal that killed it.

use std::io;
use std::process::{Command, ExitStatus};

// ANCHOR: describe
/// How a process ended, in words.
pub fn describe(status: ExitStatus) -> String {
    if let Some(code) = status.code() {
        return format!("exited with code {code}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return format!(
                "killed by signal {signal} ({})",
                signal_name(signal)
            );
        }
    }
    format!("ended: {status}")
}
// ANCHOR_END: describe

/// The usual name of a few common signals.
pub fn signal_name(signal: i32) -> &'static str {
    match signal {
        6 => "SIGABRT",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        15 => "SIGTERM",
        _ => "a signal",
    }
}

// ANCHOR: run_child
/// Runs this very program again as a child process, with `role` as its only
/// argument, and waits for it. The child's output goes where ours goes.
pub fn run_self_as(role: &str) -> io::Result<ExitStatus> {
    let me = std::env::current_exe()?;
    Command::new(me).arg(role).status()
}
// ANCHOR_END: run_child

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn statuses_read_plainly() {
        use std::os::unix::process::ExitStatusExt;
        // A raw wait status: code 3 sits in the second byte; signal 6 alone.
        assert_eq!(
            describe(ExitStatus::from_raw(3 << 8)),
            "exited with code 3"
        );
        assert_eq!(
            describe(ExitStatus::from_raw(6)),
            "killed by signal 6 (SIGABRT)"
        );
    }
}
