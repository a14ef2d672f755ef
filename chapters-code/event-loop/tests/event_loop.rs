//! Version 5, one thread and an event loop, against the blocking I/O chapter's
//! conformance suite: the same cases as the blocking servers.

blocking_io::conformance!(event_loop::echo::start, Concurrent, Capped);
