//! Data races do not compile: each file in `compile_fail/` is a program that
//! shares memory between threads in a way that could race, and the compiler
//! refuses it. The `.stderr` next to each file is the compiler's real
//! message, which the book shows; this test fails if a file starts to
//! compile, or if the message changes.
//!
//! After a Rust upgrade that rewords a message, regenerate the files with
//! `TRYBUILD=overwrite cargo test -p shared-state --test compile_fail`.

#[test]
fn data_races_are_compile_errors() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/compile_fail/*.rs");
}
