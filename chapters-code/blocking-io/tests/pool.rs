//! Version 3, a bounded pool, against the conformance suite.

blocking_io::conformance!(blocking_io::pool::start, Concurrent, Capped);
