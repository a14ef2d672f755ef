//! Rayon is not async: a job that blocks keeps its worker. On a pool of two
//! threads, while one job waits on a channel, a whole parallel iterator
//! runs on the one remaining worker.

use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::mpsc;
use std::time::Duration;

use rayon::prelude::*;

#[test]
fn a_blocked_job_takes_its_worker_out_of_the_pool() {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let (started_tx, started_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let pool = &pool;
    pool.scope(move |s| {
        // A job that blocks, as a blocking read or a sleep would.
        s.spawn(move |_| {
            started_tx.send(rayon::current_thread_index()).unwrap();
            // Waits until the test releases it (or a generous timeout).
            let _ = release_rx.recv_timeout(Duration::from_secs(60));
        });
        let blocked = started_rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the blocking job started");
        // Now 200 small tasks: only the other worker is free to run them.
        let workers = Mutex::new(HashSet::new());
        pool.install(|| {
            (0..200).into_par_iter().for_each(|_| {
                workers
                    .lock()
                    .unwrap()
                    .insert(rayon::current_thread_index());
            })
        });
        release_tx.send(()).unwrap();
        let workers = workers.into_inner().unwrap();
        assert_eq!(workers.len(), 1, "{workers:?}");
        assert!(
            !workers.contains(&blocked),
            "the blocked worker ran nothing"
        );
    });
}
