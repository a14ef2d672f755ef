//! Cell `scoped_threads_crossbeam`: crossbeam's scoped threads
//! and the standard library's add up a borrowed vector the same way; they
//! differ when a scoped thread panics.
// HIDE_START
use crossbeam_tools::scoped::{
    crossbeam_scope_with_a_panic, std_scope_with_a_panic, sum_crossbeam,
    sum_std,
};
// HIDE_END

fn main() {
    // A vector on main's stack; both scopes lend it to two threads.
    let data: Vec<u64> = (1..=1_000_000).collect();
    println!("crossbeam scope: sum = {}", sum_crossbeam(&data));
    println!("std scope:       sum = {}", sum_std(&data));
    // `data` is still ours: the scopes only borrowed it.
    println!("data still owned by main: {} numbers", data.len());

    // Quiet the default panic message, so that only our lines print.
    std::panic::set_hook(Box::new(|_| {}));
    match crossbeam_scope_with_a_panic() {
        Ok(v) => println!("crossbeam: Ok({v})"),
        Err(panics) => println!("crossbeam: scope returned Err({panics:?})"),
    }
    match std_scope_with_a_panic() {
        Ok(v) => println!("std: Ok({v})"),
        Err(message) => println!("std: scope panicked with {message:?}"),
    }
}
