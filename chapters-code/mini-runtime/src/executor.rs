//! The executor: a run queue of tasks, `spawn`, and `block_on`, which
//! polls the root future and the tasks that are ready, and sleeps (in the
//! reactor, or on a parker of the caller's choice) when none is.
//!
//! Everything runs on the thread that calls `block_on`. Wakers may be
//! called from any thread: they only queue their task and, if the
//! executor is asleep, wake it.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use support::sequence::note;

use crate::join_handle::{self, JoinHandle};
use crate::slab::Slab;
use crate::sync::{AtomicBool, Mutex, Ordering, lock};
use crate::task::{RunQueue, Task, Unpark, lane};

// ANCHOR: park
/// How the executor sleeps when no task is ready: in the reactor, which
/// also turns the readiness of sockets and the expiry of timers into wakes.
pub trait Park {
    /// Sleeps until something happens or `timeout` passes (`None`: no
    /// limit; zero: only look), and returns the wakers of the tasks it
    /// concerns, for the executor to call once it has noted that it is
    /// awake. Returns early when [`Unpark::unpark`] is called.
    fn park(&mut self, timeout: Option<Duration>) -> Vec<Waker>;
}
// ANCHOR_END: park

/// While no task is ready, the executor still checks the reactor every
/// this many polls, so that a busy queue cannot hide sockets and timers
/// forever (tokio uses the same number).
pub const EVENT_INTERVAL: u32 = 61;

/// What the executor has done so far.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Polls of spawned tasks (the root future's are not counted).
    pub polls: u64,
    /// Times it slept, waiting for a wake.
    pub parks: u64,
    /// Times it only looked at the reactor, without sleeping, because
    /// tasks kept the queue busy (once every [`EVENT_INTERVAL`] polls).
    pub looks: u64,
}

/// A single-threaded executor. Not `Send`: it runs where it was made.
pub struct Executor {
    inner: Rc<Inner>,
}

struct Inner {
    queue: Arc<RunQueue>,
    /// Every task spawned and not finished: the executor owns them, so
    /// that shutting down can drop them.
    tasks: RefCell<Slab<Arc<Task>>>,
    park: RefCell<Box<dyn Park>>,
    counts: Cell<Counts>,
}

thread_local! {
    /// The executor running on this thread, for [`spawn`].
    static CURRENT: RefCell<Option<Rc<Inner>>> = const { RefCell::new(None) };
    /// The slot of the task this thread is polling (`None`: the root
    /// future), so that a note sent from inside a poll, such as the
    /// reactor's, can name its sender (see [`polling_lane`]).
    static POLLING: Cell<Option<usize>> = const { Cell::new(None) };
}

/// The lane of the future this thread is polling, in a recorded sequence:
/// "task 1", "block_on's future"; empty unless a sequence is recording.
#[cfg(not(loom))]
pub(crate) fn polling_lane() -> String {
    lane(POLLING.get())
}

/// How a poll answered, as a sequence diagram labels it.
fn answer<T>(poll: &Poll<T>) -> &'static str {
    if poll.is_ready() { "Ready" } else { "Pending" }
}

/// Spawns a task on the executor running on this thread.
///
/// # Panics
/// When no executor is running on this thread (outside `block_on`).
pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    CURRENT.with(|current| match &*current.borrow() {
        Some(inner) => inner.spawn(future),
        None => panic!("spawn called outside a runtime's block_on"),
    })
}

// ANCHOR: root_waker
/// The root future's waker: it is not a task, it lives on `block_on`'s
/// stack. Waking it sets a flag and wakes the executor if it sleeps.
struct RootWaker {
    woken: AtomicBool,
    queue: Arc<RunQueue>,
}

impl Wake for RootWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        note("block_on's future", "executor", "set woken");
        self.woken.store(true, Ordering::Release);
        self.queue.notify();
    }
}
// ANCHOR_END: root_waker

impl Executor {
    /// An executor that sleeps with `park` and is woken from other threads
    /// with `unpark`.
    pub fn new(park: Box<dyn Park>, unpark: Box<dyn Unpark>) -> Executor {
        Executor {
            inner: Rc::new(Inner {
                queue: Arc::new(RunQueue::new(unpark)),
                tasks: RefCell::new(Slab::default()),
                park: RefCell::new(park),
                counts: Cell::new(Counts::default()),
            }),
        }
    }

    /// Spawns a task: it runs when `block_on` runs.
    pub fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.inner.spawn(future)
    }

    /// What the executor has done so far.
    pub fn counts(&self) -> Counts {
        self.inner.counts.get()
    }

    /// Tasks spawned and not finished.
    pub fn live_tasks(&self) -> usize {
        self.inner.tasks.borrow().len()
    }

    // ANCHOR: block_on
    /// Runs `future` to completion on this thread, and with it every task
    /// that is ready, until `future` is done. Tasks still unfinished then
    /// stay, and run at the next `block_on`; dropping the executor drops
    /// them.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        let _current = Enter::new(&self.inner);
        let inner = &self.inner;
        let mut future = pin!(future);
        let root = Arc::new(RootWaker {
            // Set, so that the root is polled first.
            woken: AtomicBool::new(true),
            queue: Arc::clone(&inner.queue),
        });
        let waker = Waker::from(Arc::clone(&root));
        let mut cx = Context::from_waker(&waker);
        let mut since_reactor = 0;
        loop {
            // 1. The root, if it was woken. Clear, then poll, as in
            //    the futures chapter: a wake during the poll is not lost.
            if root.woken.swap(false, Ordering::AcqRel) {
                note("executor", "block_on's future", "poll");
                POLLING.set(None);
                let poll = future.as_mut().poll(&mut cx);
                note("block_on's future", "executor", answer(&poll));
                if let Poll::Ready(output) = poll {
                    return output;
                }
                since_reactor += 1;
            }
            // 2. The tasks ready now, at most as many as are queued: a task
            //    that wakes itself runs again next round, after the root
            //    and the reactor have had their turn.
            for _ in 0..inner.queue.len() {
                let Some(task) = inner.queue.pop() else { break };
                note("executor", "run queue", "pop");
                inner.run(task);
                since_reactor += 1;
            }
            // 3. The reactor: sleep in it if there is nothing to do; else
            //    only look, every EVENT_INTERVAL polls, so that sockets and
            //    timers get their wakes even while tasks keep the queue
            //    busy.
            //    Awake again, the executor says so before it calls the
            //    wakers the reactor hands back: they find it awake and
            //    only queue their tasks, with no `mio::Waker` to call.
            if inner.queue.try_sleep(&root.woken) {
                inner.bump(|c| c.parks += 1);
                let wakers = inner.park.borrow_mut().park(None);
                inner.queue.awake();
                wakers.into_iter().for_each(Waker::wake);
                since_reactor = 0;
            } else if since_reactor >= EVENT_INTERVAL {
                let wakers = inner.park.borrow_mut().park(Some(Duration::ZERO));
                inner.bump(|c| c.looks += 1);
                wakers.into_iter().for_each(Waker::wake);
                since_reactor = 0;
            }
        }
    }
    // ANCHOR_END: block_on

    /// Drops every unfinished task (their sockets close, their timers are
    /// cancelled). Also done when the executor is dropped. After it, the
    /// executor runs no task: wakes, and tasks spawned later, are dropped.
    pub fn shutdown(&self) {
        loop {
            let tasks = self.inner.tasks.borrow_mut().drain();
            if tasks.is_empty() {
                break;
            }
            for task in tasks {
                // Out of the lock first, then dropped: dropping a future
                // may wake other tasks, or spawn.
                let future = lock(&task.future).take();
                drop(future);
            }
        }
        // The queue holds wakes of tasks that no longer have a future;
        // closed, it drops any wake that comes later, say from another
        // thread.
        drop(self.inner.queue.close());
    }
}

impl Drop for Executor {
    fn drop(&mut self) {
        self.shutdown();
    }
}

impl Inner {
    fn bump(&self, f: impl FnOnce(&mut Counts)) {
        let mut counts = self.counts.get();
        f(&mut counts);
        self.counts.set(counts);
    }

    // ANCHOR: spawn
    fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let (completer, handle) = join_handle::pair();
        // The task's future runs the caller's and leaves its output for
        // the JoinHandle. The caller's future gets a box of its own: an
        // `async` block that awaits a future it captured holds it twice
        // (once as captured, once as awaited), and a session future of
        // kilobytes would take twice its size for every connection.
        let future = Box::pin(future);
        let future = Box::pin(async move {
            completer.complete(future.await);
        });
        let mut tasks = self.tasks.borrow_mut();
        let task = Arc::new(Task {
            future: Mutex::new(Some(future)),
            // Queued right away, below.
            scheduled: AtomicBool::new(true),
            slot: tasks.vacant(),
            queue: Arc::clone(&self.queue),
        });
        tasks.insert(Arc::clone(&task));
        drop(tasks);
        self.queue.push(task);
        handle
    }
    // ANCHOR_END: spawn

    // ANCHOR: run
    /// Polls one task that was woken.
    fn run(&self, task: Arc<Task>) {
        // Clear before the poll: a wake from now on queues it again.
        task.scheduled.store(false, Ordering::Release);
        let waker = Waker::from(Arc::clone(&task));
        let mut cx = Context::from_waker(&waker);
        let mut slot = lock(&task.future);
        // A wake that came after the task finished finds no future.
        let Some(future) = slot.as_mut() else { return };
        self.bump(|c| c.polls += 1);
        note("executor", &lane(Some(task.slot)), "poll");
        POLLING.set(Some(task.slot));
        let poll = future.as_mut().poll(&mut cx);
        note(&lane(Some(task.slot)), "executor", answer(&poll));
        if poll.is_ready() {
            // Done: drop the future now, and forget the task. Wakers of it
            // that are still around find `None`.
            let finished = slot.take();
            drop(slot);
            drop(finished);
            self.tasks.borrow_mut().remove(task.slot);
        }
    }
    // ANCHOR_END: run
}

/// Makes an executor the current one for [`spawn`] while it lives.
struct Enter {
    previous: Option<Rc<Inner>>,
}

impl Enter {
    fn new(inner: &Rc<Inner>) -> Enter {
        let previous =
            CURRENT.with(|c| c.borrow_mut().replace(Rc::clone(inner)));
        Enter { previous }
    }
}

impl Drop for Enter {
    fn drop(&mut self) {
        let previous = self.previous.take();
        CURRENT.with(|c| *c.borrow_mut() = previous);
    }
}
