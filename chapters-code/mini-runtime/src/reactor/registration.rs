//! How sockets and timers find their reactor: the runtime's reactor is
//! the current one of its thread (a thread-local, set by [`Enter`]), and
//! each socket or timer keeps a [`Handle`] of the one it was registered
//! with, so that it is never used in another, and so that one dropped away
//! from it can leave what it held for it to free.

use std::cell::RefCell;
use std::io;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::Waker;
use std::time::Instant;

use super::Reactor;

/// What a socket or a timer keeps of its reactor: which one it is, and
/// where to leave what it no longer needs when it is dropped away from it.
#[derive(Debug)]
pub(crate) struct Handle {
    pub(super) id: u64,
    dropped: Mutex<Dropped>,
}

/// Tokens and timer ids of sockets and timers dropped away from their
/// reactor, for it to free at its next turn.
#[derive(Debug, Default)]
pub(super) struct Dropped {
    pub(super) sockets: Vec<usize>,
    pub(super) timers: Vec<u64>,
}

impl Handle {
    /// A new reactor's handle, with an id no other reactor has had.
    pub(super) fn new() -> Handle {
        Handle {
            id: NEXT_REACTOR_ID.fetch_add(1, Ordering::Relaxed),
            dropped: Mutex::default(),
        }
    }

    pub(super) fn dropped(&self) -> std::sync::MutexGuard<'_, Dropped> {
        // Two vectors of numbers: valid after any panic.
        self.dropped.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

static NEXT_REACTOR_ID: AtomicU64 = AtomicU64::new(1);

// ANCHOR: registration
/// A socket's registration: its reactor and its token there.
#[derive(Debug)]
pub(crate) struct Registration {
    pub(super) handle: Arc<Handle>,
    pub(super) token: usize,
}

impl Registration {
    /// Registers `source` with the current runtime's reactor.
    pub(crate) fn new(
        source: &mut impl mio::event::Source,
    ) -> io::Result<Self> {
        with(|r| {
            Ok(Registration {
                token: r.register(source)?,
                handle: Arc::clone(&r.handle),
            })
        })
    }

    /// Forgets the socket (it is being closed). In its own runtime, at
    /// once; anywhere else, its token is left for its reactor to free.
    pub(crate) fn deregister(&self, source: &mut impl mio::event::Source) {
        let token = self.token;
        let done = try_with_own(&self.handle, |r| r.deregister(source, token));
        if done.is_none() {
            // Closing the socket, just after this, takes it out of epoll.
            self.handle.dropped().sockets.push(token);
        }
    }
}
// ANCHOR_END: registration

/// A timer's registration: its reactor and its id there.
#[derive(Debug)]
pub(crate) struct TimerRegistration {
    handle: Arc<Handle>,
    id: u64,
}

impl TimerRegistration {
    /// Adds a timer to the current runtime's reactor.
    pub(crate) fn new(deadline: Instant, waker: &Waker) -> Self {
        with(|r| TimerRegistration {
            id: r.add_timer(deadline, waker),
            handle: Arc::clone(&r.handle),
        })
    }

    /// Replaces the timer's waker (its future was polled with a new one).
    ///
    /// # Panics
    /// In a runtime other than the one that made the timer.
    pub(crate) fn update(&self, waker: &Waker) {
        with_own(&self.handle, |r| r.update_timer(self.id, waker));
    }

    /// Cancels the timer. In its own runtime at once; anywhere else, its
    /// id is left for its reactor to cancel.
    pub(crate) fn cancel(&self) {
        let id = self.id;
        if try_with_own(&self.handle, |r| r.cancel_timer(id)).is_none() {
            self.handle.dropped().timers.push(id);
        }
    }
}

// ANCHOR: current
thread_local! {
    static CURRENT: RefCell<Option<Rc<Reactor>>> = const { RefCell::new(None) };
}

/// Runs `f` with the reactor of the runtime running on this thread.
///
/// # Panics
/// Outside a runtime: sockets and timers need one.
pub(crate) fn with<T>(f: impl FnOnce(&Reactor) -> T) -> T {
    CURRENT.with(|current| match &*current.borrow() {
        Some(reactor) => f(reactor),
        None => panic!("sockets and timers need a running mini-runtime"),
    })
}

/// Like [`with`], but the reactor must be the one `handle` names.
///
/// # Panics
/// Outside a runtime, or in a runtime other than the one the socket or
/// timer was registered with: its token or id means nothing there.
pub(super) fn with_own<T>(handle: &Handle, f: impl FnOnce(&Reactor) -> T) -> T {
    with(|r| {
        assert!(
            r.handle.id == handle.id,
            "a mini-runtime socket or timer was used in a runtime other \
             than the one it was registered with"
        );
        f(r)
    })
}
// ANCHOR_END: current

/// Runs `f` with the reactor `handle` names, if it is the current one
/// (for `Drop`, which must not panic): `None` if it is not.
fn try_with_own<T>(
    handle: &Handle,
    f: impl FnOnce(&Reactor) -> T,
) -> Option<T> {
    CURRENT.with(|current| match &*current.borrow() {
        Some(r) if r.handle.id == handle.id => Some(f(r)),
        _ => None,
    })
}

/// Makes a reactor the current one while it lives.
pub(crate) struct Enter {
    previous: Option<Rc<Reactor>>,
}

impl Enter {
    pub(crate) fn new(reactor: &Rc<Reactor>) -> Enter {
        let previous =
            CURRENT.with(|c| c.borrow_mut().replace(Rc::clone(reactor)));
        Enter { previous }
    }
}

impl Drop for Enter {
    fn drop(&mut self) {
        let previous = self.previous.take();
        CURRENT.with(|c| *c.borrow_mut() = previous);
    }
}
