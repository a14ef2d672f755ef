//! `rayon::join`: the recursive sum is right for every cutoff, the second
//! closure of a `join` is stolen by the other worker, and a traced run
//! records every piece once.

use std::time::Duration;

use data_parallelism::recursion::{
    first_waits_for_second, join_sum, traced_pieces,
};
use support::timeline::Timeline;

#[test]
fn join_sum_is_right_for_every_cutoff() {
    let data: Vec<u64> = (0..100_001).collect();
    let expected: u64 = data.iter().sum();
    for cutoff in [0, 1, 2, 3, 1000, 100_000, 1_000_000] {
        assert_eq!(join_sum(&data, cutoff), expected, "cutoff {cutoff}");
    }
    assert_eq!(join_sum(&[], 1), 0);
}

/// `a` waits for `b` to start, and `join` runs `a` on the calling thread:
/// so `b` can only start on the other worker, after stealing it. If `join`
/// ran its closures one after the other, `a` would wait out the timeout
/// and the test would fail (it does not hang).
#[test]
fn the_second_closure_is_stolen_by_the_other_worker() {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    for _ in 0..20 {
        let (a, b, saw_b) =
            pool.install(|| first_waits_for_second(Duration::from_secs(30)));
        assert!(saw_b, "b started while a was still running");
        assert!(
            a.is_some() && b.is_some() && a != b,
            "a on {a:?}, b on {b:?}"
        );
    }
}

/// On a pool of one thread nobody can steal: `a` waits in vain and `b`
/// runs after it, on the same worker. This is the control experiment.
#[test]
fn with_one_worker_nothing_is_stolen() {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let (a, b, saw_b) =
        pool.install(|| first_waits_for_second(Duration::from_millis(50)));
    assert!(!saw_b);
    assert_eq!((a, b), (Some(0), Some(0)));
}

#[test]
fn a_traced_run_records_each_piece_once_and_first_closures_stay_home() {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let costs: Vec<Duration> =
        (1..=8).map(|i| Duration::from_micros(300 * i)).collect();
    let timeline = Timeline::new();
    let trace = pool.install(|| traced_pieces(&costs, &timeline));
    assert_eq!(trace.worker_of_piece.len(), 8);
    assert!(trace.worker_of_piece.iter().all(|&w| w < 2), "{trace:?}");
    // Halving 8 pieces down to single ones takes 7 joins.
    assert_eq!(trace.joins, 7);
    assert!(trace.stolen <= trace.joins);
    assert!(
        trace.first_on_caller,
        "join runs its first closure in place"
    );
    let labels: Vec<String> =
        timeline.spans().into_iter().map(|s| s.label).collect();
    assert_eq!(labels.len(), 8);
    for i in 0..8 {
        assert!(labels.contains(&format!("piece {i}")), "{labels:?}");
    }
}

#[test]
fn on_one_worker_the_trace_shows_no_steals() {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let costs = vec![Duration::from_micros(100); 5];
    let trace = pool.install(|| traced_pieces(&costs, &Timeline::new()));
    assert_eq!(trace.stolen, 0);
    assert_eq!(trace.joins, 4);
    assert_eq!(trace.worker_of_piece, [0; 5]);
}
