//! Cell `context_switch_cost`: two threads hand a token back and
//! forth; on one core, every hand-over is a context switch.
//@ timeout = 30
//@ [[vary]]
//@ what = "measured"
//@ pattern = '(\d+\.\d+)'
//@ [[vary]]
//@ what = "count"
//@ pattern = '(\d+) (?:voluntary|involuntary)'
//@ [[vary]]
//@ what = "cpu"
//@ pattern = 'to CPU (\d+)'
// HIDE_START
use support::pin::{Pinned, pin_to_one_core};
use threads::pingpong::{PingPong, ping_pong};
// HIDE_END

const ROUNDS: u32 = 20_000;

fn main() {
    println!("{ROUNDS} round trips of a token between two threads:\n");
    // First wherever the scheduler likes (two cores here), ...
    report("free to use every core", ping_pong(ROUNDS));
    // ... then with both threads on one core.
    let where_ = match pin_to_one_core() {
        Pinned::To(cpu) => format!("pinned to CPU {cpu}"),
        Pinned::Unsupported(why) => format!("not pinned: {why}"),
    };
    report(&where_, ping_pong(ROUNDS));
}

// HIDE_START
fn report(how: &str, run: PingPong) {
    let micros = run.per_handover().as_secs_f64() * 1e6;
    println!("{how}:");
    println!(
        "  {:.3} s in all, {micros:.2} µs per hand-over",
        run.elapsed.as_secs_f64()
    );
    match run.switches {
        Some(s) => println!(
            "  context switches: {} voluntary, {} involuntary",
            s.voluntary, s.involuntary
        ),
        None => println!("  (context switch counts need Linux)"),
    }
}
// HIDE_END
