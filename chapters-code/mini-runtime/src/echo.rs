//! Version 6 of the echo server: async/await on this chapter's runtime.
//!
//! It speaks the blocking I/O chapter's protocol and passes the same conformance suite.
//! Like version 5 it runs every client on one thread without blocking; but
//! each connection is written as straight-line code, as in version 2, and
//! the compiler turns each `async fn` into the state machine that the
//! event loop chapter wrote by hand. Timeouts are `timeout(...)` around an `.await`, and
//! stopping is one more future to `select` against.

use std::io;
use std::net::{Shutdown, SocketAddr, ToSocketAddrs};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use blocking_io::Config;
use blocking_io::protocol::{End, is_bye, too_long_line};
use blocking_io::server::busy_line;

use crate::executor::spawn;
use crate::future::{Either, select};
use crate::net::{TcpListener, TcpStream};
use crate::runtime::Runtime;
use crate::shutdown::{Signal, Tracked, Tracker};
use crate::time::{sleep, timeout};

/// Bytes read per `read`.
const CHUNK: usize = 4096;
/// How long, and how much, a gentle close drains (as the blocking I/O chapter's `linger`).
const LINGER: Duration = Duration::from_secs(1);
const LINGER_REFUSED: Duration = Duration::from_millis(100);
const LINGER_BYTES: usize = 1 << 20;

/// A running server. Dropping it shuts it down and joins its thread.
pub struct Server {
    addr: SocketAddr,
    stop: Arc<Signal>,
    thread: Option<JoinHandle<io::Result<()>>>,
}

// ANCHOR: start
/// Starts version 6 on `addr`: binds, then runs a runtime on a thread of
/// its own, with the accept loop as its root future.
pub fn start(addr: impl ToSocketAddrs, config: Config) -> io::Result<Server> {
    start_with(addr, config, session)
}

/// Starts a server whose connections are served by `session` (version 6
/// passes [`session`]; the C10k chapter, a session that holds less while
/// it waits).
pub fn start_with<S, F>(
    addr: impl ToSocketAddrs,
    config: Config,
    session: S,
) -> io::Result<Server>
where
    S: Fn(TcpStream, Config, Arc<Signal>, Tracked) -> F + Send + 'static,
    F: Future<Output = ()> + Send + 'static,
{
    let listener = std::net::TcpListener::bind(addr)?;
    let addr = listener.local_addr()?;
    let stop = Arc::new(Signal::default());
    let thread = {
        let stop = Arc::clone(&stop);
        thread::Builder::new().name("v6-runtime".into()).spawn(
            move || -> io::Result<()> {
                let runtime = Runtime::new()?;
                runtime.block_on(async move {
                    let listener = TcpListener::from_std(listener)?;
                    serve(listener, config, stop, session).await;
                    Ok(())
                })
                // Dropping the runtime here drops every task still alive:
                // their sockets close.
            },
        )?
    };
    Ok(Server {
        addr,
        stop,
        thread: Some(thread),
    })
}
// ANCHOR_END: start

impl Server {
    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, ends the sessions (each echoes what it has read),
    /// gives them at most `config.grace`, and joins the runtime's thread.
    pub fn shutdown(mut self) -> io::Result<()> {
        self.stop_and_join()
    }

    fn stop_and_join(&mut self) -> io::Result<()> {
        let Some(thread) = self.thread.take() else {
            return Ok(());
        };
        // Fired from this thread: the wakes queue the tasks on the
        // runtime's thread and wake it out of `epoll_wait`.
        self.stop.fire();
        thread
            .join()
            .map_err(|_| io::Error::other("the runtime's thread panicked"))?
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
        // The suite checks behaviour; an error here is a bug it reports.
        Server::shutdown(self).expect("the runtime stops cleanly");
    }
}

// ANCHOR: serve
/// The accept loop: a task per connection, a busy line past the cap; on
/// the stop signal, no more accepting, and at most `grace` for the
/// sessions to end.
async fn serve<S, F>(
    mut listener: TcpListener,
    config: Config,
    stop: Arc<Signal>,
    session: S,
) where
    S: Fn(TcpStream, Config, Arc<Signal>, Tracked) -> F,
    F: Future<Output = ()> + Send + 'static,
{
    let sessions = Tracker::default();
    // The stop comes first in each `select`: when both are ready (a queue
    // of clients waiting to be accepted), the stop wins.
    while !stop.is_fired() {
        let stream = match select(stop.fired(), listener.accept()).await {
            Either::Left(()) => break,
            Either::Right(Ok((stream, _peer))) => stream,
            // Out of file descriptors, say: no event will come for the
            // connections still queued, so try again in a moment, or stop.
            Either::Right(Err(_)) => {
                let pause = sleep(Duration::from_millis(20));
                if let Either::Left(()) = select(stop.fired(), pause).await {
                    break;
                }
                continue;
            }
        };
        if sessions.alive() >= config.max_connections {
            spawn(refuse(stream, busy_line(config.max_connections)));
        } else {
            let tracked = sessions.track();
            spawn(session(stream, config, Arc::clone(&stop), tracked));
        }
    }
    drop(listener);
    // Sessions that do not end in time (one blocked writing to a client
    // that never reads) are dropped with the runtime.
    let _ = timeout(config.grace, sessions.all_done()).await;
}
// ANCHOR_END: serve

// ANCHOR: session
/// One client, from its first byte to its last. `_tracked` counts it
/// against the cap until it ends.
pub async fn session(
    mut stream: TcpStream,
    config: Config,
    stop: Arc<Signal>,
    _tracked: Tracked,
) {
    let _ = stream.set_nodelay(true);
    // Errors (a reset, a timeout) end this session and nothing else.
    if let Ok(End::TooLong) = echo_lines(&mut stream, &config, &stop).await {
        linger(&mut stream, LINGER).await;
    }
}

/// Echoes lines until `bye`, end of input, an over-long line, an error, or
/// the stop signal (then it echoes what it has, as if the input ended).
async fn echo_lines(
    stream: &mut TcpStream,
    config: &Config,
    stop: &Arc<Signal>,
) -> io::Result<End> {
    let mut line = Vec::new();
    let mut buf = [0u8; CHUNK];
    loop {
        // Wait for bytes: at most `timeout`, and only until the stop. The
        // stop is polled first, so a client that always has bytes ready
        // cannot keep the session from seeing it.
        let read = timeout(config.timeout, stream.read(&mut buf));
        let n = match select(stop.fired(), read).await {
            Either::Left(()) => {
                return stopped(stream, &mut line, config).await;
            }
            Either::Right(result) => result??,
        };
        if n == 0 {
            // End of input, maybe mid-line: echo what came.
            send(stream, &line, config.timeout).await?;
            return Ok(End::Eof);
        }
        if let Some(end) = take(stream, &mut line, &buf[..n], config).await? {
            return Ok(end);
        }
    }
}
// ANCHOR_END: session

// ANCHOR: take
/// Adds `bytes` to the line read so far, and echoes every line they
/// complete. `Some(end)` when the session must end (`bye`, too long).
async fn take(
    stream: &mut TcpStream,
    line: &mut Vec<u8>,
    mut bytes: &[u8],
    config: &Config,
) -> io::Result<Option<End>> {
    let max = config.max_line;
    while !bytes.is_empty() {
        let (part, complete) = match bytes.iter().position(|&b| b == b'\n') {
            Some(i) => (&bytes[..=i], true),
            None => (bytes, false),
        };
        bytes = &bytes[part.len()..];
        // A line may be `max` bytes, its `\n` included; one byte more
        // without a `\n` is too long, however it goes on.
        let len = line.len() + part.len();
        if len > max || (!complete && len == max) {
            send(stream, &too_long_line(max), config.timeout).await?;
            return Ok(Some(End::TooLong));
        }
        line.extend_from_slice(part);
        if complete {
            send(stream, line, config.timeout).await?;
            if is_bye(line) {
                // What follows `bye` is dropped, as in the blocking I/O chapter.
                return Ok(Some(End::Bye));
            }
            line.clear();
        }
    }
    Ok(None)
}

/// Writes `bytes`; each `write` may wait at most `patience`, so a client
/// that never reads is dropped once nothing has moved for that long.
async fn send(
    stream: &mut TcpStream,
    mut bytes: &[u8],
    patience: Duration,
) -> io::Result<()> {
    while !bytes.is_empty() {
        match timeout(patience, stream.write(bytes)).await?? {
            0 => return Err(io::ErrorKind::WriteZero.into()),
            n => bytes = &bytes[n..],
        }
    }
    Ok(())
}
// ANCHOR_END: take

/// The stop signal came while waiting for bytes: take what the client has
/// sent already, echo it (a part line too), and end.
async fn stopped(
    stream: &mut TcpStream,
    line: &mut Vec<u8>,
    config: &Config,
) -> io::Result<End> {
    let mut buf = [0u8; CHUNK];
    loop {
        match stream.try_read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                if let Some(end) = take(stream, line, &buf[..n], config).await?
                {
                    return Ok(end);
                }
            }
            // `WouldBlock` (nothing more) or an error: stop reading.
            Err(_) => break,
        }
    }
    send(stream, line, config.timeout).await?;
    Ok(End::Eof)
}

/// Closes gently after an error line: stop writing, then read and drop
/// what the client still sends (at most 1 MiB, for at most `patience`),
/// so that closing does not send a reset that could destroy the error
/// line before the client reads it.
async fn linger(stream: &mut TcpStream, patience: Duration) {
    let _ = stream.shutdown(Shutdown::Write);
    let drain = async {
        let mut sink = [0u8; CHUNK];
        let mut left = LINGER_BYTES;
        while left > 0 {
            match stream.read(&mut sink).await {
                Ok(0) | Err(_) => break,
                Ok(n) => left = left.saturating_sub(n),
            }
        }
    };
    let _ = timeout(patience, drain).await;
}

/// Tells a client over the cap that the server is busy, without waiting
/// long for it.
async fn refuse(mut stream: TcpStream, line: Vec<u8>) {
    let wrote = timeout(LINGER_REFUSED, stream.write_all(&line)).await;
    if matches!(wrote, Ok(Ok(()))) {
        linger(&mut stream, LINGER_REFUSED).await;
    }
}
