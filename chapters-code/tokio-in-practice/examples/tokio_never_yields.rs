//! The Tokio chapter's cell `tokio_never_yields`: on a current-thread runtime,
//! task A computes in three chunks and task B wants to run three times.
//! Without an `.await` that pauses, A runs to its end before B starts;
//! `yield_now` lets B in. Then tokio's cooperative budget: a task whose
//! every `.await` is ready at once is made to pause all the same.
// HIDE_START
use std::time::Duration;

use tokio_in_practice::starve::{budget, hog_and_neighbour};
// HIDE_END

fn main() {
    let chunk = Duration::from_millis(20);
    println!("A never yields:");
    for event in hog_and_neighbour(3, chunk, false) {
        println!("  {event}");
    }
    println!("A calls yield_now after each chunk:");
    for event in hog_and_neighbour(3, chunk, true) {
        println!("  {event}");
    }
    println!("A receives 1000 messages that are all ready:");
    println!("  B first ran after A had received {}", budget(1000, true));
    println!("A receives them, unconstrained (no budget):");
    println!("  B first ran after A had received {}", budget(1000, false));
}
