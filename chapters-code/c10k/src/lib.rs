//! Ten thousand connections: the book's load generator ([`load`]), the
//! server process it measures ([`server`]), servers compared side by side
//! in rotating rounds ([`compare`]), and the open-file limit every
//! connection counts against ([`limits`]).

pub mod compare;
pub mod exercises;
pub mod limits;
pub mod load;
pub mod server;
