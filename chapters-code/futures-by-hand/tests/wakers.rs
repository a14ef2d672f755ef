//! Wakers tested hard: cloned, woken and dropped on another thread; woken
//! after their task is done; compared with `will_wake`. And the timer
//! keeps the newest waker it was given. (Many wakes before a poll:
//! `tests/block_on.rs`.)

use std::future::poll_fn;
use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};
use std::thread;
use std::time::Duration;

use futures_by_hand::block_on::{block_on, block_on_counted};
use futures_by_hand::timer::Timer;
use futures_by_hand::wakers::{CountingWaker, poll_once};

#[test]
fn a_clone_woken_and_dropped_on_another_thread_counts_once_and_leaks_nothing() {
    let (counter, waker) = CountingWaker::new();
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let clone = waker.clone();
            thread::spawn(move || clone.wake())
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    assert_eq!(counter.wakes(), 8);
    // Every clone was consumed by `wake`: only ours and `waker` remain.
    assert_eq!(Arc::strong_count(&counter), 2);
    drop(waker);
    assert_eq!(Arc::strong_count(&counter), 1);
}

#[test]
fn waking_after_the_task_finished_is_harmless() {
    let kept = Arc::new(Mutex::new(Vec::<Waker>::new()));
    let keep = Arc::clone(&kept);
    let value = block_on(poll_fn(move |cx| {
        keep.lock().unwrap().push(cx.waker().clone());
        Poll::Ready(5)
    }));
    assert_eq!(value, 5);
    let stale: Vec<Waker> = kept.lock().unwrap().drain(..).collect();
    // Woken from this thread and from another, after block_on returned.
    for waker in &stale {
        waker.wake_by_ref();
    }
    thread::spawn(move || stale.into_iter().for_each(Waker::wake))
        .join()
        .unwrap();
    // They left an unpark token on this thread, so the next block_on's
    // first park returns at once. It checks its flag, finds no wake, and
    // parks again: no poll for nothing.
    let ((), counts) =
        block_on_counted(Timer::after(Duration::from_millis(100)));
    assert_eq!(counts.polls, 2, "the early park did not trigger a poll");
    assert!(counts.parks >= 2, "one park ended early, one was woken");
}

#[test]
fn will_wake_tells_clones_from_other_wakers() {
    let (_, a) = CountingWaker::new();
    let (_, b) = CountingWaker::new();
    assert!(a.will_wake(&a.clone()));
    assert!(!a.will_wake(&b));
    // block_on gives every poll the same waker.
    let seen = Arc::new(Mutex::new(Vec::<Waker>::new()));
    let record = Arc::clone(&seen);
    block_on(poll_fn(move |cx| {
        let mut seen = record.lock().unwrap();
        seen.push(cx.waker().clone());
        if seen.len() < 3 {
            cx.waker().wake_by_ref();
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    }));
    let seen = seen.lock().unwrap();
    assert!(seen.iter().all(|w| w.will_wake(&seen[0])));
}

#[test]
fn a_timer_wakes_the_waker_of_its_latest_poll_only() {
    let (count_a, a) = CountingWaker::new();
    let (count_b, b) = CountingWaker::new();
    let mut timer = Timer::after(Duration::from_millis(20));
    assert!(poll_once(&mut timer, &a).is_pending());
    assert!(poll_once(&mut timer, &b).is_pending());
    // Bounded wait for the thread to fire; then drop joins it.
    for _ in 0..2000 {
        if timer.has_fired() {
            break;
        }
        thread::sleep(Duration::from_millis(5));
    }
    assert!(timer.has_fired());
    drop(timer);
    assert_eq!((count_a.wakes(), count_b.wakes()), (0, 1));
    // The timer's clones of a and b are gone with it.
    assert_eq!(Arc::strong_count(&count_a), 2);
    assert_eq!(Arc::strong_count(&count_b), 2);
}

#[test]
fn repolling_with_the_same_waker_keeps_one_clone() {
    let (counter, waker) = CountingWaker::new();
    let mut timer = Timer::after(Duration::from_secs(60));
    for _ in 0..5 {
        assert!(poll_once(&mut timer, &waker).is_pending());
    }
    // ours, `waker`, and one clone in the timer: will_wake avoided four
    // more clones.
    assert_eq!(Arc::strong_count(&counter), 3);
}
