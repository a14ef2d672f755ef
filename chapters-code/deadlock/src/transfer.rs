//! The classic deadlock: a bank transfer that locks two accounts.
//!
//! [`transfer`] locks the account the money leaves, then the account it goes
//! to. Run it on two threads in opposite directions, A to B and B to A, and
//! each can take its first lock before the other takes its second: A holds
//! account A and waits for B, B holds account B and waits for A, and neither
//! ever lets go. Most runs get through; the deadlock needs the two threads to
//! interleave just so, which is why a test can pass a thousand times and the
//! program still hang in production. `tests/shuttle.rs` runs it in every
//! interleaving and finds the ones that deadlock.
//!
//! [`transfer_ordered`] is the fix: every transfer takes the two locks in
//! one global order, whichever way the money moves. Then no thread can hold
//! the later lock while waiting for the earlier one, so no cycle of waits
//! can form (the "circular wait" of the four conditions).
//!
//! The accounts are `Mutex<i64>` balances from [`crate::sync`]: the standard
//! library's, or under `--cfg shuttle` the model checker's.

use crate::sync::Mutex;

// ANCHOR: transfer
/// Moves `amount` from one account to another: locks `from`, then `to`.
/// Two transfers in opposite directions can deadlock.
pub fn transfer(from: &Mutex<i64>, to: &Mutex<i64>, amount: i64) {
    // The locks guard one subtraction and one addition, which do not
    // panic, so no lock is ever poisoned and `unwrap` cannot fail.
    let mut from_balance = from.lock().unwrap();
    let mut to_balance = to.lock().unwrap();
    *from_balance -= amount;
    *to_balance += amount;
}
// ANCHOR_END: transfer

// ANCHOR: transfer_ordered
/// Moves `amount` from one account to another, locking the two accounts in
/// one global order (by their address in memory), so it never deadlocks.
pub fn transfer_ordered(from: &Mutex<i64>, to: &Mutex<i64>, amount: i64) {
    if std::ptr::eq(from, to) {
        // Nothing moves; and locking one mutex twice would deadlock alone.
        return;
    }
    // Moving `amount` from `from` to `to` is moving `-amount` back, so the
    // lower address can always be `first`.
    let (first, second, amount) =
        if std::ptr::from_ref(from) < std::ptr::from_ref(to) {
            (from, to, amount)
        } else {
            (to, from, -amount)
        };
    // As in `transfer`: nothing panics under these locks, so no poison.
    let mut first_balance = first.lock().unwrap();
    let mut second_balance = second.lock().unwrap();
    *first_balance -= amount;
    *second_balance += amount;
}
// ANCHOR_END: transfer_ordered
