//! Tests of the chapter's exercises: `cargo test -p message-passing --test
//! exercises`. They fail until you solve the exercises in `src/exercises/`.

mod ordered_map {
    use std::collections::HashSet;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Condvar, Mutex};
    use std::thread;
    use std::time::Duration;

    use message_passing::exercises::ordered_map::ordered_map;

    /// Runs `f` on a thread of its own and returns what it returned; fails
    /// if it panicked, or if it has not returned after a long while (a
    /// receive loop whose senders are not all dropped never ends).
    fn guarded<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
        support::guard::guarded(Duration::from_secs(60), "ordered_map", f)
    }

    #[test]
    fn results_come_back_in_the_order_of_the_items() {
        guarded(|| {
            for workers in 1..=4 {
                let items: Vec<u64> = (0..500).collect();
                let squares = ordered_map(items, workers, |x| {
                    // Uneven work, so that results finish out of order.
                    if x % 7 == 0 {
                        thread::sleep(Duration::from_micros(200));
                    }
                    x * x
                });
                let expected: Vec<u64> = (0..500).map(|x| x * x).collect();
                assert_eq!(squares, expected, "{workers} workers");
            }
            let none: Vec<String> =
                ordered_map(Vec::new(), 3, |x: u8| x.to_string());
            assert!(none.is_empty());
            // Items that are not Copy, and results of another type.
            let words = vec!["one".to_string(), "three".to_string()];
            assert_eq!(ordered_map(words, 2, |w| w.len()), [3, 5]);
        });
    }

    #[test]
    fn f_runs_once_per_item_on_at_most_workers_threads() {
        let (calls, threads, most_at_once) = guarded(|| {
            let calls = AtomicUsize::new(0);
            let running = AtomicUsize::new(0);
            let most_at_once = AtomicUsize::new(0);
            let threads = Mutex::new(HashSet::new());
            let caller = thread::current().id();
            ordered_map((0..200).collect(), 3, |_: u32| {
                calls.fetch_add(1, Ordering::SeqCst);
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most_at_once.fetch_max(now, Ordering::SeqCst);
                assert_ne!(thread::current().id(), caller, "f ran on a worker");
                threads.lock().unwrap().insert(thread::current().id());
                thread::sleep(Duration::from_micros(100));
                running.fetch_sub(1, Ordering::SeqCst);
            });
            (
                calls.into_inner(),
                threads.into_inner().unwrap().len(),
                most_at_once.into_inner(),
            )
        });
        assert_eq!(calls, 200, "f ran once per item");
        assert!((1..=3).contains(&threads), "{threads} worker threads");
        assert!(most_at_once <= 3, "{most_at_once} items at once");
    }

    /// A count that threads can wait on, for a while, to reach a number.
    struct Count {
        n: Mutex<usize>,
        changed: Condvar,
    }

    impl Count {
        fn new() -> Self {
            Count {
                n: Mutex::new(0),
                changed: Condvar::new(),
            }
        }

        fn add_one(&self) {
            *self.n.lock().unwrap() += 1;
            self.changed.notify_all();
        }

        /// Whether the count reached `target` within a generous while.
        fn reaches(&self, target: usize) -> bool {
            let n = self.n.lock().unwrap();
            let (n, _) = self
                .changed
                .wait_timeout_while(n, Duration::from_secs(10), |n| *n < target)
                .unwrap();
            *n >= target
        }
    }

    #[test]
    fn the_workers_run_at_the_same_time() {
        // Each of three items waits until all three have started: only
        // three workers at once get them all there.
        let met = guarded(|| {
            let started = Count::new();
            ordered_map(vec![0, 1, 2], 3, |_: u8| {
                started.add_one();
                started.reaches(3)
            })
        });
        assert_eq!(met, [true, true, true]);
    }

    #[test]
    fn a_free_worker_takes_the_next_item() {
        // Item 0 is stuck until the nine others are done, so one worker
        // must take all nine while the other is busy with item 0. A pool
        // that gave each worker its share in advance would wait forever.
        let results = guarded(|| {
            let others_done = Count::new();
            ordered_map((0..10).collect(), 2, |x: usize| {
                if x == 0 {
                    return others_done.reaches(9);
                }
                others_done.add_one();
                true
            })
        });
        assert_eq!(results, [true; 10], "item 0 saw the other nine finish");
    }
}
