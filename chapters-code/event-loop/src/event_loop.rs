//! An event loop built by hand on mio.
//!
//! The loop owns a `mio::Poll` and a table of handlers keyed by `Token`.
//! It sleeps in `poll` until a registered socket is ready, a timer is due,
//! or another thread wakes it, then calls the handlers concerned. That is
//! the inversion of control of every event loop: the handlers never wait;
//! the loop waits for all of them, and calls each one when it can make
//! progress.
//!
//! Three more pieces make it usable:
//!
//! - **Timers.** A handler may ask to be called at a deadline; the earliest
//!   deadline becomes `poll`'s timeout (see [`crate::timer`]).
//! - **A budget per call.** Each call may do a bounded amount of work (the
//!   handler reads [`Cx::budget`]). A handler that stops because its
//!   budget is used up returns [`Next::Again`], and is called again on the
//!   next turn, after every other handler that was ready. mio's readiness
//!   is edge-triggered: the kernel says "readable" once, so a handler that
//!   stops before it has drained its socket must be remembered here, or it
//!   would never be called again.
//! - **A waker.** [`WAKER`] is reserved for a `mio::Waker`, which another
//!   thread uses to interrupt `poll` (to stop the loop).
//!
//! The `note` calls record what passes between the loop, the OS, the
//! timers and the handlers, for the page's stepper
//! (`support::sequence`). They do nothing unless a recording is on.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, VecDeque};
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use mio::event::Event;
use mio::{Events, Poll, Registry, Token};
use support::sequence::{note, recording};

use crate::timer::Timers;

/// The token of the loop's `mio::Waker`; handlers get tokens from 1 up.
pub const WAKER: Token = Token(0);

/// The lane of the kernel, where the loop waits, in a recorded sequence.
pub const OS: &str = "OS (poll)";

/// What a handler was told about its socket. Empty when the loop calls a
/// handler again without an event (after [`Next::Again`], or just after it
/// was added).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ready {
    /// Reading will not block (data, end of input, or an error waits).
    pub readable: bool,
    /// Writing will not block (there is room in the send buffer).
    pub writable: bool,
    /// The peer closed its side, or the socket failed. Then no new edge
    /// will come: reading must go on until it returns 0 or the error,
    /// even after a read that did not fill the buffer.
    pub closed: bool,
}

impl Ready {
    fn of(event: &Event) -> Ready {
        // A closed or failed socket is reported as readable and writable
        // too: the next read or write returns what happened.
        Ready {
            readable: event.is_readable()
                || event.is_read_closed()
                || event.is_error(),
            writable: event.is_writable()
                || event.is_write_closed()
                || event.is_error(),
            closed: event.is_read_closed() || event.is_error(),
        }
    }

    fn merge(self, other: Ready) -> Ready {
        Ready {
            readable: self.readable || other.readable,
            writable: self.writable || other.writable,
            closed: self.closed || other.closed,
        }
    }

    /// The call a handler gets, as a recorded sequence shows it.
    fn label(self) -> &'static str {
        match (self.readable, self.writable) {
            (false, false) => "ready(no event)",
            (true, false) => "ready(readable)",
            (false, true) => "ready(writable)",
            (true, true) => "ready(both)",
        }
    }
}

/// What a handler wants after a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Call me at my next event or timer.
    Wait,
    /// I stopped early (my budget is used up): call me again on the next
    /// turn, even without an event.
    Again,
    /// I am done: drop me (which closes my socket).
    Close,
}

impl Next {
    fn label(self) -> &'static str {
        match self {
            Next::Wait => "Wait",
            Next::Again => "Again",
            Next::Close => "Close",
        }
    }
}

// ANCHOR: handler
/// A handler: the code the loop calls for one token.
pub trait Handler {
    /// The handler's socket is ready (or, with an empty [`Ready`], the
    /// handler asked to be called again).
    fn ready(&mut self, cx: &mut Cx<'_>, ready: Ready) -> Next;
    /// The handler's timer is due.
    fn timeout(&mut self, cx: &mut Cx<'_>) -> Next;
    /// The loop is stopping: finish up. A handler that returns
    /// [`Next::Wait`] keeps getting events until the grace period ends.
    fn stop(&mut self, cx: &mut Cx<'_>) -> Next;
}
// ANCHOR_END: handler

/// What the loop counts, readable from any thread.
#[derive(Debug, Default)]
pub struct LoopStats {
    /// Calls to `poll`.
    pub polls: AtomicU64,
    /// Events `poll` returned.
    pub events: AtomicU64,
    /// Calls to handlers, of any kind.
    pub calls: AtomicU64,
    /// Calls made because a handler returned [`Next::Again`].
    pub again: AtomicU64,
    /// Timers that fired.
    pub timers_fired: AtomicU64,
}

impl LoopStats {
    /// Reads one counter.
    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }

    fn bump(counter: &AtomicU64, by: u64) {
        counter.fetch_add(by, Ordering::Relaxed);
    }
}

/// What a handler may do while the loop calls it.
pub struct Cx<'a> {
    token: Token,
    now: Instant,
    budget: usize,
    stopping: bool,
    registry: &'a Registry,
    /// The handler's lane in a recorded sequence (empty otherwise).
    lane: &'a str,
    timers: &'a mut Timers,
    next_token: &'a mut usize,
    added: &'a mut Vec<(Token, Box<dyn Handler>)>,
}

impl Cx<'_> {
    /// The token of the handler being called.
    pub fn token(&self) -> Token {
        self.token
    }

    /// When this turn of the loop started.
    pub fn now(&self) -> Instant {
        self.now
    }

    /// How much work a handler should do in one call (the echo server's
    /// sessions read at most this many bytes).
    pub fn budget(&self) -> usize {
        self.budget
    }

    /// Whether the loop is stopping.
    pub fn stopping(&self) -> bool {
        self.stopping
    }

    /// The registry, to register a new socket or change interest.
    pub fn registry(&self) -> &Registry {
        self.registry
    }

    /// Sets this handler's timer (one per handler; this replaces it).
    pub fn set_timer(&mut self, at: Instant) {
        note(self.lane, "timers", "set timer");
        self.timers.set(self.token, at);
    }

    /// A fresh token for a handler about to be added.
    pub fn new_token(&mut self) -> Token {
        *self.next_token += 1;
        Token(*self.next_token)
    }

    /// Adds a handler for `token` (from [`Cx::new_token`], with its socket
    /// already registered). The loop calls it once on the next turn
    /// without an event, then at its events.
    pub fn add(&mut self, token: Token, handler: Box<dyn Handler>) {
        note(self.lane, "loop", "add handler");
        self.added.push((token, handler));
    }
}

/// The loop: a `Poll`, its handlers, their timers.
pub struct EventLoop {
    poll: Poll,
    handlers: HashMap<Token, Box<dyn Handler>>,
    timers: Timers,
    /// Handlers to call on the next turn without an event.
    again: VecDeque<Token>,
    next_token: usize,
    budget: usize,
    stats: Arc<LoopStats>,
    /// Names each handler's lane in a recorded sequence.
    lanes: fn(Token) -> String,
}

impl EventLoop {
    /// A loop over `poll` whose handlers do at most `budget` work per
    /// call.
    pub fn new(poll: Poll, budget: usize, stats: Arc<LoopStats>) -> Self {
        EventLoop {
            poll,
            handlers: HashMap::new(),
            timers: Timers::new(),
            again: VecDeque::new(),
            next_token: WAKER.0,
            budget: budget.max(1),
            stats,
            lanes: |token| format!("token {}", token.0),
        }
    }

    /// Names the handlers' lanes in a recorded sequence (see
    /// `support::sequence`): "token 1", "token 2"... unless told otherwise.
    pub fn name_lanes(&mut self, lanes: fn(Token) -> String) {
        self.lanes = lanes;
    }

    /// `token`'s lane, named only while a sequence records.
    fn lane(&self, token: Token) -> String {
        if recording() {
            (self.lanes)(token)
        } else {
            String::new()
        }
    }

    /// Adds a handler: `make` registers its socket with the token it is
    /// given and returns the handler.
    pub fn add(
        &mut self,
        make: impl FnOnce(&Registry, Token) -> io::Result<Box<dyn Handler>>,
    ) -> io::Result<Token> {
        self.next_token += 1;
        let token = Token(self.next_token);
        let handler = make(self.poll.registry(), token)?;
        self.handlers.insert(token, handler);
        self.again.push_back(token);
        Ok(token)
    }

    // ANCHOR: run
    /// Runs until every handler is done, or until `stop` is set (and the
    /// waker woken): then every handler is told to stop and gets up to
    /// `grace` to finish; whatever is left after that is dropped.
    pub fn run(
        &mut self,
        stop: &AtomicBool,
        grace: Duration,
    ) -> io::Result<()> {
        let mut events = Events::with_capacity(1024);
        // Set when `stop` is first seen: the end of the grace period.
        let mut stop_by: Option<Instant> = None;
        // This turn's calls, and where each token is in them.
        let mut turn: Vec<(Token, Ready)> = Vec::new();
        let mut place: HashMap<Token, usize> = HashMap::new();
        loop {
            let now = Instant::now();
            if stop_by.is_none() && stop.load(Ordering::SeqCst) {
                stop_by = Some(now + grace);
                self.stop_all(now);
            }
            if self.handlers.is_empty() || stop_by.is_some_and(|d| now >= d) {
                // Dropping the handlers closes their sockets.
                self.handlers.clear();
                return Ok(());
            }
            // Sleep until an event or the next deadline; not at all when a
            // handler has work left over from the last turn.
            let timeout = if self.again.is_empty() {
                let timer = self.timers.poll_timeout(now);
                let stopping =
                    stop_by.map(|d| d.saturating_duration_since(now));
                // The sooner of the two; `None` (no timer, not stopping)
                // lets `poll` sleep until an event.
                timer.into_iter().chain(stopping).min()
            } else {
                Some(Duration::ZERO)
            };
            note("loop", OS, poll_label(timeout));
            LoopStats::bump(&self.stats.polls, 1);
            match self.poll.poll(&mut events, timeout) {
                Ok(()) => {}
                // A signal interrupted the wait: just wait again.
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
            note_events(&events, timeout);
            let now = Instant::now();
            // 1. This turn's work: every handler with an event, then every
            //    handler left over from the last turn, each called once.
            turn.clear();
            place.clear();
            for event in &events {
                LoopStats::bump(&self.stats.events, 1);
                if event.token() == WAKER {
                    continue; // the stop flag is checked at the top
                }
                let ready = Ready::of(event);
                match place.entry(event.token()) {
                    Entry::Occupied(e) => {
                        let r = &mut turn[*e.get()].1;
                        *r = r.merge(ready);
                    }
                    Entry::Vacant(e) => {
                        e.insert(turn.len());
                        turn.push((event.token(), ready));
                    }
                }
            }
            for token in std::mem::take(&mut self.again) {
                if let Entry::Vacant(e) = place.entry(token) {
                    LoopStats::bump(&self.stats.again, 1);
                    e.insert(turn.len());
                    turn.push((token, Ready::default()));
                }
            }
            let stopping = stop_by.is_some();
            for &(token, ready) in &turn {
                note("loop", &self.lane(token), ready.label());
                self.call(token, now, stopping, |h, cx| h.ready(cx, ready));
            }
            // 2. Timers that are due.
            for token in self.timers.expired(now) {
                LoopStats::bump(&self.stats.timers_fired, 1);
                note("timers", "loop", "due");
                note("loop", &self.lane(token), "timeout()");
                self.call(token, now, stopping, |h, cx| h.timeout(cx));
            }
        }
    }
    // ANCHOR_END: run

    /// Tells every handler the loop is stopping.
    fn stop_all(&mut self, now: Instant) {
        let mut tokens: Vec<Token> = self.handlers.keys().copied().collect();
        tokens.sort();
        for token in tokens {
            note("loop", &self.lane(token), "stop()");
            self.call(token, now, true, |h, cx| h.stop(cx));
        }
    }

    /// Calls one handler and acts on what it returns.
    fn call(
        &mut self,
        token: Token,
        now: Instant,
        stopping: bool,
        f: impl FnOnce(&mut dyn Handler, &mut Cx<'_>) -> Next,
    ) {
        // An event may still arrive for a handler closed earlier this turn.
        let Some(handler) = self.handlers.get_mut(&token) else {
            return;
        };
        LoopStats::bump(&self.stats.calls, 1);
        let lane = if recording() {
            (self.lanes)(token)
        } else {
            String::new()
        };
        let mut added = Vec::new();
        let mut cx = Cx {
            token,
            now,
            budget: self.budget,
            stopping,
            registry: self.poll.registry(),
            lane: &lane,
            timers: &mut self.timers,
            next_token: &mut self.next_token,
            added: &mut added,
        };
        let next = f(handler.as_mut(), &mut cx);
        note(&lane, "loop", next.label());
        match next {
            Next::Wait => {}
            Next::Again => self.again.push_back(token),
            Next::Close => {
                self.timers.cancel(token);
                self.handlers.remove(&token);
            }
        }
        for (token, handler) in added {
            self.handlers.insert(token, handler);
            self.again.push_back(token);
        }
    }
}

/// How a wait looks in a recorded sequence: at once, until a deadline (a
/// timer's, or the end of the grace period), or until an event.
fn poll_label(timeout: Option<Duration>) -> &'static str {
    match timeout {
        Some(Duration::ZERO) => "poll, 0 ms",
        Some(_) => "poll until deadline",
        None => "poll, no timeout",
    }
}

/// Notes what a wait returned, if a sequence records: each event by its
/// token, or that none came. The note carries the caller's line.
#[track_caller]
fn note_events(events: &Events, timeout: Option<Duration>) {
    if !recording() {
        return;
    }
    if events.is_empty() {
        let slept = timeout.is_some_and(|t| !t.is_zero());
        note(
            OS,
            "loop",
            if slept { "timed out" } else { "nothing ready" },
        );
    }
    for event in events {
        let label = if event.token() == WAKER {
            "token 0: waker".to_string()
        } else {
            let ready = Ready::of(event).label();
            // "ready(readable)" becomes "token 1: readable".
            let what = &ready["ready(".len()..ready.len() - 1];
            format!("token {}: {what}", event.token().0)
        };
        note(OS, "loop", &label);
    }
}
