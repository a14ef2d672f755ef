//! `block_on` parks its thread while the future waits (it burns almost no
//! CPU, unlike an executor that polls in a loop), wakes when the waker is
//! called from another thread, and ignores parks that end for no reason.

use std::future::poll_fn;
use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};
use std::thread;
use std::time::{Duration, Instant};

use futures_by_hand::block_on::{block_on, block_on_counted, busy_poll};
use futures_by_hand::timer::Timer;
use support::measure::thread_cpu_time;

/// This thread's CPU time and the wall time while running `work`.
fn cpu_and_wall(work: impl FnOnce()) -> (Duration, Duration) {
    let (cpu, wall) = (thread_cpu_time(), Instant::now());
    work();
    (thread_cpu_time() - cpu, wall.elapsed())
}

#[test]
fn block_on_sleeps_while_busy_polling_burns_cpu() {
    let delay = Duration::from_millis(200);
    // On a busy machine the busy poller gets less CPU than it wants, so
    // compare the two with a wide margin, and retry.
    let mut last = None;
    for _ in 0..3 {
        let (parked_cpu, parked_wall) =
            cpu_and_wall(|| block_on(Timer::after(delay)));
        let (busy_cpu, _) = cpu_and_wall(|| {
            busy_poll(Timer::after(delay));
        });
        if parked_cpu * 10 < parked_wall && parked_cpu * 4 < busy_cpu {
            return;
        }
        last = Some((parked_cpu, parked_wall, busy_cpu));
    }
    panic!("block_on did not sleep: (cpu, wall, busy cpu) = {last:?}");
}

#[test]
fn a_waker_called_from_another_thread_wakes_block_on() {
    let (sender, receiver) = std::sync::mpsc::channel::<Waker>();
    let waker_thread = thread::spawn(move || {
        // recv fails only if block_on returned without sending a waker.
        let waker = receiver.recv().unwrap();
        thread::sleep(Duration::from_millis(20));
        waker.wake();
    });
    let mut sent = false;
    let ((), counts) = block_on_counted(poll_fn(|cx| {
        if sent {
            return Poll::Ready(());
        }
        sent = true;
        sender.send(cx.waker().clone()).unwrap();
        Poll::Pending
    }));
    waker_thread.join().unwrap();
    assert_eq!(counts.polls, 2);
    assert!(counts.parks >= 1, "it slept until woken");
}

#[test]
fn a_stale_unpark_does_not_cause_an_extra_poll() {
    // A waker from a finished block_on, woken later, leaves an unpark
    // token on this thread: the next park returns at once.
    let kept = Arc::new(Mutex::new(None::<Waker>));
    let keep = Arc::clone(&kept);
    block_on(poll_fn(move |cx| {
        *keep.lock().unwrap() = Some(cx.waker().clone());
        Poll::Ready(())
    }));
    let stale = kept.lock().unwrap().take().unwrap();
    stale.wake(); // harmless: nobody polls because of it
    let start = Instant::now();
    let delay = Duration::from_millis(50);
    let ((), counts) = block_on_counted(Timer::after(delay));
    assert!(start.elapsed() >= delay);
    assert_eq!(counts.polls, 2, "the early park did not trigger a poll");
    assert!(counts.parks >= 2, "one park ended early, one was woken");
}

#[test]
fn many_wakes_before_a_poll_make_one_poll() {
    let mut polled = false;
    let ((), counts) = block_on_counted(poll_fn(|cx| {
        if polled {
            return Poll::Ready(());
        }
        polled = true;
        for _ in 0..1000 {
            cx.waker().wake_by_ref();
        }
        Poll::Pending
    }));
    assert_eq!(counts.polls, 2);
    assert_eq!(counts.parks, 0, "woken during the poll: no need to park");
}

#[test]
fn many_wakes_from_another_thread_make_one_poll() {
    let (to_waker, waker_inbox) = std::sync::mpsc::channel::<Waker>();
    let (to_future, done_waking) = std::sync::mpsc::channel::<()>();
    let waker_thread = thread::spawn(move || {
        let waker = waker_inbox.recv().unwrap();
        for _ in 0..10_000 {
            waker.wake_by_ref();
        }
        to_future.send(()).unwrap();
    });
    let mut polled = false;
    let ((), counts) = block_on_counted(poll_fn(|cx| {
        if polled {
            return Poll::Ready(());
        }
        polled = true;
        to_waker.send(cx.waker().clone()).unwrap();
        // Hold this poll until the other thread has woken us 10,000 times.
        done_waking.recv().unwrap();
        Poll::Pending
    }));
    waker_thread.join().unwrap();
    assert_eq!(counts.polls, 2, "10,000 wakes, one more poll");
    assert_eq!(counts.parks, 0, "the flag was already set");
}

#[test]
fn block_on_returns_the_output_of_the_future() {
    assert_eq!(block_on(async { 6 * 7 }), 42);
    let text = block_on(async {
        Timer::after(Duration::from_millis(1)).await;
        String::from("later")
    });
    assert_eq!(text, "later");
}
