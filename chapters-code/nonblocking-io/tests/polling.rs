//! Version 4, the polling loop, against the conformance suite: the same
//! cases as the blocking I/O chapter's three servers.

blocking_io::conformance!(nonblocking_io::polling::start, Concurrent, Capped);
