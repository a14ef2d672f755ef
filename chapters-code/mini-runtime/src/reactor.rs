//! The reactor: it turns the kernel's readiness events (through mio) and
//! the expiry of timers into wakes.
//!
//! A future that cannot go on (a read said `WouldBlock`, a deadline is
//! not reached) leaves its waker here, under its socket's token or its
//! timer's id. When the executor has nothing to run it sleeps in
//! [`Reactor::turn`]: in mio's `poll`, with a timeout until the next
//! timer. Each event wakes the wakers its token holds; each timer that is
//! due wakes its own. The reactor never runs a future itself.
//!
//! The reactor lives on the executor's thread, in a thread-local, so the
//! sockets and timers that use it stay plain `Send` values. Each keeps a
//! [`Handle`] of the reactor it was registered with: its id, checked at
//! every operation, and a mailbox where a socket or timer dropped away
//! from its reactor (on another thread, in another runtime, or outside
//! any) leaves its token or timer id, for the reactor to free later.

use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::io;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use mio::{Events, Interest, Token};
use support::sequence::{note, recording};

mod registration;

use registration::{Dropped, Handle, with_own};
pub(crate) use registration::{Enter, Registration, TimerRegistration};

use crate::executor::{Park, polling_lane};
use crate::slab::Slab;
use crate::task::Unpark;

/// The token of the `mio::Waker` that wakes a sleeping executor.
const WAKE_TOKEN: Token = Token(usize::MAX);

/// Which way a future waits on a socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Waiting to read (or accept).
    Read,
    /// Waiting to write (or for a connection to complete).
    Write,
}

impl Direction {
    /// Its name in the labels of the book's sequence diagrams.
    fn name(self) -> &'static str {
        match self {
            Direction::Read => "read",
            Direction::Write => "write",
        }
    }
}

/// Notes, for the book's steppers (`support::sequence`), that the future
/// being polled leaves its waker for socket `token` and `direction`.
#[track_caller]
fn note_wait(token: usize, direction: Direction) {
    if recording() {
        let label = format!("wait: token {token}, {}", direction.name());
        note(&polling_lane(), "reactor", &label);
    }
}

/// Notes that the OS reported socket `token` ready in `direction`, where
/// a waker was waiting for it.
#[track_caller]
fn note_ready(token: usize, direction: Direction) {
    if recording() {
        let label = format!("ready: token {token}, {}", direction.name());
        note("OS", "reactor", &label);
    }
}

// ANCHOR: reactor
/// The wakers waiting on one socket: one per direction, so a task that
/// reads and another that writes the same socket both get woken.
#[derive(Default)]
struct Waiters {
    reader: Option<Waker>,
    writer: Option<Waker>,
}

/// Sockets and timers, and the wakers waiting on them.
pub struct Reactor {
    /// Which reactor this is, shared with its sockets and timers.
    handle: Arc<Handle>,
    poll: RefCell<mio::Poll>,
    events: RefCell<Events>,
    /// Indexed by the sockets' tokens.
    sockets: RefCell<Slab<Waiters>>,
    timers: RefCell<Timers>,
    waker: Arc<mio::Waker>,
}

/// Timers by deadline. A cancelled timer leaves its heap entry behind
/// (lazy deletion, as in the event loop chapter): only `wakers` says which
/// are live. When dead entries outnumber the live ones by far, the heap is
/// rebuilt without them.
#[derive(Default)]
struct Timers {
    heap: BinaryHeap<Reverse<(Instant, u64)>>,
    wakers: HashMap<u64, Waker>,
    next_id: u64,
}
// ANCHOR_END: reactor

impl Reactor {
    // ANCHOR: new
    /// A reactor with its own `mio::Poll`.
    pub fn new() -> io::Result<Reactor> {
        let poll = mio::Poll::new()?;
        let waker = Arc::new(mio::Waker::new(poll.registry(), WAKE_TOKEN)?);
        Ok(Reactor {
            handle: Arc::new(Handle::new()),
            poll: RefCell::new(poll),
            events: RefCell::new(Events::with_capacity(1024)),
            sockets: RefCell::new(Slab::default()),
            timers: RefCell::new(Timers::default()),
            waker,
        })
    }

    /// What wakes the executor from another thread: an event on the
    /// reactor's own token.
    pub(crate) fn unparker(&self) -> Box<dyn Unpark> {
        Box::new(MioUnpark(Arc::clone(&self.waker)))
    }
    // ANCHOR_END: new

    /// Registers a socket for both directions, once: mio's events are
    /// edge-triggered, so a socket that stays writable does not wake us
    /// again and again. Returns its token.
    pub(crate) fn register(
        &self,
        source: &mut impl mio::event::Source,
    ) -> io::Result<usize> {
        self.free_dropped();
        let mut sockets = self.sockets.borrow_mut();
        let token = sockets.vacant();
        self.poll.borrow().registry().register(
            source,
            Token(token),
            Interest::READABLE | Interest::WRITABLE,
        )?;
        sockets.insert(Waiters::default());
        Ok(token)
    }

    /// Forgets a socket (it is being closed).
    fn deregister(&self, source: &mut impl mio::event::Source, token: usize) {
        let _ = self.poll.borrow().registry().deregister(source);
        self.sockets.borrow_mut().remove(token);
    }

    // ANCHOR: wait_for
    /// Leaves `waker` to be woken when the socket `token` is ready in
    /// `direction`. Only one waker is kept per direction. The sockets'
    /// operations take `&mut self`, so only one future at a time can wait
    /// on a socket in one direction; if another waker was there (the
    /// future has moved to another task), it is woken rather than lost: a
    /// spurious poll, never a hang.
    fn wait_for(&self, token: usize, direction: Direction, waker: &Waker) {
        let displaced = {
            let mut sockets = self.sockets.borrow_mut();
            let Some(waiters) = sockets.get_mut(token) else {
                return;
            };
            let slot = match direction {
                Direction::Read => &mut waiters.reader,
                Direction::Write => &mut waiters.writer,
            };
            match slot {
                Some(w) if w.will_wake(waker) => None,
                _ => slot.replace(waker.clone()),
            }
        };
        if let Some(displaced) = displaced {
            displaced.wake();
        }
    }
    // ANCHOR_END: wait_for

    /// Adds a timer; returns its id.
    fn add_timer(&self, deadline: Instant, waker: &Waker) -> u64 {
        self.free_dropped();
        let mut timers = self.timers.borrow_mut();
        let id = timers.next_id;
        timers.next_id += 1;
        timers.heap.push(Reverse((deadline, id)));
        timers.wakers.insert(id, waker.clone());
        timers.compact_if_sparse();
        id
    }

    /// Replaces a timer's waker (the future was polled with a new one).
    fn update_timer(&self, id: u64, waker: &Waker) {
        if let Some(w) = self.timers.borrow_mut().wakers.get_mut(&id)
            && !w.will_wake(waker)
        {
            *w = waker.clone();
        }
    }

    /// Cancels a timer (its future was dropped, or is done). Its waker
    /// goes at once; its heap entry stays until its deadline comes up, or
    /// until the heap is compacted.
    fn cancel_timer(&self, id: u64) {
        let mut timers = self.timers.borrow_mut();
        timers.wakers.remove(&id);
        timers.compact_if_sparse();
    }

    /// Frees the slots of sockets and timers dropped away from this
    /// reactor (on another thread, say, or outside any runtime).
    fn free_dropped(&self) {
        let Dropped { sockets, timers } =
            std::mem::take(&mut *self.handle.dropped());
        for token in sockets {
            // The socket is closed, so epoll has forgotten it already.
            self.sockets.borrow_mut().remove(token);
        }
        for id in timers {
            self.cancel_timer(id);
        }
    }

    // ANCHOR: turn
    /// Waits for events at most `timeout` (`None`: no limit), less if a
    /// timer is due sooner, then returns the wakers of the sockets that
    /// are ready and of the timers that are due, for the executor to wake.
    pub fn turn(&self, timeout: Option<Duration>) -> io::Result<Vec<Waker>> {
        self.free_dropped();
        let now = Instant::now();
        let until_timer = self.next_deadline().map(|deadline| {
            // Round up to whole milliseconds: epoll counts in them, and a
            // timer woken a hair early would only make us sleep again.
            let left = deadline.saturating_duration_since(now);
            left.as_nanos()
                .div_ceil(1_000_000)
                .try_into()
                .map_or(Duration::MAX, Duration::from_millis)
        });
        let timeout = match (timeout, until_timer) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let mut events = self.events.borrow_mut();
        note("reactor", "OS", "epoll_wait");
        match self.poll.borrow_mut().poll(&mut events, timeout) {
            Ok(()) => {}
            // A signal interrupted the wait: the executor will come back.
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
        let mut wake = Vec::new();
        {
            let mut sockets = self.sockets.borrow_mut();
            for event in events.iter() {
                let token = event.token().0;
                // WAKE_TOKEN only had to end the wait.
                let Some(waiters) = sockets.get_mut(token) else {
                    continue;
                };
                // An error or a hang-up wakes both directions: each finds
                // out by trying its operation.
                if (event.is_readable()
                    || event.is_read_closed()
                    || event.is_error())
                    && let Some(waker) = waiters.reader.take()
                {
                    note_ready(token, Direction::Read);
                    wake.push(waker);
                }
                if (event.is_writable()
                    || event.is_write_closed()
                    || event.is_error())
                    && let Some(waker) = waiters.writer.take()
                {
                    note_ready(token, Direction::Write);
                    wake.push(waker);
                }
            }
        }
        self.due_timers(Instant::now(), &mut wake);
        // The executor wakes them, which only queues tasks: nothing here
        // runs one.
        Ok(wake)
    }
    // ANCHOR_END: turn

    fn next_deadline(&self) -> Option<Instant> {
        let mut timers = self.timers.borrow_mut();
        // Drop cancelled timers from the top of the heap.
        while let Some(Reverse((deadline, id))) = timers.heap.peek().copied() {
            if timers.wakers.contains_key(&id) {
                return Some(deadline);
            }
            timers.heap.pop();
        }
        None
    }

    fn due_timers(&self, now: Instant, wake: &mut Vec<Waker>) {
        let mut timers = self.timers.borrow_mut();
        while let Some(Reverse((deadline, id))) = timers.heap.peek().copied() {
            if deadline > now {
                break;
            }
            timers.heap.pop();
            wake.extend(timers.wakers.remove(&id));
        }
    }

    /// Sockets registered now (for tests).
    pub fn sockets(&self) -> usize {
        self.free_dropped();
        self.sockets.borrow().len()
    }

    /// Timers pending now (for tests).
    pub fn timers(&self) -> usize {
        self.free_dropped();
        self.timers.borrow().wakers.len()
    }

    /// Entries in the timer heap, cancelled ones included (for tests).
    pub fn timer_entries(&self) -> usize {
        self.timers.borrow().heap.len()
    }
}

impl Timers {
    /// Rebuilds the heap without its cancelled entries once they are many
    /// more than the live ones: each rebuild removes at least half the
    /// heap, so it costs O(1) per timer over time, and a server that
    /// cancels a timeout at every read keeps a heap of its live timers'
    /// size, not of its traffic's.
    fn compact_if_sparse(&mut self) {
        if self.heap.len() > 2 * self.wakers.len() + 64 {
            let wakers = &self.wakers;
            self.heap.retain(|Reverse((_, id))| wakers.contains_key(id));
        }
    }
}

// ANCHOR: poll_io
/// Tries a non-blocking operation on socket `token`. `WouldBlock` means
/// "not now": the waker is left with the reactor, and the caller gets
/// `Pending`. Anything else (bytes, end of input, an error) is the result.
///
/// mio's events are edge-triggered: one event per change, not one per
/// poll while the socket stays ready. So a future must only wait after
/// the operation said `WouldBlock`; that is the one moment when a next
/// event is sure to come. Every call here tries first.
pub(crate) fn poll_io<T>(
    socket: &Registration,
    direction: Direction,
    cx: &mut Context<'_>,
    mut op: impl FnMut() -> io::Result<T>,
) -> Poll<io::Result<T>> {
    loop {
        match op() {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                // No event can slip in between the `WouldBlock` and this:
                // events are only read when the executor turns the
                // reactor, on this thread, after this poll returns.
                with_own(&socket.handle, |r| {
                    r.wait_for(socket.token, direction, cx.waker());
                });
                note_wait(socket.token, direction);
                return Poll::Pending;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            result => return Poll::Ready(result),
        }
    }
}
// ANCHOR_END: poll_io

// ANCHOR: mio_park
/// Wakes the executor's thread out of `mio::Poll::poll`.
struct MioUnpark(Arc<mio::Waker>);

impl Unpark for MioUnpark {
    fn unpark(&self) {
        // If it fails, the executor still wakes at its next event.
        let _ = self.0.wake();
    }
}

/// The executor's way to sleep: in the reactor.
pub(crate) struct ReactorPark(pub(crate) Rc<Reactor>);

impl Park for ReactorPark {
    fn park(&mut self, timeout: Option<Duration>) -> Vec<Waker> {
        let sleeps = timeout != Some(Duration::ZERO);
        note("executor", "reactor", if sleeps { "park" } else { "look" });
        // An error from epoll itself (not an I/O error of a socket) means
        // the reactor cannot work at all.
        let wakers = self.0.turn(timeout).expect("the reactor's poll failed");
        note("reactor", "executor", "wakers");
        wakers
    }
}
// ANCHOR_END: mio_park

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::Wake;

    use super::*;

    /// Counts its wakes.
    struct Count(AtomicUsize);

    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn a_displaced_waker_is_woken_not_lost() {
        let reactor = Reactor::new().unwrap();
        let mut socket =
            mio::net::UdpSocket::bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let token = reactor.register(&mut socket).unwrap();
        let (first, second) = (
            Arc::new(Count(AtomicUsize::new(0))),
            Arc::new(Count(AtomicUsize::new(0))),
        );
        let first_waker = Waker::from(Arc::clone(&first));
        reactor.wait_for(token, Direction::Read, &first_waker);
        // The same waker again: kept, nobody woken.
        reactor.wait_for(token, Direction::Read, &first_waker);
        assert_eq!(first.0.load(Ordering::SeqCst), 0);
        // Another task's waker takes the slot: the first is woken, so its
        // task polls again (and finds out) instead of waiting forever.
        reactor.wait_for(
            token,
            Direction::Read,
            &Waker::from(Arc::clone(&second)),
        );
        assert_eq!(first.0.load(Ordering::SeqCst), 1);
        assert_eq!(second.0.load(Ordering::SeqCst), 0);
        reactor.deregister(&mut socket, token);
    }
}
