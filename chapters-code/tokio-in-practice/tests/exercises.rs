//! Tests of the chapter's exercises: `cargo test -p tokio-in-practice
//! --test exercises`. They fail until you solve the exercises in
//! `src/exercises/`.

mod rate_limiter {
    use std::time::Duration;

    use tokio::time::{Instant, sleep};
    use tokio_in_practice::exercises::rate_limiter::RateLimiter;

    const TICK: Duration = Duration::from_millis(100);

    /// When each of `n` acquires returned, in ms since `start`.
    async fn times(
        limiter: &mut RateLimiter,
        n: usize,
        start: Instant,
    ) -> Vec<u128> {
        let mut at = Vec::new();
        for _ in 0..n {
            limiter.acquire().await;
            at.push(start.elapsed().as_millis());
        }
        at
    }

    #[tokio::test(start_paused = true)]
    async fn a_full_bucket_gives_a_burst_at_once() {
        let start = Instant::now();
        let mut limiter = RateLimiter::new(TICK, 3);
        assert_eq!(times(&mut limiter, 3, start).await, [0, 0, 0]);
    }

    #[tokio::test(start_paused = true)]
    async fn then_one_call_per_interval() {
        let start = Instant::now();
        let mut limiter = RateLimiter::new(TICK, 3);
        assert_eq!(
            times(&mut limiter, 6, start).await,
            [0, 0, 0, 100, 200, 300]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_long_pause_refills_no_more_than_the_burst() {
        let start = Instant::now();
        let mut limiter = RateLimiter::new(TICK, 2);
        times(&mut limiter, 2, start).await;
        sleep(Duration::from_secs(10)).await;
        let later = Instant::now();
        assert_eq!(times(&mut limiter, 4, later).await, [0, 0, 100, 200]);
    }

    #[tokio::test(start_paused = true)]
    async fn part_of_an_interval_is_not_lost() {
        let start = Instant::now();
        let mut limiter = RateLimiter::new(TICK, 2);
        limiter.acquire().await;
        limiter.acquire().await; // empty at 0; tokens drip at 100, 200...
        sleep(Duration::from_millis(150)).await;
        limiter.acquire().await; // at 150, the token of 100
        limiter.acquire().await; // the next drips at 200, not 250
        assert_eq!(start.elapsed().as_millis(), 200);
    }

    #[tokio::test(start_paused = true)]
    async fn waiting_does_not_block_other_tasks() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, Ordering};

        let mut limiter = RateLimiter::new(Duration::from_secs(1), 1);
        limiter.acquire().await;
        // The next acquire waits a second. On this one-thread runtime, a
        // task spawned now can run only if that wait gives the thread
        // back; a `std::thread::sleep` would keep it out.
        let ran = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&ran);
        tokio::spawn(async move { flag.store(true, Ordering::SeqCst) });
        limiter.acquire().await;
        assert!(
            ran.load(Ordering::SeqCst),
            "the other task ran while acquire waited"
        );
    }
}
