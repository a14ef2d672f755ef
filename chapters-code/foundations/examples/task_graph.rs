//! Chapter 1, cell `task_graph`: the graph 1 -> {2, 3, 4} -> 5, every order
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

/// How much computing each task does.
const WORK: Duration = Duration::from_millis(200);

fn main() -> std::io::Result<()> {
    let graph = TaskGraph::chapter_example();
    let orders = graph.orders();
    println!("Task graph: 1 -> {{2, 3, 4}} -> 5");
    println!("{} orders run it correctly, one task at a time:", orders.len());
    for order in &orders {
        println!("  {}", spaced(order));
    }

    let timeline = Timeline::new();
    let ((), one_by_one) = measure(|| {
        run_sequential(&orders[0], |task| {
            timeline.record("one thread", format!("task {task}"), || spin_cpu(WORK));
        })
    });
    let ((), waves) = measure(|| {
        run_in_waves(&graph, |task, thread| {
            timeline.record(format!("wave, thread {thread}"), format!("task {task}"), || spin_cpu(WORK));
        })
    });

    // Three independent tasks in the middle; with fewer than three cores
    // they take turns, and the middle wave lasts longer than one task.
    let cores = available_parallelism().map_or(1, |n| n.get());
    let middle_wave = 3.0 / cores.min(3) as f64;
    let best = 5.0 / (1.0 + middle_wave + 1.0);

    println!("\nEach task computes for {} ms.   wall time   CPU time", WORK.as_millis());
    println!("  one task at a time:            {:6.2} s    {:6.2} s", secs(one_by_one.wall), secs(one_by_one.cpu));
    println!("  wave by wave, 2 3 4 at once:   {:6.2} s    {:6.2} s", secs(waves.wall), secs(waves.cpu));
    println!("Speedup {:.2}x; the best possible here is {best:.2}x (cores: {cores}).", secs(one_by_one.wall) / secs(waves.wall));
    timeline.show("task-graph", "The same five tasks: one at a time, then wave by wave")
}

// HIDE_START
fn spaced(order: &[Task]) -> String {
    order.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(" ")
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}
// HIDE_END
