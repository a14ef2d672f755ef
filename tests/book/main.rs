//! Whole-book tests: the book as a reader gets it.
//!
//! - `consistency`: every directive and include resolves, every crate is used,
//!   every cell has a fresh stored output (`cargo book check`), and the checks
//!   catch each kind of mistake in a broken fixture workspace;
//! - `outputs`: every cell re-run, its output compared with the stored one
//!   under the cell's declared rules;
//! - `build`: the book builds with no warnings, its internal links and anchors
//!   resolve, and plain `mdbook`-style command preprocessing gives the same
//!   book as the notebook's in-process build;
//! - `preprocessor`: what a cell directive expands to, against snapshots.

mod browser;
mod build;
#[cfg(unix)]
mod capture;
mod consistency;
mod outputs;
mod preprocessor;
mod util;
