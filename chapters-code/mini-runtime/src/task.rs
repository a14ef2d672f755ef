//! A task, and the queue of tasks that are ready to be polled.
//!
//! A *task* is a spawned future, kept on the heap with a little bookkeeping
//! so that its waker can find it again. Waking a task does not run it: it
//! puts the task at the back of the executor's run queue, and the executor
//! polls it when its turn comes.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Wake;

use support::sequence::{note, recording};

use crate::sync::{AtomicBool, Mutex, Ordering, lock};

/// A spawned future, type-erased: every task looks the same to the queue.
pub(crate) type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

// ANCHOR: task
/// A spawned future and what its waker needs.
pub(crate) struct Task {
    /// The future; `None` once it has finished (or the runtime has shut
    /// down). A waker may outlive it: waking a finished task is harmless.
    /// The lock is never contended (only the executor's thread polls), but
    /// a `Waker` must be `Send` and `Sync`, so the task must be too.
    pub(crate) future: Mutex<Option<BoxFuture>>,
    /// Whether the task is in the run queue already. A task woken ten
    /// times before it runs is queued once, and polled once.
    pub(crate) scheduled: AtomicBool,
    /// Where the executor keeps it while it lives (for shutdown).
    pub(crate) slot: usize,
    /// The queue to put it back on when it is woken.
    pub(crate) queue: Arc<RunQueue>,
}

impl Wake for Task {
    fn wake(self: Arc<Self>) {
        // Only the first wake since the last poll queues the task; the
        // others find the flag set and do nothing.
        if !self.scheduled.swap(true, Ordering::AcqRel) {
            note(&lane(Some(self.slot)), "run queue", "wake");
            let queue = Arc::clone(&self.queue);
            queue.push(self);
        }
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if !self.scheduled.swap(true, Ordering::AcqRel) {
            note(&lane(Some(self.slot)), "run queue", "wake");
            self.queue.push(Arc::clone(self));
        }
    }
}
// ANCHOR_END: task

/// A future's lane in the book's sequence diagrams (see
/// `support::sequence`): "task 1" for the task in slot 0, "block_on's
/// future" for the root future. Empty unless a sequence is recording, so
/// that an everyday run formats nothing.
pub(crate) fn lane(slot: Option<usize>) -> String {
    match slot {
        _ if !recording() => String::new(),
        Some(slot) => format!("task {}", slot + 1),
        None => "block_on's future".to_string(),
    }
}

// ANCHOR: unpark
/// How a sleeping executor is woken from another thread: the reactor's
/// `mio::Waker`, or (in the loom model) `Thread::unpark`.
pub trait Unpark: Send + Sync + 'static {
    /// Makes the executor's current or next sleep return at once.
    fn unpark(&self);
}
// ANCHOR_END: unpark

// ANCHOR: queue
/// The tasks ready to run, in the order they were woken, and whether the
/// executor is asleep (so that a wake knows it must wake it too).
pub(crate) struct RunQueue {
    state: Mutex<QueueState>,
    unpark: Box<dyn Unpark>,
}

struct QueueState {
    ready: VecDeque<Arc<Task>>,
    /// Set by the executor, under this lock, just before it sleeps, and
    /// only if `ready` was empty.
    sleeping: bool,
    /// Set at shutdown: from then on a wake drops its task instead of
    /// queueing it, so that no task holds the queue that holds it.
    closed: bool,
}

impl RunQueue {
    pub(crate) fn new(unpark: Box<dyn Unpark>) -> RunQueue {
        RunQueue {
            state: Mutex::new(QueueState {
                ready: VecDeque::new(),
                sleeping: false,
                closed: false,
            }),
            unpark,
        }
    }

    /// Queues a woken task, and wakes the executor if it sleeps. Most wakes
    /// come from the executor's own thread, while it runs: they cost a lock
    /// and a push, and no system call.
    pub(crate) fn push(&self, task: Arc<Task>) {
        let was_sleeping = {
            let mut state = lock(&self.state);
            if state.closed {
                // Shut down: nobody will run it. Dropped after the lock.
                drop(state);
                drop(task);
                return;
            }
            state.ready.push_back(task);
            std::mem::take(&mut state.sleeping)
        };
        if was_sleeping {
            self.unpark.unpark();
        }
    }

    /// Wakes the executor if it sleeps (the root future was woken).
    pub(crate) fn notify(&self) {
        let was_sleeping = std::mem::take(&mut lock(&self.state).sleeping);
        if was_sleeping {
            self.unpark.unpark();
        }
    }

    /// The next task to run.
    pub(crate) fn pop(&self) -> Option<Arc<Task>> {
        lock(&self.state).ready.pop_front()
    }

    pub(crate) fn len(&self) -> usize {
        lock(&self.state).ready.len()
    }

    /// Called by the executor before it sleeps: if no task is ready and
    /// the root was not woken, notes that it sleeps and returns true. The
    /// check and the note are made under the lock every wake takes, so a
    /// wake either comes before (and the executor does not sleep) or
    /// after (and sees `sleeping`, and unparks it). No wake falls between.
    pub(crate) fn try_sleep(&self, root_woken: &AtomicBool) -> bool {
        let mut state = lock(&self.state);
        if state.ready.is_empty() && !root_woken.load(Ordering::Acquire) {
            state.sleeping = true;
            true
        } else {
            false
        }
    }

    /// Called by the executor when its sleep is over.
    pub(crate) fn awake(&self) {
        lock(&self.state).sleeping = false;
    }

    /// Empties the queue and closes it (shutdown): a queued task holds
    /// the queue (its `queue` field), and the queue holds it, a cycle that
    /// this breaks. Later wakes drop their task instead of queueing it.
    pub(crate) fn close(&self) -> Vec<Arc<Task>> {
        let mut state = lock(&self.state);
        state.closed = true;
        state.ready.drain(..).collect()
    }
}
// ANCHOR_END: queue
