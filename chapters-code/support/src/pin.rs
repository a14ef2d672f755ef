//! Confining a program to one core, to see what concurrency does without
//! parallelism.
//!
//! Linux lets a thread choose the CPUs it may run on (its *affinity*), and
//! threads it starts afterwards inherit the choice. macOS and others have no
//! such call; there [`pin_to_one_core`] says so and the program runs on all
//! cores.

/// Which CPU the calling thread now runs on, or why it could not be pinned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pinned {
    /// Pinned: this thread and every thread it starts run on this CPU only.
    To(usize),
    /// Not pinned, and why.
    Unsupported(String),
}

/// Restricts the calling thread (and the threads it will start) to one CPU:
/// the first of the CPUs it may use now.
pub fn pin_to_one_core() -> Pinned {
    pin_to_nth_core(0)
}

/// Restricts the calling thread (and the threads it will start) to one CPU:
/// the `n`th of the CPUs it may use now, counting round (so that threads
/// numbered 0, 1, 2, ... land on different cores, as far as there are cores).
#[cfg(target_os = "linux")]
pub fn pin_to_nth_core(n: usize) -> Pinned {
    use nix::sched::{CpuSet, sched_getaffinity, sched_setaffinity};
    use nix::unistd::Pid;

    // Pid 0 means "the calling thread".
    let allowed = match sched_getaffinity(Pid::from_raw(0)) {
        Ok(set) => set,
        Err(e) => {
            return Pinned::Unsupported(format!(
                "sched_getaffinity failed: {e}"
            ));
        }
    };
    let cpus: Vec<usize> = (0..CpuSet::count())
        .filter(|&cpu| allowed.is_set(cpu).unwrap_or(false))
        .collect();
    if cpus.is_empty() {
        return Pinned::Unsupported(
            "this thread may run on no CPU at all".into(),
        );
    }
    let cpu = cpus[n % cpus.len()];
    let mut one = CpuSet::new();
    if let Err(e) = one.set(cpu) {
        return Pinned::Unsupported(format!("CPU {cpu} is out of range: {e}"));
    }
    match sched_setaffinity(Pid::from_raw(0), &one) {
        Ok(()) => Pinned::To(cpu),
        Err(e) => Pinned::Unsupported(format!("sched_setaffinity failed: {e}")),
    }
}

/// Restricts the calling thread to one CPU where the OS allows it; this OS
/// does not.
#[cfg(not(target_os = "linux"))]
pub fn pin_to_nth_core(_n: usize) -> Pinned {
    Pinned::Unsupported(format!(
        "{} has no call to pin a thread to one core",
        std::env::consts::OS
    ))
}
