//! The book's own tool: builds the book with its cells, captures and checks
//! the cells' outputs, serves the book as a notebook. `cargo book` (an
//! alias in `.cargo/config.toml`) runs its command line, `main.rs`; the
//! whole-book tests in `tests/` use this library.
//!
//! The flow: [`workspace`] knows where things are and [`cells`] finds every
//! cell program and its [`spec`]. [`capture`] builds them with [`cargo`]
//! and runs them through the [`runner`], the only code that starts a cell
//! program, and [`outputs`] stores what they printed. [`directives`] parses
//! the book's `{{#...}}` directives once: [`preprocess`] expands them
//! (cells, [`measure`]ments, [`quiz`]zes) and [`book`] builds the book with
//! mdBook, while [`check`] holds the fast consistency checks over the same
//! list, and [`numbers`] holds prose figures to the runs they quote.
//! [`compare`] matches a fresh run against a stored one. [`serve`]
//! runs the notebook server, which compiles edited cells with [`compile`]
//! and reads what the compiler said with [`diagnostics`]; [`terminal`]
//! turns coloured terminal text into HTML for both kinds of page;
//! [`exercises`] checks the chapters' exercises; [`machine`] names the
//! machine in captions.

pub mod book;
pub mod capture;
pub mod cargo;
pub mod cells;
pub mod check;
pub mod compare;
pub mod compile;
pub mod diagnostics;
pub mod diagrams;
pub mod directives;
pub mod distribution;
pub mod exercises;
pub mod machine;
pub mod measure;
pub mod numbers;
pub mod outputs;
pub mod predict;
pub mod preprocess;
pub mod quiz;
pub mod references;
pub mod runner;
pub mod schedule;
pub mod serve;
pub mod spec;
pub mod terminal;
pub mod workspace;
