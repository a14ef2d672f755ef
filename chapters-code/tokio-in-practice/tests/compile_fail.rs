//! What tokio's `spawn` refuses: each file in `compile_fail/` is a program
//! that the compiler rejects, and the `.stderr` next to it is the
//! compiler's real message, which the book shows. This test fails if a
//! file starts to compile, or if the message changes.
//!
//! After a Rust or tokio upgrade that rewords a message (it quotes
//! tokio's `spawn`), regenerate the files with
//! `TRYBUILD=overwrite cargo test -p tokio-in-practice --test compile_fail`.

#[test]
fn a_std_guard_across_an_await_is_not_send() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/compile_fail/*.rs");
}
