//! Thread-local storage: each thread's copy starts from the initial value
//! and is its own; its destructor runs when the thread exits.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

use sync_primitives::local::{
    WorkerCount, add_to_at_exit, count_event, count_in_workers, counted_here,
};

#[test]
fn every_thread_counts_on_its_own_copy() {
    // This test's thread counts 5 first.
    let before = counted_here();
    for _ in 0..5 {
        count_event();
    }
    let counts = count_in_workers(&[10, 20, 30]);
    assert_eq!(
        counts.workers,
        [10, 20, 30].map(|counted| WorkerCount {
            started_at: 0,
            counted
        })
    );
    // The workers' counting did not touch this thread's copy.
    assert_eq!(counted_here(), before + 5);
}

#[test]
fn destructors_add_the_counts_when_the_threads_exit() {
    let counts = count_in_workers(&[100, 200, 300]);
    assert_eq!(counts.total_before_exit, 0);
    assert_eq!(counts.total_after_join, 600);
}

#[test]
fn a_thread_that_never_asks_adds_nothing() {
    let total = Arc::new(AtomicU64::new(0));
    let asked = Arc::clone(&total);
    thread::spawn(move || {
        add_to_at_exit(&asked);
        count_event();
    })
    .join()
    .unwrap();
    thread::spawn(count_event).join().unwrap();
    assert_eq!(total.load(Ordering::Relaxed), 1);
}
