//! The mixed program: three waits and three computations, started
//! together on one current-thread tokio runtime.
//!
//! The waits are round trips to the [slow service](crate::service), each
//! of a known length. The computations use a known amount of CPU time
//! ([`spin_cpu`]). Each records when it started and ended. They are run
//! two ways:
//!
//! - [`Placement::Offloaded`], done right: each computation is sent to a
//!   rayon pool, and its task waits for the answer on a oneshot channel.
//!   The runtime's thread only starts things and collects answers, so the
//!   waits overlap the computations.
//! - [`Placement::Inline`], done wrong: each computation runs inside its
//!   async task. The runtime's one thread is busy computing, and an
//!   answer that has arrived from the service cannot be read until the
//!   computation ends.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use support::measure::spin_cpu;
use support::timeline::Timeline;
use tokio::sync::oneshot;

use crate::service::Connection;

/// Where the computations run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// On a rayon pool, awaited through a oneshot channel.
    Offloaded,
    /// Inside their async tasks, on the runtime's thread.
    Inline,
}

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A round trip to the slow service.
    Wait,
    /// A computation.
    Compute,
}

/// One job of a run, as it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// A wait or a computation.
    pub kind: Kind,
    /// How long it was meant to take: the service's delay for a wait, the
    /// CPU time for a computation.
    pub nominal: Duration,
    /// When it started and ended, since the run's start.
    pub start: Duration,
    /// See `start`.
    pub end: Duration,
    /// The thread it ended on (a wait) or computed on (a computation).
    pub thread: String,
}

impl Job {
    /// Its name in tables and timelines, e.g. `wait 200 ms`.
    pub fn name(&self) -> String {
        let what = match self.kind {
            Kind::Wait => "wait",
            Kind::Compute => "compute",
        };
        format!("{what} {} ms", self.nominal.as_millis())
    }

    /// Whether `instant` lies strictly inside this job's span.
    pub fn contains(&self, instant: Duration) -> bool {
        self.start < instant && instant < self.end
    }

    /// Whether the two jobs' spans share some time.
    pub fn overlaps(&self, other: &Job) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// The program's plan: how long each wait and each computation is.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The service's delay for each wait.
    pub waits: Vec<Duration>,
    /// The CPU time of each computation.
    pub computes: Vec<Duration>,
}

impl Default for Plan {
    /// Three waits of 100, 200 and 400 ms; three computations of 300, 200
    /// and 100 ms of CPU: 600 ms in all, 300 ms on two cores.
    fn default() -> Self {
        let ms = Duration::from_millis;
        Plan {
            waits: vec![ms(100), ms(200), ms(400)],
            computes: vec![ms(300), ms(200), ms(100)],
        }
    }
}

/// A run of the mixed program.
#[derive(Debug, Clone)]
pub struct MixedRun {
    /// How the computations were placed.
    pub placement: Placement,
    /// The waits, then the computations, in the plan's order.
    pub jobs: Vec<Job>,
    /// From the start until the last job ended.
    pub total: Duration,
    /// The name of the runtime's thread.
    pub runtime_thread: String,
}

impl MixedRun {
    /// The jobs of one kind.
    pub fn of(&self, kind: Kind) -> impl Iterator<Item = &Job> {
        self.jobs.iter().filter(move |j| j.kind == kind)
    }

    /// The run as a timeline: a lane per job.
    pub fn timeline(&self) -> Timeline {
        let timeline = Timeline::new();
        for job in &self.jobs {
            let label = match (job.kind, job.thread == self.runtime_thread) {
                (Kind::Wait, _) => "waiting",
                (Kind::Compute, true) => "computing inline",
                (Kind::Compute, false) => "computing on rayon",
            };
            timeline.add(job.name(), label, job.start, job.end);
        }
        timeline
    }
}

/// The name of the current thread, for the record.
fn thread_name() -> String {
    let me = thread::current();
    me.name()
        .map(str::to_string)
        .unwrap_or_else(|| format!("{:?}", me.id()))
}

/// A rayon pool with one thread per core, its threads named `rayon-N`.
pub fn cpu_pool() -> io::Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("rayon-{i}"))
        .build()
        .map_err(io::Error::other)
}

// ANCHOR: compute
/// One computation, placed as `placement` says. Returns its (start, end)
/// since `t0` and the thread it ran on.
async fn compute(
    placement: Placement,
    pool: Arc<rayon::ThreadPool>,
    cpu: Duration,
    t0: Instant,
) -> (Duration, Duration, String) {
    match placement {
        // Wrong: the task computes, and the runtime's thread with it.
        // Nothing else on this thread runs until `spin_cpu` returns.
        Placement::Inline => {
            let start = t0.elapsed();
            spin_cpu(cpu);
            (start, t0.elapsed(), thread_name())
        }
        // Right: the computation goes to the pool; the task waits for
        // the answer with `.await`, which gives the thread back.
        Placement::Offloaded => {
            let (tx, rx) = oneshot::channel();
            pool.spawn(move || {
                let start = t0.elapsed();
                spin_cpu(cpu);
                // The receiving task is awaiting this; if it had gone
                // away there would be nobody to tell.
                let _ = tx.send((start, t0.elapsed(), thread_name()));
            });
            // The pool runs every job it is given; `spin_cpu` does not
            // panic, so the sender is never dropped unsent.
            rx.await.expect("the pool ran the computation")
        }
    }
}
// ANCHOR_END: compute

// ANCHOR: run
/// Runs the plan's waits and computations together on a fresh
/// current-thread runtime, against the slow service at `service`.
pub fn run(
    placement: Placement,
    plan: &Plan,
    service: SocketAddr,
    pool: Arc<rayon::ThreadPool>,
) -> io::Result<MixedRun> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        // Connect first, so that a wait is one request and one answer.
        let mut connections = Vec::new();
        for _ in &plan.waits {
            connections.push(Connection::open(service).await?);
        }
        let t0 = Instant::now();
        let mut tasks = Vec::new();
        for (&wait, mut conn) in plan.waits.iter().zip(connections) {
            tasks.push(tokio::spawn(async move {
                let start = t0.elapsed();
                conn.round_trip(wait).await?;
                let job = Job {
                    kind: Kind::Wait,
                    nominal: wait,
                    start,
                    end: t0.elapsed(),
                    thread: thread_name(),
                };
                io::Result::Ok(job)
            }));
        }
        for &cpu in &plan.computes {
            let pool = Arc::clone(&pool);
            tasks.push(tokio::spawn(async move {
                let (start, end, thread) =
                    compute(placement, pool, cpu, t0).await;
                let kind = Kind::Compute;
                Ok(Job {
                    kind,
                    nominal: cpu,
                    start,
                    end,
                    thread,
                })
            }));
        }
        let mut jobs = Vec::new();
        for task in tasks {
            jobs.push(task.await.map_err(io::Error::other)??);
        }
        let total = t0.elapsed();
        let runtime_thread = thread_name();
        Ok(MixedRun {
            placement,
            jobs,
            total,
            runtime_thread,
        })
    })
}
// ANCHOR_END: run
