//! Version 2, a thread per connection, against the conformance suite.

blocking_io::conformance!(
    blocking_io::per_connection::start,
    Concurrent,
    Capped
);
