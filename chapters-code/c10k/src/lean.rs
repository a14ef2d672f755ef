//! Lean sessions: the tokio server (version 7) and our runtime's server
//! (version 6), with sessions that hold no buffer while they wait.
//!
//! The straight-line sessions of versions 6 and 7 keep their read buffers
//! for as long as a connection lives: version 7 an 8 KiB `BufReader` and a
//! line buffer of `max_line` bytes, version 6 a 4 KiB array inside its
//! future (and two more in the code that runs on a stop and after an
//! over-long line). An idle client costs what a thread costs. These
//! sessions do what the event loop does instead. While they wait, they hold
//! the socket and the non-blocking I/O chapter's [`Session`], which keeps
//! only the start of a line whose end has not come and the echoes the
//! socket has not taken. When the socket has bytes, they read them into an
//! array on the stack of a plain function called from `poll`, which
//! returns before the next `.await`, so no future ever holds the array.
//!
//! Everything else (the accept loop, the cap, stopping) is the servers'
//! own: [`tokio_in_practice::echo::start_with`] and
//! [`mini_runtime::echo::start_with`] take the session to run.

use std::io;
use std::net::Shutdown;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use blocking_io::Config;
use nonblocking_io::session::{Session, State};

/// Bytes read at a time, into a buffer on the stack.
const CHUNK: usize = 4096;
/// How long, and how much, the close after an over-long line drains.
const LINGER: Duration = Duration::from_secs(1);
const LINGER_BYTES: usize = 1 << 20;

// ANCHOR: poll_into
/// Reads what the socket has into a buffer on this function's stack and
/// hands it to `session`; `Pending` while it has nothing. A plain function
/// called from a `poll`: the buffer is gone when it returns, before any
/// `.await`, so no future holds it.
fn poll_into(
    session: &mut Session,
    poll_read: impl FnOnce(&mut [u8]) -> Poll<io::Result<usize>>,
) -> Poll<io::Result<()>> {
    let mut buf = [0u8; CHUNK];
    poll_read(&mut buf).map_ok(|n| match n {
        0 => session.end_of_input(),
        n => session.received(&buf[..n]),
    })
}
// ANCHOR_END: poll_into

/// What the socket has now, without waiting, to `session`: what a session
/// reads when the stop comes.
fn read_now(
    session: &mut Session,
    try_read: impl FnOnce(&mut [u8]) -> io::Result<usize>,
) -> io::Result<()> {
    let mut buf = [0u8; CHUNK];
    match try_read(&mut buf) {
        Ok(0) => session.end_of_input(),
        Ok(n) => session.received(&buf[..n]),
        Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
        Err(e) => return Err(e),
    }
    Ok(())
}

/// Reads and drops what the client sends until it closes, an error, or
/// `left` bytes: the drain of a gentle close, a buffer on the stack again.
fn poll_drain(
    left: &mut usize,
    mut poll_read: impl FnMut(&mut [u8]) -> Poll<io::Result<usize>>,
) -> Poll<()> {
    let mut sink = [0u8; CHUNK];
    loop {
        match poll_read(&mut sink) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Ok(n)) if n > 0 && *left > n => *left -= n,
            Poll::Ready(_) => return Poll::Ready(()),
        }
    }
}

fn timed_out(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, format!("{what} timed out"))
}

/// Version 7 (tokio) with the lean session.
pub mod with_tokio {
    use std::future::{Future, poll_fn};
    use std::pin::{Pin, pin};

    use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
    use tokio::net::TcpStream;
    use tokio::sync::OwnedSemaphorePermit;
    use tokio::time::{Instant, sleep, timeout};
    use tokio_in_practice::echo::{self, Server};
    use tokio_util::sync::CancellationToken;

    use super::*;

    /// Starts it on a multi-threaded runtime with `config.workers` threads.
    pub fn start(addr: &str, config: Config) -> io::Result<Server> {
        echo::start_with(echo::multi_thread(&config)?, addr, config, task)
    }

    /// Starts it on a current-thread runtime.
    pub fn start_current_thread(
        addr: &str,
        config: Config,
    ) -> io::Result<Server> {
        echo::start_with(echo::current_thread()?, addr, config, task)
    }

    // ANCHOR: tokio_session
    /// A connection's task: serves one client as version 7 does (the
    /// conformance suite holds it to the same rules), holding the socket
    /// and a [`Session`] while it waits. `slot` counts it against the cap
    /// until it ends.
    pub fn task(
        mut stream: TcpStream,
        config: Config,
        stop: CancellationToken,
        slot: OwnedSemaphorePermit,
    ) -> impl Future<Output = ()> + Send + 'static {
        // A plain function that returns one `async move` block, the whole
        // session: what it owns is in its future once. (An `async fn`
        // moves its arguments into locals, which today's compiler keeps
        // beside the arguments; a session in a second future would hold
        // references to them.) Of the settings, it keeps what it uses.
        let mut session = Session::new(config.max_line);
        let patience = config.timeout;
        async move {
            // One timer and one watch on the stop for the whole session,
            // each in this future once; the timer is set again before
            // each wait.
            let mut late = pin!(sleep(patience));
            let mut stopped = pin!(stop.cancelled());
            // An error (a reset, a timeout) ends this session and nothing
            // else: each one below breaks out of this loop.
            'session: loop {
                // Echoes first: nothing is read while any are owed, so a
                // client that never reads cannot make us buffer its lines.
                while !session.pending().is_empty() {
                    late.as_mut().reset(Instant::now() + patience);
                    let written = poll_fn(|cx| {
                        let out = session.pending();
                        if let Poll::Ready(n) =
                            Pin::new(&mut stream).poll_write(cx, out)
                        {
                            return Poll::Ready(n);
                        }
                        late.as_mut().poll(cx).map(|()| Err(timed_out("write")))
                    })
                    .await;
                    match written {
                        Ok(n) if n > 0 => session.wrote(n),
                        _ => break 'session,
                    }
                }
                match session.state() {
                    State::Open => {}
                    State::Done => {
                        let _ = stream.shutdown().await;
                        break;
                    }
                    State::Refused => {
                        // Rare, and its future is larger than the rest: on
                        // the heap, only while it runs.
                        Box::pin(linger(&mut stream)).await;
                        break;
                    }
                }
                // Waiting, the session holds no buffer, not even an
                // empty one's memory. The stop is polled first, so a
                // client that always has bytes ready cannot keep the
                // session from seeing it; then the session sends back
                // what it has, half a line too.
                session.release();
                late.as_mut().reset(Instant::now() + patience);
                let read = poll_fn(|cx| {
                    if stopped.as_mut().poll(cx).is_ready() {
                        let read_now =
                            read_now(&mut session, |b| stream.try_read(b));
                        session.end_of_input();
                        return Poll::Ready(read_now);
                    }
                    let read = poll_into(&mut session, |buf| {
                        let mut buf = ReadBuf::new(buf);
                        Pin::new(&mut stream)
                            .poll_read(cx, &mut buf)
                            .map_ok(|()| buf.filled().len())
                    });
                    if read.is_ready() {
                        return read;
                    }
                    late.as_mut().poll(cx).map(|()| Err(timed_out("read")))
                })
                .await;
                if read.is_err() {
                    break;
                }
            }
            // Its slot is free for the next client.
            drop(slot);
        }
    }
    // ANCHOR_END: tokio_session

    /// The gentle close after the error line: stop writing, then drop
    /// what the client still sends, with one deadline for all of it.
    async fn linger(stream: &mut TcpStream) {
        if stream.shutdown().await.is_err() {
            return;
        }
        let mut left = LINGER_BYTES;
        let drain = poll_fn(|cx| {
            poll_drain(&mut left, |buf| {
                let mut buf = ReadBuf::new(buf);
                Pin::new(&mut *stream)
                    .poll_read(cx, &mut buf)
                    .map_ok(|()| buf.filled().len())
            })
        });
        let _ = timeout(LINGER, drain).await;
    }
}

/// Version 6 (our runtime) with the lean session.
pub mod with_runtime {
    use std::future::{Future, poll_fn};
    use std::pin::Pin;

    use mini_runtime::echo::{self, Server};
    use mini_runtime::net::TcpStream;
    use mini_runtime::shutdown::{Signal, Tracked};
    use mini_runtime::time::{sleep, timeout};

    use super::*;

    /// Starts it on our runtime, on a thread of its own.
    pub fn start(addr: &str, config: Config) -> io::Result<Server> {
        echo::start_with(addr, config, task)
    }

    // ANCHOR: runtime_session
    /// A connection's task: serves one client as version 6 does, holding
    /// the socket and a [`Session`] while it waits. `tracked` counts it
    /// against the cap until it ends.
    pub fn task(
        mut stream: TcpStream,
        config: Config,
        stop: Arc<Signal>,
        tracked: Tracked,
    ) -> impl Future<Output = ()> + Send + 'static {
        // As in the tokio version: one block, the whole session, each of
        // these in its future once.
        let mut session = Session::new(config.max_line);
        let patience = config.timeout;
        async move {
            let _ = stream.set_nodelay(true);
            'session: loop {
                while !session.pending().is_empty() {
                    let mut late = sleep(patience);
                    let written = poll_fn(|cx| {
                        let out = session.pending();
                        if let Poll::Ready(n) = stream.poll_write(cx, out) {
                            return Poll::Ready(n);
                        }
                        Pin::new(&mut late)
                            .poll(cx)
                            .map(|()| Err(timed_out("write")))
                    })
                    .await;
                    match written {
                        Ok(n) if n > 0 => session.wrote(n),
                        _ => break 'session,
                    }
                }
                match session.state() {
                    State::Open => {}
                    State::Done => {
                        let _ = stream.shutdown(Shutdown::Write);
                        break;
                    }
                    State::Refused => {
                        Box::pin(linger(&mut stream)).await;
                        break;
                    }
                }
                session.release();
                let mut late = sleep(patience);
                let mut stopped = stop.fired();
                let read = poll_fn(|cx| {
                    if Pin::new(&mut stopped).poll(cx).is_ready() {
                        let read_now =
                            read_now(&mut session, |b| stream.try_read(b));
                        session.end_of_input();
                        return Poll::Ready(read_now);
                    }
                    let read = poll_into(&mut session, |buf| {
                        stream.poll_read(cx, buf)
                    });
                    if read.is_ready() {
                        return read;
                    }
                    Pin::new(&mut late)
                        .poll(cx)
                        .map(|()| Err(timed_out("read")))
                })
                .await;
                if read.is_err() {
                    break;
                }
            }
            drop(tracked);
        }
    }
    // ANCHOR_END: runtime_session

    /// The gentle close after the error line, as in version 6.
    async fn linger(stream: &mut TcpStream) {
        if stream.shutdown(Shutdown::Write).is_err() {
            return;
        }
        let mut left = LINGER_BYTES;
        let drain = poll_fn(|cx| {
            poll_drain(&mut left, |buf| stream.poll_read(cx, buf))
        });
        let _ = timeout(LINGER, drain).await;
    }
}

pub fn task_sizes() -> io::Result<Vec<(&'static str, usize)>> {
    use std::mem::size_of_val;
    let config = Config::default();
    let pair = || -> io::Result<(std::net::TcpStream, std::net::TcpStream)> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        let client = std::net::TcpStream::connect(listener.local_addr()?)?;
        let (server, _) = listener.accept()?;
        server.set_nonblocking(true)?;
        Ok((client, server))
    };
    let runtime_sizes = {
        use mini_runtime::net::TcpStream;
        use mini_runtime::shutdown::{Signal, Tracker};
        let (_c1, s1) = pair()?;
        let (_c2, s2) = pair()?;
        mini_runtime::runtime::Runtime::new()?.block_on(async move {
            let tracker = Tracker::default();
            let stop = Arc::new(Signal::default());
            let before = mini_runtime::echo::session(
                TcpStream::from_std(s1)?,
                config,
                Arc::clone(&stop),
                tracker.track(),
            );
            let after = with_runtime::task(
                TcpStream::from_std(s2)?,
                config,
                stop,
                tracker.track(),
            );
            io::Result::Ok((size_of_val(&before), size_of_val(&after)))
        })?
    };
    let tokio_sizes = {
        use ::tokio::net::TcpStream;
        use ::tokio::sync::Semaphore;
        let (_c1, s1) = pair()?;
        let (_c2, s2) = pair()?;
        tokio_in_practice::echo::current_thread()?.block_on(async move {
            let slots = Arc::new(Semaphore::new(2));
            let stop = tokio_util::sync::CancellationToken::new();
            let slot = || Arc::clone(&slots).try_acquire_owned();
            let before = tokio_in_practice::echo::buffered(
                TcpStream::from_std(s1)?,
                config,
                stop.clone(),
                slot().map_err(io::Error::other)?,
            );
            let after = with_tokio::task(
                TcpStream::from_std(s2)?,
                config,
                stop,
                slot().map_err(io::Error::other)?,
            );
            io::Result::Ok((size_of_val(&before), size_of_val(&after)))
        })?
    };
    Ok(vec![
        ("our runtime", runtime_sizes.0),
        ("our runtime, lean", runtime_sizes.1),
        ("tokio", tokio_sizes.0),
        ("tokio, lean", tokio_sizes.1),
    ])
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_lean_task_is_a_fraction_of_the_one_it_replaces() {
        let sizes = super::task_sizes().unwrap();
        let size =
            |name: &str| sizes.iter().find(|(n, _)| *n == name).unwrap().1;
        // The runtime's session holds a 4 KiB array; the lean one none.
        assert!(size("our runtime") > 4096, "{sizes:?}");
        assert!(size("our runtime, lean") < 1024, "{sizes:?}");
        assert!(size("tokio, lean") < size("tokio") / 4, "{sizes:?}");
    }
}
