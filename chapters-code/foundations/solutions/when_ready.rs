//! The book's solution to the exercise in `src/exercises/when_ready.rs`.

use std::sync::mpsc::{self, Sender};
use std::thread;

use crate::graph::{Task, TaskGraph};

/// Runs every task of `graph` with `run`, each on a thread of its own,
/// starting it as soon as every task it needs has finished; returns the
/// tasks in the order in which they finished.
///
/// # Panics
/// If the graph has a cycle: then some tasks can never start.
pub fn run_when_ready(
    graph: &TaskGraph,
    run: impl Fn(Task) + Sync,
) -> Vec<Task> {
    let run = &run;
    let all: Vec<Task> = graph.tasks().collect();
    let mut started: Vec<Task> = Vec::new();
    let mut finished: Vec<Task> = Vec::new();
    let (done_tx, done_rx) = mpsc::channel();
    thread::scope(|scope| {
        while finished.len() < all.len() {
            // Start every task whose needs have all finished.
            for &task in &all {
                let ready = !started.contains(&task)
                    && graph.needs(task).iter().all(|n| finished.contains(n));
                if ready {
                    started.push(task);
                    let report = Report {
                        task,
                        done: done_tx.clone(),
                    };
                    scope.spawn(move || {
                        run(report.task);
                        drop(report);
                    });
                }
            }
            assert!(
                started.len() > finished.len(),
                "the task graph has a cycle"
            );
            // Wait for any running task to finish.
            match done_rx.recv() {
                Ok((task, false)) => finished.push(task),
                // A task panicked: stop, and let the scope wait for the
                // running tasks and pass the panic on.
                _ => break,
            }
        }
    });
    finished
}

/// Tells the scheduler that a task's thread is done, when dropped: after
/// the task returns, or while it unwinds from a panic (without this, the
/// scheduler would wait forever for a task that will never finish).
struct Report {
    task: Task,
    done: Sender<(Task, bool)>,
}

impl Drop for Report {
    fn drop(&mut self) {
        // The receiver lives as long as any task runs.
        let _ = self.done.send((self.task, thread::panicking()));
    }
}
