//! Version 7 on a current-thread runtime against the conformance suite: the
//! same server, every session on one thread.

blocking_io::conformance!(
    tokio_in_practice::echo::start_current_thread,
    Concurrent,
    Capped
);
