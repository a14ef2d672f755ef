//! The executor's claims: many tasks complete; a JoinHandle yields the
//! output; a wake from another thread re-queues a task and wakes the
//! executor; a wake after completion is harmless; a task woken many times
//! is polled once per batch of wakes; waking does not run the task;
//! unfinished tasks are dropped at shutdown, and a wake after it is
//! dropped too; a dropped JoinHandle does not cancel its task; the
//! executor looks at the reactor every 61 polls while busy, and a task
//! that keeps waking itself cannot starve the root future.

use std::future::poll_fn;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::task::{Poll, Waker};
use std::thread;
use std::time::Duration;

use mini_runtime::channel::channel;
use mini_runtime::executor::{EVENT_INTERVAL, Executor, Park};
use mini_runtime::future::yield_now;
use mini_runtime::task::Unpark;
use mini_runtime::time::sleep;
use mini_runtime::{Runtime, block_on, spawn};

use support::guard::guarded;

#[test]
fn many_tasks_complete() {
    let done = Arc::new(AtomicUsize::new(0));
    let runtime = Runtime::new().unwrap();
    let total = runtime.block_on({
        let done = Arc::clone(&done);
        async move {
            let handles: Vec<_> = (0..10_000u64)
                .map(|i| {
                    let done = Arc::clone(&done);
                    spawn(async move {
                        yield_now().await;
                        done.fetch_add(1, Ordering::Relaxed);
                        i
                    })
                })
                .collect();
            let mut total = 0;
            for h in handles {
                total += h.await;
            }
            total
        }
    });
    assert_eq!(done.load(Ordering::Relaxed), 10_000);
    assert_eq!(total, (0..10_000u64).sum::<u64>());
    assert_eq!(runtime.live_tasks(), 0, "finished tasks are forgotten");
}

#[test]
fn a_join_handle_yields_the_output() {
    let out = block_on(async {
        let h = spawn(async { String::from("from the task") });
        h.await
    });
    assert_eq!(out, "from the task");
}

#[test]
fn a_task_can_spawn_tasks() {
    let depth = block_on(async {
        fn chain(n: u32) -> mini_runtime::JoinHandle<u32> {
            spawn(
                async move { if n == 0 { 0 } else { chain(n - 1).await + 1 } },
            )
        }
        chain(1_000).await
    });
    assert_eq!(depth, 1_000);
}

#[test]
fn a_wake_from_another_thread_requeues_the_task() {
    guarded(Duration::from_secs(20), "the test (a lost wake?)", || {
        let runtime = Runtime::new().unwrap();
        let slot: Arc<Mutex<(bool, Option<Waker>)>> =
            Arc::new(Mutex::new((false, None)));
        // The task says on this channel that it has left its waker.
        let (waiting_tx, waiting_rx) = mpsc::channel::<()>();
        let task = {
            let slot = Arc::clone(&slot);
            runtime.spawn(poll_fn(move |cx| {
                let mut s = slot.lock().unwrap();
                if s.0 {
                    Poll::Ready(())
                } else {
                    s.1 = Some(cx.waker().clone());
                    let _ = waiting_tx.send(());
                    Poll::Pending
                }
            }))
        };
        let waker_thread = {
            let slot = Arc::clone(&slot);
            thread::spawn(move || {
                // Ordered by the channel, not by a sleep: the waker is
                // there. The executor is about to sleep in epoll_wait, or
                // asleep already; the wake must end the sleep either way.
                waiting_rx.recv().unwrap();
                let waker = {
                    let mut s = slot.lock().unwrap();
                    s.0 = true;
                    s.1.take()
                };
                waker.expect("the task left its waker").wake();
            })
        };
        runtime.block_on(task);
        waker_thread.join().unwrap();
    });
}

#[test]
fn a_wake_after_completion_is_harmless() {
    let runtime = Runtime::new().unwrap();
    let kept: Arc<Mutex<Option<Waker>>> = Arc::new(Mutex::new(None));
    let task = {
        let kept = Arc::clone(&kept);
        runtime.spawn(poll_fn(move |cx| {
            *kept.lock().unwrap() = Some(cx.waker().clone());
            Poll::Ready(7)
        }))
    };
    assert_eq!(runtime.block_on(task), 7);
    let waker = kept.lock().unwrap().take().unwrap();
    let polls = runtime.counts().polls;
    waker.wake_by_ref();
    waker.wake();
    // The executor pops the wake, finds no future, and polls nothing.
    runtime.block_on(yield_now());
    assert_eq!(runtime.counts().polls, polls);
    assert_eq!(runtime.live_tasks(), 0);
}

#[test]
fn many_wakes_before_a_poll_make_one_poll() {
    let polls = Arc::new(AtomicUsize::new(0));
    let kept: Arc<Mutex<Option<Waker>>> = Arc::new(Mutex::new(None));
    let runtime = Runtime::new().unwrap();
    let _task = {
        let (polls, kept) = (Arc::clone(&polls), Arc::clone(&kept));
        runtime.spawn(poll_fn(move |cx| {
            polls.fetch_add(1, Ordering::SeqCst);
            *kept.lock().unwrap() = Some(cx.waker().clone());
            Poll::<()>::Pending
        }))
    };
    // First poll.
    runtime.block_on(yield_now());
    assert_eq!(polls.load(Ordering::SeqCst), 1);
    for batch in 2..=4 {
        let waker = kept.lock().unwrap().clone().unwrap();
        for _ in 0..100 {
            waker.wake_by_ref();
        }
        // Waking does not run the task: it is only queued.
        assert_eq!(polls.load(Ordering::SeqCst), batch - 1);
        runtime.block_on(yield_now());
        assert_eq!(polls.load(Ordering::SeqCst), batch, "one poll per batch");
    }
}

#[test]
fn a_task_that_yields_lets_the_others_run_between() {
    let order = Arc::new(Mutex::new(Vec::new()));
    block_on({
        let order = Arc::clone(&order);
        async move {
            let tasks: Vec<_> = ["a", "b"]
                .into_iter()
                .map(|name| {
                    let order = Arc::clone(&order);
                    spawn(async move {
                        for i in 0..3 {
                            order.lock().unwrap().push(format!("{name}{i}"));
                            yield_now().await;
                        }
                    })
                })
                .collect();
            for t in tasks {
                t.await;
            }
        }
    });
    assert_eq!(
        *order.lock().unwrap(),
        ["a0", "b0", "a1", "b1", "a2", "b2"],
        "each yield sends the task to the back of the queue"
    );
}

/// Notes when it is dropped.
struct DropFlag(Arc<AtomicBool>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

#[test]
fn unfinished_tasks_are_dropped_at_shutdown() {
    let dropped = Arc::new(AtomicBool::new(false));
    let runtime = Runtime::new().unwrap();
    let flag = DropFlag(Arc::clone(&dropped));
    let _never = runtime.spawn(async move {
        let _flag = flag;
        std::future::pending::<()>().await;
    });
    runtime.block_on(yield_now());
    assert_eq!(runtime.live_tasks(), 1);
    assert!(!dropped.load(Ordering::SeqCst));
    drop(runtime);
    assert!(
        dropped.load(Ordering::SeqCst),
        "the pending task was dropped"
    );
}

#[test]
fn a_future_does_nothing_until_polled() {
    let ran = Arc::new(AtomicBool::new(false));
    let future = {
        let ran = Arc::clone(&ran);
        async move { ran.store(true, Ordering::SeqCst) }
    };
    assert!(!ran.load(Ordering::SeqCst), "made, not run");
    block_on(future);
    assert!(ran.load(Ordering::SeqCst));
}

#[test]
fn a_spawned_task_runs_without_being_awaited() {
    let ran = Arc::new(AtomicBool::new(false));
    block_on({
        let ran = Arc::clone(&ran);
        async move {
            let _detached =
                spawn(async move { ran.store(true, Ordering::SeqCst) });
            // Not awaited: a yield gives the executor a turn to run it.
            yield_now().await;
        }
    });
    assert!(ran.load(Ordering::SeqCst));
}

#[test]
#[should_panic(expected = "outside a runtime")]
fn spawn_outside_a_runtime_panics() {
    drop(spawn(async {}));
}

#[test]
fn dropping_a_join_handle_does_not_cancel_the_task() {
    guarded(Duration::from_secs(20), "the test (a lost wake?)", || {
        let got = block_on(async {
            let (tx, mut rx) = channel();
            drop(spawn(async move {
                // Still running long after its handle is gone.
                sleep(Duration::from_millis(10)).await;
                let _ = tx.send("done anyway");
            }));
            rx.recv().await
        });
        assert_eq!(got, Some("done anyway"));
    });
}

#[test]
fn a_busy_executor_looks_at_the_reactor_every_61_polls() {
    const YIELDS: u64 = 6_100;
    let runtime = Runtime::new().unwrap();
    runtime.block_on(async {
        spawn(async {
            for _ in 0..YIELDS {
                yield_now().await;
            }
        })
        .await;
    });
    let counts = runtime.counts();
    // The queue was never empty: no sleep, but a look at the reactor
    // after every EVENT_INTERVAL polls (the task's 6,101 and the root's
    // first one).
    assert_eq!(counts.polls, YIELDS + 1);
    assert_eq!(counts.parks, 0, "{counts:?}");
    assert_eq!(
        counts.looks,
        (counts.polls + 1) / u64::from(EVENT_INTERVAL),
        "{counts:?}"
    );
}

#[test]
fn a_task_that_keeps_waking_itself_cannot_starve_the_root() {
    guarded(Duration::from_secs(20), "the test (a lost wake?)", || {
        let runtime = Runtime::new().unwrap();
        runtime.block_on(async {
            // Never done, never waiting: always in the queue.
            spawn(async {
                loop {
                    yield_now().await;
                }
            });
            // The root is polled between rounds of the queue, and its
            // timer fires because the executor looks at the reactor.
            for _ in 0..3 {
                yield_now().await;
            }
            sleep(Duration::from_millis(10)).await;
        });
        // Dropping the runtime drops the spinning task.
    });
}

/// Sleeps nowhere: these tests only look, or never run out of work.
struct NoPark;

impl Park for NoPark {
    fn park(&mut self, _timeout: Option<Duration>) -> Vec<Waker> {
        Vec::new()
    }
}

/// Notes when it is dropped, that is, when the run queue that owns it is.
struct UnparkFlag(Arc<AtomicBool>);

impl Unpark for UnparkFlag {
    fn unpark(&self) {}
}

impl Drop for UnparkFlag {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

#[test]
fn a_wake_after_shutdown_is_dropped_not_queued() {
    let queue_dropped = Arc::new(AtomicBool::new(false));
    let executor = Executor::new(
        Box::new(NoPark),
        Box::new(UnparkFlag(Arc::clone(&queue_dropped))),
    );
    let kept: Arc<Mutex<Option<Waker>>> = Arc::new(Mutex::new(None));
    let _task = {
        let kept = Arc::clone(&kept);
        executor.spawn(poll_fn(move |cx| {
            *kept.lock().unwrap() = Some(cx.waker().clone());
            Poll::<()>::Pending
        }))
    };
    executor.block_on(yield_now());
    drop(executor);
    // A late wake, from another thread: it must not put the task back on
    // the queue, where the task would hold the queue that holds it, and
    // neither would ever be freed.
    let waker = kept.lock().unwrap().take().unwrap();
    thread::spawn(move || waker.wake()).join().unwrap();
    assert!(
        queue_dropped.load(Ordering::SeqCst),
        "the run queue was freed, not kept alive by a cycle"
    );
}
