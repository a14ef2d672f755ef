//! Tests of the chapter's exercises: `cargo test -p mini-runtime --test
//! exercises`. They fail until you solve the exercises in `src/exercises/`.

mod join_all {
    use std::future::{Future, poll_fn};
    use std::pin::Pin;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::{Context, Poll};
    use std::time::{Duration, Instant};

    use mini_runtime::block_on;
    use mini_runtime::channel::channel;
    use mini_runtime::exercises::join_all::join_all;
    use mini_runtime::time::{sleep, timeout};

    #[test]
    fn outputs_come_in_the_order_given() {
        let out = block_on(join_all(vec![
            Box::pin(async {
                sleep(Duration::from_millis(30)).await;
                1
            }) as Pin<Box<dyn Future<Output = i32>>>,
            Box::pin(async { 2 }),
            Box::pin(async {
                sleep(Duration::from_millis(10)).await;
                3
            }),
        ]));
        assert_eq!(out, [1, 2, 3]);
    }

    #[test]
    fn no_futures_is_ready_at_once() {
        let out: Vec<u8> =
            block_on(join_all(Vec::<std::future::Ready<u8>>::new()));
        assert!(out.is_empty());
    }

    #[test]
    fn the_futures_wait_at_the_same_time() {
        // The first can only finish after the second has sent: polled one
        // after the other, they would hang.
        let (tx, mut rx) = channel::<u32>();
        let first = Box::pin(async move { rx.recv().await.unwrap_or(0) })
            as Pin<Box<dyn Future<Output = u32>>>;
        let second = Box::pin(async move {
            sleep(Duration::from_millis(5)).await;
            let _ = tx.send(7);
            8
        });
        // Awaited one after the other, they would wait forever: the
        // timeout turns that into a failure.
        let joined = block_on(timeout(
            Duration::from_secs(5),
            join_all(vec![first, second]),
        ));
        assert_eq!(joined.expect("joined, not hung"), [7, 8]);
    }

    #[test]
    fn ten_sleeps_overlap() {
        let started = Instant::now();
        let sleeps = (0..10)
            .map(|_| sleep(Duration::from_millis(100)))
            .collect::<Vec<_>>();
        block_on(join_all(sleeps));
        // One after the other they would take the sum, a second; at the
        // same time, about 100 ms. Half the sum leaves room for a slow
        // machine.
        let took = started.elapsed();
        assert!(took < Duration::from_millis(10 * 100) / 2, "{took:?}");
    }

    /// Ready at its second poll; panics if polled again after that.
    struct Twice {
        polls: Arc<AtomicUsize>,
    }

    impl Future for Twice {
        type Output = ();
        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            let n = self.polls.fetch_add(1, Ordering::SeqCst) + 1;
            assert!(n <= 2, "polled after it returned Ready");
            if n == 2 {
                Poll::Ready(())
            } else {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }
    }

    #[test]
    fn a_finished_future_is_not_polled_again() {
        let polls = Arc::new(AtomicUsize::new(0));
        let slow = Arc::new(AtomicUsize::new(0));
        block_on(async {
            let quick = Twice {
                polls: Arc::clone(&polls),
            };
            let other = Twice {
                polls: Arc::clone(&slow),
            };
            // A third future keeps the join pending for a while, so the
            // others would be polled again and again if nothing stopped it.
            let mut left = 5;
            let wait = poll_fn(move |cx| {
                if left == 0 {
                    return Poll::Ready(());
                }
                left -= 1;
                cx.waker().wake_by_ref();
                Poll::Pending
            });
            let boxed: Vec<Pin<Box<dyn Future<Output = ()>>>> =
                vec![Box::pin(quick), Box::pin(other), Box::pin(wait)];
            join_all(boxed).await;
        });
        assert_eq!(polls.load(Ordering::SeqCst), 2);
        assert_eq!(slow.load(Ordering::SeqCst), 2);
    }
}
