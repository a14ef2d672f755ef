//! The library a cell of this crate may use.
