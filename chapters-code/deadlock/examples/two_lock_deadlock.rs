//! Cell `two_lock_deadlock`: two transfers lock two accounts in
//! opposite orders and deadlock; a watchdog finds the cycle and breaks it.
//! Then the same transfers, with both locks always taken in one order.
//@ timeout = 30
// HIDE_START
use std::sync::Barrier;
use std::thread;
use std::time::Duration;

use deadlock::tracked::{Lock, Registry, Step, lock_both};
use support::diagram::{Diagram, Edge, Node};
// HIDE_END

const WATCH_EVERY: Duration = Duration::from_millis(100);

fn main() {
    let registry = Registry::new();
    let a = registry.lock_named("account A");
    let b = registry.lock_named("account B");
    // Both transfers take their first lock, then wait here until the other
    // has too: the deadlock is certain, not a matter of timing.
    let both_hold_one = Barrier::new(2);
    let transfer = |from: &Lock, to: &Lock| {
        let name = thread::current().name().unwrap_or("?").to_string();
        // Nothing is held yet, so no deadlock can involve this first wait.
        let _from = from.lock().expect("the first lock");
        both_hold_one.wait();
        match to.lock() {
            Ok(_to) => println!("{name}: moved the money"),
            Err(gave_up) => {
                println!("{name}: gave up waiting for {}", gave_up.lock)
            }
        }
    };
    registry.watch(WATCH_EVERY, || {
        thread::scope(|s| {
            spawn_named(s, "transfer A->B", || transfer(&a, &b));
            spawn_named(s, "transfer B->A", || transfer(&b, &a));
        })
    });
    for cycle in registry.deadlocks() {
        println!("\nThe watchdog found a deadlock:");
        for step in &cycle {
            println!(
                "  {} holds {} and waits for {}",
                step.thread, step.holds, step.waits_for
            );
        }
        // The picture of this cycle, drawn from what the watchdog found.
        support::diagram::show(&wait_for_picture(&cycle))
            .expect("the figure is written");
    }

    // The fix: both transfers take the two locks in one global order.
    let registry = Registry::new();
    let a = registry.lock_named("account A");
    let b = registry.lock_named("account B");
    let rounds = 2_000;
    registry.watch(WATCH_EVERY, || {
        thread::scope(|s| {
            for (name, from, to) in [("A->B", &a, &b), ("B->A", &b, &a)] {
                spawn_named(s, name, move || {
                    for _ in 0..rounds {
                        let _both = lock_both(from, to)
                            .expect("ordered locks never deadlock");
                    }
                });
            }
        })
    });
    println!(
        "\nWith one lock order: {} transfers, deadlocks found: {}",
        2 * rounds,
        registry.deadlocks().len()
    );
}

// HIDE_START
/// The wait-for cycle the watchdog found, as a diagram: round the ring,
/// each thread waits for a lock, which the next thread holds.
fn wait_for_picture(cycle: &[Step]) -> Diagram {
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for (i, step) in cycle.iter().enumerate() {
        let lock = format!("lock {}", step.waits_for);
        nodes.push(Node {
            id: step.thread.clone(),
            label: step.thread.clone(),
            shape: Some("oval".into()),
            group: None,
        });
        nodes.push(Node {
            id: lock.clone(),
            label: step.waits_for.clone(),
            shape: None,
            group: None,
        });
        let next = &cycle[(i + 1) % cycle.len()].thread;
        edges.push(Edge {
            from: step.thread.clone(),
            to: lock.clone(),
            label: Some("waits for".into()),
        });
        edges.push(Edge {
            from: lock,
            to: next.clone(),
            label: Some("held by".into()),
        });
    }
    Diagram {
        name: "cycle".into(),
        title: "The cycle the watchdog found".into(),
        how_to_read: "Drawn from this run's registry: each oval is a thread, \
                      each box a lock. Follow the arrows round: every thread \
                      waits for a lock that the next thread holds."
            .into(),
        summary: format!(
            "{} threads, each waiting for a lock another of them holds.",
            cycle.len()
        ),
        direction: None,
        groups: Vec::new(),
        nodes,
        edges,
    }
}

fn spawn_named<'s>(
    s: &'s thread::Scope<'s, '_>,
    name: &str,
    f: impl FnOnce() + Send + 's,
) {
    thread::Builder::new()
        .name(name.into())
        .spawn_scoped(s, f)
        .expect("a thread starts");
}
// HIDE_END
