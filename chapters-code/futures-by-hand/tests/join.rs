//! Joining: both futures run at once on one thread (two 200 ms timers
//! joined take about 200 ms, not 400), the output of the one that finishes
//! first is kept until the other is done, and the outputs come back in
//! order.

use std::task::Poll;
use std::time::{Duration, Instant};

use futures_by_hand::block_on::{block_on, block_on_counted};
use futures_by_hand::countdown::Countdown;
use futures_by_hand::join::join;
use futures_by_hand::timer::Timer;
use futures_by_hand::wakers::{CountingWaker, poll_once};

#[test]
fn two_joined_timers_wait_at_the_same_time() {
    let each = Duration::from_millis(200);
    let mut last = None;
    // A busy machine can delay a wake-up; retry before calling it a failure.
    for _ in 0..3 {
        let start = Instant::now();
        block_on(join(Timer::after(each), Timer::after(each)));
        let joined = start.elapsed();
        let start = Instant::now();
        block_on(async {
            Timer::after(each).await;
            Timer::after(each).await;
        });
        let in_turn = start.elapsed();
        assert!(in_turn >= each * 2, "in turn: {in_turn:?}");
        if joined < (each * 2).mul_f64(0.75) && joined < in_turn {
            return;
        }
        last = Some((joined, in_turn));
    }
    panic!("joined timers did not overlap: (joined, in turn) = {last:?}");
}

#[test]
fn joining_two_timers_takes_three_polls() {
    // One poll to start both, one after each wake. If the machine stalls
    // long enough for both timers to fire before the second poll, the two
    // wakes make one poll; retry.
    let mut polls = Vec::new();
    for _ in 0..3 {
        let short = Timer::after(Duration::from_millis(20));
        let long = Timer::after(Duration::from_millis(300));
        let (_, counts) = block_on_counted(join(short, long));
        if counts.polls == 3 {
            return;
        }
        polls.push(counts.polls);
    }
    panic!("joined timers took {polls:?} polls, not 3");
}

#[test]
fn the_first_output_is_kept_until_the_second_is_done() {
    let first = async {
        Countdown::new(1).await;
        "first"
    };
    let second = async {
        Countdown::new(4).await;
        String::from("second")
    };
    let (_, waker) = CountingWaker::new();
    let mut joined = join(first, second);
    // `first` is done after two polls; the join stays pending until
    // `second` is done after five.
    for _ in 0..4 {
        assert!(poll_once(&mut joined, &waker).is_pending());
    }
    assert_eq!(
        poll_once(&mut joined, &waker),
        Poll::Ready(("first", String::from("second")))
    );
}

#[test]
fn outputs_come_back_in_argument_order_whichever_finishes_first() {
    let slow = async {
        Timer::after(Duration::from_millis(40)).await;
        1
    };
    let fast = async { 2 };
    let ((a, b), counts) = block_on_counted(join(slow, fast));
    assert_eq!((a, b), (1, 2));
    assert_eq!(counts.polls, 2);
}

#[test]
#[should_panic(expected = "Join polled after it returned Ready")]
fn polling_a_finished_join_is_a_bug_and_says_so() {
    let (_, waker) = CountingWaker::new();
    let mut joined = join(async {}, async {});
    assert!(poll_once(&mut joined, &waker).is_ready());
    let _ = poll_once(&mut joined, &waker);
}
