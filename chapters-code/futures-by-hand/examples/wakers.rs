//! Cell `wakers`: what a waker may be put through, each case
//! with a waker that counts its wake-ups or with `block_on` itself.
//@ timeout = 30
// HIDE_START
use std::future::poll_fn;
use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};
use std::thread;
use std::time::Duration;

use futures_by_hand::block_on::{block_on, block_on_counted};
use futures_by_hand::timer::Timer;
use futures_by_hand::wakers::{CountingWaker, poll_once};
// HIDE_END

fn main() {
    // 1. A clone travels to another thread, is woken there and dropped.
    let (counter, waker) = CountingWaker::new();
    let clone = waker.clone();
    thread::spawn(move || clone.wake()) // wake() consumes the clone
        .join()
        .expect("the waking thread does not panic");
    println!(
        "1. woken on another thread: {} wake, {} waker left",
        counter.wakes(),
        Arc::strong_count(&counter) - 1 // minus our own counter handle
    );

    // 2. A waker kept after its future finished, then woken.
    let kept: Arc<Mutex<Option<Waker>>> = Arc::default();
    let keep = Arc::clone(&kept);
    block_on(poll_fn(move |cx| {
        *keep.lock().unwrap() = Some(cx.waker().clone());
        Poll::Ready(())
    }));
    let stale = kept.lock().unwrap().take().expect("kept during the poll");
    stale.wake(); // its block_on has returned: this only unparks us
    let (_, counts) = block_on_counted(Timer::after(Duration::from_millis(50)));
    println!(
        "2. stale wake, then a 50 ms timer: {} polls, {} parks",
        counts.polls, counts.parks
    );

    // 3. Woken many times before the next poll.
    let mut first = true;
    let (_, counts) = block_on_counted(poll_fn(|cx| {
        if first {
            first = false;
            for _ in 0..100 {
                cx.waker().wake_by_ref();
            }
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    }));
    println!(
        "3. 100 wakes during one poll: {} polls in all",
        counts.polls
    );

    // 4. will_wake: would these two wakers wake the same task?
    let (_, a) = CountingWaker::new();
    let (_, b) = CountingWaker::new();
    println!(
        "4. will_wake: a clone of itself {}, another waker {}",
        a.will_wake(&a.clone()),
        a.will_wake(&b)
    );
    // A timer polled with a, then with b, wakes only b when it fires.
    let (count_a, a) = CountingWaker::new();
    let (count_b, b) = CountingWaker::new();
    let mut timer = Timer::after(Duration::from_millis(20));
    let _ = poll_once(&mut timer, &a);
    let _ = poll_once(&mut timer, &b);
    while !timer.has_fired() {
        thread::sleep(Duration::from_millis(5));
    }
    drop(timer); // joins the timer's thread: its wake has happened
    println!(
        "   timer polled with a, then b: a woken {}, b woken {}",
        count_a.wakes(),
        count_b.wakes()
    );
}
