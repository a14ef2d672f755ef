//! A small work-stealing thread pool on crossbeam-deque.
//!
//! - Every worker thread owns a [`Worker`] deque (a double-ended queue). It
//!   pushes the jobs it spawns onto it and pops them back from the same end:
//!   last in, first out (LIFO), so the job it runs next is the one it made
//!   last, whose data is still in its cache.
//! - Every other worker holds a [`Stealer`] of that deque, and takes jobs
//!   from the *other* end: the oldest ones, which in a divide-and-conquer
//!   computation are the biggest pieces of work.
//! - Jobs submitted from outside the pool go to one shared [`Injector`].
//! - A worker with nothing to do sleeps ([`crate::sleep::Sleepers`]); every
//!   new job wakes one sleeper.
//! - [`Spawner::spawn`] returns a [`Handle`] whose [`Handle::join`] waits
//!   for the job's result, or its panic. A worker that waits for a handle
//!   runs other jobs meanwhile, so that waiting never wastes a worker.
//! - Dropping the [`Pool`] lets the workers finish every queued job, then
//!   joins them all.

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crossbeam_deque::{Injector, Steal, Stealer, Worker};
use crossbeam_utils::CachePadded;

use crate::sleep::Sleepers;

/// A job as the pool stores it: runs once, on some worker.
type Job = Box<dyn FnOnce() + Send + 'static>;

/// What one worker did so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WorkerStats {
    /// Jobs this worker ran.
    pub ran: usize,
    /// Jobs it took from another worker's deque.
    pub stolen: usize,
    /// Times it took a batch of jobs from the injector.
    pub from_injector: usize,
}

/// The counters behind [`WorkerStats`]. Each worker writes only its own:
/// `CachePadded` gives each worker's counters a cache line of their own, so
/// that one worker's increments do not slow down the others'.
#[derive(Debug, Default)]
struct Counters {
    ran: AtomicUsize,
    stolen: AtomicUsize,
    from_injector: AtomicUsize,
}

/// What the workers and the spawners share.
struct Shared {
    injector: Injector<Job>,
    /// One per worker, in worker order.
    stealers: Vec<Stealer<Job>>,
    sleepers: Sleepers,
    counters: Vec<CachePadded<Counters>>,
    /// Shared with every job, which counts its own panic.
    panicked: Arc<AtomicUsize>,
}

impl Shared {
    /// Whether any job is waiting anywhere; the sleepers check it under
    /// their lock.
    fn has_work(&self) -> bool {
        !self.injector.is_empty() || self.stealers.iter().any(|s| !s.is_empty())
    }

    /// This pool's identity, to tell its workers from other pools' workers.
    fn id(self: &Arc<Self>) -> usize {
        Arc::as_ptr(self) as usize
    }
}

/// The deque of the worker running on this thread. A `Worker` deque is not
/// `Sync`: only its owner thread may push and pop, so it lives in a
/// thread-local, while its `Stealer` travels to the other workers.
struct Local {
    pool: usize,
    index: usize,
    deque: Worker<Job>,
}

thread_local! {
    static LOCAL: RefCell<Option<Local>> = const { RefCell::new(None) };
}

/// A work-stealing pool of worker threads, named `worker 0`, `worker 1`...
pub struct Pool {
    spawner: Spawner,
    threads: Vec<JoinHandle<()>>,
}

/// Submits jobs to a pool; cheap to clone, so that jobs can spawn jobs.
/// Meant for the pool's own jobs and its owner: a job spawned after the
/// pool was dropped never runs.
#[derive(Clone)]
pub struct Spawner {
    shared: Arc<Shared>,
}

impl Pool {
    /// Starts a pool of `threads` workers (at least one).
    pub fn new(threads: usize) -> std::io::Result<Pool> {
        let threads = threads.max(1);
        // ANCHOR: new
        // LIFO deques: a worker runs the job it pushed last; thieves take the
        // oldest job, from the other end.
        let deques: Vec<Worker<Job>> =
            (0..threads).map(|_| Worker::new_lifo()).collect();
        let shared = Arc::new(Shared {
            injector: Injector::new(),
            stealers: deques.iter().map(Worker::stealer).collect(),
            sleepers: Sleepers::new(),
            counters: (0..threads).map(|_| CachePadded::default()).collect(),
            panicked: Arc::new(AtomicUsize::new(0)),
        });
        // ANCHOR_END: new
        let mut pool = Pool {
            spawner: Spawner {
                shared: Arc::clone(&shared),
            },
            threads: Vec::with_capacity(threads),
        };
        for (index, deque) in deques.into_iter().enumerate() {
            let shared = Arc::clone(&shared);
            // If a thread cannot start, `?` drops `pool`, which shuts down
            // and joins the workers started so far.
            let handle = thread::Builder::new()
                .name(format!("worker {index}"))
                .spawn(move || work(shared, index, deque))?;
            pool.threads.push(handle);
        }
        Ok(pool)
    }

    /// A spawner for this pool, to move into jobs.
    pub fn spawner(&self) -> Spawner {
        self.spawner.clone()
    }

    /// See [`Spawner::spawn`].
    pub fn spawn<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Handle<T> {
        self.spawner.spawn(f)
    }

    /// See [`Spawner::join`].
    pub fn join<A: Send + 'static, B: Send + 'static>(
        &self,
        a: impl FnOnce() -> A + Send + 'static,
        b: impl FnOnce() -> B + Send + 'static,
    ) -> (A, B) {
        self.spawner.join(a, b)
    }

    /// How many worker threads the pool has.
    pub fn threads(&self) -> usize {
        self.threads.len()
    }

    /// What each worker did so far, in worker order.
    pub fn stats(&self) -> Vec<WorkerStats> {
        let load = |n: &AtomicUsize| n.load(Ordering::Relaxed);
        self.spawner
            .shared
            .counters
            .iter()
            .map(|c| WorkerStats {
                ran: load(&c.ran),
                stolen: load(&c.stolen),
                from_injector: load(&c.from_injector),
            })
            .collect()
    }

    /// How many workers are asleep right now, waiting for work.
    pub fn sleeping(&self) -> usize {
        self.spawner.shared.sleepers.sleeping()
    }

    /// How many jobs panicked so far.
    pub fn panicked(&self) -> usize {
        self.spawner.shared.panicked.load(Ordering::Relaxed)
    }
}

// ANCHOR: drop
impl Drop for Pool {
    /// Wakes every sleeping worker for good; each finishes the jobs it can
    /// still find, then returns, and we join it.
    fn drop(&mut self) {
        self.spawner.shared.sleepers.shut_down();
        for thread in self.threads.drain(..) {
            // Jobs catch their own panics (see `spawn`): a worker does not panic.
            let _ = thread.join();
        }
    }
}
// ANCHOR_END: drop

impl Spawner {
    // ANCHOR: spawn
    /// Queues `f` and returns a handle to its result. From a worker of this
    /// pool, the job goes onto that worker's own deque (where idle workers
    /// can steal it); from any other thread, onto the injector. Either way
    /// one sleeping worker is woken.
    pub fn spawn<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Handle<T> {
        let slot = Arc::new(Slot::new());
        let filled = Arc::clone(&slot);
        let panicked = Arc::clone(&self.shared.panicked);
        let job: Job = Box::new(move || {
            // A panic is caught here and handed to whoever joins; counted
            // first, so that whoever joins sees it counted.
            let result = panic::catch_unwind(AssertUnwindSafe(f));
            if result.is_err() {
                panicked.fetch_add(1, Ordering::Relaxed);
            }
            filled.fill(result);
        });
        let id = self.shared.id();
        // Pushed first, then a sleeper woken: see `sleep.rs`.
        self.shared.sleepers.publish(|| {
            // `Some(job)` back means: not one of our workers.
            let job = LOCAL.with(|local| match &*local.borrow() {
                Some(local) if local.pool == id => {
                    local.deque.push(job);
                    None
                }
                _ => Some(job),
            });
            if let Some(job) = job {
                self.shared.injector.push(job);
            }
        });
        Handle {
            slot,
            shared: Arc::clone(&self.shared),
        }
    }
    // ANCHOR_END: spawn

    // ANCHOR: join
    /// Runs `a` here and `b` as a job of the pool (so an idle worker can
    /// steal it), and returns both results. If either panicked, the panic
    /// goes on here, after both have finished.
    pub fn join<A: Send + 'static, B: Send + 'static>(
        &self,
        a: impl FnOnce() -> A + Send + 'static,
        b: impl FnOnce() -> B + Send + 'static,
    ) -> (A, B) {
        let b = self.spawn(b);
        let a = panic::catch_unwind(AssertUnwindSafe(a));
        let b = b.join();
        match (a, b) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(panic), _) | (_, Err(panic)) => panic::resume_unwind(panic),
        }
    }
    // ANCHOR_END: join
}

// ANCHOR: work
/// The thread of worker `index`: keeps its deque in the thread-local, then
/// runs the sleepers' worker loop (`sleep.rs`) with this pool's ways to
/// find work and run it; returns when the pool shuts down and no job is
/// left.
fn work(shared: Arc<Shared>, index: usize, deque: Worker<Job>) {
    let pool = shared.id();
    LOCAL.with(|local| {
        *local.borrow_mut() = Some(Local { pool, index, deque });
    });
    shared.sleepers.worker_loop(
        || with_local(|local| find_job(&shared, local)),
        |job| run(&shared, index, job),
        || shared.has_work(),
    );
    LOCAL.with(|local| local.borrow_mut().take());
}
// ANCHOR_END: work

/// Runs `f` with this thread's worker deque.
fn with_local<R>(f: impl FnOnce(&Local) -> R) -> R {
    LOCAL.with(|local| {
        let local = local.borrow();
        // Only called on worker threads, after `work` filled it in.
        f(local.as_ref().expect("a worker thread has its deque"))
    })
}

// ANCHOR: find_job
/// Where a worker looks for its next job: its own deque first, then the
/// injector, then the other workers' deques.
fn find_job(shared: &Shared, local: &Local) -> Option<Job> {
    if let Some(job) = local.deque.pop() {
        return Some(job);
    }
    let me = &shared.counters[local.index];
    loop {
        // `Retry` means we lost a race with another thief for the same job;
        // the queue may well hold more, so we go round again.
        let mut retry = false;
        // Take about half of the injector's jobs (at most 32) into our own
        // deque, and run one of them at once.
        match shared.injector.steal_batch_and_pop(&local.deque) {
            Steal::Success(job) => {
                me.from_injector.fetch_add(1, Ordering::Relaxed);
                return Some(job);
            }
            Steal::Retry => retry = true,
            Steal::Empty => {}
        }
        // Then the others, starting with our right-hand neighbour, so that
        // thieves do not all pick on worker 0.
        let n = shared.stealers.len();
        for k in 1..n {
            match shared.stealers[(local.index + k) % n].steal() {
                Steal::Success(job) => {
                    me.stolen.fetch_add(1, Ordering::Relaxed);
                    return Some(job);
                }
                Steal::Retry => retry = true,
                Steal::Empty => {}
            }
        }
        if !retry {
            return None;
        }
        std::hint::spin_loop();
    }
}
// ANCHOR_END: find_job

/// Runs one job on worker `index`, counting it. The job cannot panic: it
/// catches its closure's panic itself (see `Spawner::spawn`).
fn run(shared: &Shared, index: usize, job: Job) {
    shared.counters[index].ran.fetch_add(1, Ordering::Relaxed);
    job();
}

/// Where a job leaves its result for its [`Handle`].
struct Slot<T> {
    result: Mutex<Option<thread::Result<T>>>,
    filled: Condvar,
}

impl<T> Slot<T> {
    fn new() -> Self {
        Slot {
            result: Mutex::new(None),
            filled: Condvar::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<thread::Result<T>>> {
        // Nothing panics while holding this lock (the job's own panic was
        // caught before), so the value inside is always valid.
        self.result.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn fill(&self, result: thread::Result<T>) {
        *self.lock() = Some(result);
        self.filled.notify_all();
    }

    fn take(&self) -> Option<thread::Result<T>> {
        self.lock().take()
    }

    fn is_filled(&self) -> bool {
        self.lock().is_some()
    }

    /// Waits until the slot is filled, or `timeout` has passed.
    fn wait(&self, timeout: Duration) {
        let guard = self.lock();
        if guard.is_none() {
            // As in `lock`: valid even if poisoned.
            let _ = self
                .filled
                .wait_timeout(guard, timeout)
                .unwrap_or_else(|p| p.into_inner());
        }
    }
}

/// The result of a spawned job, to wait for with [`Handle::join`].
/// Dropping a handle does not cancel the job.
pub struct Handle<T> {
    slot: Arc<Slot<T>>,
    shared: Arc<Shared>,
}

impl<T> Handle<T> {
    /// Whether the job has finished (returned or panicked).
    pub fn is_finished(&self) -> bool {
        self.slot.is_filled()
    }

    // ANCHOR: handle_join
    /// Waits for the job; `Err` holds its panic, as with
    /// `std::thread::JoinHandle::join`. On a worker of the same pool, runs
    /// other jobs while it waits, so the worker is not lost to waiting: the
    /// job waited for may even be one of them.
    pub fn join(self) -> thread::Result<T> {
        let id = self.shared.id();
        let on_worker = LOCAL
            .with(|local| local.borrow().as_ref().map(|l| l.pool) == Some(id));
        loop {
            if let Some(result) = self.slot.take() {
                return result;
            }
            if on_worker {
                let found = with_local(|local| {
                    find_job(&self.shared, local).map(|job| (local.index, job))
                });
                if let Some((index, job)) = found {
                    run(&self.shared, index, job);
                    continue;
                }
                // No job anywhere: ours is running on another worker. Wait a
                // little, then look for work again (it may have spawned some).
                self.slot.wait(Duration::from_micros(50));
            } else {
                self.slot.wait(Duration::from_millis(100));
            }
        }
    }
    // ANCHOR_END: handle_join
}
