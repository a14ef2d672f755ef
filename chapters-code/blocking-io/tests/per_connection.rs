//! Version 2, a thread per connection, against the conformance suite.

mod conformance;

conformance!(
    |addr, config| blocking_io::per_connection::start(addr, config),
    Concurrent
);

#[test]
fn cap_holds() {
    conformance::cap_holds(START);
}
