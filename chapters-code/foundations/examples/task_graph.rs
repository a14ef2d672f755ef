//! Cell `task_graph`: the graph 1 -> {2, 3, 4} -> 5, every order
//! one worker could run it in, and how long it takes run one task at a time
//! versus wave by wave on several threads.
//@ timeout = 30
//@ [[vary]]
//@ what = "measured"
//@ pattern = '(\d+\.\d\d)'
//@ [[vary]]
//@ what = "cores"
//@ pattern = 'cores: (\d+)'
// HIDE_START
use std::thread::available_parallelism;
use std::time::Duration;

use foundations::graph::{Task, TaskGraph};
use foundations::schedule::{run_in_waves, run_sequential};
use support::measure::{measure, spin_cpu};
use support::timeline::Timeline;
// HIDE_END

/// How much computing each task does: `spin_cpu` keeps the thread busy
/// until the thread itself has used this much CPU time.
const WORK: Duration = Duration::from_millis(200);

fn main() -> std::io::Result<()> {
    // Five tasks; (a, b) means task a must finish before task b starts.
    let tasks = [1, 2, 3, 4, 5];
    let edges = [(1, 2), (1, 3), (1, 4), (2, 5), (3, 5), (4, 5)];
    let graph = TaskGraph::new(&tasks, &edges);

    let orders = graph.orders();
    let waves = graph.waves();
    println!(
        "Waves: {}",
        waves
            .iter()
            .map(|w| format!("[{}]", spaced(w)))
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!(
        "{} orders run it correctly, one task at a time:",
        orders.len()
    );
    for order in &orders {
        println!("  {}", spaced(order));
    }

    let timeline = Timeline::new();
    let ((), one_by_one) = measure(|| {
        run_sequential(&orders[0], |task| {
            timeline.record("one thread", format!("task {task}"), || {
                spin_cpu(WORK)
            });
        })
    });
    let ((), wave_by_wave) = measure(|| {
        run_in_waves(&graph, |task, thread| {
            timeline.record(
                format!("wave, thread {thread}"),
                format!("task {task}"),
                || spin_cpu(WORK),
            );
        })
    });

    // The best a wave can do: its tasks spread evenly over the cores. A wave
    // of three tasks on two cores lasts one and a half task-times.
    let cores = available_parallelism().map_or(1, |n| n.get());
    let task_times: f64 = waves
        .iter()
        .map(|wave| wave.len() as f64 / wave.len().min(cores) as f64)
        .sum();
    let best = tasks.len() as f64 / task_times;

    println!(
        "\nEach task: {} ms of CPU time.   wall time   CPU time",
        WORK.as_millis()
    );
    println!(
        "  one task at a time:            {:6.2} s    {:6.2} s",
        secs(one_by_one.wall),
        secs(one_by_one.cpu)
    );
    println!(
        "  wave by wave:                  {:6.2} s    {:6.2} s",
        secs(wave_by_wave.wall),
        secs(wave_by_wave.cpu)
    );
    println!(
        "Speedup {:.2}x; the best possible here is {best:.2}x (cores: {cores}).",
        secs(one_by_one.wall) / secs(wave_by_wave.wall)
    );
    timeline.show(
        "task-graph",
        "The same tasks: one at a time, then wave by wave",
    )
}

// HIDE_START
fn spaced(order: &[Task]) -> String {
    order
        .iter()
        .map(|t| t.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}
// HIDE_END
