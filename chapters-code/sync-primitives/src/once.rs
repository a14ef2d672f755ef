//! One-time initialisation: a value that is expensive to build, built by
//! whichever thread needs it first, then shared by every thread.
//!
//! The standard library has two tools for it. [`OnceLock`] is a cell that
//! can be written once: `get_or_init(build)` returns the value, and runs
//! `build` only if nobody has built it yet. [`LazyLock`] is a `OnceLock`
//! with its build function inside: the first `*` (dereference) builds.
//!
//! Two hand-made versions show what they save you. [`CheckThenBuild`] keeps
//! an `Option` behind a `Mutex` and checks, unlocks, builds and stores: the
//! check-then-act race of the previous chapter, so several threads that ask
//! at once all build. [`LockedBuild`] holds the lock from the check to the
//! store and builds once, but every later read takes the lock too.
//!
//! [`Contest`] makes a group of threads ask for the value at the same
//! moment and records who built it, who waited, and what each one saw.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{
    Barrier, Condvar, LazyLock, Mutex, MutexGuard, PoisonError, TryLockError,
    mpsc,
};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

/// The expensive value: a table of primes, and which build made it.
#[derive(Debug)]
pub struct Table {
    /// 1 for the first table built in a contest, 2 for the second, ...
    pub build: usize,
    /// The primes, in increasing order.
    pub primes: Vec<u32>,
}

/// What a thread saw when it asked for the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    /// Which build made the table it got.
    pub build: usize,
    /// How many primes that table held.
    pub primes: usize,
}

impl Table {
    /// What a thread reading this table sees.
    pub fn seen(&self) -> Seen {
        Seen {
            build: self.build,
            primes: self.primes.len(),
        }
    }
}

/// The primes below `limit`, by the sieve of Eratosthenes: for a limit in
/// the millions, milliseconds of real work.
pub fn primes_below(limit: u32) -> Vec<u32> {
    let limit = limit as usize;
    let mut composite = vec![false; limit];
    let mut primes = Vec::new();
    for n in 2..limit {
        if composite[n] {
            continue;
        }
        primes.push(n as u32);
        // Every multiple of n from n * n on is composite (the smaller ones
        // were crossed out by smaller primes).
        for multiple in (n.saturating_mul(n)..limit).step_by(n) {
            composite[multiple] = true;
        }
    }
    primes
}

// ANCHOR: lazy_static
/// The usual home of a `LazyLock`: a static, built the first time any
/// thread reads it, and never again.
pub static SMALL_PRIMES: LazyLock<Vec<u32>> =
    LazyLock::new(|| primes_below(1000));
// ANCHOR_END: lazy_static

// ANCHOR: check_then_build
/// A table built on first use, by hand, with the check-then-act race.
#[derive(Debug, Default)]
pub struct CheckThenBuild {
    slot: Mutex<Option<Table>>,
}

impl CheckThenBuild {
    /// Calls `read` with the table, building it first if it is missing.
    pub fn with<R>(
        &self,
        build: impl FnOnce() -> Table,
        read: impl FnOnce(&Table) -> R,
    ) -> R {
        // Check. The guard is a temporary, dropped at the end of this
        // statement: no lock is held while the table is built.
        let missing = self.slot().is_none();
        let slot = if missing {
            // Build. A thread that checked at the same moment is building
            // too: nothing stops it.
            let table = build();
            // Act on what the check saw, which may no longer be true: this
            // replaces any table another thread stored meanwhile.
            let mut slot = self.slot();
            *slot = Some(table);
            slot
        } else {
            self.slot()
        };
        // Either this thread stored a table just now, under this very
        // guard, or the check found one; none is ever taken out.
        read(slot.as_ref().expect("a table is stored by now"))
    }

    fn slot(&self) -> MutexGuard<'_, Option<Table>> {
        // Poisoned only if a `read` or `build` panicked; the Option is
        // whole either way.
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
// ANCHOR_END: check_then_build

// ANCHOR: locked_build
/// A table built on first use, by hand, correctly: one lock from the check
/// to the store.
#[derive(Debug, Default)]
pub struct LockedBuild {
    slot: Mutex<Option<Table>>,
}

impl LockedBuild {
    /// Calls `read` with the table, building it first if it is missing.
    pub fn with<R>(
        &self,
        build: impl FnOnce() -> Table,
        read: impl FnOnce(&Table) -> R,
    ) -> R {
        // A second caller waits here until the first has built and stored
        // the table, and then finds it. The price: every read, for the rest
        // of the program, takes this lock, and readers take turns.
        let mut slot = self.slot();
        read(slot.get_or_insert_with(build))
    }

    fn slot(&self) -> MutexGuard<'_, Option<Table>> {
        // Poisoned only if a `read` or `build` panicked; the Option is
        // whole either way.
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
// ANCHOR_END: locked_build

impl LockedBuild {
    /// Calls `read` with the table if the lock is free right now and the
    /// table is built; `None` if another thread holds the lock.
    pub fn try_with<R>(&self, read: impl FnOnce(&Table) -> R) -> Option<R> {
        let slot = match self.slot.try_lock() {
            Ok(slot) => slot,
            Err(TryLockError::WouldBlock) => return None,
            Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
        };
        slot.as_ref().map(read)
    }
}

/// Whether `second` gets in while another thread is in the middle of a
/// read: `first` is that read, and calls the function it is given halfway
/// through; `second` runs while `first` is stopped there, and says whether
/// it could read.
pub fn read_while_another_reads(
    first: impl FnOnce(&mut dyn FnMut()) + Send,
    second: impl FnOnce() -> bool,
) -> bool {
    let (reading, is_reading) = mpsc::channel();
    let (finish, may_finish) = mpsc::channel::<()>();
    thread::scope(|s| {
        s.spawn(move || {
            first(&mut || {
                // Tell the main thread we are mid-read, and stay there
                // until it has tried its own read.
                let _ = reading.send(());
                let _ = may_finish.recv();
            })
        });
        // If `first` returned without pausing, the channel closes and the
        // second read runs anyway; the answer is then about nothing, so
        // `first` must pause.
        let paused = is_reading.recv().is_ok();
        let got_in = second();
        drop(finish);
        paused && got_in
    })
}

/// One build of the table in a contest.
#[derive(Debug, Clone)]
pub struct Build {
    /// The thread that ran the build function.
    pub thread: ThreadId,
    /// How long the build took.
    pub took: Duration,
    /// When it finished, from the start of the contest.
    pub finished: Duration,
}

/// One thread's request for the table in a contest.
#[derive(Debug, Clone)]
pub struct Ask {
    /// The thread that asked.
    pub thread: ThreadId,
    /// When it asked, from the start of the contest.
    pub asked: Duration,
    /// When it had the table, from the start of the contest.
    pub answered: Duration,
    /// What it saw.
    pub seen: Seen,
}

/// Everything that happened in a contest.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Every build of the table, in the order they finished.
    pub builds: Vec<Build>,
    /// Every thread's request.
    pub asks: Vec<Ask>,
}

impl Outcome {
    /// How many different tables the threads ended up reading.
    pub fn tables_seen(&self) -> usize {
        let mut builds: Vec<usize> =
            self.asks.iter().map(|a| a.seen.build).collect();
        builds.sort_unstable();
        builds.dedup();
        builds.len()
    }

    /// The requests of the threads that did not build a table themselves.
    pub fn waiters(&self) -> Vec<&Ask> {
        self.asks
            .iter()
            .filter(|a| self.builds.iter().all(|b| b.thread != a.thread))
            .collect()
    }
}

/// Several threads that ask for the table at the same moment.
///
/// A `Barrier` releases them together. The race is made certain, not just
/// likely: a build does not start until every thread has asked, so that
/// every request is made while the table is still missing.
#[derive(Debug)]
pub struct Contest {
    threads: usize,
    limit: u32,
    start: Instant,
    builds_started: AtomicUsize,
    asked: Mutex<usize>,
    all_asked: Condvar,
    builds: Mutex<Vec<Build>>,
}

impl Contest {
    /// A contest of `threads` threads for the primes below `limit`.
    pub fn new(threads: usize, limit: u32) -> Contest {
        Contest {
            threads,
            limit,
            start: Instant::now(),
            builds_started: AtomicUsize::new(0),
            asked: Mutex::new(0),
            all_asked: Condvar::new(),
            builds: Mutex::new(Vec::new()),
        }
    }

    /// The build function the contest's lazy values are given: it waits
    /// until every thread has asked, builds the table, and records it.
    pub fn build(&self) -> Table {
        let build = self.builds_started.fetch_add(1, Ordering::Relaxed) + 1;
        let asked = self.asked.lock().unwrap_or_else(PoisonError::into_inner);
        drop(
            self.all_asked
                .wait_while(asked, |asked| *asked < self.threads)
                .unwrap_or_else(PoisonError::into_inner),
        );
        let began = Instant::now();
        let primes = primes_below(self.limit);
        let finished = self.start.elapsed();
        self.builds
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Build {
                thread: thread::current().id(),
                took: began.elapsed(),
                finished,
            });
        Table { build, primes }
    }

    /// Runs the contest: every thread waits at a barrier, then calls `get`,
    /// which asks the lazy value under test for the table.
    pub fn run(&self, get: impl Fn() -> Seen + Sync) -> Outcome {
        let barrier = Barrier::new(self.threads);
        let asks = thread::scope(|s| {
            let threads: Vec<_> = (0..self.threads)
                .map(|_| {
                    s.spawn(|| {
                        barrier.wait();
                        let asked = self.start.elapsed();
                        self.ask();
                        let seen = get();
                        Ask {
                            thread: thread::current().id(),
                            asked,
                            answered: self.start.elapsed(),
                            seen,
                        }
                    })
                })
                .collect();
            threads
                .into_iter()
                // A panic in `get` is a bug in the value under test: pass
                // it on.
                .map(|t| {
                    t.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
                })
                .collect()
        });
        let builds = std::mem::take(
            &mut *self.builds.lock().unwrap_or_else(PoisonError::into_inner),
        );
        Outcome { builds, asks }
    }

    fn ask(&self) {
        let mut asked =
            self.asked.lock().unwrap_or_else(PoisonError::into_inner);
        *asked += 1;
        if *asked == self.threads {
            self.all_asked.notify_all();
        }
    }
}
