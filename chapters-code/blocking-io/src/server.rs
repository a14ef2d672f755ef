//! What the three servers share: their settings, the handle that stops them,
//! and the code that serves one connection over a TCP socket.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::protocol::{self, End};

/// A server's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// The longest line accepted, its `\n` included.
    pub max_line: usize,
    /// How long a read or a write may block before the connection is closed:
    /// a silent client, or one that never reads, cannot hold a thread
    /// forever.
    pub timeout: Duration,
    /// How many connections may be open at once; more are refused with an
    /// error line (thread per connection and pool; the single-threaded
    /// server leaves the extra ones waiting in the kernel's queue).
    pub max_connections: usize,
    /// Worker threads of the pool.
    pub workers: usize,
    /// How long shutting down waits for the sessions in flight to finish
    /// their lines before it closes their sockets outright: a client that
    /// never reads would otherwise hold the server up until the write
    /// timeout.
    pub grace: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_line: 1024,
            timeout: Duration::from_secs(30),
            max_connections: 64,
            workers: 4,
            grace: Duration::from_secs(2),
        }
    }
}

/// The line a refused client gets.
pub fn busy_line(max_connections: usize) -> Vec<u8> {
    format!("error: server busy ({max_connections} connections), try later\n")
        .into_bytes()
}

/// The line a client gets when the server cannot take it for want of a
/// resource (`"threads"`, `"file descriptors"`): an error, not a crash.
pub fn out_of_line(what: &str) -> Vec<u8> {
    format!("error: server out of {what}, try later\n").into_bytes()
}

// ANCHOR: registry
/// The open connections, so that shutting down can end their reads.
#[derive(Debug, Default)]
pub(crate) struct Connections {
    next: AtomicU64,
    open: Mutex<HashMap<u64, TcpStream>>,
}

impl Connections {
    /// Remembers a connection; forgets it when the returned guard drops.
    pub(crate) fn register(
        self: &Arc<Self>,
        stream: &TcpStream,
    ) -> io::Result<Registered> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let clone = stream.try_clone()?;
        lock(&self.open).insert(id, clone);
        Ok(Registered {
            id,
            connections: Arc::clone(self),
        })
    }

    /// Ends the reading side of every open connection: each one's blocked
    /// `read` returns end of input, its session echoes what it has and ends.
    fn end_reads(&self) {
        for stream in lock(&self.open).values() {
            let _ = stream.shutdown(Shutdown::Read);
        }
    }

    /// Closes both directions of every open connection: a `write` blocked
    /// on a client that never reads fails at once.
    fn end_all(&self) {
        for stream in lock(&self.open).values() {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}
// ANCHOR_END: registry

/// Counts a connection as open (queued or served) until dropped: the
/// counter a connection cap is checked against.
pub(crate) struct Slot(pub(crate) Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Removes its connection from [`Connections`] when dropped.
pub(crate) struct Registered {
    id: u64,
    connections: Arc<Connections>,
}

impl Drop for Registered {
    fn drop(&mut self) {
        lock(&self.connections.open).remove(&self.id);
    }
}

/// The registry's lock guards a map that is valid after any panic.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

// ANCHOR: serve
/// Serves one client until its session ends, with timeouts on every read
/// and write. Errors (a reset, a timeout) end this session only.
pub fn serve_client(stream: TcpStream, config: &Config) -> io::Result<End> {
    stream.set_read_timeout(Some(config.timeout))?;
    stream.set_write_timeout(Some(config.timeout))?;
    stream.set_nodelay(true)?;
    let end = protocol::echo_lines(&stream, &stream, config.max_line)?;
    if end == End::TooLong {
        linger(&stream, Duration::from_secs(1));
    }
    Ok(end)
}
// ANCHOR_END: serve

/// Closes gently after an error line: closing a socket with unread input
/// makes the kernel send a reset, which can destroy the error line before
/// the client reads it. So stop writing, then read and drop what is left (at
/// most 1 MiB, for at most `patience` in all) before closing.
fn linger(stream: &TcpStream, patience: Duration) {
    let _ = stream.shutdown(Shutdown::Write);
    let deadline = Instant::now() + patience;
    let mut sink = [0u8; 4096];
    let mut left: usize = 1 << 20;
    while left > 0 {
        // The whole drain has one deadline: a client trickling a byte at a
        // time cannot stretch it.
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero()
            || stream.set_read_timeout(Some(remaining)).is_err()
        {
            break;
        }
        match (&*stream).read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
}

/// Tells a client it is refused, with `line`, without waiting long for it.
pub(crate) fn refuse(stream: TcpStream, line: &[u8]) {
    // This runs on the accept thread: everything here is kept short.
    let _ = stream.set_write_timeout(Some(Duration::from_millis(100)));
    let _ = (&stream).write_all(line);
    linger(&stream, Duration::from_millis(100));
}

/// Stops a running server from any thread.
#[derive(Debug, Clone)]
pub struct ShutdownHandle {
    stopping: Arc<AtomicBool>,
    addr: SocketAddr,
    connections: Arc<Connections>,
}

impl ShutdownHandle {
    // ANCHOR: shutdown_handle
    /// Asks the server to stop: sets the flag, ends the reads of the
    /// sessions in flight (each echoes what it has, then closes), then
    /// wakes the accept loop, which may be blocked in `accept`, with a
    /// connection of our own.
    pub fn shutdown(&self) {
        if !self.stopping.swap(true, Ordering::SeqCst) {
            self.connections.end_reads();
            let _ =
                TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        }
    }
    // ANCHOR_END: shutdown_handle

    /// Whether the server was asked to stop.
    pub fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }
}

/// A running server. Dropping it shuts it down and joins its threads.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    grace: Duration,
    handle: ShutdownHandle,
    accept_loop: Option<JoinHandle<()>>,
}

/// What an accept loop gets: the listener, the settings, the flag to check
/// after each accept and the registry of connections. It returns the
/// threads it still has to join after it stops accepting.
pub(crate) struct Context {
    pub(crate) listener: TcpListener,
    pub(crate) config: Config,
    pub(crate) stop: ShutdownHandle,
    pub(crate) connections: Arc<Connections>,
    reports: Reports,
}

impl Server {
    /// Binds `addr` (port 0 picks a free port), then runs `accept_loop` on a
    /// thread of its own named `name`.
    pub(crate) fn start(
        addr: impl ToSocketAddrs,
        config: Config,
        name: &str,
        accept_loop: impl FnOnce(Context) + Send + 'static,
    ) -> io::Result<Server> {
        let listener = TcpListener::bind(addr)?;
        let addr = listener.local_addr()?;
        let connections = Arc::new(Connections::default());
        let handle = ShutdownHandle {
            stopping: Arc::new(AtomicBool::new(false)),
            addr,
            connections: Arc::clone(&connections),
        };
        let context = Context {
            listener,
            config,
            stop: handle.clone(),
            connections: Arc::clone(&connections),
            reports: Reports::default(),
        };
        let accept_loop = thread::Builder::new()
            .name(name.to_string())
            .spawn(move || accept_loop(context))?;
        Ok(Server {
            addr,
            grace: config.grace,
            handle,
            accept_loop: Some(accept_loop),
        })
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// A handle that can stop the server from another thread.
    pub fn shutdown_handle(&self) -> ShutdownHandle {
        self.handle.clone()
    }

    /// Stops accepting, ends the sessions in flight (each echoes what it
    /// has read, then closes) and joins every thread.
    pub fn shutdown(mut self) {
        self.stop();
    }

    // ANCHOR: stop
    fn stop(&mut self) {
        self.handle.shutdown();
        // The accept loop ends the sessions it started after the handle
        // ended the others, then joins its threads. Sessions get `grace` to
        // send what they owe; after that, a session still blocked (writing
        // to a client that does not read) has its socket closed under it.
        if let Some(accept_loop) = self.accept_loop.take() {
            let deadline = Instant::now() + self.grace;
            while !accept_loop.is_finished() && Instant::now() < deadline {
                thread::sleep(Duration::from_millis(5));
            }
            if !accept_loop.is_finished() {
                self.handle.connections.end_all();
            }
            // A panic in the accept loop is a bug, and was already printed;
            // stopping goes on either way (a second panic here, during
            // unwinding, would abort the process).
            let _ = accept_loop.join();
        }
    }
    // ANCHOR_END: stop
}

impl Context {
    /// Called by an accept loop once it stops accepting: ends the reads of
    /// every open session, so the threads about to be joined finish.
    pub(crate) fn end_sessions(&self) {
        self.connections.end_reads();
    }

    // ANCHOR: accept
    /// Waits for the next client; `None` once the server is stopping. An
    /// accept error (running out of file descriptors, say) is not fatal:
    /// back off and try again.
    pub(crate) fn accept(&mut self) -> Option<TcpStream> {
        loop {
            match self.listener.accept() {
                Ok((stream, _peer)) => {
                    return (!self.stop.is_stopping()).then_some(stream);
                }
                // The connection stays in the kernel's queue meanwhile.
                Err(e) => self.back_off("accept", &e),
            }
        }
    }
    // ANCHOR_END: accept

    /// Errors such as running out of file descriptors or threads are not
    /// fatal: say so on stderr, wait a little, and let the caller try
    /// again.
    pub(crate) fn back_off(&mut self, what: &str, error: &io::Error) {
        self.reports.report(what, error);
        thread::sleep(Duration::from_millis(20));
    }

    /// Registers a connection, or refuses it if that fails (registering
    /// takes a second file descriptor, which may be the one too many).
    pub(crate) fn register_or_refuse(
        &mut self,
        stream: TcpStream,
    ) -> Option<(TcpStream, Registered)> {
        match self.connections.register(&stream) {
            Ok(registered) => Some((stream, registered)),
            Err(e) => {
                refuse(stream, &out_of_line("file descriptors"));
                self.back_off("registering a connection", &e);
                None
            }
        }
    }
}

/// Prints resource errors on stderr, at most one line a second: a server
/// out of file descriptors fails thousands of times a second, and its log
/// should not become the next problem. Every server of the book that backs
/// off reports through one of these.
#[derive(Debug, Default)]
pub struct Reports {
    last: Option<Instant>,
    unreported: u64,
}

impl Reports {
    /// Reports that `what` failed with `error`, unless a report went out
    /// less than a second ago (then it is counted for the next one).
    pub fn report(&mut self, what: &str, error: &io::Error) {
        let now = Instant::now();
        if self.last.is_some_and(|t| now - t < Duration::from_secs(1)) {
            self.unreported += 1;
            return;
        }
        let more = match self.unreported {
            0 => String::new(),
            n => format!(" ({n} more since the last report)"),
        };
        eprintln!("{what} failed: {error}; backing off{more}");
        self.last = Some(now);
        self.unreported = 0;
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}
