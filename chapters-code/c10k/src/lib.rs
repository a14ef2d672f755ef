//! Ten thousand connections: the book's load generator ([`load`]), the
//! server process it measures ([`server`]), servers compared side by side
//! in rotating rounds ([`compare`]), the open-file limit every connection
//! counts against ([`limits`]), and the async servers with sessions that
//! hold no buffer while they wait ([`lean`]), and a server that stalls
//! once, to show what a closed and an open loop each see of it
//! ([`stall`]).

pub mod compare;
pub mod exercises;
pub mod lean;
pub mod load;
pub mod server;
pub mod stall;

/// The open-file limit, which every connection counts against (the
/// blocking I/O chapter's module: its servers size their caps by it).
pub use blocking_io::limits;
