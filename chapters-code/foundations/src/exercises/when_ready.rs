//! Exercise: every task as soon as it is ready.
//!
//! `schedule::run_in_waves` runs the graph wave by wave: a task of the next
//! wave waits for the *whole* wave before it, even for tasks it does not
//! need. Take `1 -> 3` and a task 2 that needs nothing: 1 and 2 form the
//! first wave, and if 2 is long, 3 waits for it although 3 only needs 1.
//! Waiting for what you do not need wastes the freedom the graph gives.
//!
//! Write a scheduler that starts each task, on a thread of its own, the
//! moment the last of the tasks it needs has finished, whatever else is
//! still running, and returns the tasks in the order in which they
//! finished.
//!
//! Hints: the tasks that need nothing can start at once. Then the calling
//! thread waits for any running task to finish, and only a finished task
//! can make others ready. A channel tells it which one finished:
//! `let (done_tx, done_rx) = std::sync::mpsc::channel();` gives two ends; each
//! task's thread, given its own `done_tx.clone()`, runs the task and then sends
//! its number with `send(task)`, and `done_rx.recv()` waits for the next number
//! to arrive. (The message-passing chapter is about channels; this is all of
//! them you need here.) Start the threads in a `thread::scope`, as
//! `run_in_waves` does, so that they may borrow `run`; but one scope for the
//! whole graph, not one per wave. `graph.needs(task)` lists what a task needs.

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
    let _ = (graph, run);
    todo!("start each task when the tasks it needs have finished")
}
