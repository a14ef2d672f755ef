//! Fences: a Release fence before a Relaxed flag store and an Acquire fence
//! after a Relaxed flag loop publish data; a SeqCst fence between each
//! thread's store and load forbids r1 = r2 = 0 in the store-buffering test,
//! which Relaxed operations alone allow.

mod common;

use common::{keep_trying, take_turns};
use shared_state::fences::{
    Fences, fenced_store_buffering, stale_fenced_receives,
};
use shared_state::ordering::has_parallel_cores;

/// The fences pair up: whoever sees the flag after an Acquire fence sees the
/// data written before the sender's Release fence.
#[test]
fn release_and_acquire_fences_never_show_stale_data() {
    let _turn = take_turns();
    assert_eq!(stale_fenced_receives(Fences::With, 200_000, 42), 0);
}

/// Both SeqCst fences fall in one order both threads agree on. The thread
/// whose fence comes second loads after the other thread's store and
/// fence, so it reads 1.
#[test]
fn seq_cst_fences_never_let_both_threads_read_zero() {
    let _turn = take_turns();
    let outcomes = fenced_store_buffering(Fences::With, 300_000);
    assert_eq!(outcomes.trials(), 300_000);
    assert_eq!(outcomes.of(0, 0), 0, "{outcomes:?}");
}

/// Without the fences the same Relaxed program lets each load overtake its
/// thread's store, and both threads read 0: the fences are what forbid it.
#[test]
fn without_fences_both_threads_read_zero() {
    if !has_parallel_cores() {
        println!("one core: the reordering cannot show here; not asserted");
        return;
    }
    let _turn = take_turns();
    let found = keep_trying(|| {
        let outcomes = fenced_store_buffering(Fences::Without, 50_000);
        (outcomes.of(0, 0) > 0).then_some(outcomes)
    });
    let (outcomes, attempts) =
        found.unwrap_or_else(|| panic!("r1 = r2 = 0 never in 20 s"));
    println!("no fence: {outcomes:?} on attempt {attempts}");
}
