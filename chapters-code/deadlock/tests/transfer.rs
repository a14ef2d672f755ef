//! The bank transfer of `src/transfer.rs`: both versions move the money, and
//! the ordered one survives transfers in opposite directions on real
//! threads. (That the plain one can deadlock, and in which interleavings,
//! `tests/shuttle.rs` shows.)
//!
//! Real threads and the standard library's lock: under `--cfg shuttle` the
//! accounts' lock is shuttle's, which works only inside a shuttle test.

#![cfg(not(shuttle))]

use std::sync::Mutex;
use std::thread;
use std::time::Duration;

use deadlock::transfer::{transfer, transfer_ordered};

fn balances(a: &Mutex<i64>, b: &Mutex<i64>) -> (i64, i64) {
    (*a.lock().unwrap(), *b.lock().unwrap())
}

#[test]
fn transfer_moves_the_money() {
    let (a, b) = (Mutex::new(100), Mutex::new(100));
    transfer(&a, &b, 30);
    assert_eq!(balances(&a, &b), (70, 130));
    transfer(&b, &a, 50);
    assert_eq!(balances(&a, &b), (120, 80));
}

#[test]
fn transfer_ordered_moves_the_money_either_way() {
    let (a, b) = (Mutex::new(100), Mutex::new(100));
    transfer_ordered(&a, &b, 30);
    assert_eq!(balances(&a, &b), (70, 130));
    transfer_ordered(&b, &a, 50);
    assert_eq!(balances(&a, &b), (120, 80));
    // To itself: nothing moves, and nothing locks twice.
    transfer_ordered(&a, &a, 10);
    assert_eq!(balances(&a, &b), (120, 80));
}

#[test]
fn ordered_transfers_in_opposite_directions_finish() {
    const ROUNDS: i64 = 20_000;
    let (a, b) = support::guard::guarded(
        Duration::from_secs(20),
        "the opposite ordered transfers finished",
        || {
            let (a, b) = (Mutex::new(100), Mutex::new(100));
            thread::scope(|s| {
                s.spawn(|| {
                    (0..ROUNDS).for_each(|_| transfer_ordered(&a, &b, 1))
                });
                s.spawn(|| {
                    (0..ROUNDS).for_each(|_| transfer_ordered(&b, &a, 2))
                });
            });
            balances(&a, &b)
        },
    );
    // A to B moved ROUNDS, B to A moved twice that: nothing got lost.
    assert_eq!((a, b), (100 + ROUNDS, 100 - ROUNDS));
}
