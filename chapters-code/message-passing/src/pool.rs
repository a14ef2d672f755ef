//! A thread pool built by hand: a fixed set of worker threads pulling jobs
//! from one bounded channel.
//!
//! - The queue is bounded, so a caller that submits faster than the workers
//!   can run jobs waits in [`ThreadPool::execute`] (backpressure).
//! - A job that panics does not take its worker down: the worker catches
//!   the panic, counts it and takes the next job, so the pool keeps its
//!   capacity.
//! - Dropping the pool closes the queue and joins every worker, after they
//!   have run every job already queued.

use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::{self, JoinHandle};

use crossbeam_channel::{Receiver, SendError, Sender};

/// A job: any closure that runs once on some worker thread.
pub type Job = Box<dyn FnOnce() + Send + 'static>;

// ANCHOR: pool
/// A fixed number of worker threads that run jobs from a bounded queue.
pub struct ThreadPool {
    /// `None` only while dropping: taking it out closes the queue.
    jobs: Option<Sender<Job>>,
    workers: Vec<JoinHandle<()>>,
    panicked: Arc<AtomicUsize>,
}

impl ThreadPool {
    /// Starts `workers` threads named `worker 0`, `worker 1`, ..., sharing a
    /// queue that holds at most `queue` waiting jobs.
    pub fn new(workers: usize, queue: usize) -> std::io::Result<ThreadPool> {
        let (jobs, inbox) = crossbeam_channel::bounded::<Job>(queue);
        let panicked = Arc::new(AtomicUsize::new(0));
        let mut handles = Vec::with_capacity(workers);
        for n in 0..workers {
            // A crossbeam receiver can be cloned: every worker pulls from
            // the same queue, and each job goes to exactly one of them.
            let inbox = inbox.clone();
            let panicked = Arc::clone(&panicked);
            let handle = thread::Builder::new()
                .name(format!("worker {n}"))
                .spawn(move || work(&inbox, &panicked))?;
            handles.push(handle);
        }
        Ok(ThreadPool {
            jobs: Some(jobs),
            workers: handles,
            panicked,
        })
    }

    /// Queues `job`; waits while the queue is full. Fails, handing the job
    /// back, only if no worker is left to run it.
    pub fn execute(
        &self,
        job: impl FnOnce() + Send + 'static,
    ) -> Result<(), SendError<Job>> {
        match &self.jobs {
            Some(jobs) => jobs.send(Box::new(job)),
            // `jobs` is only taken in `drop`, after which nobody can call us.
            None => unreachable!("the queue is only closed by drop"),
        }
    }

    /// How many jobs have panicked so far.
    pub fn panicked(&self) -> usize {
        self.panicked.load(Ordering::Relaxed)
    }

    /// How many worker threads the pool has.
    pub fn size(&self) -> usize {
        self.workers.len()
    }
}

/// The loop of every worker: run jobs until the queue is closed and empty.
fn work(inbox: &Receiver<Job>, panicked: &AtomicUsize) {
    for job in inbox.iter() {
        // A panic inside `job` unwinds to here instead of ending the thread.
        // `AssertUnwindSafe`: the job owns everything it touches, and we
        // drop it; nothing half-updated is used after the panic.
        if panic::catch_unwind(AssertUnwindSafe(job)).is_err() {
            panicked.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        // Closing the queue: workers finish what is queued, then `iter`
        // ends and they return.
        drop(self.jobs.take());
        for worker in self.workers.drain(..) {
            // Workers catch every job's panic, so they return normally;
            // if one did not, there is nothing better to do while dropping.
            let _ = worker.join();
        }
    }
}
// ANCHOR_END: pool
