//! How many threads the process runs and how much memory it holds.

/// The number of threads of this process, from the `Threads:` line of
/// `/proc/self/status` (Linux only; `None` elsewhere).
pub fn thread_count() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
}

/// The process's resident memory in bytes, through `sysinfo` (`/proc` on
/// Linux, the task info calls on macOS, and so on); `None` if unknown.
pub fn resident_bytes() -> Option<u64> {
    use sysinfo::{ProcessRefreshKind, ProcessesToUpdate, System};
    let pid = sysinfo::get_current_pid().ok()?;
    let mut system = System::new();
    system.refresh_processes_specifics(
        ProcessesToUpdate::Some(&[pid]),
        true,
        ProcessRefreshKind::nothing().with_memory(),
    );
    Some(system.process(pid)?.memory())
}
