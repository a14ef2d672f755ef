//! What this process holds: its memory and its threads, as the operating
//! system reports them.

use sysinfo::{ProcessRefreshKind, ProcessesToUpdate, System};

/// The process's memory, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Memory {
    /// Address space reserved by the process.
    pub virtual_bytes: u64,
    /// Memory actually in RAM for the process (its resident set).
    pub resident_bytes: u64,
}

/// The current process's memory, from the operating system (through the
/// `sysinfo` crate: `/proc` on Linux, the task info calls on macOS); `None`
/// where it is not reported.
pub fn memory() -> Option<Memory> {
    let pid = sysinfo::get_current_pid().ok()?;
    let mut system = System::new();
    system.refresh_processes_specifics(
        ProcessesToUpdate::Some(&[pid]),
        true,
        ProcessRefreshKind::nothing().with_memory(),
    );
    let me = system.process(pid)?;
    Some(Memory {
        virtual_bytes: me.virtual_memory(),
        resident_bytes: me.memory(),
    })
}

/// The number of threads of this process, from the `Threads:` line of
/// `/proc/self/status` (Linux only; `None` elsewhere).
pub fn thread_count() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_memory() {
        let m = memory().expect("the test platforms report memory");
        assert!(m.resident_bytes > 0 && m.virtual_bytes >= m.resident_bytes);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_new_thread_is_counted() {
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let t = std::thread::spawn(move || {
            let _ = rx.recv();
        });
        // This test's thread and the one it started, at least.
        assert!(thread_count().unwrap() >= 2);
        drop(tx);
        t.join().unwrap();
    }
}
