//! The Tokio chapter's cell `tokio_mutex`: task A holds a lock on a shared
//! connection while it waits 10 ms for a reply, and task B wants the lock
//! meanwhile, on a current-thread runtime. With a `std` guard held across
//! the `.await` the thread hangs, and even tokio's `timeout` cannot fire;
//! a watchdog thread reports it. Scoping the `std` guard, or tokio's
//! `Mutex`, both finish. Then what one lock and unlock costs with each.
//@ timeout = 30
//@ [[vary]]
//@ what = "cost of a lock and unlock"
//@ pattern = '(\d+) ns'
// HIDE_START
use std::time::Duration;

use tokio_in_practice::guards::{Hold, Outcome, lock_costs, run};
// HIDE_END

fn main() {
    // Tokio's timeout around both tasks, and the watchdog outside the
    // runtime, which waits longer.
    let inner = Duration::from_millis(500);
    let watchdog = Duration::from_secs(2);
    for hold in Hold::ALL {
        println!("{}:", hold.name());
        match run(hold, inner, watchdog) {
            Outcome::Finished { connection, events } => {
                for event in events {
                    println!("  {event}");
                }
                println!("  finished; the connection saw {connection:?}");
            }
            Outcome::TimedOut { events } => {
                for event in events {
                    println!("  {event}");
                }
                println!("  tokio's timeout of {} ms fired", inner.as_millis());
            }
            Outcome::Hung { events } => {
                for event in events {
                    println!("  {event}");
                }
                println!(
                    "  HUNG: after {} s the watchdog gave up; tokio's timeout \
                     of {} ms never fired",
                    watchdog.as_secs(),
                    inner.as_millis()
                );
            }
        }
    }
    let (std_cost, tokio_cost) = lock_costs(101, 10_000);
    println!(
        "one uncontended lock and unlock, median of 101 batches of 10,000:"
    );
    println!("  std::sync::Mutex    {:>4} ns", std_cost.as_nanos());
    println!("  tokio::sync::Mutex  {:>4} ns", tokio_cost.as_nanos());
}
