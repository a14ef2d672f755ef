//! A Mutex, an atomic fetch_add and per-thread counts all count exactly,
//! every time.

use shared_state::fixes::{atomic_count, local_count, mutex_count};

type Count = fn(usize, u64) -> u64;
const FIXES: [(&str, Count); 3] = [
    ("Mutex", mutex_count),
    ("fetch_add", atomic_count),
    ("local counts", local_count),
];

#[test]
fn two_threads_count_exactly_two_million() {
    for (name, count) in FIXES {
        for run in 0..5 {
            assert_eq!(count(2, 1_000_000), 2_000_000, "{name}, run {run}");
        }
    }
}

#[test]
fn more_threads_than_cores_count_exactly_too() {
    for (name, count) in FIXES {
        assert_eq!(count(8, 50_000), 400_000, "{name}");
    }
}
