//! Version 4 of the echo server: one thread, every socket non-blocking, and
//! a loop that visits each of them in turn.
//!
//! Each round of the loop accepts every connection waiting in the backlog, then
//! gives every client a turn: write what it is owed, read what it has sent,
//! echo the lines that are complete. No call ever waits: a socket with nothing
//! to give answers `WouldBlock` and the loop moves on. When a whole round found
//! nothing to do, the thread sleeps a little ([`Options::idle_sleep`]) so as
//! not to burn a core asking again at once. It speaks the same protocol as the
//! blocking I/O chapter's servers and passes the same conformance suite.
//!
//! It is deliberately naive: it asks every socket, every round, so that
//! what this costs can be measured. The next chapter asks the kernel which
//! sockets are ready instead.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use blocking_io::Config;
use blocking_io::conformance::EchoServer;
use blocking_io::server::{Reports, busy_line, out_of_line};

mod closing;

use closing::Linger;

use crate::session::Session;

/// How the polling loop behaves when a round finds nothing to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// How long to sleep after a round in which no socket had anything to
    /// give or take. Zero means never sleep: a busy loop.
    pub idle_sleep: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            idle_sleep: Duration::from_millis(1),
        }
    }
}

/// How many bytes one `read` may bring in. A session never holds more than
/// `max_line` plus this much.
pub const CHUNK: usize = 4096;
/// How many read-and-echo steps one client gets per round, so that a fast
/// client cannot starve the others.
pub const TURNS: usize = 4;
/// How many connections one round accepts at most, so that a flood of
/// connections cannot starve the clients already in.
const ACCEPTS_PER_ROUND: usize = 16;
/// How many refused clients may linger at once (they are not counted
/// against the cap), so that a flood of connections cannot use up file
/// descriptors. Past this, the loop stops accepting until one of them is
/// done: the clients wait in the kernel's queue and are told in turn.
const MAX_REFUSED: usize = 16;
/// How long to stop accepting after `accept` failed (out of file
/// descriptors, say): the connection waits in the kernel's backlog.
const BACK_OFF: Duration = Duration::from_millis(20);

/// A running polling server. Dropping it stops it and joins its thread.
#[derive(Debug)]
pub struct PollingServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicUsize>,
    thread: Option<JoinHandle<()>>,
}

/// Starts version 4 on `addr` (port 0 picks a free port), sleeping
/// [`Options::default`]'s 1 ms after an idle round.
pub fn start(
    addr: impl ToSocketAddrs,
    config: Config,
) -> io::Result<PollingServer> {
    start_with(addr, config, Options::default())
}

/// Starts version 4 with the given options.
pub fn start_with(
    addr: impl ToSocketAddrs,
    config: Config,
    options: Options,
) -> io::Result<PollingServer> {
    let listener = TcpListener::bind(addr)?;
    // Non-blocking: `accept` with no client waiting answers WouldBlock.
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let stop = Arc::new(AtomicBool::new(false));
    let peak = Arc::new(AtomicUsize::new(0));
    let flag = Arc::clone(&stop);
    let mut server = Loop {
        listener: Some(listener),
        config,
        options,
        clients: Vec::new(),
        scratch: vec![0; CHUNK],
        reports: Reports::default(),
        accept_after: Instant::now(),
        peak: Arc::clone(&peak),
    };
    let thread = thread::Builder::new()
        .name("polling loop".into())
        .spawn(move || server.run(&flag))?;
    Ok(PollingServer {
        addr,
        stop,
        peak,
        thread: Some(thread),
    })
}

impl PollingServer {
    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The most bytes one session has held so far (half a line plus the
    /// echoes not yet written): at most `max_line` plus [`CHUNK`].
    pub fn peak_buffered(&self) -> usize {
        self.peak.load(Ordering::Relaxed)
    }

    /// Stops accepting, echoes what the sessions have read, closes them
    /// (waiting at most `config.grace` for clients that do not read) and
    /// joins the loop's thread.
    pub fn shutdown(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            // A panic in the loop is a bug, and was already printed.
            let _ = thread.join();
        }
    }
}

impl Drop for PollingServer {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

impl EchoServer for PollingServer {
    fn local_addr(&self) -> SocketAddr {
        PollingServer::local_addr(self)
    }
    fn shutdown(self) {
        PollingServer::shutdown(self);
    }
}

/// One connected client: its socket, its session, and the clock of its
/// timeout.
struct Client {
    stream: TcpStream,
    session: Session,
    /// The last time a read or a write moved a byte.
    last_progress: Instant,
    /// Set once the error line is sent: drain input until then, then close.
    linger: Option<Linger>,
    /// Counted against the cap (a refused client is not).
    counted: bool,
    closed: bool,
    /// The most bytes its session has held.
    peak: usize,
}

/// The loop's state: everything lives on its one thread.
struct Loop {
    /// `None` once the server stops listening.
    listener: Option<TcpListener>,
    config: Config,
    options: Options,
    clients: Vec<Client>,
    /// The one buffer every `read` goes into, whoever the client.
    scratch: Vec<u8>,
    /// Resource errors, printed at most once a second.
    reports: Reports,
    /// After an `accept` error, no `accept` before this.
    accept_after: Instant,
    /// Shared with [`PollingServer::peak_buffered`].
    peak: Arc<AtomicUsize>,
}

impl Loop {
    // ANCHOR: run
    fn run(&mut self, stop: &AtomicBool) {
        while !stop.load(Ordering::SeqCst) {
            let now = Instant::now();
            let mut busy = self.accept_all(now);
            for client in &mut self.clients {
                busy |= client.turn(&mut self.scratch, &self.config, now);
            }
            // Forget the clients whose sessions ended (their sockets close).
            self.tidy();
            if !busy && !self.options.idle_sleep.is_zero() {
                // Nobody had anything for us: rest before asking again.
                thread::sleep(self.options.idle_sleep);
            }
        }
        self.finish();
    }
    // ANCHOR_END: run

    /// Accepts the connections waiting in the backlog, at most
    /// `ACCEPTS_PER_ROUND` of them. Returns whether there was one.
    fn accept_all(&mut self, now: Instant) -> bool {
        if now < self.accept_after {
            // Backing off after an error: the backlog keeps them waiting.
            return false;
        }
        let mut any = false;
        for _ in 0..ACCEPTS_PER_ROUND {
            let Some(listener) = &self.listener else {
                break;
            };
            if !self.can_answer() {
                // Neither a slot nor room to refuse: the next client
                // waits in the backlog until a session or a refusal ends.
                break;
            }
            match listener.accept() {
                Ok((stream, _peer)) => {
                    any = true;
                    self.admit(stream, now);
                }
                // The backlog is empty: nobody else is waiting.
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                // Out of file descriptors, say: not fatal. Say so (at most
                // once a second) and stop accepting for a while.
                Err(e) => {
                    self.back_off("accept", &e, now);
                    break;
                }
            }
        }
        any
    }

    /// As the blocking servers do: report a resource error on stderr, at most
    /// once a second, and wait a little before the next `accept`.
    fn back_off(&mut self, what: &str, error: &io::Error, now: Instant) {
        self.reports.report(what, error);
        self.accept_after = now + BACK_OFF;
    }

    /// Makes a client of a new connection: a session, or past the cap the
    /// busy line, as the blocking servers answer.
    fn admit(&mut self, stream: TcpStream, now: Instant) {
        // A socket accepted from a non-blocking listener may or may not
        // inherit the flag, depending on the system: set it.
        if let Err(e) = stream.set_nonblocking(true) {
            // The socket is unusable here: refuse it, as the blocking servers
            // refuse a connection it cannot register. A fresh socket's send
            // buffer is empty, so this short write does not wait.
            let _ = (&stream).write(&out_of_line("resources"));
            self.back_off("setting up a connection", &e, now);
            return;
        }
        // Send each echo at once, rather than hold small writes back to
        // merge them (Nagle's algorithm). Failing only costs latency.
        let _ = stream.set_nodelay(true);
        let open = self.open();
        let counted = open < self.config.max_connections;
        let session = if counted {
            Session::new(self.config.max_line)
        } else {
            // `accept_all` admits a client over the cap only while fewer
            // than `MAX_REFUSED` refused ones linger.
            Session::refused(busy_line(self.config.max_connections))
        };
        self.clients.push(Client {
            stream,
            session,
            last_progress: now,
            linger: None,
            counted,
            closed: false,
            peak: 0,
        });
    }

    /// The clients counted against the cap.
    fn open(&self) -> usize {
        self.clients.iter().filter(|c| c.counted).count()
    }

    /// Whether a client accepted now could be served, or told it is
    /// refused without going over `MAX_REFUSED`.
    fn can_answer(&self) -> bool {
        let open = self.open();
        open < self.config.max_connections
            || self.clients.len() - open < MAX_REFUSED
    }

    /// Notes the most any session has held, and forgets the clients whose
    /// sessions ended (dropping a client closes its socket).
    fn tidy(&mut self) {
        let peak = self.clients.iter().map(|c| c.peak).max().unwrap_or(0);
        self.peak.fetch_max(peak, Ordering::Relaxed);
        self.clients.retain(|c| !c.closed);
    }

    /// Shutting down: stop listening; echo what each client has sent,
    /// including the lines already waiting in the kernel's buffer and the
    /// half line, as if it had closed; send FIN and drain briefly, so that
    /// closing does not send a reset that destroys the echoes; and close
    /// every socket, all within `config.grace`.
    fn finish(&mut self) {
        // Dropping the listener closes it: new connections are refused.
        self.listener = None;
        let deadline = Instant::now() + self.config.grace;
        for client in &mut self.clients {
            if let Some(linger) = &mut client.linger {
                // Already draining: not past the grace.
                linger.deadline = linger.deadline.min(deadline);
            }
        }
        while !self.clients.is_empty() && Instant::now() < deadline {
            let now = Instant::now();
            let mut busy = false;
            for client in &mut self.clients {
                busy |= client.wind_down(&mut self.scratch, now, deadline);
            }
            self.tidy();
            if !busy {
                thread::sleep(Duration::from_millis(1));
            }
        }
        // Whoever is left has not read for `grace`: close it anyway.
        self.clients.clear();
    }
}

impl Client {
    // ANCHOR: turn
    /// One visit: write what is owed, read what came, echo complete lines,
    /// a few times over. Returns whether any byte moved.
    fn turn(
        &mut self,
        scratch: &mut [u8],
        config: &Config,
        now: Instant,
    ) -> bool {
        let mut busy = false;
        for _ in 0..TURNS {
            let wrote = self.flush(now);
            let read = if self.linger.is_some() {
                self.drain(scratch, now)
            } else if self.session.wants_input() {
                self.read(scratch, now)
            } else {
                false
            };
            busy |= wrote || read;
            if self.closed || !(wrote || read) {
                break;
            }
        }
        if !self.closed && self.session.pending().is_empty() {
            self.after_flush(now);
        }
        // No byte in or out for `timeout`: a silent client, or one that
        // does not read its echoes. Either way, it goes.
        if now.duration_since(self.last_progress) > config.timeout {
            self.closed = true;
        }
        busy
    }
    // ANCHOR_END: turn

    // ANCHOR: io
    /// Writes as much of the pending echoes as the socket takes now.
    fn flush(&mut self, now: Instant) -> bool {
        let mut any = false;
        while !self.closed && !self.session.pending().is_empty() {
            match self.stream.write(self.session.pending()) {
                // Zero bytes taken from a non-empty buffer: the socket can
                // take no more, ever. Treat it as a broken connection.
                Ok(0) => self.closed = true,
                Ok(n) => {
                    // Maybe fewer bytes than asked: the rest stay pending.
                    self.session.wrote(n);
                    self.last_progress = now;
                    any = true;
                }
                // The send buffer is full: try again next round.
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                // Reset, broken pipe: this session is over.
                Err(_) => self.closed = true,
            }
        }
        any
    }

    /// One `read`: its bytes go to the session. Returns whether any came.
    fn read(&mut self, scratch: &mut [u8], now: Instant) -> bool {
        match self.stream.read(scratch) {
            Ok(0) => {
                self.session.end_of_input();
                self.last_progress = now;
                true
            }
            Ok(n) => {
                self.session.received(&scratch[..n]);
                self.peak = self.peak.max(self.session.buffered());
                self.last_progress = now;
                true
            }
            // Nothing has arrived: the usual answer, by far.
            Err(e) if e.kind() == ErrorKind::WouldBlock => false,
            Err(e) if e.kind() == ErrorKind::Interrupted => false,
            Err(_) => {
                self.closed = true;
                false
            }
        }
    }
    // ANCHOR_END: io
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn after_shutdown_the_server_no_longer_listens() {
        let server = start("127.0.0.1:0", Config::default()).unwrap();
        let addr = server.local_addr();
        server.shutdown();
        assert!(TcpStream::connect(addr).is_err());
    }

    /// Lines sent just before the shutdown, still in the kernel's buffer
    /// when the loop stops, are echoed, and so is the half line after them.
    #[test]
    fn shutdown_echoes_what_was_already_sent() {
        let server = start("127.0.0.1:0", Config::default()).unwrap();
        let mut client = TcpStream::connect(server.local_addr()).unwrap();
        client
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        // A first echo proves the server has accepted this client.
        client.write_all(b"in\n").unwrap();
        client.read_exact(&mut [0; 3]).unwrap();
        client.write_all(b"one\ntwo\nhalf a li").unwrap();
        server.shutdown();
        let mut back = Vec::new();
        client.read_to_end(&mut back).unwrap();
        assert_eq!(back, b"one\ntwo\nhalf a li");
    }
}
