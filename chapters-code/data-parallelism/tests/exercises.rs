//! Tests of the chapter's exercises: `cargo test -p data-parallelism --test
//! exercises`. They fail until you solve the exercises in `src/exercises/`.

mod merge_sort {
    use std::cmp::Ordering;
    use std::collections::HashSet;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
    use std::thread;
    use std::time::{Duration, Instant};

    use data_parallelism::exercises::merge_sort::par_merge_sort;

    /// Runs `f` on a thread of its own and returns what it returned; fails
    /// if it panicked or has not returned after a long while.
    fn guarded<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
        support::guard::guarded(Duration::from_secs(120), "par_merge_sort", f)
    }

    /// Numbers in a scrambled but reproducible order.
    fn scrambled(n: usize, modulo: u64) -> Vec<u64> {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x % modulo
            })
            .collect()
    }

    fn check(mut v: Vec<u64>, what: &str) {
        let mut expected = v.clone();
        expected.sort();
        par_merge_sort(&mut v);
        assert_eq!(v, expected, "{what}");
    }

    #[test]
    fn sorts_every_kind_of_input() {
        guarded(|| {
            check(vec![], "empty");
            check(vec![7], "one element");
            check(vec![2, 1], "two elements");
            check((0..10_000).collect(), "already sorted");
            check((0..10_000).rev().collect(), "reversed");
            check(vec![5; 5000], "all equal");
            check(scrambled(20_000, 10), "many duplicates");
            check(scrambled(200_003, u64::MAX), "large, odd length");
            for n in [1023, 1024, 1025, 2047, 2048, 2049, 4097] {
                check(
                    scrambled(n, 1000),
                    &format!("{n} elements, near the cutoff"),
                );
            }
        });
    }

    #[test]
    fn sorts_other_types_too() {
        guarded(|| {
            let mut words: Vec<&str> =
                "the quick brown fox jumps over the lazy dog"
                    .split(' ')
                    .cycle()
                    .take(5000)
                    .collect();
            let mut expected = words.clone();
            expected.sort();
            par_merge_sort(&mut words);
            assert_eq!(words, expected);
            let mut pairs: Vec<(u8, i32)> =
                (0..3000i32).map(|i| ((i % 7) as u8, -i)).collect();
            let mut expected = pairs.clone();
            expected.sort();
            par_merge_sort(&mut pairs);
            assert_eq!(pairs, expected);
        });
    }

    /// Who compared elements: every comparison notes its rayon worker, and
    /// the first comparison on each worker waits (up to a timeout) until a
    /// second worker has compared something too. A sort that never hands
    /// work to another thread keeps its first worker waiting until the
    /// timeout, and only one worker is ever seen.
    struct Gate {
        workers: Mutex<HashSet<Option<usize>>>,
        gave_up: AtomicBool,
    }

    impl Gate {
        fn arrive(&self) {
            let me = rayon::current_thread_index();
            let first_time = {
                let mut workers = self.workers.lock().unwrap();
                workers.insert(me)
            };
            if !first_time {
                return;
            }
            let deadline = Instant::now() + Duration::from_secs(20);
            while self.workers.lock().unwrap().len() < 2
                && !self.gave_up.load(AtomicOrdering::Relaxed)
            {
                if Instant::now() > deadline {
                    self.gave_up.store(true, AtomicOrdering::Relaxed);
                    break;
                }
                thread::sleep(Duration::from_micros(100));
            }
        }
    }

    #[derive(Clone, Copy)]
    struct Probe<'a> {
        key: u64,
        gate: &'a Gate,
    }

    impl PartialEq for Probe<'_> {
        fn eq(&self, other: &Self) -> bool {
            self.cmp(other) == Ordering::Equal
        }
    }
    impl Eq for Probe<'_> {}
    impl PartialOrd for Probe<'_> {
        fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
            Some(self.cmp(other))
        }
    }
    impl Ord for Probe<'_> {
        fn cmp(&self, other: &Self) -> Ordering {
            self.gate.arrive();
            self.key.cmp(&other.key)
        }
    }

    #[test]
    fn two_workers_of_a_two_thread_pool_compare_elements() {
        let (workers, gave_up, sorted) = guarded(|| {
            let gate = Gate {
                workers: Mutex::new(HashSet::new()),
                gave_up: AtomicBool::new(false),
            };
            let keys = scrambled(50_000, 1_000_000);
            let mut probes: Vec<Probe> =
                keys.iter().map(|&key| Probe { key, gate: &gate }).collect();
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(2)
                .build()
                .unwrap();
            pool.install(|| par_merge_sort(&mut probes));
            let sorted = probes.windows(2).all(|w| w[0].key <= w[1].key);
            let workers = gate.workers.lock().unwrap().clone();
            (workers, gate.gave_up.load(AtomicOrdering::Relaxed), sorted)
        });
        assert!(sorted, "the probes came out sorted");
        assert!(
            workers.iter().all(Option::is_some),
            "every comparison ran on a worker of the pool: {workers:?}"
        );
        assert_eq!(workers.len(), 2, "both workers compared elements");
        assert!(!gave_up, "the first worker did not have to give up waiting");
    }
}
