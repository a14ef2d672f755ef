//! Version 7: the echo server on tokio.
//!
//! The same protocol and the same promises as versions 1 to 6, written as
//! straight-line `async` code: one task per connection, each reading a line,
//! writing it back, and waiting in between. Tokio's reactor (epoll or kqueue
//! through mio, as in the event-loop chapter) wakes a task when its socket is
//! ready; the task never sees readiness, only `.await`.
//!
//! What the blocking versions did with socket options and threads is done
//! here with futures: `tokio::time::timeout` for a silent client and for a
//! client that never reads, a `Semaphore` for the cap, a
//! `CancellationToken` to stop, and a `JoinSet` to wait for the sessions.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use blocking_io::Config;
use blocking_io::protocol::{End, is_bye, too_long_line};
use blocking_io::server::busy_line;
use tokio::io::{
    AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt,
    BufReader,
};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use tokio::time::{sleep, timeout};
use tokio_util::sync::CancellationToken;

/// A running version 7: a tokio runtime on a thread of its own, serving.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    stop: CancellationToken,
    thread: Option<thread::JoinHandle<()>>,
}

/// Starts version 7 on `addr` (port 0 picks a free port).
pub fn start(addr: &str, config: Config) -> io::Result<Server> {
    start_with(multi_thread(&config)?, addr, config, buffered)
}

/// Starts version 7 on a current-thread runtime: every session on the
/// server's one thread, like the hand-built event loop (the C10k chapter
/// compares the two).
pub fn start_current_thread(addr: &str, config: Config) -> io::Result<Server> {
    start_with(current_thread()?, addr, config, buffered)
}

/// A multi-threaded runtime, as `#[tokio::main]` builds, with as many
/// worker threads as the configuration asks for.
pub fn multi_thread(config: &Config) -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(config.workers.max(1))
        .thread_name("v7-worker")
        .enable_all()
        .build()
}

/// A runtime whose tasks all run on the thread that calls `block_on`.
pub fn current_thread() -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}

/// Starts a server on `runtime`: [`serve_with`] and `session`, on a thread
/// of its own. Version 7 passes [`buffered`]; the C10k chapter passes a
/// session that holds less while it waits.
pub fn start_with<S, F>(
    runtime: tokio::runtime::Runtime,
    addr: &str,
    config: Config,
    session: S,
) -> io::Result<Server>
where
    S: Fn(TcpStream, Config, CancellationToken, OwnedSemaphorePermit) -> F
        + Send
        + 'static,
    F: Future<Output = ()> + Send + 'static,
{
    // Bind here, so that a bad address is an error of `start`.
    let listener = runtime.block_on(TcpListener::bind(addr))?;
    let addr = listener.local_addr()?;
    let stop = CancellationToken::new();
    let token = stop.clone();
    let thread =
        thread::Builder::new()
            .name("v7-main".into())
            .spawn(move || {
                runtime.block_on(serve_with(listener, config, token, session));
                // Dropping the runtime here stops its worker threads and
                // waits for them.
            })?;
    Ok(Server {
        addr,
        stop,
        thread: Some(thread),
    })
}

impl Server {
    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, ends the sessions in flight, and returns when the
    /// runtime and its threads are gone.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.stop.cancel();
        if let Some(thread) = self.thread.take() {
            // A panic on the server's thread is a bug and was printed;
            // stopping goes on either way.
            let _ = thread.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

impl blocking_io::conformance::EchoServer for Server {
    fn local_addr(&self) -> SocketAddr {
        Server::local_addr(self)
    }
    fn shutdown(self) {
        Server::shutdown(self);
    }
}

// ANCHOR: serve
/// How many refused clients may be told "busy" at the same time: a flood
/// of refusals must not hold a descriptor each for their 200 ms. Past
/// that, the loop stops accepting until one of them is done; the clients
/// wait in the kernel's queue and are told in turn.
pub const REFUSALS: usize = 8;

/// The accept loop: a task per connection, at most `max_connections` of
/// them, until `stop` is cancelled; then `grace` for the sessions to end,
/// and after it, every session still running is aborted. Returns how many
/// tasks were still in the set when the stop came: finished ones are
/// collected as they end, so that is only the ones still running.
pub async fn serve(
    listener: TcpListener,
    config: Config,
    stop: CancellationToken,
) -> usize {
    serve_with(listener, config, stop, buffered).await
}

/// A connection's task in version 7: [`session`], then the slot is free.
pub async fn buffered(
    stream: TcpStream,
    config: Config,
    stop: CancellationToken,
    slot: OwnedSemaphorePermit,
) {
    let _ = session(stream, &config, &stop).await;
    drop(slot);
}

/// [`serve`], with each connection's task made by `session` from the
/// stream, the settings, the stop and the connection's slot (which the
/// task holds until it ends).
pub async fn serve_with<S, F>(
    listener: TcpListener,
    config: Config,
    stop: CancellationToken,
    session: S,
) -> usize
where
    S: Fn(TcpStream, Config, CancellationToken, OwnedSemaphorePermit) -> F,
    F: Future<Output = ()> + Send + 'static,
{
    let slots = Arc::new(Semaphore::new(config.max_connections));
    let refusals = Arc::new(Semaphore::new(REFUSALS));
    let mut sessions = JoinSet::new();
    loop {
        tokio::select! {
            // Polled top to bottom: stopping wins over everything; then
            // finished sessions are collected, even under a flood of
            // connections; then a new connection is accepted.
            biased;
            () = stop.cancelled() => break,
            // Disabled while the set is empty, where `join_next` would
            // return `None` at once (which `Some` does not match).
            Some(ended) = sessions.join_next(), if !sessions.is_empty() => {
                report(ended);
            }
            // While every slot is taken and every refusal permit too, the
            // next client could be neither served nor told: leave it in
            // the kernel's queue until a session or a refusal ends (the
            // branch above wakes the loop then).
            accepted = listener.accept(),
                if slots.available_permits() > 0
                    || refusals.available_permits() > 0 =>
            {
                let stream = match accepted {
                    Ok((stream, _peer)) => stream,
                    // Out of file descriptors, say: the connection waits
                    // in the kernel's queue; try again soon.
                    Err(e) => {
                        eprintln!("accept failed: {e}; backing off");
                        sleep(Duration::from_millis(20)).await;
                        continue;
                    }
                };
                // A slot, or the busy line: never wait for a slot.
                match Arc::clone(&slots).try_acquire_owned() {
                    Ok(slot) => {
                        let task = session(stream, config, stop.clone(), slot);
                        sessions.spawn(task);
                    }
                    Err(_) => {
                        // Told "busy". Only this loop takes permits, so
                        // the branch's condition left a refusal permit
                        // free: this wait ends at once.
                        let permit = Arc::clone(&refusals).acquire_owned();
                        let Ok(permit) = permit.await else { break };
                        let line = busy_line(config.max_connections);
                        sessions.spawn(async move {
                            refuse(stream, line).await;
                            drop(permit);
                        });
                    }
                }
            }
        }
    }
    let held = sessions.len();
    // No new connections: the listening socket closes here.
    drop(listener);
    // The sessions saw `stop` too, and are finishing their lines.
    let all_done = async {
        while let Some(ended) = sessions.join_next().await {
            report(ended);
        }
    };
    if timeout(config.grace, all_done).await.is_err() {
        // Abort the rest (one blocked writing to a client that never
        // reads, say): each is dropped at its `.await`, and its socket
        // closes.
        sessions.shutdown().await;
    }
    held
}
// ANCHOR_END: serve

/// A session's task ended: a panic is a bug, and is said so. (A session's
/// I/O errors are its client's business and are not reported.)
fn report(ended: Result<(), tokio::task::JoinError>) {
    if let Err(e) = ended
        && e.is_panic()
    {
        eprintln!("a session panicked: {e}");
    }
}

/// Says why a client is refused, closes gently, and gives it at most 100 ms
/// for each of the two.
async fn refuse(stream: TcpStream, line: Vec<u8>) {
    let mut stream = stream;
    let patience = Duration::from_millis(100);
    if let Ok(Ok(())) = timeout(patience, stream.write_all(&line)).await {
        linger(&mut stream, patience).await;
    }
}

// ANCHOR: session
/// Serves one client: echoes lines until `bye`, end of input, an over-long
/// line, or `stop`. A read that waits `config.timeout` for a byte, or a
/// write that makes no progress for as long, ends the session with an
/// error of kind `TimedOut`.
pub async fn session<S>(
    stream: S,
    config: &Config,
    stop: &CancellationToken,
) -> io::Result<End>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    // Reads go through an 8 KiB buffer; writes go straight to the stream.
    let mut stream = BufReader::new(stream);
    let mut line = Vec::with_capacity(config.max_line);
    loop {
        line.clear();
        let read = tokio::select! {
            // Reading first: `read_line` moves every byte already read
            // into `line` and parks in `fill_buf`; only then is `stop`
            // polled.
            biased;
            read = read_line(&mut stream, &mut line, config) => read?,
            // Stopping: the line read so far, maybe half a line, is
            // in `line` (reading it is cancel safe, see below).
            () = stop.cancelled() => Read::End,
        };
        match read {
            Read::Line => {
                write_all(&mut stream, &line, config.timeout).await?;
                if is_bye(&line) {
                    stream.shutdown().await?;
                    return Ok(End::Bye);
                }
            }
            Read::TooLong => {
                let error = too_long_line(config.max_line);
                write_all(&mut stream, &error, config.timeout).await?;
                linger(&mut stream, Duration::from_secs(1)).await;
                return Ok(End::TooLong);
            }
            Read::End => {
                // End of input (or a stop), maybe in mid-line: send back
                // what came, then close.
                write_all(&mut stream, &line, config.timeout).await?;
                stream.shutdown().await?;
                return Ok(End::Eof);
            }
        }
    }
}
// ANCHOR_END: session

/// What [`read_line`] found.
enum Read {
    /// A whole line, `\n` included.
    Line,
    /// `max_line` bytes and no `\n`.
    TooLong,
    /// End of input; `line` holds what came after the last `\n`.
    End,
}

// ANCHOR: read_line
/// Reads one line into `line`, never more than `config.max_line` bytes.
/// Each wait for bytes may last `config.timeout`.
///
/// Cancel safe: bytes move from the buffer into `line` with no `.await` in
/// between, so if this future is dropped at its `.await`, every byte read
/// is either in `line` or still in the buffer.
async fn read_line<R>(
    reader: &mut BufReader<R>,
    line: &mut Vec<u8>,
    config: &Config,
) -> io::Result<Read>
where
    R: AsyncRead + Unpin,
{
    loop {
        let idle = timeout(config.timeout, reader.fill_buf()).await;
        let available = idle.map_err(|_| timed_out("read"))??;
        if available.is_empty() {
            return Ok(Read::End);
        }
        let room = config.max_line - line.len();
        let newline = available.iter().position(|&b| b == b'\n');
        match newline {
            Some(i) if i < room => {
                line.extend_from_slice(&available[..=i]);
                reader.consume(i + 1);
                return Ok(Read::Line);
            }
            _ => {
                let take = available.len().min(room);
                line.extend_from_slice(&available[..take]);
                reader.consume(take);
                if line.len() == config.max_line {
                    return Ok(Read::TooLong);
                }
            }
        }
    }
}
// ANCHOR_END: read_line

/// Writes all of `bytes`; each `write` may wait `patience` for room in the
/// socket's buffer. A client that reads nothing makes no room, and is
/// dropped.
async fn write_all<W>(
    writer: &mut W,
    bytes: &[u8],
    patience: Duration,
) -> io::Result<()>
where
    W: AsyncWrite + Unpin,
{
    let mut written = 0;
    while written < bytes.len() {
        let write = timeout(patience, writer.write(&bytes[written..])).await;
        match write.map_err(|_| timed_out("write"))?? {
            0 => return Err(io::ErrorKind::WriteZero.into()),
            n => written += n,
        }
    }
    Ok(())
}

/// Closes gently after an error line (the blocking servers' `linger`): stop
/// writing, then read and drop what the client still sends, for at most
/// `patience` and 1 MiB, so that closing does not send a reset that could
/// destroy the error line.
async fn linger<S>(stream: &mut S, patience: Duration)
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    if stream.shutdown().await.is_err() {
        return;
    }
    let drain = async {
        let mut sink = [0u8; 4096];
        let mut left: usize = 1 << 20;
        while left > 0 {
            match stream.read(&mut sink).await {
                Ok(0) | Err(_) => break,
                Ok(n) => left = left.saturating_sub(n),
            }
        }
    };
    // One deadline for the whole drain: a client trickling a byte at a
    // time cannot stretch it.
    let _ = timeout(patience, drain).await;
}

fn timed_out(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, format!("{what} timed out"))
}
