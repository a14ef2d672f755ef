//! Deadlocks happen, are found and broken; lock ordering prevents them; the
//! lock-order check sees the danger on a run that did not deadlock.

use std::sync::Barrier;
use std::thread;
use std::time::Duration;

use deadlock::tracked::{Lock, Registry, Step, lock_both};

const WATCH: Duration = Duration::from_millis(20);

fn spawn_named<'s>(
    s: &'s thread::Scope<'s, '_>,
    name: &str,
    f: impl FnOnce() + Send + 's,
) {
    thread::Builder::new()
        .name(name.into())
        .spawn_scoped(s, f)
        .unwrap();
}

#[test]
fn opposite_orders_deadlock_and_the_watchdog_breaks_it() {
    let registry = Registry::new();
    let (a, b) = (registry.lock_named("A"), registry.lock_named("B"));
    let barrier = Barrier::new(2);
    let outcomes = std::sync::Mutex::new(Vec::new());
    let go = |first: &Lock, second: &Lock| {
        let _first = first.lock().unwrap();
        barrier.wait();
        let ok = second.lock().is_ok();
        outcomes
            .lock()
            .unwrap()
            .push((thread::current().name().unwrap().to_string(), ok));
    };
    registry.watch(WATCH, || {
        thread::scope(|s| {
            spawn_named(s, "t1", || go(&a, &b));
            spawn_named(s, "t2", || go(&b, &a));
        })
    });
    let deadlocks = registry.deadlocks();
    assert_eq!(
        deadlocks,
        vec![vec![
            Step {
                thread: "t1".into(),
                holds: "A".into(),
                waits_for: "B".into()
            },
            Step {
                thread: "t2".into(),
                holds: "B".into(),
                waits_for: "A".into()
            },
        ]]
    );
    let mut outcomes = outcomes.into_inner().unwrap();
    outcomes.sort();
    // The victim gave up; the other then got its second lock.
    assert_eq!(
        outcomes,
        [("t1".to_string(), false), ("t2".to_string(), true)]
    );
}

#[test]
fn one_lock_order_never_deadlocks() {
    let registry = Registry::new();
    let (a, b) = (registry.lock_named("A"), registry.lock_named("B"));
    registry.watch(WATCH, || {
        thread::scope(|s| {
            for (name, x, y) in [("t1", &a, &b), ("t2", &b, &a)] {
                spawn_named(s, name, move || {
                    for _ in 0..20_000 {
                        let _both = lock_both(x, y).expect("never a victim");
                    }
                });
            }
        })
    });
    assert!(registry.deadlocks().is_empty());
    assert_eq!(registry.order_cycle(), None);
}

#[test]
fn dining_philosophers_deadlock_in_a_ring_and_ordered_forks_do_not() {
    let n = 5;
    let registry = Registry::new();
    let forks: Vec<_> = (0..n)
        .map(|i| registry.lock_named(&format!("f{i}")))
        .collect();
    let barrier = Barrier::new(n);
    registry.watch(WATCH, || {
        thread::scope(|s| {
            for i in 0..n {
                let (left, right, barrier) =
                    (&forks[i], &forks[(i + 1) % n], &barrier);
                spawn_named(s, &format!("p{i}"), move || {
                    let _l = left.lock().unwrap();
                    barrier.wait();
                    let _ = right.lock();
                });
            }
        })
    });
    let deadlocks = registry.deadlocks();
    assert_eq!(deadlocks.len(), 1);
    assert_eq!(deadlocks[0].len(), n, "the whole table is on the cycle");

    let registry = Registry::new();
    let forks: Vec<_> = (0..n)
        .map(|i| registry.lock_named(&format!("f{i}")))
        .collect();
    registry.watch(WATCH, || {
        thread::scope(|s| {
            for i in 0..n {
                let (x, y) = (i.min((i + 1) % n), i.max((i + 1) % n));
                let (first, second) = (&forks[x], &forks[y]);
                spawn_named(s, &format!("p{i}"), move || {
                    for _ in 0..2_000 {
                        let _a = first.lock().expect("never a victim");
                        let _b = second.lock().expect("never a victim");
                    }
                });
            }
        })
    });
    assert!(registry.deadlocks().is_empty());
}

#[test]
fn the_order_check_sees_a_deadlock_that_did_not_happen() {
    let registry = Registry::new();
    let (a, b) = (registry.lock_named("A"), registry.lock_named("B"));
    for (x, y) in [(&a, &b), (&b, &a)] {
        thread::scope(|s| {
            spawn_named(s, "one at a time", || {
                let _x = x.lock().unwrap();
                let _y = y.lock().unwrap();
            })
        });
    }
    assert!(registry.deadlocks().is_empty(), "no deadlock happened");
    assert_eq!(
        registry.order_cycle(),
        Some(vec!["A".to_string(), "B".to_string()])
    );
}
