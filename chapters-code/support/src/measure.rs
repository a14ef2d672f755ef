//! Wall-clock time versus CPU time.
//!
//! Wall time is what a clock on the wall shows passing. CPU time is how long
//! a CPU actually ran this process's code. A program that waits (for a disk,
//! a network, a timer) uses wall time but almost no CPU time; a program that
//! computes uses both, and with several threads its CPU time can exceed its
//! wall time. The ratio tells which kind of work it is.

use std::hint::black_box;
use std::time::{Duration, Instant};

use cpu_time::{ProcessTime, ThreadTime};

/// How long something took, by the wall clock and by the CPU.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Usage {
    /// Time that passed, as a clock on the wall measures it.
    pub wall: Duration,
    /// CPU time the whole process used meanwhile, summed over its threads.
    pub cpu: Duration,
}

impl Usage {
    /// CPU time divided by wall time: near 0 for waiting, near 1 for one busy
    /// thread, up to the number of cores for several busy threads.
    pub fn cpu_per_wall(&self) -> f64 {
        let wall = self.wall.as_secs_f64();
        if wall == 0.0 {
            0.0
        } else {
            self.cpu.as_secs_f64() / wall
        }
    }
}

/// Runs `work` and measures its wall time and the process's CPU time.
///
/// CPU time is the whole process's: threads that `work` starts count, and so
/// does any other thread that happens to run meanwhile.
pub fn measure<T>(work: impl FnOnce() -> T) -> (T, Usage) {
    let cpu = ProcessTime::now();
    let wall = Instant::now();
    let value = work();
    let usage = Usage {
        wall: wall.elapsed(),
        cpu: cpu.elapsed(),
    };
    (value, usage)
}

/// CPU time used so far by the calling thread alone.
pub fn thread_cpu_time() -> Duration {
    ThreadTime::now().as_duration()
}

/// Keeps the calling thread computing until it has used `cpu` of CPU time.
///
/// Counting the thread's own CPU time, not the wall clock, means the amount of
/// work stays the same when the machine is busy: a slice lost to another
/// thread is made up afterwards, exactly as real computation would be.
/// Returns a number derived from the work so that it cannot be optimised away.
pub fn spin_cpu(cpu: Duration) -> u64 {
    let start = ThreadTime::now();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while start.elapsed() < cpu {
        // A little arithmetic between clock reads; reading the clock is a
        // system call on some platforms and should not dominate.
        for _ in 0..10_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }
        x = black_box(x);
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spinning_uses_cpu_and_sleeping_does_not() {
        let ((), spin) = measure(|| {
            spin_cpu(Duration::from_millis(50));
        });
        let ((), sleep) =
            measure(|| std::thread::sleep(Duration::from_millis(50)));
        assert!(spin.cpu >= Duration::from_millis(50), "{spin:?}");
        assert!(sleep.cpu < spin.cpu / 2, "sleep {sleep:?} vs spin {spin:?}");
        assert!(sleep.wall >= Duration::from_millis(50));
    }

    #[test]
    fn ratio_of_an_instant_is_zero() {
        let u = Usage {
            wall: Duration::ZERO,
            cpu: Duration::ZERO,
        };
        assert_eq!(u.cpu_per_wall(), 0.0);
    }
}
