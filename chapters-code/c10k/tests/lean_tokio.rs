//! The tokio server with the lean session, on a multi-threaded runtime,
//! against the blocking I/O chapter's conformance suite.

blocking_io::conformance!(c10k::lean::with_tokio::start, Concurrent, Capped);
