//! Tests of the chapter's exercises: `cargo test -p crossbeam-tools --test
//! exercises`. They fail until you solve the exercises in `src/exercises/`.

mod blocking_queue {
    use std::collections::HashSet;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::thread;
    use std::time::Duration;

    use crossbeam_tools::exercises::blocking_queue::BlockingQueue;

    /// Runs `f` on a thread of its own; fails if it panicked, or if it has
    /// not returned after a long while (a wait that never ends).
    fn guarded<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
        support::guard::guarded(Duration::from_secs(60), "the test", f)
    }

    #[test]
    fn try_push_hands_the_item_back_when_full_and_try_pop_is_fifo() {
        guarded(|| {
            let q = BlockingQueue::new(2);
            assert_eq!(q.capacity(), 2);
            assert_eq!(q.try_pop(), None);
            assert_eq!(q.try_push("a"), Ok(()));
            assert_eq!(q.try_push("b"), Ok(()));
            assert_eq!(q.try_push("c"), Err("c"));
            assert_eq!(q.try_pop(), Some("a"));
            assert_eq!(q.try_push("c"), Ok(()));
            assert_eq!(q.try_pop(), Some("b"));
            assert_eq!(q.try_pop(), Some("c"));
            assert_eq!(q.try_pop(), None);
        });
    }

    #[test]
    fn push_waits_for_room_and_pop_waits_for_an_item() {
        guarded(|| {
            let q = BlockingQueue::new(1);
            q.push(1);
            let pushed = AtomicBool::new(false);
            thread::scope(|s| {
                s.spawn(|| {
                    q.push(2);
                    pushed.store(true, Ordering::SeqCst);
                });
                // The queue is full: however long we wait, the push cannot
                // have finished before we pop.
                thread::sleep(Duration::from_millis(50));
                assert!(!pushed.load(Ordering::SeqCst), "push did not wait");
                assert_eq!(q.pop(), 1);
            });
            assert!(pushed.load(Ordering::SeqCst));
            assert_eq!(q.pop(), 2);
            // Now empty: a pop waits until another thread pushes.
            thread::scope(|s| {
                let popper = s.spawn(|| q.pop());
                thread::sleep(Duration::from_millis(20));
                q.push(3);
                assert_eq!(popper.join().unwrap(), 3);
            });
        });
    }

    #[test]
    fn many_producers_and_consumers_lose_and_duplicate_nothing() {
        guarded(|| {
            let q = BlockingQueue::new(4);
            let (producers, per) = (3u64, 2_000u64);
            let taken: Vec<u64> = thread::scope(|s| {
                for p in 0..producers {
                    let q = &q;
                    s.spawn(move || {
                        for i in 0..per {
                            q.push(p * per + i);
                        }
                    });
                }
                // Three consumers, each taking a fixed share.
                let consumers: Vec<_> = (0..3)
                    .map(|_| {
                        let q = &q;
                        s.spawn(move || {
                            (0..per).map(|_| q.pop()).collect::<Vec<_>>()
                        })
                    })
                    .collect();
                consumers
                    .into_iter()
                    .flat_map(|c| c.join().unwrap())
                    .collect()
            });
            assert_eq!(taken.len() as u64, producers * per);
            let distinct: HashSet<u64> = taken.iter().copied().collect();
            assert_eq!(distinct.len() as u64, producers * per, "a duplicate");
            assert!(distinct.iter().all(|&x| x < producers * per));
            assert_eq!(q.try_pop(), None);
        });
    }
}
