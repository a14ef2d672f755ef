//! Cell `sizes`: how big is a future? An async fn's future holds what is
//! alive across an `.await`, and a borrowed local until its scope ends; its
//! hand-written twin packs the same states tighter.
//@ timeout = 30
// HIDE_START
use std::mem::{size_of, size_of_val};
use std::time::Duration;

use futures_by_hand::block_on::block_on_counted;
use futures_by_hand::countdown::Countdown;
use futures_by_hand::state_machine::{
    AddSlowly, add_slowly, buffer_across_await, buffer_before_await,
    buffer_borrowed_before_await,
};
use futures_by_hand::timer::Timer;
// HIDE_END

fn main() {
    // Calling an async fn runs none of its body: it builds the future.
    let from_async = add_slowly(4, 2);
    let by_hand = AddSlowly::new(4, 2);
    println!("size of a future, in bytes:");
    line("Countdown", size_of::<Countdown>());
    line("Timer", size_of::<Timer>());
    line("add_slowly(4, 2)  (async fn)", size_of_val(&from_async));
    line("AddSlowly::new(4, 2)  (by hand)", size_of_val(&by_hand));
    line("buffer_across_await()", size_of_val(&buffer_across_await()));
    line("buffer_before_await()", size_of_val(&buffer_before_await()));
    line(
        "buffer_borrowed_before_await()",
        size_of_val(&buffer_borrowed_before_await()),
    );
    line("async { Timer 1 ms, then add_slowly }", {
        let bigger = async {
            Timer::after(Duration::from_millis(1)).await;
            add_slowly(1, 1).await
        };
        size_of_val(&bigger)
    });

    // The two versions of add_slowly, run by the same executor.
    let (sum, counts) = block_on_counted(from_async);
    println!("async fn: {sum} after {} polls", counts.polls);
    let (sum, counts) = block_on_counted(by_hand);
    println!("by hand:  {sum} after {} polls", counts.polls);
}

// HIDE_START
fn line(what: &str, bytes: usize) {
    println!("  {what:<40} {bytes:>5}");
}
// HIDE_END
