//! Version 6, async/await on the chapter's runtime, against the blocking I/O
//! chapter's conformance suite: the same cases as every server before it.

blocking_io::conformance!(mini_runtime::echo::start, Concurrent, Capped);
