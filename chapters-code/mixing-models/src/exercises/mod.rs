//! The chapter's exercises. Each file here is yours to fill in; the tests
//! in `tests/exercises.rs` check it:
//!
//! ```sh
//! cargo test -p mixing-models --test exercises
//! ```
//!
//! `cargo book progress` shows which exercises of the book you have solved.
//! The book's solutions are in `solutions/`; the feature `solutions` builds
//! them in place of your files (`--features solutions`), without touching
//! your files.

#[cfg_attr(feature = "solutions", path = "../../solutions/offload.rs")]
pub mod offload;
