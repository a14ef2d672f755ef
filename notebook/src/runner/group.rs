//! A run's process group: set up in the child, counted, killed whole.

use std::process::Command;

use super::{Kill, Limits};

/// Puts the command in a process group of its own.
pub fn confine(command: &mut Command) {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    #[cfg(not(unix))]
    let _ = command;
}

/// Kills the process group led by `pid`, if any of it is left. The group id
/// is the leader's pid ([`confine`] asks for a new group).
pub fn kill(pid: u32) {
    #[cfg(unix)]
    {
        use nix::sys::signal::{Signal, killpg};
        use nix::unistd::Pid;
        // It may be gone already; that is fine.
        let _ = killpg(Pid::from_raw(pid as i32), Signal::SIGKILL);
    }
    #[cfg(not(unix))]
    let _ = pid;
}

/// Which limit of the group led by `pid`, if any, it has gone past: more
/// processes than `limits.processes`, or more resident memory, summed over
/// its processes, than `limits.memory_bytes`. Linux only (it reads `/proc`);
/// elsewhere always `None`.
pub fn over_limit(pid: u32, limits: &Limits) -> Option<Kill> {
    let survey = survey(pid)?;
    if survey.processes > limits.processes {
        Some(Kill::ProcessLimit)
    } else if survey.resident_bytes > limits.memory_bytes {
        Some(Kill::MemoryLimit)
    } else {
        None
    }
}

/// What a process group holds.
#[derive(Debug, Clone, Copy, Default)]
struct Survey {
    processes: usize,
    resident_bytes: u64,
}

#[cfg(target_os = "linux")]
fn survey(pgid: u32) -> Option<Survey> {
    let entries = std::fs::read_dir("/proc").ok()?;
    let mut survey = Survey::default();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !name.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{name}/stat")) else { continue };
        // Fields after the command name (which may hold spaces, so split at
        // its closing parenthesis): state ppid pgrp ...
        let Some((_, rest)) = stat.rsplit_once(')') else { continue };
        let pgrp = rest.split_whitespace().nth(2).and_then(|p| p.parse::<u32>().ok());
        if pgrp != Some(pgid) {
            continue;
        }
        survey.processes += 1;
        // `VmRSS:   1234 kB`; a process that just exited has none.
        let status = std::fs::read_to_string(format!("/proc/{name}/status")).unwrap_or_default();
        let kib = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap_or(0);
        survey.resident_bytes += kib * 1024;
    }
    Some(survey)
}

#[cfg(not(target_os = "linux"))]
fn survey(_pgid: u32) -> Option<Survey> {
    None
}
