//! What concurrency does on one core: waits overlap, computations do not, and
//! a thread that only wants to wake up now and then still gets its turn.
//!
//! Pinning is Linux-only; elsewhere these tests have nothing to check.
#![cfg(target_os = "linux")]

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use support::measure::{spin_cpu, thread_cpu_time};
use support::pin::{Pinned, pin_to_one_core};

/// Runs `job` on three threads at once; returns the wall time and the CPU time
/// each thread used.
fn three_at_once(job: impl Fn() + Sync) -> (Duration, Vec<Duration>) {
    let start = Instant::now();
    let cpu = thread::scope(|s| {
        let handles: Vec<_> = (0..3)
            .map(|_| {
                s.spawn(|| {
                    let before = thread_cpu_time();
                    job();
                    thread_cpu_time() - before
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    (start.elapsed(), cpu)
}

/// Each test pins its own thread (threads it starts inherit the pin); the
/// other tests' threads are not affected.
fn pinned() {
    assert!(
        matches!(pin_to_one_core(), Pinned::To(_)),
        "Linux can pin a thread"
    );
}

#[test]
fn waits_overlap_even_on_one_core() {
    pinned();
    let wait = Duration::from_millis(300);
    let (wall, _) = three_at_once(|| thread::sleep(wait));
    // One after another would take 3 waits; at once they take about one. Two
    // is a generous bound for a slow or busy machine.
    assert!(
        wall < wait * 2,
        "three overlapping waits of {wait:?} took {wall:?}"
    );
}

#[test]
fn computations_on_one_core_take_turns() {
    pinned();
    let work = Duration::from_millis(100);
    let (wall, cpu) = three_at_once(|| {
        spin_cpu(work);
    });
    // One core runs one thread at a time, so the wall time cannot be less
    // than the CPU time of all three together. This holds however busy the
    // machine is (a busy machine only makes the wall time longer).
    let total: Duration = cpu.iter().sum();
    assert!(
        total >= work * 3,
        "each thread computed for at least {work:?}: {cpu:?}"
    );
    assert!(
        wall >= total.mul_f64(0.95),
        "three computations on one core overlapped: {wall:?} for {total:?} of CPU"
    );
}

#[test]
fn a_heartbeat_thread_keeps_ticking_while_one_core_computes() {
    pinned();
    let job = Duration::from_millis(400);
    // With one thread of control, a tick could come only between jobs: a gap
    // of at least `job`. On its own thread the heartbeat is woken by the
    // scheduler while the computations run. Try a few times in case the
    // machine is busy with something else entirely.
    let mut gaps = Vec::new();
    for _ in 0..3 {
        let stop = AtomicBool::new(false);
        let ticks = Mutex::new(vec![Instant::now()]);
        thread::scope(|s| {
            s.spawn(|| {
                while !stop.load(Ordering::Relaxed) {
                    thread::sleep(Duration::from_millis(10));
                    ticks.lock().unwrap().push(Instant::now());
                }
            });
            three_at_once(|| {
                spin_cpu(job);
            });
            stop.store(true, Ordering::Relaxed);
        });
        let ticks = ticks.into_inner().unwrap();
        let gap = ticks.windows(2).map(|w| w[1] - w[0]).max().unwrap();
        if gap < job / 2 {
            return;
        }
        gaps.push(gap);
    }
    panic!(
        "the heartbeat froze while computing: longest gaps {gaps:?}, jobs of {job:?}"
    );
}
