//! The same CPU-heavy tasks on tokio's two runtimes. A current-thread
//! runtime runs every task on the thread that called `block_on`: tasks
//! take turns. A multi-thread runtime has a worker per core (here, as many
//! as asked for), each with a queue of its own; a worker whose queue is
//! empty steals half of another's.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use support::measure::{Usage, measure, spin_cpu};

/// Which runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// `Builder::new_current_thread()`.
    CurrentThread,
    /// `Builder::new_multi_thread()` with this many workers.
    MultiThread(usize),
}

/// One task's run: which thread, from when to when.
#[derive(Debug, Clone)]
pub struct TaskRun {
    /// The task's number.
    pub task: usize,
    /// The name of the thread it ran on.
    pub thread: String,
    /// When it started, since the run's start.
    pub start: Duration,
    /// When it ended.
    pub end: Duration,
}

// ANCHOR: runtimes
/// Builds the runtime, then from inside one task spawns `tasks` tasks that
/// each compute for `cpu`, and waits for them all.
pub fn cpu_tasks(
    flavor: Flavor,
    tasks: usize,
    cpu: Duration,
) -> (Vec<TaskRun>, Usage) {
    let runtime = match flavor {
        Flavor::CurrentThread => {
            tokio::runtime::Builder::new_current_thread().build()
        }
        Flavor::MultiThread(workers) => {
            let n = AtomicUsize::new(0);
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(workers)
                .thread_name_fn(move || {
                    format!("worker-{}", n.fetch_add(1, Ordering::SeqCst))
                })
                .build()
        }
    }
    .expect("a runtime can be built");
    let start = Instant::now();
    let (runs, usage) = measure(|| {
        runtime.block_on(async {
            // Spawned from a task: on a multi-thread runtime, the children
            // land in the queue of the worker running this parent, and an
            // idle worker steals from it.
            let parent = tokio::spawn(async move {
                let children: Vec<_> = (0..tasks)
                    .map(|task| {
                        tokio::spawn(async move {
                            let began = start.elapsed();
                            spin_cpu(cpu);
                            let thread = thread::current()
                                .name()
                                .unwrap_or("unnamed")
                                .to_string();
                            TaskRun {
                                task,
                                thread,
                                start: began,
                                end: start.elapsed(),
                            }
                        })
                    })
                    .collect();
                let mut runs = Vec::new();
                for child in children {
                    runs.push(child.await.expect("a task does not panic"));
                }
                runs
            });
            parent.await.expect("the parent does not panic")
        })
    });
    (runs, usage)
}
// ANCHOR_END: runtimes

/// The distinct threads that ran tasks, in order of first use.
pub fn threads(runs: &[TaskRun]) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    let mut by_start: Vec<&TaskRun> = runs.iter().collect();
    by_start.sort_by_key(|r| r.start);
    for run in by_start {
        if !seen.contains(&run.thread) {
            seen.push(run.thread.clone());
        }
    }
    seen
}

/// Whether two tasks ran at overlapping times on different threads.
pub fn overlapped(runs: &[TaskRun]) -> bool {
    runs.iter().any(|a| {
        runs.iter()
            .any(|b| a.thread != b.thread && a.start < b.end && b.start < a.end)
    })
}
