//! The limits every run lives under.
//!
//! - Its own process group, so one signal reaches everything it started.
//! - Memory: the address space is capped (`RLIMIT_AS`), so a runaway
//!   allocation fails inside the program instead of swapping the machine.
//! - Processes: `RLIMIT_NPROC` counts every process and thread of the
//!   reader's user (their browser's too), so it cannot cap one run without
//!   breaking the reader's session. Instead a watchdog counts the run's
//!   process group every 50 ms and kills the group past the limit. Counting
//!   reads `/proc`, which only Linux has; elsewhere a fork bomb is stopped by
//!   the time limit, with the whole group.
//! - Time and output: enforced by the run loop (see `run.rs`).

use std::time::Duration;

/// The limits of the server and of each run.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest source a run may send.
    pub source_bytes: usize,
    /// Largest request body.
    pub body_bytes: usize,
    /// Output per run beyond this is dropped and the run killed.
    pub output_bytes: usize,
    /// Runs going at once (a "Run x20" counts once).
    pub concurrent_runs: usize,
    /// The most times one request may run its program.
    pub max_times: u32,
    /// The longest any cell may run, whatever it declares.
    pub max_timeout: Duration,
    /// Address space per process.
    pub memory_bytes: u64,
    /// Processes in one run's group.
    pub processes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            source_bytes: 64 * 1024,
            body_bytes: 256 * 1024,
            output_bytes: 1024 * 1024,
            concurrent_runs: 4,
            max_times: 50,
            max_timeout: Duration::from_secs(120),
            memory_bytes: 8 << 30,
            processes: 64,
        }
    }
}

/// Puts the command in its own process group under the memory limit.
pub fn confine(command: &mut tokio::process::Command, limits: &Limits) {
    #[cfg(unix)]
    {
        command.process_group(0);
        let memory = limits.memory_bytes;
        // SAFETY: the closure runs in the child between fork and exec, where
        // only async-signal-safe calls are allowed; `setrlimit` is one, and the
        // closure allocates nothing and takes no locks.
        unsafe {
            command.pre_exec(move || {
                nix::sys::resource::setrlimit(nix::sys::resource::Resource::RLIMIT_AS, memory, memory)
                    .map_err(std::io::Error::from)
            });
        }
    }
    #[cfg(not(unix))]
    let _ = (command, limits);
}

/// Kills the process group led by `pid`, if any of it is left.
pub fn kill_group(pid: u32) {
    #[cfg(unix)]
    {
        use nix::sys::signal::{Signal, killpg};
        use nix::unistd::Pid;
        let _ = killpg(Pid::from_raw(pid as i32), Signal::SIGKILL);
    }
    #[cfg(not(unix))]
    let _ = pid;
}

/// Whether the process group led by `pid` has more than `limit` processes.
/// Linux only (reads `/proc`); elsewhere always false.
pub fn group_too_big(pid: u32, limit: usize) -> bool {
    #[cfg(target_os = "linux")]
    {
        let Ok(entries) = std::fs::read_dir("/proc") else { return false };
        let mut count = 0;
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if !name.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{name}/stat")) else { continue };
            // Fields after the command name (which may hold spaces, so
            // split at its closing parenthesis): state ppid pgrp ...
            let Some((_, rest)) = stat.rsplit_once(')') else { continue };
            let pgrp = rest.split_whitespace().nth(2).and_then(|p| p.parse::<u32>().ok());
            if pgrp == Some(pid) {
                count += 1;
                if count > limit {
                    return true;
                }
            }
        }
        false
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (pid, limit);
        false
    }
}
