//! Amdahl's law and Gustafson's law, and a program to measure them on: a
//! serial phase that no number of threads can speed up, then a parallel
//! phase of independent tasks.

use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::work::fib;

// ANCHOR: laws
/// Amdahl's law: the speedup on `s` processors of a program whose fraction
/// `p` of its one-thread time can run in parallel. The serial part
/// `1 - p` takes as long as ever; only the part `p` is divided by `s`.
pub fn amdahl(p: f64, s: f64) -> f64 {
    1.0 / ((1.0 - p) + p / s)
}

/// The limit of Amdahl's law for endless processors: `1 / (1 - p)`.
pub fn amdahl_ceiling(p: f64) -> f64 {
    1.0 / (1.0 - p)
}

/// Gustafson's law: the *scaled* speedup when the problem grows with the
/// processors. `p` is the parallel fraction of the time on `s` processors;
/// one processor would need `(1 - p) + p * s` times as long for the grown
/// problem.
pub fn gustafson(p: f64, s: f64) -> f64 {
    (1.0 - p) + p * s
}
// ANCHOR_END: laws

// ANCHOR: program
/// The serial phase: `steps` rounds of a hash in which each round needs the
/// result of the one before. No thread can start round 2 before round 1 is
/// done, so this phase runs on one thread however many there are.
pub fn serial_phase(steps: u64) -> u64 {
    let mut h = 0x243F_6A88_85A3_08D3u64;
    for i in 0..steps {
        h = (h ^ i).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29);
    }
    h
}

/// The parallel phase: independent tasks (each a fib), spread by rayon.
pub fn parallel_phase(tasks: &[u32]) -> u64 {
    tasks.par_iter().map(|&n| fib(n)).sum()
}

/// How long each phase took in one run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Phases {
    pub serial: Duration,
    pub parallel: Duration,
    /// What the program computed (the same for any number of threads).
    pub result: u64,
}

impl Phases {
    /// Both phases.
    pub fn total(&self) -> Duration {
        self.serial + self.parallel
    }

    /// The fraction of the time spent in the parallel phase.
    pub fn parallel_fraction(&self) -> f64 {
        self.parallel.as_secs_f64() / self.total().as_secs_f64().max(1e-12)
    }
}

/// Runs the program on a rayon pool of `threads` threads.
pub fn run(threads: usize, steps: u64, tasks: &[u32]) -> Phases {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        // Only fails if the OS refuses to start threads: nothing to do then.
        .expect("the OS starts the pool's threads");
    pool.install(|| {
        let start = Instant::now();
        let a = serial_phase(steps);
        let serial = start.elapsed();
        let start = Instant::now();
        let b = parallel_phase(tasks);
        let parallel = start.elapsed();
        Phases {
            serial,
            parallel,
            result: a ^ b,
        }
    })
}
// ANCHOR_END: program

/// The fastest of `runs` runs of [`run`] (by total time): the run least
/// disturbed by other programs on the machine.
pub fn best_run(
    threads: usize,
    steps: u64,
    tasks: &[u32],
    runs: usize,
) -> Phases {
    (0..runs.max(1))
        .map(|_| run(threads, steps, tasks))
        .min_by_key(Phases::total)
        // At least one run was made.
        .expect("at least one run")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn amdahl_at_the_edges_and_in_between() {
        assert!(close(amdahl(0.9, 1.0), 1.0));
        assert!(close(amdahl(1.0, 8.0), 8.0), "all parallel: linear");
        assert!(close(amdahl(0.0, 8.0), 1.0), "all serial: nothing");
        // p = 0.9 on 2 cores: 1 / (0.1 + 0.45).
        assert!(close(amdahl(0.9, 2.0), 1.0 / 0.55));
        // The ceiling is never reached, only approached.
        assert!(close(amdahl_ceiling(0.9), 10.0));
        assert!(amdahl(0.9, 1e6) < 10.0 && amdahl(0.9, 1e6) > 9.99);
    }

    #[test]
    fn gustafson_grows_without_a_ceiling() {
        assert!(close(gustafson(0.9, 1.0), 1.0));
        assert!(close(gustafson(0.9, 2.0), 1.9));
        assert!(close(gustafson(0.9, 100.0), 90.1));
        // For the same p and s > 1, scaling the problem beats fixing it.
        assert!(gustafson(0.9, 8.0) > amdahl(0.9, 8.0));
    }

    #[test]
    fn the_result_does_not_depend_on_the_thread_count() {
        let tasks = [20, 21, 22, 23];
        assert_eq!(run(1, 1000, &tasks).result, run(2, 1000, &tasks).result);
        assert_eq!(run(3, 1000, &tasks).result, run(1, 1000, &tasks).result);
    }
}
