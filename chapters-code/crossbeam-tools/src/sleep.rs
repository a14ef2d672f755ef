//! How idle workers sleep, and how new work wakes them, without a lost
//! wake-up.
//!
//! A *lost wake-up* is the classic bug of sleeping: a worker looks for work
//! and finds none; before it falls asleep, a job arrives and the producer
//! wakes "everyone who sleeps", which is nobody yet; then the worker falls
//! asleep, next to a job, and nobody will ever wake it.
//!
//! The cure is one lock that both sides take. A worker checks for work *while
//! holding the lock* and goes to sleep on the condition variable, which
//! releases the lock only once the worker is waiting. A producer makes its
//! job visible first and then takes the same lock to wake a sleeper. So
//! either the worker's check comes after the job was pushed (it sees the
//! job), or the worker was already waiting when the producer got the lock
//! (the producer wakes it). There is no third order.
//!
//! The workers' loop, [`Sleepers::worker_loop`], lives here too, generic
//! over the job, so that `tests/loom.rs` model-checks the very loop the
//! pool runs. [`Sleepers::sleep_unless_racy`] is the broken version of the
//! sleep (the check made before taking the lock), kept so that
//! `tests/loom.rs` can show loom catching the bug.

use crate::sync::{Condvar, Mutex, MutexGuard};

/// What the lock protects.
#[derive(Debug, Default)]
struct State {
    /// Workers waiting on the condition variable right now.
    sleeping: usize,
    /// Set once by [`Sleepers::shut_down`]; no worker sleeps after that.
    shutting_down: bool,
}

// ANCHOR: sleepers
/// The place where idle workers of a pool sleep.
#[derive(Debug, Default)]
pub struct Sleepers {
    state: Mutex<State>,
    wake: Condvar,
}

impl Sleepers {
    /// Creates a place where nobody sleeps yet.
    pub fn new() -> Self {
        Sleepers::default()
    }

    /// Called by a worker that found no work: sleeps until woken, unless
    /// `has_work()` (checked under the lock) says work has arrived, or the
    /// pool is shutting down. Returns `false` once the pool is shutting
    /// down, `true` otherwise. The caller looks for work again either way:
    /// a wake-up is a hint, not a promise (another worker may have taken
    /// the job, and condition variables may wake spuriously).
    pub fn sleep_unless(&self, has_work: impl Fn() -> bool) -> bool {
        let mut state = self.lock();
        if state.shutting_down {
            return false;
        }
        // The check happens while we hold the lock: a producer that pushed
        // after this check must take the lock to wake us, and cannot get it
        // before `wait` below has put us to sleep.
        if has_work() {
            return true;
        }
        state.sleeping += 1;
        state = self.wait(state);
        state.sleeping -= 1;
        !state.shutting_down
    }

    /// How a producer hands over a job: `push` makes it visible where
    /// workers look for work, *then* one sleeping worker, if any, is woken.
    pub fn publish(&self, push: impl FnOnce()) {
        push();
        self.notify_one();
    }

    /// Wakes one sleeping worker, if any. Call it only after the new job is
    /// visible ([`Sleepers::publish`] does both, in that order).
    pub fn notify_one(&self) {
        // Taking the lock orders this call after any worker's check that
        // did not see the new job: that worker is already waiting.
        let state = self.lock();
        if state.sleeping > 0 {
            self.wake.notify_one();
        }
    }

    /// Tells every worker to stop sleeping for good, and wakes them all.
    pub fn shut_down(&self) {
        self.lock().shutting_down = true;
        self.wake.notify_all();
    }
    // ANCHOR_END: sleepers

    /// How many workers are asleep right now.
    pub fn sleeping(&self) -> usize {
        self.lock().sleeping
    }

    // ANCHOR: worker_loop
    /// The loop of every worker: `find` looks for a job and takes it, `run`
    /// runs it, `has_work` says whether a job waits anywhere. Sleeps when
    /// there is nothing to do; returns once the pool shuts down and no job
    /// is left. Generic over the job, so that `tests/loom.rs` can run this
    /// very loop with a counter standing in for the deques.
    pub fn worker_loop<J>(
        &self,
        find: impl FnMut() -> Option<J>,
        run: impl FnMut(J),
        has_work: impl Fn() -> bool,
    ) {
        self.worker_loop_with(find, run, has_work, |s, w| s.sleep_unless(w));
    }
    // ANCHOR_END: worker_loop

    /// [`Sleepers::worker_loop`] with the broken sleep of
    /// [`Sleepers::sleep_unless_racy`], for `tests/loom.rs` only.
    pub fn worker_loop_racy<J>(
        &self,
        find: impl FnMut() -> Option<J>,
        run: impl FnMut(J),
        has_work: impl Fn() -> bool,
    ) {
        self.worker_loop_with(find, run, has_work, |s, w| {
            s.sleep_unless_racy(w)
        });
    }

    // ANCHOR: worker_loop_with
    fn worker_loop_with<J, W: Fn() -> bool>(
        &self,
        mut find: impl FnMut() -> Option<J>,
        mut run: impl FnMut(J),
        has_work: W,
        sleep: impl Fn(&Self, &W) -> bool,
    ) {
        // Set once we have learnt that the pool shuts down.
        let mut stopping = false;
        loop {
            if let Some(job) = find() {
                run(job);
                continue;
            }
            // Nothing found, after we learnt that the pool shuts down: every
            // job queued before the shutdown has been taken. We are done.
            if stopping {
                return;
            }
            // Sleep, unless work arrived meanwhile. `false` means the pool
            // shuts down: look for work once more before leaving.
            stopping = !sleep(self, &has_work);
        }
    }
    // ANCHOR_END: worker_loop_with

    // ANCHOR: racy
    /// THE BROKEN VERSION, for `tests/loom.rs` only: it checks for work
    /// *before* taking the lock. A job pushed between the check and the
    /// lock finds `sleeping == 0`, wakes nobody, and this worker then
    /// sleeps next to it: a lost wake-up.
    pub fn sleep_unless_racy(&self, has_work: impl Fn() -> bool) -> bool {
        if has_work() {
            return true;
        }
        // The window: a producer can push and notify right here.
        let mut state = self.lock();
        if state.shutting_down {
            return false;
        }
        state.sleeping += 1;
        state = self.wait(state);
        state.sleeping -= 1;
        !state.shutting_down
    }
    // ANCHOR_END: racy

    fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing panics while holding this lock (it guards two plain
        // numbers), so a poisoned lock still holds valid numbers.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn wait<'a>(&self, state: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        // As in `lock`: the state is valid even if poisoned.
        self.wake
            .wait(state)
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
