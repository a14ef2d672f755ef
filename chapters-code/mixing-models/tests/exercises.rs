//! Tests of the chapter's exercises: `cargo test -p mixing-models --test
//! exercises`. They fail until you solve the exercises in `src/exercises/`.

mod offload {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, Instant};

    use mixing_models::exercises::offload::{Panicked, offload};

    fn pool() -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .thread_name(|i| format!("pool-{i}"))
            .build()
            .unwrap()
    }

    fn current_thread() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn the_result_comes_back() {
        let pool = pool();
        let answer = current_thread().block_on(offload(&pool, || 6 * 7));
        assert_eq!(answer, Ok(42));
    }

    #[test]
    fn it_runs_on_the_pool_not_on_the_runtime_thread() {
        let pool = pool();
        let name = current_thread().block_on(offload(&pool, || {
            std::thread::current().name().map(str::to_string)
        }));
        assert_eq!(
            name.unwrap().as_deref().map(|n| n.starts_with("pool-")),
            Some(true)
        );
    }

    /// The computation itself waits until a ticker on the same
    /// current-thread runtime has ticked 20 times: it can only finish if
    /// the runtime's thread is free while it runs. If `offload` blocked
    /// the thread, the ticker could not tick and the computation would
    /// give up after 10 s (counts are checked, not times).
    #[test]
    fn the_runtime_keeps_ticking_while_it_computes() {
        let pool = pool();
        let ticks = Arc::new(AtomicUsize::new(0));
        let seen = current_thread().block_on(async {
            let counter = Arc::clone(&ticks);
            let ticker = tokio::spawn(async move {
                loop {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                    counter.fetch_add(1, Ordering::SeqCst);
                }
            });
            let watched = Arc::clone(&ticks);
            let seen = offload(&pool, move || {
                let give_up = Instant::now() + Duration::from_secs(10);
                while watched.load(Ordering::SeqCst) < 20
                    && Instant::now() < give_up
                {
                    std::hint::spin_loop();
                }
                watched.load(Ordering::SeqCst)
            })
            .await;
            ticker.abort();
            seen
        });
        assert!(seen.unwrap() >= 20, "the ticker stalled");
    }

    #[test]
    fn a_panic_comes_back_as_an_error() {
        let pool = pool();
        let runtime = current_thread();
        let literal: Result<(), _> =
            runtime.block_on(offload(&pool, || panic!("boom")));
        assert_eq!(literal, Err(Panicked("boom".into())));
        let n = 7;
        let formatted: Result<(), _> =
            runtime.block_on(offload(&pool, move || panic!("boom {n}")));
        assert_eq!(formatted, Err(Panicked("boom 7".into())));
        // The pool survives its panics.
        assert_eq!(runtime.block_on(offload(&pool, || 1)), Ok(1));
    }

    #[test]
    fn many_at_once_each_get_their_own_answer() {
        let pool = Arc::new(pool());
        let answers = current_thread().block_on(async {
            let tasks: Vec<_> = (0..16u64)
                .map(|i| {
                    let pool = Arc::clone(&pool);
                    tokio::spawn(
                        async move { offload(&pool, move || i * i).await },
                    )
                })
                .collect();
            let mut out = Vec::new();
            for t in tasks {
                out.push(t.await.unwrap().unwrap());
            }
            out
        });
        assert_eq!(answers, (0..16u64).map(|i| i * i).collect::<Vec<_>>());
    }
}
