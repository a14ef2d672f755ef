//! Our runtime's server with the lean session against the blocking I/O
//! chapter's conformance suite.

blocking_io::conformance!(c10k::lean::with_runtime::start, Concurrent, Capped);
