//! Scoped threads two ways: crossbeam's `crossbeam_utils::thread::scope`,
//! which came first, and `std::thread::scope`, which the standard library
//! adopted in Rust 1.63. Both let threads borrow from the stack of the
//! function that starts them, because both join every thread before the
//! scope returns. They differ in what a panic in a scoped thread does.

use std::any::Any;
use std::panic;
use std::thread;

// ANCHOR: sums
/// Adds up the two halves of `data` on two crossbeam scoped threads, which
/// borrow `data` from our stack: no `Arc`, no copy.
pub fn sum_crossbeam(data: &[u64]) -> u64 {
    let (left, right) = data.split_at(data.len() / 2);
    crossbeam_utils::thread::scope(|s| {
        // Each closure gets the scope too (unused here), so that it could
        // spawn more threads into it.
        let l = s.spawn(|_| left.iter().sum::<u64>());
        let r = s.spawn(|_| right.iter().sum::<u64>());
        // Adding up numbers cannot panic (the sums are far from overflow).
        l.join().unwrap() + r.join().unwrap()
    })
    .expect("no scoped thread panicked")
}

/// The same with the standard library's scoped threads. The closures take
/// no argument, and `scope` returns the value itself, not a `Result`.
pub fn sum_std(data: &[u64]) -> u64 {
    let (left, right) = data.split_at(data.len() / 2);
    thread::scope(|s| {
        let l = s.spawn(|| left.iter().sum::<u64>());
        let r = s.spawn(|| right.iter().sum::<u64>());
        // As above: these threads cannot panic.
        l.join().unwrap() + r.join().unwrap()
    })
}
// ANCHOR_END: sums

/// The text of a panic's payload (what `panic!` was given).
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(not a string)".to_string()
    }
}

// ANCHOR: panics
/// A crossbeam scope in which one of two threads panics and nobody joins
/// it: `scope` itself returns `Err`, holding the panics of every thread
/// that was not joined. Returns their messages.
pub fn crossbeam_scope_with_a_panic() -> Result<u64, Vec<String>> {
    let data = [1, 2, 3];
    crossbeam_utils::thread::scope(|s| {
        s.spawn(|_| panic!("a scoped thread fails"));
        s.spawn(|_| data.iter().sum::<u64>());
        data.len() as u64
    })
    .map_err(|payload| {
        match payload.downcast::<Vec<Box<dyn Any + Send>>>() {
            Ok(panics) => panics.iter().map(|p| panic_message(&**p)).collect(),
            Err(other) => vec![panic_message(&*other)],
        }
    })
}

/// The same with `std::thread::scope`: there is no `Result` to return, so
/// the scope panics in the calling thread once every thread is joined. We
/// catch that panic to show its message.
pub fn std_scope_with_a_panic() -> Result<u64, String> {
    let data = [1, 2, 3];
    panic::catch_unwind(|| {
        thread::scope(|s| {
            s.spawn(|| panic!("a scoped thread fails"));
            s.spawn(|| data.iter().sum::<u64>());
            data.len() as u64
        })
    })
    .map_err(|payload| panic_message(&*payload))
}
// ANCHOR_END: panics
