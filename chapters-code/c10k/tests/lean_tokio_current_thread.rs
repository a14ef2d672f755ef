//! The tokio server with the lean session, every session on one thread,
//! against the blocking I/O chapter's conformance suite.

blocking_io::conformance!(
    c10k::lean::with_tokio::start_current_thread,
    Concurrent,
    Capped
);
