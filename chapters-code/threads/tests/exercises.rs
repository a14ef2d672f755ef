//! Tests of the chapter's exercises: `cargo test -p threads --test
//! exercises`. They fail until you solve the exercises in `src/exercises/`.

mod chunks {
    use std::collections::HashSet;
    use std::panic::{self, AssertUnwindSafe};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Condvar, Mutex};
    use std::thread;
    use std::time::Duration;

    use threads::exercises::chunks::in_chunks;

    #[test]
    fn the_pieces_cover_the_slice_in_order() {
        for n in 0..=20u32 {
            let items: Vec<u32> = (0..n).collect();
            for threads in 1..=6 {
                let pieces = in_chunks(&items, threads, |c| c.to_vec());
                let whole: Vec<u32> = pieces.concat();
                assert_eq!(whole, items, "{n} items on {threads} threads");
                let lens: Vec<usize> = pieces.iter().map(Vec::len).collect();
                assert_eq!(
                    lens.len(),
                    threads.min(items.len()),
                    "{n} items on {threads} threads: pieces of {lens:?}"
                );
                let (min, max) = (lens.iter().min(), lens.iter().max());
                if let (Some(&min), Some(&max)) = (min, max) {
                    assert!(
                        min >= 1 && max - min <= 1,
                        "{n} items on {threads} threads: pieces of {lens:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_parallel_sum_equals_the_sequential_one() {
        let numbers: Vec<u64> = (0..1_000_003).map(|i| i * 7 % 1000).collect();
        let expected: u64 = numbers.iter().sum();
        for threads in 1..=8 {
            let sums = in_chunks(&numbers, threads, |c| c.iter().sum::<u64>());
            assert_eq!(sums.len(), threads);
            assert_eq!(sums.iter().sum::<u64>(), expected, "{threads} threads");
        }
    }

    /// Threads that meet: each arrival waits until `expected` have arrived,
    /// and says whether they did (rather than waiting forever).
    struct Meeting {
        arrived: Mutex<usize>,
        all_here: Condvar,
        expected: usize,
    }

    impl Meeting {
        fn arrive(&self) -> bool {
            let mut arrived = self.arrived.lock().unwrap();
            *arrived += 1;
            self.all_here.notify_all();
            let (arrived, _) = self
                .all_here
                .wait_timeout_while(arrived, Duration::from_secs(5), |n| {
                    *n < self.expected
                })
                .unwrap();
            *arrived >= self.expected
        }
    }

    #[test]
    fn each_piece_runs_on_a_thread_of_its_own_at_the_same_time() {
        let items: Vec<u32> = (0..10).collect();
        let calls = AtomicUsize::new(0);
        // Each piece waits until all four are running.
        let meeting = Meeting {
            arrived: Mutex::new(0),
            all_here: Condvar::new(),
            expected: 4,
        };
        let ran = in_chunks(&items, 4, |_| {
            calls.fetch_add(1, Ordering::Relaxed);
            (thread::current().id(), meeting.arrive())
        });
        assert_eq!(calls.load(Ordering::Relaxed), 4, "work ran once a piece");
        let ids: HashSet<_> = ran.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids.len(), 4, "four pieces, four threads");
        assert!(
            !ids.contains(&thread::current().id()),
            "the calling thread only waits; the pieces run on new threads"
        );
        assert!(
            ran.iter().all(|(_, met)| *met),
            "the four pieces ran at the same time"
        );
    }

    #[test]
    fn a_panic_in_work_reaches_the_caller_as_it_was() {
        let items: Vec<u32> = (1..=10).collect();
        let result = panic::catch_unwind(AssertUnwindSafe(|| {
            in_chunks(&items, 3, |c| {
                if c.contains(&7) {
                    panic!("seven is unlucky");
                }
                c.len()
            })
        }));
        let payload = result.expect_err("the panic reached the caller");
        let message = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str));
        assert_eq!(message, Some("seven is unlucky"));
    }
}
