//! Unequal turns: threads at different priorities competing for one core.
//!
//! Linux's scheduler does not give every thread the same share of a core. It
//! gives each thread a *weight* that follows from its *nice value*, from -20
//! (greedy) to 19 (nicest to the others), and shares the core in proportion
//! to the weights of the threads that want it. A thread at nice 19 still
//! runs, but gets a sliver: it is *starved*.
//!
//! On Linux every thread is a task of its own with its own nice value, and
//! `setpriority(PRIO_PROCESS, tid, n)` with a thread id changes one thread.
//! Any thread may lower its own priority; raising it again needs privilege.
//! macOS applies `setpriority(PRIO_PROCESS, ...)` to the whole process and
//! has no per-thread nice value, so there [`nice_this_thread`] says so.

use std::sync::{Barrier, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use support::measure::thread_cpu_time;

/// The weights of Linux's scheduler for nice 0 and nice 19, from its table
/// `sched_prio_to_weight` (kernel/sched/core.c): each step up in nice
/// divides the weight by about 1.25, so a thread gets about 10% less of a
/// core shared with a thread one step below it.
pub const WEIGHT_NICE_0: u32 = 1024;
/// See [`WEIGHT_NICE_0`].
pub const WEIGHT_NICE_19: u32 = 15;

// ANCHOR: nice
/// Sets the calling thread's nice value (Linux only): the other threads of
/// the process keep theirs.
#[cfg(target_os = "linux")]
pub fn nice_this_thread(nice: i32) -> Result<(), String> {
    // SAFETY: the gettid system call takes no arguments and cannot fail.
    let tid = unsafe { libc::syscall(libc::SYS_gettid) };
    // SAFETY: setpriority takes plain integers and touches no memory of
    // ours; on Linux, a thread id as `who` names that one thread.
    let result = unsafe {
        libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, nice)
    };
    if result == 0 {
        Ok(())
    } else {
        Err(format!(
            "setpriority failed: {}",
            std::io::Error::last_os_error()
        ))
    }
}
// ANCHOR_END: nice

/// Sets the calling thread's nice value where the OS allows it; this one
/// does not.
#[cfg(not(target_os = "linux"))]
pub fn nice_this_thread(_nice: i32) -> Result<(), String> {
    Err(format!(
        "{} has no nice value per thread (setpriority there changes the \
         whole process)",
        std::env::consts::OS
    ))
}

/// What one competing thread got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    /// Its nice value.
    pub nice: i32,
    /// Rounds of work it finished.
    pub work: u64,
    /// CPU time it used.
    pub cpu: Duration,
}

// ANCHOR: compete
/// Starts one thread per entry of `nices`, at that nice value (0 leaves a
/// thread at the one it inherits, 0 unless the program was started
/// niced); they all compute for the same `run_for` of wall time, and each
/// counts the rounds of work it finished. Call it from a thread pinned to
/// one core, so that they compete for that core.
pub fn compete(nices: &[i32], run_for: Duration) -> Result<Vec<Share>, String> {
    // All start together, once every one has its nice value, and all stop
    // at the same moment: the first thread past the barrier sets the clock.
    // (A thread starved right after the barrier would otherwise start its
    // own clock late, and then run alone after the others had stopped.)
    let start_line = Barrier::new(nices.len());
    let started = OnceLock::new();
    thread::scope(|s| {
        let threads: Vec<_> = nices
            .iter()
            .map(|&nice| {
                let (start_line, started) = (&start_line, &started);
                s.spawn(move || {
                    let niced = if nice == 0 {
                        Ok(())
                    } else {
                        nice_this_thread(nice)
                    };
                    // Wait even after a failure, or the others wait forever.
                    start_line.wait();
                    niced?;
                    let cpu_before = thread_cpu_time();
                    let start = *started.get_or_init(Instant::now);
                    let mut work = 0;
                    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
                    while start.elapsed() < run_for {
                        // One round of work: a little arithmetic.
                        for _ in 0..1_000 {
                            x ^= x << 13;
                            x ^= x >> 7;
                            x ^= x << 17;
                        }
                        x = std::hint::black_box(x);
                        work += 1;
                    }
                    let cpu = thread_cpu_time() - cpu_before;
                    Ok(Share { nice, work, cpu })
                })
            })
            .collect();
        threads
            .into_iter()
            // The threads return their errors rather than panic.
            .map(|t| t.join().unwrap())
            .collect()
    })
}
// ANCHOR_END: compete

/// The share of the core that the kernel's weights promise a nice-19
/// thread against one nice-0 thread.
pub fn expected_share_of_nice_19() -> f64 {
    f64::from(WEIGHT_NICE_19) / f64::from(WEIGHT_NICE_0 + WEIGHT_NICE_19)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_gives_nice_19_under_two_percent() {
        let share = expected_share_of_nice_19();
        assert!(share > 0.01 && share < 0.02, "{share}");
    }
}
