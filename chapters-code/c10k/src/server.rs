//! The server under load, in a process of its own, so that its CPU time,
//! memory and threads can be read from the operating system apart from the
//! load generator's.
//!
//! A program that uses this module starts by calling [`serve_if_asked`]:
//! run normally, it goes on; run by [`ServerProcess::spawn`], which starts
//! the same executable again with `C10K_SERVE` set to a server's name, it
//! becomes that server, with the command-line contract of every server in
//! the book (`--addr`, `listening on`, a graceful stop on Ctrl-C).

use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use blocking_io::cli::{self, Holds, ServerArgs};
use clap::Parser;

/// The environment variable that turns the program into a server.
const SERVE_ENV: &str = "C10K_SERVE";

/// Runs one of the book's servers with the given options until Ctrl-C.
pub type Serve = fn(&ServerArgs) -> io::Result<()>;

/// The pool's cap: its workers and queue, whatever the machine.
const POOL: Holds = Holds::AtMost(64);

/// Every echo server of the book, by the name the chapter uses.
pub fn servers() -> Vec<(&'static str, Serve)> {
    vec![
        ("thread per connection", |a| {
            cli::run(a, Holds::ThreadEach, |addr, c| {
                blocking_io::per_connection::start(addr, c)
            })
        }),
        ("thread pool", |a| {
            cli::run(a, POOL, |addr, c| blocking_io::pool::start(addr, c))
        }),
        ("polling loop", |a| {
            cli::run(a, Holds::DescriptorEach, |addr, c| {
                nonblocking_io::polling::start(addr, c)
            })
        }),
        ("event loop", |a| {
            cli::run(a, Holds::DescriptorEach, |addr, c| {
                event_loop::echo::start(addr, c)
            })
        }),
        ("our runtime", |a| {
            cli::run(a, Holds::DescriptorEach, |addr, c| {
                mini_runtime::echo::start(addr, c)
            })
        }),
        ("our runtime, lean", |a| {
            cli::run(a, Holds::DescriptorEach, |addr, c| {
                crate::lean::with_runtime::start(addr, c)
            })
        }),
        ("tokio, one thread", |a| {
            cli::run(a, Holds::DescriptorEach, |addr, c| {
                tokio_in_practice::echo::start_current_thread(addr, c)
            })
        }),
        ("tokio, one thread, lean", |a| {
            cli::run(a, Holds::DescriptorEach, |addr, c| {
                crate::lean::with_tokio::start_current_thread(addr, c)
            })
        }),
        ("tokio, 2 workers", |a| {
            let c = |addr: &str, c: blocking_io::Config| {
                let config = blocking_io::Config { workers: 2, ..c };
                tokio_in_practice::echo::start(addr, config)
            };
            cli::run(a, Holds::DescriptorEach, c)
        }),
    ]
}

#[derive(Debug, Parser)]
struct ServeCli {
    #[command(flatten)]
    server: ServerArgs,
}

/// If this process was started as a server, runs it and exits; otherwise
/// returns at once.
pub fn serve_if_asked() {
    let Ok(name) = std::env::var(SERVE_ENV) else {
        return;
    };
    let cli = ServeCli::parse();
    // Every connection is a descriptor or two (a server may keep a copy of
    // a socket to answer on): make room for that many, as far as the hard
    // limit allows. Not the hard limit itself: on macOS it may be
    // "unlimited", and the kernel refuses a soft limit that high.
    if let Some((_, hard)) = crate::limits::open_files()
        && let Some(cap) = cli.server.max_connections
    {
        let needed = (cap as u64).saturating_mul(2).saturating_add(64);
        let _ = crate::limits::ensure_open_files(needed.min(hard));
    }
    let code = match servers().into_iter().find(|(n, _)| *n == name) {
        Some((_, serve)) => match serve(&cli.server) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("server {name:?} failed: {e}");
                1
            }
        },
        None => {
            eprintln!("no server named {name:?}");
            2
        }
    };
    std::process::exit(code);
}

/// A server running in a child process. Dropping it kills the process.
#[derive(Debug)]
pub struct ServerProcess {
    child: Child,
    addr: SocketAddr,
    /// The last lines it wrote on stderr, for error messages.
    stderr: Arc<Mutex<VecDeque<String>>>,
}

/// How long a server may take to say where it listens.
const STARTUP: Duration = Duration::from_secs(20);
/// How many of its last stderr lines are kept.
const STDERR_LINES: usize = 20;

/// What the operating system says about a process.
#[derive(Debug, Clone, Copy)]
pub struct ProcessStats {
    /// CPU time used so far, all threads together.
    pub cpu: Duration,
    /// Resident memory, in bytes.
    pub resident: u64,
    /// Threads (Linux only).
    pub threads: Option<usize>,
}

impl ServerProcess {
    /// Starts server `name` (one of [`servers`]) on a free port of
    /// 127.0.0.1, allowing `max_connections`, and waits until it listens.
    pub fn spawn(name: &str, max_connections: usize) -> Result<ServerProcess> {
        let me = std::env::current_exe().context("finding this program")?;
        let child = Command::new(me)
            .env(SERVE_ENV, name)
            .args(["--addr", "127.0.0.1:0", "--max-connections"])
            .arg(max_connections.to_string())
            // Idle clients are the point of some runs: no idle timeout to
            // speak of.
            .args(["--timeout", "3600"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting server {name:?}"))?;
        // From here on, any early return drops `server`, which kills the
        // child: no server is left behind.
        let mut server = ServerProcess {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            stderr: Arc::default(),
        };
        // Its stderr is kept (the last lines), to explain a failure; its
        // stdout after the first line is read and dropped, so that it
        // never blocks on a full pipe.
        let stderr = server.child.stderr.take().expect("piped");
        keep_last_lines(BufReader::new(stderr), Arc::clone(&server.stderr));
        let stdout = server.child.stdout.take().expect("piped");
        let (first_tx, first_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut stdout = BufReader::new(stdout);
            let mut first = String::new();
            let read = stdout.read_line(&mut first).map(|_| first);
            let _ = first_tx.send(read);
            let mut sink = Vec::new();
            while stdout.read_until(b'\n', &mut sink).is_ok_and(|n| n > 0) {
                sink.clear();
            }
        });
        let first = match first_rx.recv_timeout(STARTUP) {
            Ok(read) => read.context("reading the server's first line")?,
            Err(_) => bail!(
                "server {name:?} did not say where it listens within {} s{}",
                STARTUP.as_secs(),
                server.said()
            ),
        };
        let said = first.trim().strip_prefix("listening on ");
        // `listening on ADDR (at most N connections)`: the address is the
        // first word.
        let Some(addr) = said.and_then(|rest| rest.split_whitespace().next())
        else {
            // Give it a moment to finish its error message.
            std::thread::sleep(Duration::from_millis(200));
            bail!(
                "server {name:?} did not say where it listens (it said \
                 {first:?}){}",
                server.said()
            );
        };
        server.addr =
            addr.parse().with_context(|| format!("parsing {addr:?}"))?;
        Ok(server)
    }

    /// What it last said on stderr, as the end of an error message.
    fn said(&self) -> String {
        let lines = self.stderr.lock().unwrap_or_else(|e| e.into_inner());
        if lines.is_empty() {
            String::new()
        } else {
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            format!("; its stderr ended with:\n{}", lines.join("\n"))
        }
    }

    /// Its process ID.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its CPU time, memory and threads now.
    pub fn stats(&self) -> Option<ProcessStats> {
        process_stats(self.child.id())
    }

    /// Starts watching it: its threads and memory are sampled every 50 ms
    /// until [`Watch::finish`], which also gives the CPU time used.
    pub fn watch(&self) -> Watch {
        let pid = self.child.id();
        let start = process_stats(pid);
        let (stop_tx, stop_rx) = std::sync::mpsc::channel::<()>();
        let sampler = std::thread::spawn(move || {
            let mut peak = Peak::default();
            let mut cpu = Vec::new();
            loop {
                if let Some(now) = process_stats(pid) {
                    peak.resident = peak.resident.max(now.resident);
                    peak.threads = peak.threads.max(now.threads);
                    cpu.push((Instant::now(), now.cpu));
                }
                match stop_rx.recv_timeout(Duration::from_millis(50)) {
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => continue,
                    _ => {
                        // One last sample, so that the samples bracket
                        // whatever window ended before the stop.
                        if let Some(now) = process_stats(pid) {
                            cpu.push((Instant::now(), now.cpu));
                        }
                        return (peak, cpu);
                    }
                }
            }
        });
        Watch {
            pid,
            start,
            began: Instant::now(),
            stop: stop_tx,
            sampler,
        }
    }

    /// Stops it as Ctrl-C would, and waits (at most 10 s, then kills it).
    pub fn stop(mut self) -> Result<()> {
        self.interrupt();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait()? {
                if !status.success() {
                    bail!("the server exited with {status}{}", self.said());
                }
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        bail!(
            "the server did not stop within 10 s of Ctrl-C{}",
            self.said()
        )
    }

    fn interrupt(&self) {
        #[cfg(unix)]
        {
            if let Ok(pid) = i32::try_from(self.child.id()) {
                let _ = nix::sys::signal::kill(
                    nix::unistd::Pid::from_raw(pid),
                    nix::sys::signal::Signal::SIGINT,
                );
            }
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// What a [`Watch`] saw: the most threads and memory at any sample, and
/// the CPU time used while watching, as a share of one core.
#[derive(Debug, Clone, Copy, Default)]
pub struct Peak {
    pub threads: Option<usize>,
    pub resident: u64,
    /// CPU time used divided by the time watched (1.0 = one core busy).
    pub cores: Option<f64>,
}

/// A server being watched; see [`ServerProcess::watch`].
#[derive(Debug)]
pub struct Watch {
    pid: u32,
    start: Option<ProcessStats>,
    began: Instant,
    stop: std::sync::mpsc::Sender<()>,
    /// The peaks, and the CPU time used so far at each sample.
    sampler: std::thread::JoinHandle<(Peak, Vec<(Instant, Duration)>)>,
}

impl Watch {
    /// Stops watching and says what was seen; the CPU share is over the
    /// whole time watched.
    pub fn finish(self) -> Peak {
        let end = process_stats(self.pid);
        let watched = self.began.elapsed().as_secs_f64();
        let _ = self.stop.send(());
        let (mut peak, _) = self.sampler.join().unwrap_or_default();
        if let (Some(a), Some(b)) = (self.start, end) {
            peak.cores =
                Some(b.cpu.saturating_sub(a.cpu).as_secs_f64() / watched);
        }
        peak
    }

    /// Stops watching and says what was seen; the CPU share is over
    /// `window` alone (a load's measured time, say; see [`cpu_share`]), so
    /// that connecting and warming up do not count.
    pub fn finish_over(self, window: (Instant, Instant)) -> Peak {
        let _ = self.stop.send(());
        let (mut peak, samples) = self.sampler.join().unwrap_or_default();
        peak.cores = cpu_share(&samples, window);
        peak
    }
}

/// CPU time per second of wall time over the window `(from, to)`: the CPU
/// time used by each edge is interpolated between the two samples around
/// it (assuming a steady pace between samples), so that idle time just
/// outside the window does not count. `None` unless samples bracket both
/// edges.
pub fn cpu_share(
    samples: &[(Instant, Duration)],
    (from, to): (Instant, Instant),
) -> Option<f64> {
    let wall = to.checked_duration_since(from)?.as_secs_f64();
    let used = cpu_at(samples, to)? - cpu_at(samples, from)?;
    (wall > 0.0).then(|| used.max(0.0) / wall)
}

/// CPU seconds used by `at`, between the last sample at or before it and
/// the first at or after it.
fn cpu_at(samples: &[(Instant, Duration)], at: Instant) -> Option<f64> {
    let (t0, c0) = samples.iter().rev().find(|(t, _)| *t <= at)?;
    let (t1, c1) = samples.iter().find(|(t, _)| *t >= at)?;
    let (c0, c1) = (c0.as_secs_f64(), c1.as_secs_f64());
    let span = t1.checked_duration_since(*t0)?.as_secs_f64();
    if span == 0.0 {
        return Some(c0);
    }
    let part = at.checked_duration_since(*t0)?.as_secs_f64() / span;
    Some(c0 + (c1 - c0) * part)
}

fn process_stats(pid: u32) -> Option<ProcessStats> {
    use sysinfo::{Pid, ProcessRefreshKind, ProcessesToUpdate, System};
    let mut system = System::new();
    let id = Pid::from_u32(pid);
    system.refresh_processes_specifics(
        ProcessesToUpdate::Some(&[id]),
        true,
        // Not its threads one by one (sysinfo lists them by default):
        // with ten thousand threads that costs more than the rest.
        ProcessRefreshKind::nothing()
            .with_memory()
            .with_cpu()
            .without_tasks(),
    );
    let process = system.process(id)?;
    Some(ProcessStats {
        cpu: Duration::from_millis(process.accumulated_cpu_time()),
        resident: process.memory(),
        threads: threads_of(pid),
    })
}

fn keep_last_lines(
    mut from: impl BufRead + Send + 'static,
    into: Arc<Mutex<VecDeque<String>>>,
) {
    std::thread::spawn(move || {
        let mut line = Vec::new();
        while from.read_until(b'\n', &mut line).is_ok_and(|n| n > 0) {
            let mut lines = into.lock().unwrap_or_else(|e| e.into_inner());
            if lines.len() == STDERR_LINES {
                lines.pop_front();
            }
            lines.push_back(String::from_utf8_lossy(&line).trim_end().into());
            line.clear();
        }
    });
}

/// Threads of process `pid`, from `/proc` (Linux only).
fn threads_of(pid: u32) -> Option<usize> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
}
