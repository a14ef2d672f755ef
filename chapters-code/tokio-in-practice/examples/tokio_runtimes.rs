//! The Tokio chapter's cell `tokio_runtimes`: four tasks that each compute for
//! 250 ms of CPU time, on a current-thread runtime and on a multi-thread
//! runtime with two workers. Which threads ran them, and how long did it
//! take?
//@ timeout = 30
//@ [[vary]]
//@ what = "time"
//@ pattern = '(\d+) ms'
//@ [[vary]]
//@ what = "ratio"
//@ pattern = '([\d.]+) CPU'
//@ [[vary]]
//@ what = "how many threads got tasks (one, under load)"
//@ pattern = '(\d+) threads ran tasks'
//@ [[vary]]
//@ what = "which worker"
//@ pattern = 'on (worker-\d|main)'
// HIDE_START
use std::time::Duration;

use support::timeline::Timeline;
use tokio_in_practice::runtimes::{Flavor, cpu_tasks, threads};
// HIDE_END

fn main() -> std::io::Result<()> {
    let timeline = Timeline::new();
    let mut offset = Duration::ZERO;
    for (name, flavor) in [
        ("current_thread", Flavor::CurrentThread),
        ("multi_thread(2)", Flavor::MultiThread(2)),
    ] {
        let (runs, usage) = cpu_tasks(flavor, 4, Duration::from_millis(250));
        println!("{name}:");
        for run in &runs {
            println!("  task {} on {}", run.task, run.thread);
            let lane = format!("{name}: {}", run.thread);
            let label = format!("task {}", run.task);
            timeline.add(lane, label, offset + run.start, offset + run.end);
        }
        println!(
            "  {} threads ran tasks; wall {} ms, {:.2} CPU seconds per second",
            threads(&runs).len(),
            usage.wall.as_millis(),
            usage.cpu_per_wall()
        );
        offset += usage.wall + Duration::from_millis(50);
    }
    timeline.show(
        "runtimes",
        "The same four tasks on each runtime, from start to end (not CPU time)",
    )
}
