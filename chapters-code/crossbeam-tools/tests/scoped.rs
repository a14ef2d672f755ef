//! Scoped threads: both kinds borrow from the stack; a panic in a scoped
//! thread comes back as `Err` from crossbeam's scope, and as a panic from
//! the standard library's.

use crossbeam_tools::scoped::{
    crossbeam_scope_with_a_panic, std_scope_with_a_panic, sum_crossbeam,
    sum_std,
};

#[test]
fn both_scopes_add_up_borrowed_data() {
    let data: Vec<u64> = (1..=1_000).collect();
    assert_eq!(sum_crossbeam(&data), 500_500);
    assert_eq!(sum_std(&data), 500_500);
    assert_eq!(sum_crossbeam(&[]), 0);
    assert_eq!(sum_std(&[7]), 7);
}

#[test]
fn crossbeam_returns_err_and_std_panics() {
    // Quiet the panic messages of the failing threads.
    std::panic::set_hook(Box::new(|_| {}));
    assert_eq!(
        crossbeam_scope_with_a_panic(),
        Err(vec!["a scoped thread fails".to_string()])
    );
    assert_eq!(
        std_scope_with_a_panic(),
        Err("a scoped thread panicked".to_string())
    );
    let _ = std::panic::take_hook();
}
