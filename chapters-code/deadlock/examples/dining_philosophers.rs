//! Cell `dining_philosophers`: five philosophers, five forks;
//! each takes the left fork, then the right. A deadlock, found and broken;
//! then the fix by ordering the forks.
//@ timeout = 30
// HIDE_START
use std::sync::Barrier;
use std::thread;
use std::time::Duration;

use deadlock::tracked::Registry;
use support::timeline::Timeline;
// HIDE_END

const N: usize = 5;
const MEALS: usize = 10;

fn main() -> std::io::Result<()> {
    let registry = Registry::new();
    let forks: Vec<_> = (0..N)
        .map(|i| registry.lock_named(&format!("fork {i}")))
        .collect();
    // Everyone takes the left fork before anyone reaches for the right one.
    let all_hold_left = Barrier::new(N);
    registry.watch(Duration::from_millis(100), || {
        thread::scope(|s| {
            for i in 0..N {
                let (left, right) = (&forks[i], &forks[(i + 1) % N]);
                let all_hold_left = &all_hold_left;
                let name = format!("philosopher {i}");
                thread::Builder::new().name(name.clone()).spawn_scoped(
                    s,
                    move || {
                        let _left = left.lock().expect("no fork is held yet");
                        all_hold_left.wait();
                        match right.lock() {
                            Ok(_right) => println!("{name} ate"),
                            Err(_) => println!(
                                "{name} gave up and put the left fork down"
                            ),
                        }
                    },
                )?;
            }
            Ok::<(), std::io::Error>(())
        })
    })?;
    for cycle in registry.deadlocks() {
        println!(
            "\nThe watchdog found a deadlock of {} threads:",
            cycle.len()
        );
        for step in cycle {
            println!(
                "  {} holds {} and waits for {}",
                step.thread, step.holds, step.waits_for
            );
        }
    }

    // The fix: number the forks and always take the lower-numbered one
    // first. Philosopher 4 now reaches for fork 0 before fork 4.
    let registry = Registry::new();
    let forks: Vec<_> = (0..N)
        .map(|i| registry.lock_named(&format!("fork {i}")))
        .collect();
    let timeline = Timeline::new();
    // Rows in the order the philosophers sit (an empty span each).
    for i in 0..N {
        timeline.add(
            format!("philosopher {i}"),
            "",
            Duration::ZERO,
            Duration::ZERO,
        );
    }
    registry.watch(Duration::from_millis(100), || {
        thread::scope(|s| {
            for i in 0..N {
                let (a, b) = (i, (i + 1) % N);
                let (first, second) = (&forks[a.min(b)], &forks[a.max(b)]);
                let timeline = &timeline;
                thread::Builder::new()
                    .name(format!("philosopher {i}"))
                    .spawn_scoped(s, move || {
                        for _ in 0..MEALS {
                            let _first = first
                                .lock()
                                .expect("ordered forks never deadlock");
                            let _second = second
                                .lock()
                                .expect("ordered forks never deadlock");
                            let lane = format!("philosopher {i}");
                            timeline.record(lane, "", || {
                                thread::sleep(Duration::from_millis(5))
                            });
                        }
                    })?;
            }
            Ok::<(), std::io::Error>(())
        })
    })?;
    println!(
        "\nWith ordered forks: {N} philosophers ate {MEALS} times each; deadlocks found: {}",
        registry.deadlocks().len()
    );
    timeline.show("meals", "Ordered forks: when each philosopher ate")
}
