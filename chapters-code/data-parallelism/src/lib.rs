//! Data parallelism with rayon (Part IV): the same CPU-bound work run
//! sequentially, on hand-chunked std threads and with rayon; memory-bound
//! work that does not scale; the input size where parallelism starts to pay;
//! `rayon::join`, cutoffs and work stealing; Amdahl's and Gustafson's laws
//! measured; false sharing and cache-line padding.
//!
//! Each module is one section of the chapter. The cells (`examples/`) run
//! them and the tests (`tests/`) prove what the chapter claims about them.

pub mod amdahl;
pub mod exercises;
pub mod false_sharing;
pub mod memory;
pub mod recursion;
pub mod rounds;
pub mod sweep;
pub mod three_ways;
pub mod work;
