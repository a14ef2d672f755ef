//! The limits a connection counts against. Every connection is a file
//! descriptor, on both ends; a process may hold only so many (`ulimit -n`).
//! A thread per connection is a thread too, and a process may start only
//! so many of those ([`threads`]).

use std::io;

/// The soft and hard limits on open files, where the system says.
pub fn open_files() -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        nix::sys::resource::getrlimit(
            nix::sys::resource::Resource::RLIMIT_NOFILE,
        )
        .ok()
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Makes room for `needed` open files: raises the soft limit to `needed`
/// if it must (a process may raise it up to the hard limit without
/// privileges), or says clearly why it cannot. Raising it only as far as
/// needed also works on macOS, whose hard limit may be "unlimited" while
/// the kernel refuses a soft limit above its own maximum.
pub fn ensure_open_files(needed: u64) -> io::Result<()> {
    let Some((soft, hard)) = open_files() else {
        return Ok(()); // not a Unix: nothing to check
    };
    if needed <= soft {
        return Ok(());
    }
    if needed > hard {
        return Err(io::Error::other(format!(
            "{needed} file descriptors are needed, but this process may open \
             at most {hard} (the hard limit of `ulimit -n`); use fewer \
             connections, or raise the hard limit as an administrator"
        )));
    }
    #[cfg(unix)]
    nix::sys::resource::setrlimit(
        nix::sys::resource::Resource::RLIMIT_NOFILE,
        needed,
        hard,
    )
    .map_err(|e| {
        io::Error::other(format!(
            "raising the open-file limit to {needed}: {e}"
        ))
    })?;
    Ok(())
}

/// How many threads this process may have: the per-user limit
/// (`ulimit -u`, which counts threads on Linux) and, on Linux, the
/// system's `/proc/sys/kernel/threads-max`, whichever is lower. `None`
/// where neither says (unlimited, or a system without them).
pub fn threads() -> Option<u64> {
    #[cfg(unix)]
    let user = nix::sys::resource::getrlimit(
        nix::sys::resource::Resource::RLIMIT_NPROC,
    )
    .ok()
    .map(|(soft, _)| soft)
    .filter(|&soft| soft != nix::sys::resource::RLIM_INFINITY);
    #[cfg(not(unix))]
    let user: Option<u64> = None;
    // Linux only; elsewhere the file does not exist and only the user
    // limit counts.
    let system = std::fs::read_to_string("/proc/sys/kernel/threads-max")
        .ok()
        .and_then(|text| text.trim().parse::<u64>().ok());
    match (user, system) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Raises the soft open-file limit as far as the hard limit allows, but
/// not past `at_most`, and returns the soft limit in force (`None` where
/// the system has none to say).
pub fn raise_open_files(at_most: u64) -> Option<u64> {
    let (soft, hard) = open_files()?;
    let wanted = hard.min(at_most);
    if wanted > soft && ensure_open_files(wanted).is_ok() {
        return Some(wanted);
    }
    Some(soft)
}
