//! Ten thousand connections: the book's load generator ([`load`]), the
//! server process it measures ([`server`]), and the open-file limit every
//! connection counts against ([`limits`]).

pub mod exercises;
pub mod limits;
pub mod load;
pub mod server;
