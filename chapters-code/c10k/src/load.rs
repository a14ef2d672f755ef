//! The load generator: many connections to an echo server, some of them
//! sending lines and timing each echo, the rest connected and idle.
//!
//! In a *closed loop* each active connection keeps one line in flight: it
//! sends, waits for the whole echo, and sends again. That measures how fast
//! the server answers when clients wait for it. In an *open loop* lines are
//! sent at a fixed rate whatever the server does, and each echo's latency
//! is counted from the moment its line was *due*, so a server that falls
//! behind shows it (a closed loop would politely slow down with it).
//!
//! The client runs on tokio, on a runtime of its own; latencies go into an
//! HDR histogram (microseconds, three significant digits). In an open loop
//! a line is sent at most about a millisecond after it is due (tokio's
//! timers tick in milliseconds), and that slack counts in its latency.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use hdrhistogram::Histogram;
use indicatif::{ProgressBar, ProgressStyle};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;
use tokio::time::Instant;

/// What load to put on a server.
#[derive(Debug, Clone)]
pub struct Load {
    /// The server's address.
    pub addr: SocketAddr,
    /// Connections opened and held for the whole run.
    pub connections: usize,
    /// How many of them send lines; the others stay connected and idle.
    pub active: usize,
    /// Bytes per line, its `\n` included (at least 2).
    pub message: usize,
    /// Time before measuring starts (lines are sent but not counted).
    pub warmup: Duration,
    /// Time measured.
    pub duration: Duration,
    /// Lines per second over all active connections (open loop), or
    /// `None` for one line in flight per connection (closed loop).
    pub rate: Option<f64>,
    /// Draw a progress bar on the terminal (never drawn when stderr is
    /// not a terminal, as in the book's cells).
    pub progress: bool,
}

impl Load {
    /// A closed loop: `connections` held, `active` of them sending
    /// 64-byte lines, half a second of warm-up, then `duration` measured.
    pub fn closed(
        addr: SocketAddr,
        connections: usize,
        active: usize,
        duration: Duration,
    ) -> Load {
        Load {
            addr,
            connections,
            active: active.min(connections),
            message: 64,
            warmup: Duration::from_millis(500),
            duration,
            rate: None,
            progress: false,
        }
    }
}

/// What a run measured.
#[derive(Debug, Clone)]
pub struct Report {
    /// Connections held during the run.
    pub connections: usize,
    /// Connections that sent lines (those asked for, among the served).
    pub active: usize,
    /// Echoes received in the measured time.
    pub round_trips: u64,
    /// The measured time.
    pub seconds: f64,
    /// Latency of the echoes (from the line's send, or from when it was
    /// due in an open loop).
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
    /// Connections that got no echo to their first line within 5 s: the
    /// server accepted them but does not serve them (a pool whose workers
    /// are all taken, say).
    pub unserved: usize,
    /// Connections the server refused with an error line (a cap, or no
    /// thread to be had).
    pub refused: usize,
    /// Active connections left waiting for an echo when the run ended
    /// (a second after it, in fact: the patience given to late echoes).
    pub starved: usize,
    /// When the measured time began and ended, to read other figures
    /// (the server's CPU time) over the same window.
    pub measured: (std::time::Instant, std::time::Instant),
}

impl Report {
    /// Echoes per second.
    pub fn per_second(&self) -> f64 {
        self.round_trips as f64 / self.seconds
    }
}

/// Puts `load` on the server and reports what it measured.
pub fn run(load: &Load) -> Result<Report> {
    if load.message < 2 {
        bail!("a line needs at least 2 bytes (one and its newline)");
    }
    if load.active == 0 || load.connections == 0 {
        bail!("at least one connection must send lines to measure anything");
    }
    if load.duration.is_zero() {
        bail!("the measured time must be longer than zero");
    }
    if let Some(rate) = load.rate
        && !(rate.is_finite() && rate > 0.0)
    {
        bail!(
            "the rate must be a positive number of lines per second, not {rate}"
        );
    }
    // Our sockets, plus a few for the runtime and the terminal.
    crate::limits::ensure_open_files(load.connections as u64 + 64)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the load generator's runtime")?;
    runtime.block_on(run_async(load))
}

async fn run_async(load: &Load) -> Result<Report> {
    let bar = |len: u64, what: &str| -> ProgressBar {
        if !load.progress {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new(len);
        let style = ProgressStyle::with_template(
            "{msg:>12} [{bar:40}] {pos}/{len} {elapsed}",
        )
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_message(what.to_string());
        bar
    };

    // Connect every connection, a few at a time: the server's queue of
    // connections not yet accepted is short (128 by default), and a flood
    // of handshakes beyond it is retried only after a second.
    let connecting = bar(load.connections as u64, "connecting");
    let gate = Arc::new(Semaphore::new(64));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..load.connections {
        let gate = Arc::clone(&gate);
        let addr = load.addr;
        tasks.spawn(async move {
            let permit = gate.acquire_owned().await.expect("never closed");
            let stream = connect(addr).await?;
            // The handshake is done: let the next one start while this
            // one waits for its first echo.
            drop(permit);
            first_echo(stream).await
        });
    }
    let mut streams = Vec::with_capacity(load.connections);
    let mut unserved = 0;
    let mut refused = 0;
    while let Some(joined) = tasks.join_next().await {
        match joined.context("a connecting task failed")?? {
            First::Served(stream) => streams.push(stream),
            First::Waiting(stream) => {
                unserved += 1;
                // Still connected: it goes last, among the idle ones.
                streams.insert(0, stream);
            }
            First::Refused => refused += 1,
        }
        connecting.inc(1);
    }
    let held = streams.len();
    connecting.finish_and_clear();
    // Served connections first: those send.
    let served_last = unserved.min(streams.len());
    streams.rotate_left(served_last);

    // The active connections send; the idle ones are held until the end.
    // A connection the server does not serve cannot be active.
    let active = load.active.min(held - unserved);
    let idle: Vec<TcpStream> = streams.split_off(active);
    let start = Instant::now();
    let measure_from = start + load.warmup;
    let end = measure_from + load.duration;
    let done = Arc::new(AtomicU64::new(0));
    let mut senders = tokio::task::JoinSet::new();
    for (i, stream) in streams.into_iter().enumerate() {
        let (done, message) = (Arc::clone(&done), load.message);
        let interval = load
            .rate
            .map(|r| Duration::from_secs_f64(active as f64 / r));
        senders.spawn(async move {
            match interval {
                None => {
                    closed_loop(stream, message, measure_from, end, &done).await
                }
                Some(every) => {
                    let schedule = Schedule {
                        first: start + first_due(every, i, active),
                        every,
                        measure_from,
                        end,
                    };
                    open_loop(stream, message, schedule, &done).await
                }
            }
        });
    }
    let running = bar(load.duration.as_millis() as u64, "measuring");
    while Instant::now() < end {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let now = Instant::now();
        running.set_position(
            now.saturating_duration_since(measure_from).as_millis() as u64,
        );
        running.set_message(format!("{} echoes", done.load(Ordering::Relaxed)));
    }
    running.finish_and_clear();
    let mut all = new_histogram();
    let mut starved = 0;
    while let Some(joined) = senders.join_next().await {
        let (histogram, waiting) =
            joined.context("a sending task failed")??;
        all.add(&histogram).context("merging latencies")?;
        starved += usize::from(waiting);
    }
    drop(idle);
    let us = |v: u64| Duration::from_micros(v);
    Ok(Report {
        connections: load.connections,
        active,
        round_trips: all.len(),
        seconds: load.duration.as_secs_f64(),
        p50: us(all.value_at_quantile(0.50)),
        p99: us(all.value_at_quantile(0.99)),
        max: us(all.max()),
        unserved,
        refused,
        starved,
        measured: (measure_from.into_std(), end.into_std()),
    })
}

/// When connection `i` of `active` sends its first line in an open loop:
/// the connections take turns, spread evenly over one interval, so that
/// the server sees a steady rate rather than every line at once.
pub fn first_due(every: Duration, i: usize, active: usize) -> Duration {
    let share = u32::try_from(i % active.max(1)).unwrap_or(u32::MAX);
    let of = u32::try_from(active.max(1)).unwrap_or(u32::MAX);
    every * share / of
}

/// How long a run waits for an echo after the measured time has ended:
/// one that has not come by then never will.
const PATIENCE: Duration = Duration::from_secs(1);

fn new_histogram() -> Histogram<u64> {
    // 1 µs to 1 hour, three significant digits.
    Histogram::new_with_bounds(1, 3_600_000_000, 3).expect("valid bounds")
}

/// Connects; a refused connection is a clear error.
async fn connect(addr: SocketAddr) -> Result<TcpStream> {
    match TcpStream::connect(addr).await {
        Ok(stream) => {
            stream.set_nodelay(true)?;
            Ok(stream)
        }
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            bail!(
                "nothing listens on {addr} (connection refused): is the server running?"
            )
        }
        Err(e) if e.raw_os_error() == Some(24) => {
            bail!(
                "out of file descriptors while connecting ({e}); raise `ulimit -n`"
            )
        }
        Err(e) => Err(e).with_context(|| format!("connecting to {addr}")),
    }
}

/// How a new connection's first line fared.
enum First {
    /// Echoed: the server serves it.
    Served(TcpStream),
    /// No echo within 5 s: accepted, but not served (yet).
    Waiting(TcpStream),
    /// The server answered with an error line and closed.
    Refused,
}

/// Sends a first line, to see whether the server really serves the
/// connection (a thread-per-connection server has started its thread once
/// the echo comes back).
async fn first_echo(mut stream: TcpStream) -> Result<First> {
    let mut back = [0u8; 6];
    if stream.write_all(b"hello\n").await.is_err() {
        // Already closed or reset by the server.
        return Ok(First::Refused);
    }
    let read = tokio::time::timeout(
        Duration::from_secs(5),
        stream.read_exact(&mut back),
    )
    .await;
    match read {
        Ok(Ok(_)) if &back == b"hello\n" => Ok(First::Served(stream)),
        Ok(Ok(_)) if back.starts_with(b"error") => Ok(First::Refused),
        Ok(Ok(_)) => bail!(
            "the server answered {:?} instead of the echo",
            String::from_utf8_lossy(&back)
        ),
        // Closed or reset before the first echo: the server did not take
        // this connection (a refusal without words).
        Ok(Err(_)) => Ok(First::Refused),
        Err(_) => Ok(First::Waiting(stream)),
    }
}

fn line(message: usize) -> Vec<u8> {
    let mut line = vec![b'x'; message - 1];
    line.push(b'\n');
    line
}

// ANCHOR: closed_loop
/// One line in flight at a time.
async fn closed_loop(
    mut stream: TcpStream,
    message: usize,
    measure_from: Instant,
    end: Instant,
    done: &AtomicU64,
) -> Result<(Histogram<u64>, bool)> {
    let mut histogram = new_histogram();
    let line = line(message);
    let mut back = vec![0u8; message];
    while Instant::now() < end {
        let sent = Instant::now();
        stream.write_all(&line).await.context("sending a line")?;
        // An echo that has not come a second after the end never will.
        let patience = tokio::time::sleep_until(end + PATIENCE);
        tokio::select! {
            read = stream.read_exact(&mut back) => {
                read.context("reading an echo")?;
            }
            () = patience => return Ok((histogram, true)),
        }
        if back != line {
            bail!("an echo differed from its line");
        }
        if sent >= measure_from {
            histogram.record(sent.elapsed().as_micros().max(1) as u64)?;
            done.fetch_add(1, Ordering::Relaxed);
        }
    }
    Ok((histogram, false))
}
// ANCHOR_END: closed_loop

/// When an open loop's lines are due: the first at `first`, then one
/// every `every`, until `end`; those due from `measure_from` on count.
#[derive(Debug, Clone, Copy)]
struct Schedule {
    first: Instant,
    every: Duration,
    measure_from: Instant,
    end: Instant,
}

/// Lines sent on a schedule, whatever the server does; latency counts
/// from when each line was due. Echoes (and sends) still pending a
/// second after the end are given up: the connection counts as starved.
async fn open_loop(
    stream: TcpStream,
    message: usize,
    schedule: Schedule,
    done: &AtomicU64,
) -> Result<(Histogram<u64>, bool)> {
    let (mut reader, mut writer) = stream.into_split();
    let (due_tx, mut due_rx) =
        tokio::sync::mpsc::unbounded_channel::<Instant>();
    let line = line(message);
    let write = async move {
        let mut k: u32 = 0;
        loop {
            let due = schedule.first + schedule.every * k;
            if due >= schedule.end {
                return Ok::<(), anyhow::Error>(());
            }
            tokio::time::sleep_until(due).await;
            writer.write_all(&line).await.context("sending a line")?;
            let _ = due_tx.send(due);
            k += 1;
        }
    };
    let read = async {
        let mut histogram = new_histogram();
        let mut back = vec![0u8; message];
        while let Some(due) = due_rx.recv().await {
            reader
                .read_exact(&mut back)
                .await
                .context("reading an echo")?;
            if due >= schedule.measure_from {
                histogram.record(due.elapsed().as_micros().max(1) as u64)?;
                done.fetch_add(1, Ordering::Relaxed);
            }
        }
        Ok::<_, anyhow::Error>(histogram)
    };
    let both = async { tokio::join!(write, read) };
    match tokio::time::timeout_at(schedule.end + PATIENCE, both).await {
        Ok((written, histogram)) => {
            written?;
            Ok((histogram?, false))
        }
        // The server fell so far behind that echoes (or room to send)
        // did not come in time. What this connection measured is lost
        // with it; it counts as starved.
        Err(_) => Ok((new_histogram(), true)),
    }
}
