//! Whole-book tests: the book as a reader gets it.
//!
//! - `consistency`: every directive and include resolves, every crate is
//!   used, every cell has a fresh stored output, every number the prose
//!   quotes is one its runs show (`cargo book check`); the
//!   checks catch each kind of mistake in a broken fixture workspace; the
//!   running page states the limits the runner enforces;
//! - `outputs`: every cell run again, its output compared with the stored
//!   one under the cell's declared rules;
//! - `build`: the book builds with no warnings, its internal links and
//!   anchors resolve, and cells reach their pages with output and caption;
//!   the interleaving players' lists of outcomes are there without
//!   JavaScript;
//! - `preprocessor`: what directives expand to, against snapshots, and the
//!   errors that name file and line;
//! - `capture` (Unix): a failing or runaway cell is reported by name while
//!   the others still run;
//! - `browser`: the served book in headless Chromium: edit a cell, see the
//!   compiler's errors in place, run it, compare, reload, reset, leave by
//!   keyboard; take a knowledge check; play the lost update and the
//!   deadlock with the keyboard only;
//! - `accessibility` (within the browser test): axe-core finds no violation
//!   on chapter pages, light and dark, nor on a cell after a live run; a
//!   figure's screenshot is light in the light theme, dark in the dark ones.
//!
//! `util` holds what they share.

mod accessibility;
mod browser;
mod build;
#[cfg(unix)]
mod capture;
mod consistency;
mod outputs;
mod preprocessor;
mod util;
