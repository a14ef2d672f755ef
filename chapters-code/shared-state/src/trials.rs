//! Running two threads against each other, many times over.
//!
//! Some interleavings are rare: two threads must do their racing steps within
//! a few nanoseconds of each other. Starting two new threads for every attempt
//! is hopeless, because starting a thread takes tens of microseconds, far more
//! than the window we want to hit. So [`race`] starts two threads once and
//! runs many short *trials* on them:
//!
//! 1. thread A resets the shared state for the trial;
//! 2. both threads meet at a [`SpinBarrier`] and leave it together, within a
//!    fraction of a microsecond of each other;
//! 3. each thread runs its side of the trial and keeps the result;
//! 4. both meet again, so that A does not reset the state while B still uses
//!    it.
//!
//! Each thread is also placed on a core of its own ([`spread`]), where the
//! operating system allows it.
//!
//! The barrier spins (it keeps checking a counter) instead of putting the
//! threads to sleep, because waking a sleeping thread takes microseconds and
//! would spread the two starts far apart. On a machine with one core, or one
//! so busy that the other thread is not running, a spinning thread would only
//! hold up the other, so after a short spin it goes to sleep after all.

use std::hint::spin_loop;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, OnceLock, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

/// How many times [`pause`] spins before it sleeps, on several cores.
const SPINS: u32 = 200;

/// A barrier that waits by spinning first, and sleeping if that was not
/// enough.
///
/// Each of its threads takes a [`Seat`] and calls [`Seat::wait`] the same
/// number of times; the n-th wait of a thread returns only once every other
/// thread has reached its n-th wait too.
#[derive(Debug)]
pub struct SpinBarrier {
    /// How many threads meet at the barrier.
    threads: u64,
    /// How long a thread spins before it sleeps, on several cores.
    spin_for: Duration,
    /// How many waits have begun so far, over all threads and all rounds.
    arrived: AtomicU64,
    /// How many threads stopped spinning and may be asleep on `wake`.
    sleepers: AtomicU64,
    /// The sleepers' lock and bell, used only when spinning took too long.
    lock: Mutex<()>,
    wake: Condvar,
}

/// One thread's place at a [`SpinBarrier`]: it remembers how many rounds that
/// thread has passed.
#[derive(Debug)]
pub struct Seat<'a> {
    barrier: &'a SpinBarrier,
    rounds: u64,
}

impl SpinBarrier {
    /// A barrier for `threads` threads, which nobody has reached yet. A
    /// thread that arrives spins for up to `spin_for` (on a machine with
    /// several cores), and then sleeps until the last one arrives.
    ///
    /// Waking up takes a sleeping thread a long time, up to hundreds of
    /// microseconds, and it then starts far behind the others; `spin_for`
    /// should cover the usual wait.
    pub fn new(threads: usize, spin_for: Duration) -> SpinBarrier {
        SpinBarrier {
            threads: threads as u64,
            spin_for,
            arrived: AtomicU64::new(0),
            sleepers: AtomicU64::new(0),
            lock: Mutex::new(()),
            wake: Condvar::new(),
        }
    }

    /// A seat for one of the threads.
    pub fn seat(&self) -> Seat<'_> {
        Seat {
            barrier: self,
            rounds: 0,
        }
    }
}

impl Seat<'_> {
    /// Waits until every other thread has come as far.
    pub fn wait(&mut self) {
        let barrier = self.barrier;
        self.rounds += 1;
        // After round n, the threads together have arrived n times each.
        let everyone = barrier.threads * self.rounds;
        // SeqCst throughout: whatever a thread wrote before arriving is
        // visible to the others once they leave, and (see below) a sleeper
        // and the last thread to arrive cannot miss each other.
        let now = barrier.arrived.fetch_add(1, Ordering::SeqCst) + 1;
        if now == everyone {
            // The last to arrive: wake whoever gave up spinning.
            if barrier.sleepers.load(Ordering::SeqCst) > 0 {
                let _locked = barrier.lock.lock();
                barrier.wake.notify_all();
            }
            return;
        }
        // Spin: the others are probably running, and arrive within moments.
        if several_cores() {
            let start = Instant::now();
            let mut spins: u32 = 0;
            loop {
                if barrier.arrived.load(Ordering::SeqCst) >= everyone {
                    return;
                }
                spin_loop();
                spins = spins.wrapping_add(1);
                // Reading the clock costs more than a spin: now and then.
                if spins.is_multiple_of(64)
                    && start.elapsed() > barrier.spin_for
                {
                    break;
                }
            }
        }
        // They are not running (one core, a busy machine): sleep until the
        // last one rings. Counting ourselves as a sleeper *before* checking
        // `arrived` means that the last thread either sees the count and
        // rings, or arrived before our check, which then lets us through.
        barrier.sleepers.fetch_add(1, Ordering::SeqCst);
        // The lock guards nothing but the wait itself: a thread that
        // panicked while holding it left nothing broken behind.
        let mut locked =
            barrier.lock.lock().unwrap_or_else(PoisonError::into_inner);
        while barrier.arrived.load(Ordering::SeqCst) < everyone {
            locked = barrier
                .wake
                .wait(locked)
                .unwrap_or_else(PoisonError::into_inner);
        }
        drop(locked);
        barrier.sleepers.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Whether this process may run threads on several cores at once. If not,
/// spinning cannot help: the other thread cannot run while this one spins.
///
/// Worked out once, before any thread is [`spread`] (a pinned thread would
/// count only its own core).
pub fn several_cores() -> bool {
    static SEVERAL: OnceLock<bool> = OnceLock::new();
    *SEVERAL.get_or_init(|| {
        thread::available_parallelism().is_ok_and(|n| n.get() > 1)
    })
}

/// Asks the operating system to run the calling thread only on the `n`-th
/// of the CPUs it may use (counting round and round), so that threads
/// numbered 0, 1, ... run on different cores.
///
/// Left to itself, the scheduler sometimes puts two new threads on the same
/// core for a few milliseconds, long enough for one to do all its work while
/// the other waits its turn: then nothing races. Tools that run litmus tests
/// place their threads by hand for the same reason. This is best effort: on
/// Linux only, and if the call fails the thread simply runs where the
/// scheduler puts it.
pub fn spread(n: usize) {
    // Count the cores while this thread may still use all of them.
    several_cores();
    // Where the OS cannot pin (macOS), the threads run where it likes.
    let _ = support::pin::pin_to_nth_core(n);
}

/// One round of waiting for another thread to do something: spin, or after
/// many spins (`spins` counts them), sleep for a moment.
///
/// Spinning answers fastest when the other thread is running on another
/// core. When it is not (one core, or a busy machine), spinning only burns
/// the time the other thread needs, so after a while the waiter sleeps,
/// which lets the operating system run another thread on its core.
pub fn pause(spins: &mut u32) {
    if several_cores() && *spins < SPINS {
        *spins += 1;
        spin_loop();
    } else {
        thread::sleep(Duration::from_micros(20));
    }
}

// ANCHOR: race
/// Runs `trials` trials of `a` against `b`, on two threads that start each
/// trial together, and returns both results of every trial in order.
///
/// `reset` runs on thread A before each trial, while B waits.
pub fn race<RA: Send, RB: Send>(
    trials: usize,
    mut reset: impl FnMut() + Send,
    mut a: impl FnMut() -> RA + Send,
    mut b: impl FnMut() -> RB + Send,
) -> Vec<(RA, RB)> {
    // Trials are short, and the two threads arrive within microseconds of
    // each other, unless one of them lost its core.
    let barrier = SpinBarrier::new(2, Duration::from_micros(200));
    let (from_a, from_b) = thread::scope(|s| {
        let thread_a = s.spawn(|| {
            spread(0);
            let mut seat = barrier.seat();
            let mut results = Vec::with_capacity(trials);
            for _ in 0..trials {
                reset();
                seat.wait(); // start together
                results.push(a());
                seat.wait(); // both done: safe to reset
            }
            results
        });
        let thread_b = s.spawn(|| {
            spread(1);
            let mut seat = barrier.seat();
            let mut results = Vec::with_capacity(trials);
            for _ in 0..trials {
                seat.wait();
                results.push(b());
                seat.wait();
            }
            results
        });
        (joined(thread_a), joined(thread_b))
    });
    from_a.into_iter().zip(from_b).collect()
}
// ANCHOR_END: race

/// What a scoped thread returned; `join` fails only if the thread panicked,
/// and then the panic goes on in the caller.
fn joined<T>(handle: thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|p| std::panic::resume_unwind(p))
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;

    use super::*;

    #[test]
    fn every_trial_runs_both_sides_once_after_its_reset() {
        let trial = AtomicU64::new(0);
        let results = race(
            1_000,
            || {
                trial.fetch_add(1, Ordering::Relaxed);
            },
            || trial.load(Ordering::Relaxed),
            || trial.load(Ordering::Relaxed),
        );
        // Both sides of trial n saw the state reset for trial n: B never ran
        // ahead into the next trial, nor lagged behind into the last.
        let expected: Vec<_> = (1..=1_000).map(|n| (n, n)).collect();
        assert_eq!(results, expected);
    }

    #[test]
    fn the_reset_never_overlaps_a_trial() {
        let busy = AtomicBool::new(false);
        let overlapped = AtomicBool::new(false);
        let side = || {
            busy.store(true, Ordering::SeqCst);
            for _ in 0..100 {
                spin_loop();
            }
            busy.store(false, Ordering::SeqCst);
        };
        race(
            1_000,
            || {
                if busy.load(Ordering::SeqCst) {
                    overlapped.store(true, Ordering::SeqCst);
                }
            },
            || (),
            side,
        );
        assert!(!overlapped.load(Ordering::SeqCst));
    }

    #[test]
    fn zero_trials_give_no_results() {
        assert!(race(0, || (), || 1, || 2).is_empty());
    }
}
