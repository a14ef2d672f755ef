//! Cell `fences`: the publish pattern and the store-buffering test
//! again, with every atomic operation `Relaxed`, once without fences and
//! once with them: a Release fence before the flag store and an Acquire
//! fence after the flag loop; a SeqCst fence between each thread's store
//! and load. The outcomes the fences forbid are counted.
//@ timeout = 30
//@ [[vary]]
//@ what = "architecture"
//@ pattern = 'this machine is (\w+)'
//@ [[vary]]
//@ what = "count"
//@ pattern = 'no fence: +([\d,]+) stale'
//@ [[vary]]
//@ what = "count"
//@ pattern = 'r1 = 0, r2 = 0( +[\d,]+)'
//@ [[vary]]
//@ what = "count"
//@ pattern = 'r1 = (?:0, r2 = 1|1, r2 = 0|1, r2 = 1)( +[\d,]+)( +[\d,]+)'
//@ [[vary]]
//@ what = "share"
//@ pattern = '([\d.]+)% of the trials without'
// HIDE_START
use shared_state::fences::{
    Fences, fenced_store_buffering, stale_fenced_receives,
};
use shared_state::grouped;
// HIDE_END

/// How many values are sent, and how many store-buffering trials run, each
/// way.
const TRIALS: usize = 500_000;
/// The value sent; an empty mailbox holds 0.
const VALUE: u64 = 42;

fn main() {
    println!(
        "Publish: {} values sent, all operations Relaxed; this machine is {}.",
        grouped(TRIALS as u64),
        std::env::consts::ARCH
    );
    for (fences, label) in [
        (Fences::Without, "no fence:"),
        (Fences::With, "fence(Release) + fence(Acquire):"),
    ] {
        let stale = stale_fenced_receives(fences, TRIALS, VALUE);
        println!(
            "  {label:<34}{:>7} stale reads (flag seen, value not yet)",
            grouped(stale as u64)
        );
    }

    println!(
        "\nStore buffering: {} trials each, all operations Relaxed.",
        grouped(TRIALS as u64)
    );
    let without = fenced_store_buffering(Fences::Without, TRIALS);
    let with = fenced_store_buffering(Fences::With, TRIALS);
    println!("{:<16}{:>10}{:>16}", "outcome", "no fence", "fence(SeqCst)");
    for (r1, r2) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
        println!(
            "r1 = {r1}, r2 = {r2}  {:>10}{:>16}",
            grouped(without.of(r1, r2)),
            grouped(with.of(r1, r2))
        );
    }
    println!(
        "\nBoth read 0 in {:.2}% of the trials without a fence, and in {} \
         with one.",
        100.0 * without.of(0, 0) as f64 / TRIALS as f64,
        grouped(with.of(0, 0)),
    );
}
