//! The chapter's races as small models for a model checker, recorded step
//! by step for the page's interleaving players (see [`support::schedule`]).
//! `tests/shuttle.rs` explores the lost update and the check then act,
//! `tests/loom.rs` the store-buffering test, and each stores what it found
//! in `outputs/<name>.schedules.json`.
//!
//! Each model runs the chapter's own code on two threads, A (the model's
//! first thread) and B, and returns the run: the steps the execution took,
//! and its outcome in words. Only compiled under `--cfg loom` or
//! `--cfg shuttle`.

use std::sync::atomic::Ordering::Relaxed;

use support::schedule::{self, Run};

use crate::sync::checker::sync::Arc;
use crate::sync::checker::thread;

use crate::logic_race::TicketOffice;
use crate::lost_update::add_racily;
use crate::ordering::{Order, TwoFlags};
use crate::sync::AtomicU64;

fn name_this_thread(name: &str) {
    schedule::name_thread(format!("{:?}", thread::current().id()), name);
}

fn address<T>(object: &T) -> usize {
    object as *const T as usize
}

/// Runs `work` on this thread, named A, and on a new thread named B, and
/// returns the steps they took and what each returned.
fn two_threads<T: Send + Sync + 'static, R: Send + 'static>(
    shared: &Arc<T>,
    work: fn(&T) -> R,
) -> (Vec<schedule::Step>, R, R) {
    name_this_thread("A");
    let other = shared.clone();
    let handle = thread::spawn(move || {
        name_this_thread("B");
        work(&other)
    });
    let a = work(shared);
    // The threads run the chapter's code, which does not panic.
    let b = handle.join().expect("B ran to its end");
    (schedule::finish(), a, b)
}

/// Two threads each add 1 twice to one counter with `add_racily`. The
/// outcome is the final count.
pub fn lost_update() -> Run {
    schedule::begin();
    let counter = Arc::new(AtomicU64::new(0));
    schedule::name_object(address(&*counter), "counter", "0".into());
    let (steps, (), ()) = two_threads(&counter, |c| add_racily(c, 2));
    let count = counter.load(Relaxed);
    Run {
        outcome: format!("counter = {count}"),
        steps,
    }
}

/// Two buyers, one free seat, `buy_racy`. The outcome is the tickets sold
/// and the seats left.
pub fn check_then_act() -> Run {
    schedule::begin();
    let office = Arc::new(TicketOffice::new(1));
    schedule::name_object(address(office.seats_lock()), "seats", "1".into());
    let (steps, a, b) = two_threads(&office, |o| o.buy_racy(|| ()));
    let (sold, left) = (u8::from(a) + u8::from(b), office.seats_left());
    let tickets = if sold == 1 { "ticket" } else { "tickets" };
    Run {
        outcome: format!("{sold} {tickets} sold, seats = {left}"),
        steps,
    }
}

/// The store-buffering test under `Relaxed`: A raises x and reads y, B
/// raises y and reads x. The outcome is what each read.
pub fn store_buffering() -> Run {
    schedule::begin();
    let flags = Arc::new(TwoFlags::default());
    let (x, y) = flags.parts();
    schedule::name_object(address(x), "x", "0".into());
    schedule::name_object(address(y), "y", "0".into());
    name_this_thread("A");
    let other = flags.clone();
    let handle = thread::spawn(move || {
        name_this_thread("B");
        other.b(Order::Relaxed)
    });
    let r1 = flags.a(Order::Relaxed);
    // `b` does not panic.
    let r2 = handle.join().expect("B ran to its end");
    let steps = schedule::finish();
    Run {
        outcome: format!("A read y = {r1}, B read x = {r2}"),
        steps,
    }
}
