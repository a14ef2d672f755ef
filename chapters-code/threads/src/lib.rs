//! The chapter *Processes and threads*: the programs behind its cells.
//!
//! - [`process`]: describing how a child process ended, and a program that
//!   runs itself as its own child.
//! - [`slices`]: threads that record when they really ran, to make the
//!   scheduler's time slices visible.
//! - [`switches`]: counting a thread's context switches (Linux).
//! - [`cost`]: what threads cost: memory while they live, time to start.
//! - [`pingpong`]: two threads handing a message back and forth, to measure
//!   a context switch.
//! - [`crossing`]: a process against a thread, a pipe against a channel, a
//!   system call against a thread switch.
//! - [`priority`]: threads at different nice values competing for one core
//!   (Linux).

pub mod cost;
pub mod crossing;
pub mod exercises;
pub mod pingpong;
pub mod priority;
pub mod process;
pub mod slices;
pub mod switches;
