//! Cell `countdown`: a future that says Pending three times,
//! waking itself each time, run by `block_on`, which prints what it does.
//@ timeout = 30
// HIDE_START
use futures_by_hand::block_on::{Observer, block_on_observed};
use futures_by_hand::countdown::Countdown;
// HIDE_END

/// Prints each step of `block_on`.
struct Narrator {
    polls: u32,
}

impl Observer for Narrator {
    fn before_poll(&mut self) {
        self.polls += 1;
        print!("poll {}: ", self.polls);
    }
    fn after_poll(&mut self, ready: bool) {
        println!("{}", if ready { "Ready" } else { "Pending" });
    }
    fn after_wait(&mut self, parks: u32) {
        match parks {
            0 => println!("  already woken during the poll: poll again"),
            n => println!("  parked {n} time(s) until woken"),
        }
    }
}

fn main() {
    let countdown = Countdown::new(3);
    println!("created a Countdown; nothing has run yet");
    block_on_observed(countdown, &mut Narrator { polls: 0 });
    println!("done");
}
