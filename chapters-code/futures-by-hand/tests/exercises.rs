//! Tests of the chapter's exercises: `cargo test -p futures-by-hand --test
//! exercises`. They fail until you solve the exercises in `src/exercises/`.

mod select {
    use std::future::{Future, ready};
    use std::pin::Pin;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::task::{Context, Poll};
    use std::time::Duration;

    use futures_by_hand::block_on::{block_on, block_on_counted};
    use futures_by_hand::completion::Completion;
    use futures_by_hand::countdown::Countdown;
    use futures_by_hand::exercises::select::{Either, select, timeout};
    use futures_by_hand::timer::Timer;
    use futures_by_hand::wakers::{CountingWaker, poll_once};

    /// `value`, after `polls` times `Pending` (each time waking itself).
    async fn after<T>(polls: u32, value: T) -> T {
        Countdown::new(polls).await;
        value
    }

    /// A future that is never ready and never wakes anyone: it only
    /// counts its polls and says when it is dropped.
    #[derive(Default)]
    struct Probe {
        polls: Arc<AtomicUsize>,
        dropped: Arc<AtomicBool>,
    }

    impl Probe {
        /// The probe, and handles to its poll count and its drop flag.
        fn new() -> (Probe, Arc<AtomicUsize>, Arc<AtomicBool>) {
            let probe = Probe::default();
            let (polls, dropped) = (probe.polls.clone(), probe.dropped.clone());
            (probe, polls, dropped)
        }
    }

    impl Future for Probe {
        type Output = ();

        fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
            self.polls.fetch_add(1, Ordering::SeqCst);
            Poll::Pending
        }
    }

    impl Drop for Probe {
        fn drop(&mut self) {
            self.dropped.store(true, Ordering::SeqCst);
        }
    }

    /// Ready once its completion is completed, by whoever holds it.
    struct Gate(Arc<Completion>);

    impl Future for Gate {
        type Output = ();

        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            self.0.poll_done(cx)
        }
    }

    #[test]
    fn the_first_to_be_ready_wins() {
        let race = select(after(3, "slow"), after(1, "fast"));
        let (won, counts) = block_on_counted(race);
        assert_eq!(won, Either::Right("fast"));
        assert_eq!(counts.polls, 2, "one poll to start, one to finish");
        let race = select(after(1, 1), after(4, 'x'));
        assert_eq!(block_on_counted(race), (Either::Left(1), counts));
    }

    #[test]
    fn a_tie_goes_to_the_first() {
        let (probe, polls, _) = Probe::new();
        let (_, waker) = CountingWaker::new();
        let mut race = select(ready(1), probe);
        assert_eq!(poll_once(&mut race, &waker), Poll::Ready(Either::Left(1)));
        assert_eq!(polls.load(Ordering::SeqCst), 0, "b polled for nothing");
        let (won, counts) =
            block_on_counted(select(after(2, 'a'), after(2, 'b')));
        assert_eq!((won, counts.polls), (Either::Left('a'), 3));
    }

    #[test]
    fn the_loser_is_dropped_as_soon_as_the_race_is_won() {
        let (counter, waker) = CountingWaker::new();
        let (probe, polls, dropped) = Probe::new();
        let mut race = select(after(1, 7), probe);
        assert_eq!(poll_once(&mut race, &waker), Poll::Pending);
        assert_eq!(polls.load(Ordering::SeqCst), 1, "both sides are polled");
        assert_eq!(counter.wakes(), 1, "the countdown woke the task");
        assert_eq!(poll_once(&mut race, &waker), Poll::Ready(Either::Left(7)));
        assert!(dropped.load(Ordering::SeqCst), "the loser is still alive");
        drop(race);

        let (probe, _, dropped) = Probe::new();
        let mut race = select(probe, after(0, "now"));
        let ready = poll_once(&mut race, &waker);
        assert_eq!(ready, Poll::Ready(Either::Right("now")));
        assert!(dropped.load(Ordering::SeqCst), "the loser is still alive");
        drop(race);
    }

    #[test]
    fn either_side_can_wake_the_task() {
        for b_first in [false, true] {
            let (counter, waker) = CountingWaker::new();
            let (a, b) =
                (Arc::new(Completion::new()), Arc::new(Completion::new()));
            let mut race = select(Gate(a.clone()), Gate(b.clone()));
            assert_eq!(poll_once(&mut race, &waker), Poll::Pending);
            assert_eq!(poll_once(&mut race, &waker), Poll::Pending);
            assert_eq!(counter.wakes(), 0);
            let (gate, expected) = if b_first {
                (&b, Either::Right(()))
            } else {
                (&a, Either::Left(()))
            };
            gate.complete();
            assert_eq!(counter.wakes(), 1, "the gate's wake reached the task");
            assert_eq!(poll_once(&mut race, &waker), Poll::Ready(expected));
        }
    }

    #[test]
    fn a_thread_decides_the_race_and_the_losing_timer_is_cancelled() {
        // The hour-long timer loses; dropping it stops its thread, so the
        // test does not wait for it.
        let quick = async {
            Timer::after(Duration::from_millis(20)).await;
            5
        };
        let won =
            block_on(select(Timer::after(Duration::from_secs(3600)), quick));
        assert_eq!(won, Either::Right(5));
    }

    #[test]
    fn timeout_gives_the_output_of_a_future_in_time() {
        let delay = Duration::from_secs(3600);
        assert_eq!(block_on(timeout(delay, after(3, "done"))), Some("done"));
        assert_eq!(block_on(timeout(delay, ready(1))), Some(1));
    }

    #[test]
    fn timeout_gives_up_on_a_future_that_never_ends() {
        let (probe, polls, dropped) = Probe::new();
        let limited = timeout(Duration::from_millis(20), probe);
        assert_eq!(block_on(limited), None);
        assert!(polls.load(Ordering::SeqCst) >= 1);
        assert!(dropped.load(Ordering::SeqCst));
    }
}
