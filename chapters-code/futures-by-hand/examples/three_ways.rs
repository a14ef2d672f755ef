//! Cell `three_ways`: one small job, written three ways. Look up
//! a price (100 ms), then an exchange rate (100 ms), then print the price
//! in euros: with callbacks, with future combinators, with async/await.
//@ timeout = 30
//@ [[vary]]
//@ what = "elapsed time"
//@ pattern = '(\d+) ms'
// HIDE_START
use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;
use std::time::{Duration, Instant};

use futures_by_hand::block_on::block_on;
use futures_by_hand::callbacks::EventLoop;
use futures_by_hand::combinators::Combinators;
use futures_by_hand::timer::Timer;
// HIDE_END

const LOOKUP: Duration = Duration::from_millis(100);

// Two slow "services", each in two styles: one that calls a function back
// with its answer, and one that returns a future of its answer.
fn price_cb(
    ev: &mut EventLoop,
    then: impl FnOnce(&mut EventLoop, f64) + 'static,
) {
    ev.set_timeout(LOOKUP, move |ev| then(ev, 12.50));
}
fn rate_cb(
    ev: &mut EventLoop,
    then: impl FnOnce(&mut EventLoop, f64) + 'static,
) {
    ev.set_timeout(LOOKUP, move |ev| then(ev, 0.86));
}
fn price() -> impl Future<Output = f64> {
    Timer::after(LOOKUP).map(|()| 12.50)
}
fn rate() -> impl Future<Output = f64> {
    Timer::after(LOOKUP).map(|()| 0.86)
}

fn main() {
    // 1. Callbacks. Each step is a function passed to the one before; the
    // price must be moved into the inner callback to be there when the rate
    // arrives, and the answer can only be handed on, never returned, so
    // we need a shared cell to get it out.
    let start = Instant::now();
    let answer = Rc::new(Cell::new(None));
    let mut ev = EventLoop::new();
    let out = Rc::clone(&answer);
    price_cb(&mut ev, move |ev, price| {
        rate_cb(ev, move |_ev, rate| {
            out.set(Some(price * rate));
        });
    });
    ev.run(); // nothing happens until the loop runs
    report("callbacks", answer.get(), start);

    // 2. Combinators. Each step returns a value, a future; `then` and `map`
    // glue them into one future, which is run by `block_on`.
    let start = Instant::now();
    let job = price().then(|price| rate().map(move |rate| price * rate));
    report("combinators", Some(block_on(job)), start);

    // 3. async/await. The same future, written as straight-line code.
    let start = Instant::now();
    let job = async {
        let price = price().await;
        let rate = rate().await;
        price * rate
    };
    report("async/await", Some(block_on(job)), start);
}

// HIDE_START
fn report(how: &str, euros: Option<f64>, start: Instant) {
    // Every version sets the answer before it finishes.
    let euros = euros.expect("an answer");
    let took = start.elapsed().as_millis();
    println!("{how:<12} 12.50 USD = {euros:.2} EUR, after {took} ms");
}
// HIDE_END
