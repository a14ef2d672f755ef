//! Tests of the chapter's exercises: `cargo test -p sync-primitives --test
//! exercises`. They fail until you solve the exercises in `src/exercises/`.

mod barrier {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc::{self, RecvTimeoutError};
    use std::thread;
    use std::time::Duration;

    use sync_primitives::exercises::barrier::Barrier;

    /// Runs `f` on a thread of its own and returns what it returned; fails
    /// if it panicked, or if it has not returned after a long while (a
    /// barrier that loses a wake-up makes its threads sleep forever).
    fn guarded<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
        support::guard::guarded(
            Duration::from_secs(60),
            "the barrier's threads",
            f,
        )
    }

    #[test]
    fn a_barrier_for_one_never_waits() {
        let leaders = guarded(|| {
            let barrier = Barrier::new(1);
            (0..3).map(|_| barrier.wait()).collect::<Vec<bool>>()
        });
        assert_eq!(leaders, [true, true, true], "alone, always the leader");
    }

    #[test]
    fn nobody_passes_before_the_last_one_arrives() {
        let barrier = Arc::new(Barrier::new(3));
        let arrived = Arc::new(AtomicUsize::new(0));
        let (passed_tx, passed_rx) = mpsc::channel();
        for _ in 0..2 {
            let (barrier, arrived) = (barrier.clone(), arrived.clone());
            let passed_tx = passed_tx.clone();
            thread::spawn(move || {
                arrived.fetch_add(1, Ordering::SeqCst);
                let leader = barrier.wait();
                passed_tx.send(leader).unwrap();
            });
        }
        drop(passed_tx);
        while arrived.load(Ordering::SeqCst) < 2 {
            thread::yield_now();
        }
        // Two of three are at the barrier (or about to be): give them time
        // to pass it by mistake. None may.
        match passed_rx.recv_timeout(Duration::from_millis(200)) {
            Err(RecvTimeoutError::Timeout) => {}
            Ok(_) => panic!("a thread passed with two of three there"),
            Err(RecvTimeoutError::Disconnected) => {
                panic!("both threads ended without passing (did they panic?)")
            }
        }
        let mut leaders = vec![guarded_wait(barrier)];
        for _ in 0..2 {
            let leader = passed_rx
                .recv_timeout(Duration::from_secs(30))
                .expect("the third arrival let the other two through");
            leaders.push(leader);
        }
        assert_eq!(leaders.iter().filter(|&&l| l).count(), 1, "{leaders:?}");
    }

    fn guarded_wait(barrier: Arc<Barrier>) -> bool {
        guarded(move || barrier.wait())
    }

    #[test]
    fn round_after_round_one_leader_and_nobody_ahead() {
        const THREADS: usize = 4;
        const ROUNDS: usize = 300;
        let (leaders, wrong) = guarded(|| {
            let barrier = Arc::new(Barrier::new(THREADS));
            let arrivals = Arc::new(AtomicUsize::new(0));
            let threads: Vec<_> = (0..THREADS)
                .map(|_| {
                    let (barrier, arrivals) =
                        (barrier.clone(), arrivals.clone());
                    thread::spawn(move || {
                        let mut led = 0;
                        let mut wrong = Vec::new();
                        for round in 0..ROUNDS {
                            arrivals.fetch_add(1, Ordering::SeqCst);
                            if barrier.wait() {
                                led += 1;
                            }
                            // Everyone arrived in this round; nobody can be
                            // past the next one, which needs this thread.
                            let seen = arrivals.load(Ordering::SeqCst);
                            let least = THREADS * (round + 1);
                            if seen < least || seen >= least + THREADS {
                                wrong.push((round, seen));
                            }
                        }
                        (led, wrong)
                    })
                })
                .collect();
            let mut leaders = 0;
            let mut wrong = Vec::new();
            for t in threads {
                let (led, w) = t.join().unwrap();
                leaders += led;
                wrong.extend(w);
            }
            (leaders, wrong)
        });
        assert!(
            wrong.is_empty(),
            "(round, arrivals seen) out of step: {wrong:?}"
        );
        assert_eq!(leaders, ROUNDS, "one leader per round");
    }
}
