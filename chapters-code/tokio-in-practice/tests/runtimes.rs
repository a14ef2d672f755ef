//! A current-thread runtime runs every task on one thread; a multi-thread
//! one runs them on its workers, at the same time.

use std::time::Duration;

use tokio_in_practice::runtimes::{Flavor, cpu_tasks, overlapped, threads};

#[test]
fn current_thread_runs_every_task_on_the_caller() {
    let (runs, _) =
        cpu_tasks(Flavor::CurrentThread, 4, Duration::from_millis(20));
    assert_eq!(runs.len(), 4);
    let caller = std::thread::current()
        .name()
        .unwrap_or("unnamed")
        .to_string();
    assert_eq!(threads(&runs), [caller]);
    // One after the other: each task starts after the previous one ended.
    let mut by_start = runs.clone();
    by_start.sort_by_key(|r| r.start);
    for pair in by_start.windows(2) {
        assert!(pair[1].start >= pair[0].end, "{by_start:?}");
    }
}

/// Work stealing: the four tasks are spawned from one worker's task, and
/// the other worker steals some. The OS decides when threads run, so this
/// tries a few times before it gives up.
#[test]
fn multi_thread_runs_tasks_on_several_workers_at_once() {
    let mut seen = Vec::new();
    let parallel = (0..5).any(|_| {
        let (runs, _) =
            cpu_tasks(Flavor::MultiThread(2), 4, Duration::from_millis(50));
        assert_eq!(runs.len(), 4);
        assert!(threads(&runs).iter().all(|t| t.starts_with("worker-")));
        seen.push(threads(&runs));
        threads(&runs).len() == 2 && overlapped(&runs)
    });
    assert!(parallel, "threads per try: {seen:?}");
}
