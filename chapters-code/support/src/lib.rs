//! What every chapter needs and none of them teaches.
//!
//! - [`timeline`]: record when each piece of work started and ended, on which
//!   thread, and draw it as a picture.
//! - [`figure`]: hand a picture (SVG) to the notebook, so it shows under the
//!   cell's text output the way a plot shows under a Jupyter cell.
//! - [`measure`]: wall-clock time and CPU time of a piece of work, and a way to
//!   keep a CPU busy for a given time.
//! - [`pin`]: confine a program to one core (Linux), to see concurrency
//!   without parallelism.
//! - [`chart`]: a line chart of measurements, as SVG; [`bars`]: a bar chart.
//! - [`diagram`]: boxes and arrows for the picture of an idea, as data that
//!   Graphviz lays out.
//! - [`process`]: this process's memory and thread count.
//! - [`examples`]: a crate's example programs, for its tests to run.
//! - [`quiz`]: the answers of a knowledge check, for the tests that prove
//!   them.
//! - [`sequence`]: what a runtime does, message by message, drawn as a
//!   sequence diagram the page steps through.
//! - [`schedule`]: what a model checker's executions did, step by step, for
//!   the pages' interleaving players.
//! - [`guard`]: run a test's body on a thread, and fail if it hangs.
//! - [`stats`]: medians, quartiles and ranges of measurements, and a 95%
//!   interval for a median.
//!
//! This crate is not a chapter: the book never explains it, so it stays small
//! and boring.

pub mod bars;
pub mod chart;
pub mod diagram;
mod draw;
pub mod examples;
pub mod figure;
pub mod guard;
pub mod measure;
pub mod pin;
pub mod process;
pub mod quiz;
pub mod schedule;
pub mod sequence;
mod source;
pub mod stats;
pub mod timeline;
