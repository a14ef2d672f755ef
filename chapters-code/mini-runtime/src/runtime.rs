//! The runtime: the executor, sleeping in the reactor.

use std::future::Future;
use std::io;
use std::rc::Rc;

use crate::executor::{Counts, Executor};
use crate::join_handle::JoinHandle;
use crate::reactor::{self, Reactor, ReactorPark};

// ANCHOR: runtime
/// An executor and a reactor, on the thread that made them.
pub struct Runtime {
    executor: Executor,
    reactor: Rc<Reactor>,
}

impl Runtime {
    /// A new runtime: a `mio::Poll` and an empty run queue.
    pub fn new() -> io::Result<Runtime> {
        let reactor = Rc::new(Reactor::new()?);
        let executor = Executor::new(
            Box::new(ReactorPark(Rc::clone(&reactor))),
            reactor.unparker(),
        );
        Ok(Runtime { executor, reactor })
    }

    /// Runs `future`, and the tasks it spawns, until `future` is done.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        let _reactor = reactor::Enter::new(&self.reactor);
        self.executor.block_on(future)
    }
    // ANCHOR_END: runtime

    /// Spawns a task; it runs during `block_on`.
    pub fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.executor.spawn(future)
    }

    /// What the executor has done so far.
    pub fn counts(&self) -> Counts {
        self.executor.counts()
    }

    /// Tasks spawned and not finished.
    pub fn live_tasks(&self) -> usize {
        self.executor.live_tasks()
    }

    /// Sockets registered with the reactor.
    pub fn sockets(&self) -> usize {
        self.reactor.sockets()
    }

    /// Timers pending in the reactor.
    pub fn timers(&self) -> usize {
        self.reactor.timers()
    }

    /// Entries in the reactor's timer heap, cancelled timers included.
    pub fn timer_entries(&self) -> usize {
        self.reactor.timer_entries()
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        // Unfinished tasks are dropped with the reactor still current:
        // their sockets deregister, their timers are cancelled.
        let _reactor = reactor::Enter::new(&self.reactor);
        self.executor.shutdown();
    }
}

/// Runs `future` on a new runtime, and drops the runtime (and any task
/// still unfinished) when `future` is done.
///
/// # Panics
/// If the runtime cannot be made (no `epoll`/`kqueue` instance left).
pub fn block_on<F: Future>(future: F) -> F::Output {
    Runtime::new()
        .expect("a runtime needs one epoll or kqueue instance")
        .block_on(future)
}
