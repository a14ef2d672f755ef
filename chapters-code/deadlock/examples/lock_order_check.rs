//! Cell `lock_order_check`: a run that did not deadlock, and the
//! lock orders it used, which could have.
// HIDE_START
use std::thread;

use deadlock::tracked::{Registry, lock_both};
// HIDE_END

fn main() {
    let registry = Registry::new();
    let a = registry.lock_named("account A");
    let b = registry.lock_named("account B");
    // The two transfers run one after the other: no deadlock is possible in
    // this run.
    let one = |name: &str, first: &_, second: &_| {
        thread::scope(|s| {
            thread::Builder::new()
                .name(name.into())
                .spawn_scoped(s, || {
                    let _first = deadlock::tracked::Lock::lock(first)
                        .expect("nobody else runs");
                    let _second = deadlock::tracked::Lock::lock(second)
                        .expect("nobody else runs");
                    println!("{name}: done");
                })
                .expect("a thread starts");
        });
    };
    one("transfer A->B", &a, &b);
    one("transfer B->A", &b, &a);
    match registry.order_cycle() {
        Some(cycle) => {
            // Back to where it started: it is a cycle.
            let (path, start) = (cycle.join(" -> "), &cycle[0]);
            println!("Lock-order check: potential deadlock: {path} -> {start}")
        }
        None => println!("Lock-order check: no cycle"),
    }

    // With one global order, the same check is clean.
    let registry = Registry::new();
    let a = registry.lock_named("account A");
    let b = registry.lock_named("account B");
    for (name, from, to) in
        [("transfer A->B", &a, &b), ("transfer B->A", &b, &a)]
    {
        thread::scope(|s| {
            thread::Builder::new()
                .name(name.into())
                .spawn_scoped(s, || {
                    drop(lock_both(from, to).expect("nobody else runs"))
                })
                .expect("a thread starts");
        });
    }
    match registry.order_cycle() {
        Some(cycle) => println!(
            "With lock_both: potential deadlock: {}",
            cycle.join(" -> ")
        ),
        None => println!("With lock_both: no cycle"),
    }
}
