//! Two ways to run a task graph: one task at a time, and wave by wave with a
//! thread for every task of a wave.

use std::thread;

use crate::graph::{Task, TaskGraph};

// ANCHOR: sequential
/// Runs the tasks one after another, in `order`, on the calling thread.
pub fn run_sequential(order: &[Task], run: impl Fn(Task)) {
    for &task in order {
        run(task);
    }
}
// ANCHOR_END: sequential

// ANCHOR: parallel
/// Runs the graph wave by wave: all the tasks of a wave at once, each on its
/// own thread, and the next wave when the whole wave has finished.
///
/// `run` gets the task and the number of its thread within the wave (1, 2,
/// ...), so a timeline can draw each thread in its own row.
pub fn run_in_waves(graph: &TaskGraph, run: impl Fn(Task, usize) + Sync) {
    let run = &run;
    for wave in graph.waves() {
        // A scope waits for every thread spawned in it before it returns:
        // the next wave cannot start before this one is done.
        thread::scope(|scope| {
            for (n, &task) in wave.iter().enumerate() {
                scope.spawn(move || run(task, n + 1));
            }
        });
    }
}
// ANCHOR_END: parallel

#[cfg(test)]
mod tests;
