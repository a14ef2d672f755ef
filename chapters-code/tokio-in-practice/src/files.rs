//! Reading a file without stalling the runtime, and what `tokio::fs` does
//! underneath.
//!
//! A socket can say "nothing to read yet", and epoll or kqueue tells the
//! runtime when that changes. A regular file never says so: the kernel
//! reports it as always ready, and a `read` that must wait for the disk
//! simply blocks. There is no readiness to wait for. So `tokio::fs` does
//! not use the reactor at all. It hands each file operation to a thread of
//! the runtime's blocking pool, with `spawn_blocking`, and the task awaits
//! the answer. This module reads the same file three ways on a
//! current-thread runtime, beside a ticker that notes how late its ticks
//! come, and counts the threads the runtime starts.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use tokio::io::AsyncReadExt;
use tokio::sync::oneshot;
use tokio::time::{Instant, sleep_until};

/// How the file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    /// `std::fs::File::read` in a loop, inside the async task: every read
    /// holds the runtime's only thread.
    StdInTask,
    /// `tokio::fs::File` and `AsyncReadExt::read`, one `.await` per chunk.
    TokioFs,
    /// The same `std::fs` loop, moved whole to the blocking pool with one
    /// `spawn_blocking`.
    SpawnBlocking,
}

impl Way {
    /// All three, in the order the chapter shows them.
    pub const ALL: [Way; 3] =
        [Way::StdInTask, Way::TokioFs, Way::SpawnBlocking];

    /// What it is called in tables.
    pub fn name(self) -> &'static str {
        match self {
            Way::StdInTask => "std::fs in the task",
            Way::TokioFs => "tokio::fs, chunk by chunk",
            Way::SpawnBlocking => "std::fs in spawn_blocking",
        }
    }
}

/// A file in the temporary directory that is removed when dropped.
#[derive(Debug)]
pub struct TempFile {
    path: PathBuf,
}

impl TempFile {
    /// Writes `size` bytes of a fixed pattern to a new file with a name no
    /// other process uses (the process id and a counter).
    pub fn create(size: usize) -> io::Result<TempFile> {
        use std::sync::atomic::AtomicUsize;
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let name = format!("tokio-fs-{}-{n}.bin", std::process::id());
        let path = std::env::temp_dir().join(name);
        // `create_new` fails rather than overwrite a file someone else made.
        let mut file = std::fs::File::options()
            .write(true)
            .create_new(true)
            .open(&path)?;
        let file_guard = TempFile { path };
        let block: Vec<u8> = (0..=255u8).cycle().take(64 * 1024).collect();
        let mut left = size;
        while left > 0 {
            let n = left.min(block.len());
            file.write_all(&block[..n])?;
            left -= n;
        }
        Ok(file_guard)
    }

    /// Where the file is.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        // Nothing to do if it is already gone.
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Bytes the calling thread has passed to `read` and similar system calls
/// in its whole life: the `rchar` line of `/proc/thread-self/io`. Linux
/// only; `None` elsewhere, or where the kernel does not keep the count.
pub fn bytes_read_by_this_thread() -> Option<u64> {
    let io = std::fs::read_to_string("/proc/thread-self/io").ok()?;
    let line = io.lines().find(|line| line.starts_with("rchar:"))?;
    line["rchar:".len()..].trim().parse().ok()
}

/// What one run measured.
#[derive(Debug, Clone)]
pub struct Report {
    /// How the file was read.
    pub way: Way,
    /// Bytes read.
    pub bytes: usize,
    /// How many `read` calls it took.
    pub reads: usize,
    /// From the first read to the last.
    pub elapsed: Duration,
    /// How late each tick came, while the reads ran.
    pub lateness: Vec<Duration>,
    /// The names of the threads the runtime started during the run.
    pub threads_started: Vec<String>,
    /// Bytes the thread that runs the tasks read during the reads
    /// (Linux only).
    pub read_by_runtime_thread: Option<u64>,
    /// Bytes all the threads the runtime started read in their lives
    /// (Linux only).
    pub read_by_pool: Option<u64>,
    /// The sum of all bytes read, so that every way is seen to read the
    /// same file.
    pub checksum: u64,
}

impl Report {
    /// The latest tick's lateness.
    pub fn worst(&self) -> Duration {
        self.lateness.iter().copied().max().unwrap_or_default()
    }

    /// The time one read took, on average.
    pub fn per_read(&self) -> Duration {
        self.elapsed / self.reads.max(1) as u32
    }
}

/// The ticker's period.
pub const PERIOD: Duration = Duration::from_millis(1);

/// Ticks every `PERIOD` until `done` is set, and returns how late each
/// tick came. Tells `started` after its first tick, so the reads begin
/// while it is already running.
async fn ticker(
    done: Arc<AtomicBool>,
    started: oneshot::Sender<()>,
) -> Vec<Duration> {
    let start = Instant::now();
    let mut started = Some(started);
    let mut lateness = Vec::new();
    let mut n = 1;
    while !done.load(Ordering::Acquire) {
        let due = start + PERIOD * n;
        sleep_until(due).await;
        lateness.push(due.elapsed());
        if let Some(started) = started.take() {
            // The reader waits for this; it is never dropped first.
            let _ = started.send(());
        }
        n += 1;
    }
    lateness
}

/// Adds up every byte of a chunk: a little work per chunk, and a check that
/// all three ways read the same bytes.
fn sum(chunk: &[u8]) -> u64 {
    chunk.iter().map(|&b| u64::from(b)).sum()
}

/// Bytes, `read` calls and the checksum of one pass over the file.
type Totals = (usize, usize, u64);

// ANCHOR: std_in_task
/// Reads the file with `std::fs` in `chunk`-sized pieces. Each `read` is a
/// blocking system call; inside an async task, it holds the thread.
fn read_std(path: &Path, chunk: usize) -> io::Result<Totals> {
    let mut file = std::fs::File::open(path)?;
    let mut buf = vec![0; chunk];
    let (mut bytes, mut reads, mut checksum) = (0, 0, 0);
    loop {
        let n = file.read(&mut buf)?;
        reads += 1;
        if n == 0 {
            return Ok((bytes, reads, checksum));
        }
        bytes += n;
        checksum += sum(&buf[..n]);
    }
}
// ANCHOR_END: std_in_task

// ANCHOR: tokio_fs
/// The same loop on `tokio::fs::File`. Each `read(..).await` hands one
/// `std` read of at most `chunk` bytes to the blocking pool and waits for
/// it; the task's thread is free meanwhile.
async fn read_tokio(path: &Path, chunk: usize) -> io::Result<Totals> {
    let mut file = tokio::fs::File::open(path).await?;
    let mut buf = vec![0; chunk];
    let (mut bytes, mut reads, mut checksum) = (0, 0, 0);
    loop {
        let n = file.read(&mut buf).await?;
        reads += 1;
        if n == 0 {
            return Ok((bytes, reads, checksum));
        }
        bytes += n;
        checksum += sum(&buf[..n]);
    }
}
// ANCHOR_END: tokio_fs

/// Reads the file at `path` in pieces of `chunk` bytes the way `way` says,
/// on a fresh current-thread runtime, beside the ticker.
pub fn run(way: Way, path: &Path, chunk: usize) -> io::Result<Report> {
    // A current-thread runtime runs its tasks on the caller's thread and
    // starts no worker, so every thread it starts belongs to its blocking
    // pool. Each one reports its name when it starts, and the bytes it
    // read in its life when it stops.
    let names: Arc<Mutex<Vec<String>>> = Arc::default();
    let pool_read: Arc<Mutex<Option<u64>>> = Arc::new(Mutex::new(Some(0)));
    let (on_start, on_stop) = (Arc::clone(&names), Arc::clone(&pool_read));
    // ANCHOR: runtime
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .on_thread_start(move || {
            let name =
                thread::current().name().unwrap_or("unnamed").to_string();
            // A poisoned list only means another hook panicked.
            on_start
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(name);
        })
        .on_thread_stop(move || {
            let mut total = on_stop.lock().unwrap_or_else(|p| p.into_inner());
            *total = total.zip(bytes_read_by_this_thread()).map(|(a, b)| a + b);
        })
        .build()?;
    // ANCHOR_END: runtime
    let path = path.to_path_buf();
    let (totals, elapsed, lateness, by_runtime) =
        runtime.block_on(async move {
            let done = Arc::new(AtomicBool::new(false));
            let (tx, rx) = oneshot::channel();
            let ticks = tokio::spawn(ticker(Arc::clone(&done), tx));
            // The ticker sends this after its first tick, and holds the sender
            // until then.
            rx.await.expect("the ticker ticks before it ends");
            let before = bytes_read_by_this_thread();
            let begin = Instant::now();
            let totals = match way {
                Way::StdInTask => read_std(&path, chunk),
                Way::TokioFs => read_tokio(&path, chunk).await,
                Way::SpawnBlocking => {
                    tokio::task::spawn_blocking(move || read_std(&path, chunk))
                        .await
                        .expect("the read does not panic")
                }
            };
            let elapsed = begin.elapsed();
            let after = bytes_read_by_this_thread();
            done.store(true, Ordering::Release);
            let lateness = ticks.await.expect("the ticker does not panic");
            let by_runtime = before.zip(after).map(|(b, a)| a - b);
            (totals, elapsed, lateness, by_runtime)
        });
    // Dropping the runtime waits for its blocking threads to end, so
    // every `on_thread_stop` has run after this line.
    drop(runtime);
    let (bytes, reads, checksum) = totals?;
    let threads_started =
        std::mem::take(&mut *names.lock().unwrap_or_else(|p| p.into_inner()));
    let read_by_pool = *pool_read.lock().unwrap_or_else(|p| p.into_inner());
    Ok(Report {
        way,
        bytes,
        reads,
        elapsed,
        lateness,
        threads_started,
        read_by_runtime_thread: by_runtime,
        read_by_pool,
        checksum,
    })
}

// ANCHOR: reactor
/// Asks tokio's reactor to watch a regular file, as it watches a socket,
/// and says what came of it. On Linux, epoll refuses regular files outright
/// (`EPERM`); kqueue, on macOS, accepts one and reports it readable at
/// once. Either way there is nothing to wait for.
#[cfg(unix)]
pub fn ask_the_reactor(path: &Path) -> io::Result<String> {
    use tokio::io::unix::AsyncFd;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let file = std::fs::File::open(path)?;
    runtime.block_on(async {
        // SAFETY: the `File` owns an open descriptor, and the `AsyncFd`
        // owns the `File` from here on, so the descriptor stays open and
        // the same for the `AsyncFd`'s whole life; a refusal hands it back.
        match unsafe { AsyncFd::register(file) } {
            Err(refused) => {
                Ok(format!("refused to watch it: {}", refused.into_parts().1))
            }
            Ok(watched) => {
                let soon = Duration::from_millis(100);
                let ready =
                    tokio::time::timeout(soon, watched.readable()).await;
                Ok(match ready {
                    Ok(_) => "watches it, and says it is readable at once"
                        .to_string(),
                    Err(_) => {
                        "watches it, and it is not readable yet".to_string()
                    }
                })
            }
        }
    })
}
// ANCHOR_END: reactor
