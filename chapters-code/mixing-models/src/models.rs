//! Five ways to run one workload, after the servers and languages that
//! made them famous.
//!
//! The workload is a burst of requests that all arrive at once: some
//! *wait* (a round trip to the [slow service](crate::service)), some
//! *compute* (a fixed amount of CPU). What we measure is what a user of a
//! server feels: how long the waiting requests take while computing ones
//! run (their *latency*, from arrival to answer), and how long the whole
//! burst takes.
//!
//! - [`Model::OneLoop`]: one event loop on one thread, computing inline:
//!   JavaScript on Node with the computation written in the callback.
//! - [`Model::Nginx`]: one event loop per core, each with its own share of
//!   the requests and nothing shared between them.
//! - [`Model::Node`]: one event loop, plus a small pool of worker threads
//!   (four, libuv's default) for the work that would block the loop.
//! - [`Model::Go`]: M:N, many tasks on one thread per core, with work
//!   stealing (tokio's multi-thread runtime), computing inline. Tokio tasks
//!   switch only at an `.await`; Go's goroutines would be preempted.
//! - [`Model::Erlang`]: a lightweight process per request, reached only by
//!   messages, on the same M:N runtime; a computing process gives the
//!   thread back every millisecond, as the BEAM preempts a process when it
//!   has used up its budget of reductions.

use std::io;
use std::net::SocketAddr;
use std::sync::Barrier;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use support::measure::{Usage, measure, spin_cpu};
use tokio::sync::{mpsc, oneshot};

use crate::service::Connection;

/// The models, in the order the chapter shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    /// One loop, no pool: computations block the loop.
    OneLoop,
    /// A loop per core, the requests split between them.
    Nginx,
    /// One loop and four worker threads for computations.
    Node,
    /// M:N tasks on a thread per core, computing inline.
    Go,
    /// A process per request, messages only, preempted every millisecond.
    Erlang,
}

impl Model {
    /// All five.
    pub const ALL: [Model; 5] = [
        Model::OneLoop,
        Model::Nginx,
        Model::Node,
        Model::Go,
        Model::Erlang,
    ];

    /// A short name, for bars.
    pub fn name(self) -> &'static str {
        match self {
            Model::OneLoop => "one loop",
            Model::Nginx => "nginx",
            Model::Node => "Node",
            Model::Go => "Go-like",
            Model::Erlang => "Erlang-like",
        }
    }

    /// What it is, in tokio terms.
    pub fn how(self) -> &'static str {
        match self {
            Model::OneLoop => "current_thread, compute inline",
            Model::Nginx => "a current_thread per core",
            Model::Node => "current_thread + 4 blocking threads",
            Model::Go => "multi_thread, compute inline",
            Model::Erlang => "multi_thread, actors, yield every ms",
        }
    }
}

/// The burst of requests.
#[derive(Debug, Clone, Copy)]
pub struct Workload {
    /// How many requests wait, and for how long each.
    pub waits: usize,
    /// See `waits`.
    pub wait: Duration,
    /// How many requests compute, and how much CPU each.
    pub computes: usize,
    /// See `computes`.
    pub compute: Duration,
}

impl Default for Workload {
    /// Eight waits of 100 ms and four computations of 150 ms: 600 ms of
    /// CPU, 300 ms on two cores.
    fn default() -> Self {
        Workload {
            waits: 8,
            wait: Duration::from_millis(100),
            computes: 4,
            compute: Duration::from_millis(150),
        }
    }
}

impl Workload {
    /// The requests in order of arrival: the computations spread evenly
    /// among the waits. `true` marks a computation.
    pub fn order(&self) -> Vec<bool> {
        let n = self.waits + self.computes;
        (0..n)
            .map(|i| (i * self.computes) % n < self.computes)
            .collect()
    }
}

/// How one request was handled, in times since the burst's arrival.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    /// Whether it was a computing request (else a waiting one).
    pub computes: bool,
    /// When its handler began: a waiting request sent its question then,
    /// a computing one inline began to compute.
    pub start: Duration,
    /// When it was answered: its latency, since it arrived at 0.
    pub end: Duration,
    /// The thread its handler ended on.
    pub thread: String,
}

impl Served {
    /// Whether `instant` lies strictly inside this request's span.
    pub fn contains(&self, instant: Duration) -> bool {
        self.start < instant && instant < self.end
    }

    /// Whether the two requests' spans share some time.
    pub fn overlaps(&self, other: &Served) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// How a model did.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Which model.
    pub model: Model,
    /// Each waiting request's latency: from its arrival to its answer.
    pub waits: Vec<Duration>,
    /// Each computing request's latency.
    pub computes: Vec<Duration>,
    /// Every request, as it was handled.
    pub served: Vec<Served>,
    /// From the burst's arrival until the last answer.
    pub total: Duration,
    /// Wall and CPU time of the run.
    pub usage: Usage,
}

impl Outcome {
    /// The slowest waiting request.
    pub fn worst_wait(&self) -> Duration {
        self.waits.iter().copied().max().unwrap_or_default()
    }

    /// The requests of one kind: computing (`true`) or waiting.
    pub fn of(&self, computes: bool) -> impl Iterator<Item = &Served> {
        self.served.iter().filter(move |s| s.computes == computes)
    }

    /// The median waiting request.
    pub fn median_wait(&self) -> Duration {
        let mut all = self.waits.clone();
        all.sort();
        all.get(all.len() / 2).copied().unwrap_or_default()
    }
}

/// One request, ready to be handled.
enum Request {
    Wait(Connection, Duration),
    Compute(Duration),
}

/// How a computing request is handled.
#[derive(Debug, Clone, Copy)]
enum Cpu {
    /// In the task, holding its thread until done.
    Inline,
    /// On the runtime's blocking pool.
    Blocking,
    /// In the task, in slices of a millisecond with a yield after each.
    Slices,
}

// ANCHOR: slices
/// Computes `cpu` in slices of 1 ms, giving the thread back after each:
/// the preemption the BEAM does by counting reductions, done by hand.
async fn compute_in_slices(cpu: Duration) {
    let slice = Duration::from_millis(1);
    let mut left = cpu;
    while !left.is_zero() {
        let now = left.min(slice);
        spin_cpu(now);
        left -= now;
        // Lets the runtime check its I/O and run other tasks.
        tokio::task::yield_now().await;
    }
}
// ANCHOR_END: slices

/// When and where a request was handled.
#[derive(Debug)]
struct Handled {
    start: Instant,
    end: Instant,
    thread: String,
}

/// The name of the current thread, for the record.
fn thread_name() -> String {
    let me = thread::current();
    me.name()
        .map(str::to_string)
        .unwrap_or_else(|| format!("{:?}", me.id()))
}

/// Handles one request; returns when it began and when it was answered.
async fn handle(request: Request, cpu: Cpu) -> io::Result<Handled> {
    let start = Instant::now();
    match request {
        Request::Wait(mut conn, wait) => conn.round_trip(wait).await?,
        Request::Compute(cost) => match cpu {
            Cpu::Inline => {
                spin_cpu(cost);
            }
            Cpu::Blocking => {
                tokio::task::spawn_blocking(move || spin_cpu(cost))
                    .await
                    .map_err(io::Error::other)?;
            }
            Cpu::Slices => compute_in_slices(cost).await,
        },
    }
    Ok(Handled {
        start,
        end: Instant::now(),
        thread: thread_name(),
    })
}

impl Handled {
    /// The record of a request, in times since `t0`.
    fn since(self, t0: Instant, computes: bool) -> Served {
        Served {
            computes,
            start: self.start - t0,
            end: self.end - t0,
            thread: self.thread,
        }
    }
}

/// Opens a connection per waiting request among `order`, in the runtime
/// that will use them.
async fn prepare(
    order: &[bool],
    workload: &Workload,
    service: SocketAddr,
) -> io::Result<Vec<Request>> {
    let mut requests = Vec::new();
    for &computes in order {
        requests.push(if computes {
            Request::Compute(workload.compute)
        } else {
            let conn = Connection::open(service).await?;
            Request::Wait(conn, workload.wait)
        });
    }
    Ok(requests)
}

/// Every request of a burst, as it was handled, in the order of arrival.
type Latencies = Vec<Served>;

/// Spawns every request as a task at `t0` and collects their latencies.
async fn burst(
    requests: Vec<Request>,
    cpu: Cpu,
    t0: Instant,
) -> io::Result<Latencies> {
    let mut tasks = Vec::new();
    for request in requests {
        let computes = matches!(request, Request::Compute(_));
        tasks.push((computes, tokio::spawn(handle(request, cpu))));
    }
    let mut served = Vec::new();
    for (is_compute, task) in tasks {
        let done = task.await.map_err(io::Error::other)??;
        served.push(done.since(t0, is_compute));
    }
    Ok(served)
}

// ANCHOR: erlang
/// A message to a process: a request, and where to send the answer.
struct Message {
    request: Request,
    reply: oneshot::Sender<io::Result<Handled>>,
}

/// Starts a process: a task that owns its state and its mailbox, and
/// handles one message at a time. Its address is the mailbox's sender.
fn spawn_process() -> mpsc::Sender<Message> {
    let (address, mut mailbox) = mpsc::channel::<Message>(16);
    tokio::spawn(async move {
        while let Some(Message { request, reply }) = mailbox.recv().await {
            let answered = handle(request, Cpu::Slices).await;
            // A sender that stopped waiting does not want the answer.
            let _ = reply.send(answered);
        }
    });
    address
}

/// The Erlang-like burst: a process per request, spoken to only by
/// messages.
async fn erlang_burst(
    requests: Vec<Request>,
    t0: Instant,
) -> io::Result<Latencies> {
    let mut answers = Vec::new();
    for request in requests {
        let computes = matches!(request, Request::Compute(_));
        let process = spawn_process();
        let (reply, answer) = oneshot::channel();
        process
            .send(Message { request, reply })
            .await
            .map_err(|_| io::Error::other("the process is gone"))?;
        answers.push((computes, answer));
    }
    let mut served = Vec::new();
    for (is_compute, answer) in answers {
        let done = answer
            .await
            .map_err(|_| io::Error::other("the process crashed"))??;
        served.push(done.since(t0, is_compute));
    }
    Ok(served)
}
// ANCHOR_END: erlang

/// The number of cores, as the runtimes size their pools.
pub fn cores() -> usize {
    thread::available_parallelism().map_or(1, |n| n.get())
}

/// Runs the workload under `model` against the service at `service`.
pub fn run(
    model: Model,
    workload: &Workload,
    service: SocketAddr,
) -> io::Result<Outcome> {
    let order = workload.order();
    let (result, usage) = measure(|| match model {
        Model::OneLoop => {
            on_one_loop(&order, workload, service, 1, Cpu::Inline)
        }
        Model::Node => on_one_loop(&order, workload, service, 4, Cpu::Blocking),
        Model::Nginx => nginx(&order, workload, service),
        Model::Go | Model::Erlang => m_to_n(model, &order, workload, service),
    });
    let (served, total) = result?;
    let latencies = |computes: bool| -> Vec<Duration> {
        served
            .iter()
            .filter(|s| s.computes == computes)
            .map(|s| s.end)
            .collect()
    };
    Ok(Outcome {
        model,
        waits: latencies(false),
        computes: latencies(true),
        served,
        total,
        usage,
    })
}

/// Every request as it was handled, and the total time of a run.
type Timings = (Vec<Served>, Duration);

// ANCHOR: loops
/// One current-thread runtime; `blocking` threads at most in its
/// blocking pool.
fn on_one_loop(
    order: &[bool],
    workload: &Workload,
    service: SocketAddr,
    blocking: usize,
    cpu: Cpu,
) -> io::Result<Timings> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .max_blocking_threads(blocking)
        .build()?;
    runtime.block_on(async {
        let requests = prepare(order, workload, service).await?;
        let t0 = Instant::now();
        let served = burst(requests, cpu, t0).await?;
        Ok((served, t0.elapsed()))
    })
}

/// A current-thread runtime per core, on threads of their own; request
/// `i` goes to loop `i % cores`, and the loops share nothing.
fn nginx(
    order: &[bool],
    workload: &Workload,
    service: SocketAddr,
) -> io::Result<Timings> {
    let loops = cores();
    // Every loop connects first; then all start together.
    let ready = Barrier::new(loops);
    thread::scope(|s| {
        let handles: Vec<_> = (0..loops)
            .map(|n| {
                let mine: Vec<bool> =
                    order.iter().copied().skip(n).step_by(loops).collect();
                let ready = &ready;
                s.spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()?;
                    runtime.block_on(async {
                        let requests = prepare(&mine, workload, service).await;
                        // Wait for the others even after a failure, so
                        // that no loop waits forever at the barrier.
                        ready.wait();
                        let t0 = Instant::now();
                        let served = burst(requests?, Cpu::Inline, t0).await?;
                        io::Result::Ok((served, t0.elapsed()))
                    })
                })
            })
            .collect();
        let mut all: Timings = Default::default();
        for handle in handles {
            // A loop that panicked is a bug in this file: pass it on.
            let (served, total) = handle.join().expect("a loop panicked")?;
            all.0.extend(served);
            all.1 = all.1.max(total);
        }
        Ok(all)
    })
}
// ANCHOR_END: loops

/// Tokio's multi-thread runtime, a worker per core.
fn m_to_n(
    model: Model,
    order: &[bool],
    workload: &Workload,
    service: SocketAddr,
) -> io::Result<Timings> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores())
        // A name per thread, so that the record tells the workers apart.
        .thread_name_fn(|| {
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            format!("worker-{}", NEXT.fetch_add(1, Ordering::Relaxed))
        })
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let requests = prepare(order, workload, service).await?;
        let t0 = Instant::now();
        let served = if model == Model::Erlang {
            erlang_burst(requests, t0).await?
        } else {
            burst(requests, Cpu::Inline, t0).await?
        };
        Ok((served, t0.elapsed()))
    })
}
