//! Cell `publish`: one thread writes a value and raises a flag;
//! the other waits for the flag and reads the value. Run many times with a
//! Release/Acquire flag and with a Relaxed one, counting the times the
//! reader saw the flag but not the value.
//@ runs = 20
//@ [[vary]]
//@ what = "architecture"
//@ pattern = 'this machine is (\w+)'
//@ [[vary]]
//@ what = "count"
//@ pattern = 'Relaxed flag:( +[\d,]+) stale'
// HIDE_START
use shared_state::grouped;
use shared_state::ordering::{Order, stale_receives};
// HIDE_END

/// How many values are sent with each kind of flag.
const SENDS: usize = 500_000;
/// The value sent; an empty mailbox holds 0.
const VALUE: u64 = 42;

fn main() {
    println!(
        "{} values sent from one thread to another; this machine is {}.",
        grouped(SENDS as u64),
        std::env::consts::ARCH
    );
    for order in [Order::ReleaseAcquire, Order::Relaxed] {
        let stale = stale_receives(order, SENDS, VALUE);
        println!(
            "  {:<22}{:>7} stale reads (flag seen, value not yet)",
            format!("{} flag:", order.name()),
            grouped(stale as u64)
        );
    }
}
