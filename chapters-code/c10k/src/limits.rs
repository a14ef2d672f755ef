//! The open-file limit. Every connection is a file descriptor, on both
//! ends; a process may hold only so many (`ulimit -n`).

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
