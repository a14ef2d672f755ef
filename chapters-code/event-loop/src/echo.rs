//! Version 5 of the echo server: one thread, one event loop, every client.
//!
//! It speaks the blocking I/O chapter's protocol and passes the same
//! conformance suite. There is no blocking call anywhere: each connection is a
//! [`Session`], a state machine the loop calls when its socket is ready, and
//! everything a blocking server kept on a thread's stack (the line read so far,
//! the bytes not yet sent, where in the session we are) lives in its fields.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, ToSocketAddrs};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::Instant;

use blocking_io::Config;
use blocking_io::server::busy_line;
use mio::net::TcpStream;
use mio::{Interest, Poll, Waker};

mod acceptor;
mod closing;
mod lines;
mod stats;

use acceptor::{Acceptor, Shared};
use closing::Linger;
use nonblocking_io::session::{Session as Protocol, State};
pub use stats::EchoStats;
use stats::bump;

use crate::event_loop::{
    Cx, EventLoop, Handler, LoopStats, Next, Ready, WAKER,
};

/// A hook called with every complete line before it is echoed, on the
/// loop's thread (the cells use it to make a handler slow).
pub type LineHook = Arc<dyn Fn(&[u8]) + Send + Sync>;

/// One call of a session's handler that read something: which connection,
/// and how many bytes it read in that call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Turn {
    /// The connection's token.
    pub conn: usize,
    /// Bytes read in this call.
    pub bytes: usize,
}

/// Settings of the event loop itself (the blocking servers' [`Config`] holds
/// the protocol's).
#[derive(Clone)]
pub struct Options {
    /// The budget per call: at most this many bytes read per connection per
    /// call (the acceptor has its own limit, [`ACCEPTS_PER_CALL`]).
    pub budget: usize,
    /// A connection stops reading while it owes its client this many bytes
    /// (the client reads too slowly): memory stays bounded.
    pub max_owed: usize,
    /// Called with each line before it is echoed.
    pub on_line: Option<LineHook>,
    /// Receives a [`Turn`] for each call that read bytes.
    pub trace: Option<mpsc::Sender<Turn>>,
    /// Asks the kernel for send buffers of this size (Linux and macOS), so
    /// that a slow client fills them sooner: the cells use it to make
    /// partial writes frequent.
    pub send_buffer: Option<usize>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            budget: 16 * 1024,
            max_owed: 64 * 1024,
            on_line: None,
            trace: None,
            send_buffer: None,
        }
    }
}

/// A running server. Dropping it shuts it down and joins its thread.
pub struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    waker: Arc<Waker>,
    thread: Option<JoinHandle<io::Result<()>>>,
    stats: Arc<EchoStats>,
    loop_stats: Arc<LoopStats>,
}

/// Starts version 5 on `addr` with the default [`Options`].
pub fn start(addr: impl ToSocketAddrs, config: Config) -> io::Result<Server> {
    start_with(addr, config, Options::default())
}

// ANCHOR: start
/// Starts version 5 on `addr`: binds, then runs the loop on a thread of
/// its own.
pub fn start_with(
    addr: impl ToSocketAddrs,
    config: Config,
    options: Options,
) -> io::Result<Server> {
    let listener = std::net::TcpListener::bind(addr)?;
    let addr = listener.local_addr()?;
    listener.set_nonblocking(true)?;
    let poll = Poll::new()?;
    // The only way into a thread sleeping in `poll`: an event of its own.
    let waker = Arc::new(Waker::new(poll.registry(), WAKER)?);
    let stop = Arc::new(AtomicBool::new(false));
    let stats = Arc::new(EchoStats::default());
    let loop_stats = Arc::new(LoopStats::default());
    let thread = {
        let (stop, stats, loop_stats) = (
            Arc::clone(&stop),
            Arc::clone(&stats),
            Arc::clone(&loop_stats),
        );
        thread::Builder::new()
            .name("v5-loop".into())
            .spawn(move || {
                let mut event_loop =
                    EventLoop::new(poll, options.budget, loop_stats);
                let grace = config.grace;
                event_loop.add(|registry, token| {
                    Acceptor::boxed(
                        listener, registry, token, config, options, stats,
                    )
                })?;
                event_loop.run(&stop, grace)
            })?
    };
    Ok(Server {
        addr,
        stop,
        waker,
        thread: Some(thread),
        stats,
        loop_stats,
    })
}
// ANCHOR_END: start

impl Server {
    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// What the server has counted so far.
    pub fn stats(&self) -> &EchoStats {
        &self.stats
    }

    /// What the loop has counted so far.
    pub fn loop_stats(&self) -> &LoopStats {
        &self.loop_stats
    }

    /// Stops accepting, echoes what each session has read, closes them
    /// (giving each at most `config.grace`) and joins the loop's thread.
    pub fn shutdown(mut self) -> io::Result<()> {
        self.stop_and_join()
    }

    fn stop_and_join(&mut self) -> io::Result<()> {
        let Some(thread) = self.thread.take() else {
            return Ok(());
        };
        self.stop.store(true, Ordering::SeqCst);
        // If waking fails the loop still sees the flag at its next event.
        let _ = self.waker.wake();
        thread
            .join()
            .map_err(|_| io::Error::other("the event loop panicked"))?
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.stop_and_join();
    }
}

impl blocking_io::conformance::EchoServer for Server {
    fn local_addr(&self) -> SocketAddr {
        self.addr
    }
    fn shutdown(self) {
        // The suite checks behaviour; an error here would be a bug it
        // reports through a failing case.
        Server::shutdown(self).expect("the event loop stops cleanly");
    }
}

// ANCHOR: session
/// One connection: what a blocking server kept on a thread's stack, kept
/// here between calls. The protocol's buffers, and around them what the
/// loop must remember: readiness, registration, timer, a gentle close.
struct Session {
    stream: TcpStream,
    /// The line read so far, the echoes owed, and where the session is in
    /// the protocol: the socket-free session version 4 uses too.
    protocol: Protocol,
    /// Set once an error line is sent and writing is shut down: a gentle
    /// close, reading and dropping what the client still sends.
    linger: Option<Linger>,
    /// What the last events and calls said: edge-triggered readiness means
    /// we must remember it until a read or write says `WouldBlock`.
    can_read: bool,
    can_write: bool,
    /// An event said the client closed its side (or the socket failed):
    /// no further edge will come, so a short read does not end reading.
    read_closed: bool,
    /// Whether WRITABLE is in the registered interest.
    writable_registered: bool,
    /// The last time a byte moved either way: the idle timeout counts from
    /// here.
    last_progress: Instant,
    /// Counts against the connection cap (refused sessions do not).
    counted: bool,
    /// Whether the idle timer is set (at the first call).
    timer_set: bool,
    /// The loop is stopping: read what has arrived, then end the session
    /// as if the client had closed.
    stopping: bool,
    shared: Rc<Shared>,
}
// ANCHOR_END: session

/// Bytes read per `read` call.
const CHUNK: usize = 4096;

// ANCHOR: short_read
/// Whether a short read may end reading until the next event.
///
/// mio promises only this: after an event, read until `WouldBlock`, and a
/// new event will come when new bytes arrive. Skipping the read that would
/// say `WouldBlock` relies on more: that a read shorter than asked for
/// found the kernel's receive buffer empty, *and* that the poller under mio
/// reports the next byte as a new edge. That holds where mio drives epoll
/// (Linux, Android) or kqueue (macOS, the BSDs) in edge-triggered mode. It
/// is not promised on Windows, nor where mio falls back to `poll(2)`, so
/// there the session drains as mio asks. The list is tokio's (its
/// `poll_evented.rs`, tokio issue 5866), switch included: mio's
/// `mio_unsupported_force_poll_poll` cfg makes it use `poll(2)` anywhere.
#[allow(unexpected_cfgs)] // mio's cfg, set with RUSTFLAGS, not ours
pub const SHORT_READ_ENDS_READING: bool = cfg!(all(
    not(mio_unsupported_force_poll_poll),
    any(
        // epoll
        target_os = "android",
        target_os = "illumos",
        target_os = "linux",
        target_os = "redox",
        // kqueue
        target_os = "dragonfly",
        target_os = "freebsd",
        target_os = "ios",
        target_os = "macos",
        target_os = "netbsd",
        target_os = "openbsd",
        target_os = "tvos",
        target_os = "visionos",
        target_os = "watchos",
    )
));
// ANCHOR_END: short_read
/// Connections the acceptor takes per call, before it lets the loop serve
/// the others (its own small budget: accepting is more than a byte's work).
pub const ACCEPTS_PER_CALL: usize = 16;

impl Session {
    fn new(stream: TcpStream, shared: Rc<Shared>, now: Instant) -> Session {
        shared.open.set(shared.open.get() + 1);
        Session {
            stream,
            protocol: Protocol::new(shared.config.max_line),
            linger: None,
            can_read: false,
            // A new socket's send buffer is empty; the first write tells.
            can_write: true,
            read_closed: false,
            writable_registered: false,
            last_progress: now,
            counted: true,
            timer_set: false,
            stopping: false,
            shared,
        }
    }

    /// A session that only sends the busy line, then closes gently.
    fn refused(stream: TcpStream, shared: Rc<Shared>, now: Instant) -> Self {
        let mut session = Session::new(stream, shared, now);
        session.uncount();
        let busy = busy_line(session.shared.config.max_connections);
        session.protocol = Protocol::refused(busy);
        session
    }

    fn uncount(&mut self) {
        if self.counted {
            self.counted = false;
            self.shared.open.set(self.shared.open.get() - 1);
        }
    }

    fn owed(&self) -> usize {
        self.protocol.pending().len()
    }

    /// When the session's timer should fire: idle timeout, or the end of
    /// a gentle close.
    fn next_deadline(&self) -> Instant {
        let idle = self.last_progress + self.shared.config.timeout;
        match &self.linger {
            Some(linger) => linger.until.min(idle),
            None => idle,
        }
    }

    // ANCHOR: drive
    /// Does what can be done now without blocking: send what is owed, read
    /// (at most a budget), echo complete lines; then says what next.
    fn drive(&mut self, cx: &mut Cx<'_>) -> Next {
        if !self.timer_set {
            self.timer_set = true;
            cx.set_timer(self.next_deadline());
        }
        let mut budget = cx.budget();
        let next = loop {
            let mut progress = false;
            // 1. Send what is owed, as far as the socket takes it.
            while self.owed() > 0 && self.can_write {
                match self.stream.write(self.protocol.pending()) {
                    Ok(0) => return Next::Close,
                    Ok(n) => {
                        if n < self.owed() {
                            bump(&self.shared.stats.partial_writes);
                        }
                        self.protocol.wrote(n);
                        progress = true;
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                        // Our send buffer is full, because the client's
                        // receive window is: wait for WRITABLE.
                        self.can_write = false;
                        bump(&self.shared.stats.write_would_block);
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(_) => return Next::Close,
                }
            }
            // 2. Read, if there may be something and there is room; or
            // drain, if closing gently.
            let room = self.owed() < self.shared.options.max_owed;
            match self.protocol.state() {
                _ if self.linger.is_some() => {
                    match self.drain(cx.now(), &mut budget) {
                        Some(next) => break next,
                        None => progress = true,
                    }
                }
                State::Open if self.can_read && room && budget > 0 => {
                    let mut chunk = [0u8; CHUNK];
                    let want = CHUNK.min(budget);
                    match self.stream.read(&mut chunk[..want]) {
                        Ok(0) => {
                            self.end_of_input();
                            progress = true;
                        }
                        Ok(n) => {
                            budget -= n;
                            self.take_bytes(&chunk[..n]);
                            progress = true;
                            // Fewer bytes than asked for: the kernel's
                            // receive buffer is empty now. Under epoll
                            // and kqueue, bytes arriving later raise a
                            // new edge, so another read would only say
                            // `WouldBlock`: skip it (as tokio does),
                            // unless no edge will come (the client has
                            // closed). Elsewhere, drain as mio asks.
                            if SHORT_READ_ENDS_READING
                                && n < want
                                && !self.read_closed
                            {
                                self.can_read = false;
                                bump(&self.shared.stats.short_reads);
                            }
                        }
                        Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                            self.can_read = false;
                            bump(&self.shared.stats.read_would_block);
                        }
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        // A reset: this session ends, nothing else does.
                        Err(_) => return Next::Close,
                    }
                }
                // `bye` or end of input, everything sent: close.
                State::Done if self.owed() == 0 => break Next::Close,
                // The error line sent: close gently.
                State::Refused if self.owed() == 0 => {
                    self.start_lingering(cx);
                    progress = true;
                }
                _ => {}
            }
            if self.stopping
                && self.protocol.state() == State::Open
                && !(self.can_read && room)
            {
                // Stopping, and everything that had arrived is read (or
                // there is no room for more): end as if the client closed.
                self.end_of_input();
                progress = true;
            }
            if progress {
                self.last_progress = cx.now();
            } else {
                // Nothing moved: wait for an event, unless the budget
                // ran out while more may be waiting.
                let more = self.protocol.state() == State::Open
                    && self.can_read
                    && self.owed() < self.shared.options.max_owed;
                break if more { Next::Again } else { Next::Wait };
            }
        };
        // Every byte read in this call, echoed or dropped, came out of
        // the budget.
        self.report(cx, cx.budget() - budget);
        if next != Next::Close && self.update_interest(cx).is_err() {
            return Next::Close;
        }
        next
    }
    // ANCHOR_END: drive

    // ANCHOR: interest
    /// Asks for WRITABLE only while bytes are owed: a socket with room in
    /// its send buffer is writable nearly all the time, and an interest in
    /// it would wake the loop for nothing.
    fn update_interest(&mut self, cx: &mut Cx<'_>) -> io::Result<()> {
        let want_write = self.owed() > 0 && !self.can_write;
        if want_write == self.writable_registered {
            return Ok(());
        }
        let interest = if want_write {
            bump(&self.shared.stats.writable_on);
            Interest::READABLE | Interest::WRITABLE
        } else {
            bump(&self.shared.stats.writable_off);
            Interest::READABLE
        };
        cx.registry()
            .reregister(&mut self.stream, cx.token(), interest)?;
        self.writable_registered = want_write;
        Ok(())
    }
    // ANCHOR_END: interest

    /// Tells the trace, if any, how much this call read.
    fn report(&self, cx: &Cx<'_>, bytes: usize) {
        if let (Some(trace), true) = (&self.shared.options.trace, bytes > 0) {
            let _ = trace.send(Turn {
                conn: cx.token().0,
                bytes,
            });
        }
    }
}

impl Handler for Session {
    fn ready(&mut self, cx: &mut Cx<'_>, ready: Ready) -> Next {
        self.can_read |= ready.readable;
        self.can_write |= ready.writable;
        self.read_closed |= ready.closed;
        self.drive(cx)
    }

    // ANCHOR: timeout
    fn timeout(&mut self, cx: &mut Cx<'_>) -> Next {
        // The timer was set when the session started and is moved only
        // here: progress just moves `last_progress`, and a timer that
        // fires early sets itself again for the real deadline.
        let deadline = self.next_deadline();
        if cx.now() < deadline {
            cx.set_timer(deadline);
            return Next::Wait;
        }
        if self.linger.is_none() {
            bump(&self.shared.stats.timed_out);
        }
        Next::Close
    }
    // ANCHOR_END: timeout

    fn stop(&mut self, cx: &mut Cx<'_>) -> Next {
        // Take what the client has sent so far (under the budget, over as
        // many turns as it takes), then end the session as if it had
        // closed: echo everything, then close. `drive` does both.
        self.stopping = true;
        self.can_read = true;
        self.drive(cx)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.uncount();
    }
}
