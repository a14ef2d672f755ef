//! The work-stealing pool: results come back, jobs spawned by a busy worker
//! are stolen by an idle one, panics reach whoever joins, and dropping the
//! pool runs every queued job and joins every worker.
//!
//! No test relies on timing: where a test needs two jobs on two workers, a
//! job waits until the other has started (with a generous bound, so that a
//! broken pool fails the test instead of hanging it).

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crossbeam_tools::pool::Pool;

/// Waits until `flag` is set, for at most 20 seconds; says whether it was.
fn wait_for(flag: &AtomicBool) -> bool {
    let start = Instant::now();
    while !flag.load(Ordering::SeqCst) {
        if start.elapsed() > Duration::from_secs(20) {
            return false;
        }
        thread::yield_now();
    }
    true
}

/// Runs `f` on a thread of its own and returns what it returned; fails if
/// it panicked, or has not returned after a minute (a pool whose workers
/// never wake up would hang the test instead).
fn guarded<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    support::guard::guarded(Duration::from_secs(60), "the test", f)
}

fn thread_name() -> String {
    thread::current().name().unwrap_or("?").to_string()
}

#[test]
fn every_job_runs_once_and_each_handle_gets_its_own_result() {
    guarded(|| {
        let pool = Pool::new(3).unwrap();
        let handles: Vec<_> =
            (0..1_000u64).map(|i| pool.spawn(move || i * i)).collect();
        let results: Vec<u64> =
            handles.into_iter().map(|h| h.join().unwrap()).collect();
        assert_eq!(results, (0..1_000u64).map(|i| i * i).collect::<Vec<_>>());
        let ran: usize = pool.stats().iter().map(|s| s.ran).sum();
        assert_eq!(ran, 1_000);
        assert_eq!(pool.threads(), 3);
    });
}

// ANCHOR: stolen
#[test]
fn a_job_pushed_by_a_busy_worker_is_stolen_by_an_idle_one() {
    guarded(|| {
        let pool = Pool::new(2).unwrap();
        // Both workers asleep first: from here on, only a wake-up from
        // `spawn` can get a job started.
        let asleep = Instant::now();
        while pool.sleeping() < 2 {
            assert!(asleep.elapsed() < Duration::from_secs(20), "awake");
            thread::yield_now();
        }
        let spawner = pool.spawner();
        let parent = pool.spawn(move || {
            let child_started = Arc::new(AtomicBool::new(false));
            let started = Arc::clone(&child_started);
            // Spawned from a worker: it goes onto this worker's own deque.
            let child = spawner.spawn(move || {
                started.store(true, Ordering::SeqCst);
                thread_name()
            });
            // This worker stays busy here, so only the other worker can start
            // the child: by stealing it from our deque.
            let stolen = wait_for(&child_started);
            (thread_name(), stolen, child.join().unwrap())
        });
        let (parent_ran_on, stolen, child_ran_on) = parent.join().unwrap();
        assert!(stolen, "nobody stole the child job within 20 s");
        assert_ne!(parent_ran_on, child_ran_on);
        let steals: usize = pool.stats().iter().map(|s| s.stolen).sum();
        assert_eq!(steals, 1, "{:?}", pool.stats());
    });
}
// ANCHOR_END: stolen

#[test]
fn nested_joins_compute_the_same_as_sequential_code() {
    guarded(|| {
        fn fib(pool: &crossbeam_tools::pool::Spawner, n: u32) -> u64 {
            if n < 2 {
                return n as u64;
            }
            let (p1, p2) = (pool.clone(), pool.clone());
            let (a, b) =
                pool.join(move || fib(&p1, n - 1), move || fib(&p2, n - 2));
            a + b
        }
        for threads in [1, 2, 4] {
            let pool = Pool::new(threads).unwrap();
            let spawner = pool.spawner();
            // From outside the pool, and from inside a job.
            assert_eq!(fib(&spawner, 15), 610, "{threads} threads");
            let inner = pool.spawn(move || fib(&spawner, 18)).join().unwrap();
            assert_eq!(inner, 2584, "{threads} threads");
        }
    });
}

#[test]
fn a_panicking_job_hands_its_panic_to_join_and_the_pool_goes_on() {
    guarded(|| {
        let pool = Pool::new(2).unwrap();
        let failed = pool.spawn(|| -> u32 { panic!("job fails on purpose") });
        let err = failed.join().unwrap_err();
        assert_eq!(err.downcast_ref::<&str>(), Some(&"job fails on purpose"));
        assert_eq!(pool.panicked(), 1);
        // Both workers are still there: two jobs that wait for each other.
        let (a, b) = (
            Arc::new(AtomicBool::new(false)),
            Arc::new(AtomicBool::new(false)),
        );
        let first = {
            let (a, b) = (Arc::clone(&a), Arc::clone(&b));
            pool.spawn(move || {
                a.store(true, Ordering::SeqCst);
                wait_for(&b)
            })
        };
        let second = pool.spawn(move || {
            b.store(true, Ordering::SeqCst);
            wait_for(&a)
        });
        assert!(first.join().unwrap() && second.join().unwrap());
        // `join` passes a panic of either side on.
        let spawner = pool.spawner();
        let caught =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
                spawner.join(|| 1, || -> u32 { panic!("right side fails") })
            }));
        assert!(caught.is_err());
        assert_eq!(pool.panicked(), 2);
    });
}

thread_local! {
    /// Set on a worker by a job; its Drop runs when the worker thread exits.
    static EXIT_GUARD: RefCell<Option<ExitGuard>> = const { RefCell::new(None) };
}

struct ExitGuard(Arc<AtomicUsize>);

impl Drop for ExitGuard {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn dropping_the_pool_runs_every_queued_job_and_joins_every_worker() {
    guarded(|| {
        const WORKERS: usize = 3;
        let exited = Arc::new(AtomicUsize::new(0));
        let ran = Arc::new(AtomicUsize::new(0));
        let pool = Pool::new(WORKERS).unwrap();
        // One job per worker, each waiting until all have started, so each
        // worker runs one and leaves a guard in its thread-locals.
        let started = Arc::new(AtomicUsize::new(0));
        let all_started = Arc::new(AtomicBool::new(false));
        let mut guards = Vec::new();
        for _ in 0..WORKERS {
            let (exited, started, all) = (
                Arc::clone(&exited),
                Arc::clone(&started),
                Arc::clone(&all_started),
            );
            guards.push(pool.spawn(move || {
                EXIT_GUARD.with(|g| *g.borrow_mut() = Some(ExitGuard(exited)));
                if started.fetch_add(1, Ordering::SeqCst) + 1 == WORKERS {
                    all.store(true, Ordering::SeqCst);
                }
                wait_for(&all)
            }));
        }
        for g in guards {
            assert!(g.join().unwrap(), "the jobs did not all start");
        }
        // Queue slow jobs and drop the pool without joining their handles.
        for _ in 0..50 {
            let ran = Arc::clone(&ran);
            drop(pool.spawn(move || {
                thread::sleep(Duration::from_millis(1));
                ran.fetch_add(1, Ordering::SeqCst);
            }));
        }
        drop(pool);
        assert_eq!(ran.load(Ordering::SeqCst), 50, "queued jobs were lost");
        assert_eq!(
            exited.load(Ordering::SeqCst),
            WORKERS,
            "a worker still runs"
        );
    });
}

#[test]
fn sleeping_workers_wake_up_for_new_work() {
    guarded(|| {
        let pool = Pool::new(2).unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        for round in 0..5 {
            // Give the workers time to run out of work and fall asleep.
            thread::sleep(Duration::from_millis(20));
            let log = Arc::clone(&log);
            let handle = pool.spawn(move || log.lock().unwrap().push(round));
            handle.join().unwrap();
        }
        assert_eq!(*log.lock().unwrap(), [0, 1, 2, 3, 4]);
    });
}

#[test]
fn the_owner_runs_its_newest_job_first() {
    guarded(|| {
        // One worker: nobody steals, the owner pops every job itself.
        let pool = Pool::new(1).unwrap();
        let order = Arc::new(Mutex::new(Vec::new()));
        let spawner = pool.spawner();
        let order_in = Arc::clone(&order);
        let children = pool
            .spawn(move || {
                // Five jobs onto this worker's deque; none runs before we
                // return, since this worker is busy running us.
                (0..5)
                    .map(|i| {
                        let order = Arc::clone(&order_in);
                        spawner.spawn(move || order.lock().unwrap().push(i))
                    })
                    .collect::<Vec<_>>()
            })
            .join()
            .unwrap();
        for child in children {
            child.join().unwrap();
        }
        assert_eq!(*order.lock().unwrap(), [4, 3, 2, 1, 0]);
    });
}

#[test]
fn a_thief_takes_the_oldest_job() {
    guarded(|| {
        let pool = Pool::new(2).unwrap();
        let spawner = pool.spawner();
        let first = pool.spawn(move || {
            let first_started = Arc::new(Mutex::new(None));
            let started = Arc::new(AtomicBool::new(false));
            let children: Vec<_> = (0..5)
                .map(|i| {
                    let (first, started) =
                        (Arc::clone(&first_started), Arc::clone(&started));
                    spawner.spawn(move || {
                        first.lock().unwrap().get_or_insert(i);
                        started.store(true, Ordering::SeqCst);
                    })
                })
                .collect();
            // Busy here until a child has started: the other worker stole
            // it, from the far end of our deque.
            assert!(wait_for(&started), "nobody stole a child within 20 s");
            let first = first_started.lock().unwrap().unwrap();
            for child in children {
                child.join().unwrap();
            }
            first
        });
        assert_eq!(first.join().unwrap(), 0, "the thief took a newer job");
    });
}
