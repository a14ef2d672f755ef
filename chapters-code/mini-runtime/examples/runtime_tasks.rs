//! Cell `runtime_tasks`: three tasks on the chapter's runtime,
//! each sleeping a different time. Each is polled once when spawned (its
//! sleep says Pending and leaves a waker with the reactor) and once when
//! its timer wakes it: six polls in all, and the thread sleeps in between.
//@ [[vary]]
//@ what = "elapsed time"
//@ pattern = 'after (\d+) ms'
//@ [[vary]]
//@ what = "times the thread slept"
//@ pattern = 'slept (\d+) times'
//@ [[vary]]
//@ what = "CPU and wall time"
//@ pattern = 'CPU time ([\d.]+) ms of (\d+) ms'
// HIDE_START
use std::sync::Arc;
use std::time::{Duration, Instant};

use mini_runtime::time::sleep;
use mini_runtime::{Runtime, spawn};
use support::measure::measure;
// HIDE_END

fn main() -> std::io::Result<()> {
    let runtime = Runtime::new()?;
    let start = Arc::new(Instant::now());
    let (names, usage) = measure(|| {
        runtime.block_on(async {
            let handles: Vec<_> = [("a", 300), ("b", 100), ("c", 200)]
                .into_iter()
                .map(|(name, ms)| {
                    let start = Arc::clone(&start);
                    spawn(async move {
                        sleep(Duration::from_millis(ms)).await;
                        let at = start.elapsed().as_millis();
                        println!("task {name} woke after {at} ms");
                        name
                    })
                })
                .collect();
            println!("spawned 3 tasks; none has run yet");
            // Awaited in spawn order; they ran in deadline order.
            let mut names = Vec::new();
            for handle in handles {
                names.push(handle.await);
            }
            names
        })
    });
    println!("JoinHandles gave back {names:?}");
    let counts = runtime.counts();
    println!(
        "{} polls of tasks; the thread slept {} times",
        counts.polls, counts.parks
    );
    println!(
        "CPU time {:.1} ms of {:.0} ms wall time",
        usage.cpu.as_secs_f64() * 1e3,
        usage.wall.as_secs_f64() * 1e3
    );
    Ok(())
}
