//! The hand-written futures do what the chapter says: the countdown is
//! Pending exactly n times, the timer is ready no earlier than its delay and
//! starts only when polled, an async fn runs nothing until polled and
//! behaves exactly like its hand-written state machine, and the three
//! styles of `three_ways` compute the same answer.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::task::{Poll, Wake, Waker};
use std::thread;
use std::time::{Duration, Instant};

use futures_by_hand::block_on::{block_on, block_on_counted};
use futures_by_hand::callbacks::EventLoop;
use futures_by_hand::combinators::Combinators;
use futures_by_hand::countdown::Countdown;
use futures_by_hand::state_machine::{
    AddSlowly, add_slowly, buffer_across_await, buffer_before_await,
    buffer_borrowed_before_await,
};
use futures_by_hand::timer::Timer;
use futures_by_hand::wakers::{CountingWaker, poll_once};

#[test]
fn a_countdown_is_pending_n_times_and_wakes_itself_each_time() {
    for n in [0, 1, 3, 10] {
        let (counter, waker) = CountingWaker::new();
        let mut countdown = Countdown::new(n);
        for i in 0..n {
            assert_eq!(poll_once(&mut countdown, &waker), Poll::Pending);
            assert_eq!(counter.wakes(), i as usize + 1, "woke itself");
        }
        assert_eq!(poll_once(&mut countdown, &waker), Poll::Ready(()));
        // Under block_on: n + 1 polls and never a park.
        let ((), counts) = block_on_counted(Countdown::new(n));
        assert_eq!((counts.polls, counts.parks), (n + 1, 0));
    }
}

#[test]
fn a_timer_is_ready_no_earlier_than_its_delay_after_two_polls() {
    let delay = Duration::from_millis(50);
    let start = Instant::now();
    let ((), counts) = block_on_counted(Timer::after(delay));
    assert!(start.elapsed() >= delay);
    assert_eq!(counts.polls, 2, "pending once, then woken and ready");
}

#[test]
fn a_timer_counts_its_delay_from_its_first_poll_not_from_creation() {
    let delay = Duration::from_millis(100);
    let timer = Timer::after(delay);
    // A timer that counted from its creation would be due by now.
    thread::sleep(delay * 2);
    let start = Instant::now();
    let ((), counts) = block_on_counted(timer);
    assert!(start.elapsed() >= delay, "{:?}", start.elapsed());
    assert_eq!(counts.polls, 2, "the first poll found it pending");
}

#[test]
fn dropping_a_pending_timer_cancels_it_and_joins_its_thread() {
    let (counter, waker) = CountingWaker::new();
    let mut timer = Timer::after(Duration::from_secs(60));
    assert_eq!(poll_once(&mut timer, &waker), Poll::Pending);
    let start = Instant::now();
    drop(timer);
    // Generous: a drop that waited for the timer would take 60 s.
    assert!(start.elapsed() < Duration::from_secs(30));
    assert_eq!(counter.wakes(), 0, "a cancelled timer wakes nobody");
    // The timer's thread held a waker clone; it is gone with the thread.
    assert_eq!(Arc::strong_count(&counter), 2, "ours and `waker` only");
}

/// A task that owns a timer: dropping the last waker drops the task, and
/// the timer with it. It reports on which thread that happened.
struct TaskOwningATimer {
    timer: Mutex<Option<Timer>>,
    dropped_on: mpsc::Sender<thread::ThreadId>,
}

impl Wake for TaskOwningATimer {
    fn wake(self: Arc<Self>) {
        // Nothing to do; dropping `self` may drop the task.
    }
}

impl Drop for TaskOwningATimer {
    fn drop(&mut self) {
        // Never poisoned: nothing panics while it is held.
        drop(self.timer.get_mut().unwrap().take());
        let _ = self.dropped_on.send(thread::current().id());
    }
}

#[test]
fn a_timer_dropped_by_its_own_wake_does_not_join_its_own_thread() {
    let (dropped_on, report) = mpsc::channel();
    let task = Arc::new(TaskOwningATimer {
        timer: Mutex::new(None),
        dropped_on,
    });
    let waker = Waker::from(Arc::clone(&task));
    let mut timer = Timer::after(Duration::from_millis(20));
    assert_eq!(poll_once(&mut timer, &waker), Poll::Pending);
    *task.timer.lock().unwrap() = Some(timer);
    // From now on the timer's clone of the waker is the last reference to
    // the task: its wake drops the task, and the timer, on the timer's
    // thread. Joining that thread from itself would fail.
    drop((task, waker));
    let thread = report
        .recv_timeout(Duration::from_secs(30))
        .expect("the timer, dropped on its own thread, did not panic");
    assert_ne!(
        thread,
        thread::current().id(),
        "dropped on the timer thread"
    );
}

async fn raise(flag: Arc<AtomicBool>) {
    flag.store(true, Ordering::SeqCst);
}

#[test]
fn calling_an_async_fn_runs_none_of_its_body() {
    let ran = Arc::new(AtomicBool::new(false));
    let future = raise(Arc::clone(&ran));
    assert!(!ran.load(Ordering::SeqCst), "called, not started");
    block_on(future);
    assert!(ran.load(Ordering::SeqCst), "ran when polled");
    // The same for an async block.
    let ran = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&ran);
    let future = async move { flag.store(true, Ordering::SeqCst) };
    assert!(!ran.load(Ordering::SeqCst));
    drop(future); // dropped unpolled: its body never runs
    assert!(!ran.load(Ordering::SeqCst));
}

/// Polls `future` with a counting waker until ready; returns its output
/// and the result of every poll (true for Ready).
fn trace<F: Future + Unpin>(mut future: F) -> (F::Output, Vec<bool>) {
    let (_, waker) = CountingWaker::new();
    let mut polls = Vec::new();
    loop {
        match poll_once(&mut future, &waker) {
            Poll::Ready(output) => {
                polls.push(true);
                return (output, polls);
            }
            Poll::Pending => polls.push(false),
        }
    }
}

#[test]
fn the_async_fn_and_its_state_machine_behave_the_same() {
    for (a, b) in [(0, 0), (4, 2), (7, 11), (1000, 1)] {
        let from_async = trace(Box::pin(add_slowly(a, b)));
        let by_hand = trace(AddSlowly::new(a, b));
        assert_eq!(from_async, by_hand, "add_slowly({a}, {b})");
        assert_eq!(from_async.0, (a + b) * 10);
        // Pending at each of the three countdown steps, then Ready.
        assert_eq!(from_async.1, [false, false, false, true]);
    }
}

#[test]
fn a_variable_alive_across_an_await_is_stored_in_the_future() {
    let across = std::mem::size_of_val(&buffer_across_await());
    let before = std::mem::size_of_val(&buffer_before_await());
    assert!(across >= 1024, "{across}");
    assert!(before < 64, "{before}");
    assert_eq!(block_on(buffer_across_await()), 7);
    assert_eq!(block_on(buffer_before_await()), 7);
}

#[test]
fn a_borrowed_buffer_stays_in_the_future_until_its_scope_ends() {
    // Not used after the `.await`, but borrowed by `fill` and still in
    // scope there: kept. The same code inside a block is not.
    let borrowed = std::mem::size_of_val(&buffer_borrowed_before_await());
    let scoped = std::mem::size_of_val(&buffer_before_await());
    assert!(borrowed >= 1024, "{borrowed}");
    assert!(scoped < 64, "{scoped}");
    assert_eq!(block_on(buffer_borrowed_before_await()), 7);
}

#[test]
fn awaiting_two_futures_in_turn_costs_the_larger_plus_a_little() {
    let timer = std::mem::size_of::<Timer>();
    let add = std::mem::size_of_val(&add_slowly(1, 1));
    let both = std::mem::size_of_val(&async {
        Timer::after(Duration::from_millis(1)).await;
        add_slowly(1, 1).await
    });
    // They are never alive at the same time, so they share the space.
    assert!(both >= timer.max(add), "{both} < max({timer}, {add})");
    assert!(both < timer + add, "{both} >= {timer} + {add}");
}

#[test]
fn callbacks_combinators_and_async_await_agree() {
    let d = Duration::from_millis(10);
    let answer = Rc::new(Cell::new(None));
    let mut ev = EventLoop::new();
    let out = Rc::clone(&answer);
    ev.set_timeout(d, move |ev| {
        let price = 12.5;
        ev.set_timeout(d, move |_| out.set(Some(price * 0.86)));
    });
    ev.run();
    let price = || Timer::after(d).map(|()| 12.5);
    let rate = || Timer::after(d).map(|()| 0.86);
    let combined = block_on(price().then(move |p| rate().map(move |r| p * r)));
    let awaited = block_on(async { price().await * rate().await });
    assert_eq!(answer.get(), Some(combined));
    assert_eq!(combined, awaited);
}

#[test]
fn the_event_loop_runs_callbacks_in_deadline_order() {
    let order = Rc::new(std::cell::RefCell::new(Vec::new()));
    let mut ev = EventLoop::new();
    let now = Instant::now();
    // "a" and "a2" are due at the same instant: they run in the order they
    // were scheduled.
    for (ms, name) in [(30, "c"), (10, "a"), (20, "b"), (10, "a2")] {
        let order = Rc::clone(&order);
        let due = now + Duration::from_millis(ms);
        ev.set_deadline(due, move |_| order.borrow_mut().push(name));
    }
    ev.run();
    assert_eq!(*order.borrow(), ["a", "a2", "b", "c"]);
}
