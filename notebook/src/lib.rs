//! The book's own tool: builds the book with its cells, captures and checks
//! the cells' outputs. `cargo book` (an alias in `.cargo/config.toml`) runs
//! its command line, `main.rs`; the whole-book tests in `tests/` use this
//! library.
//!
//! The flow: [`cells`] finds every cell program and its [`spec`];
//! [`capture`] builds and runs them with the limits of [`runner`] and
//! [`outputs`] stores what they printed; [`preprocess`] expands the book's
//! [`directives`] into code and stored output; [`book`] builds the book with
//! mdBook; [`compare`] matches a fresh run against a stored one; [`check`]
//! holds the fast consistency checks.

pub mod book;
pub mod capture;
pub mod cargo;
pub mod cells;
pub mod check;
pub mod compare;
pub mod compile;
pub mod directives;
pub mod exercises;
pub mod machine;
pub mod measure;
pub mod outputs;
pub mod preprocess;
pub mod quiz;
pub mod runner;
pub mod serve;
pub mod spec;
pub mod workspace;
