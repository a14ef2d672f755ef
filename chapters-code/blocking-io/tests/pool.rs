//! Version 3, a bounded pool, against the conformance suite.

mod conformance;

conformance!(
    |addr, config| blocking_io::pool::start(addr, config),
    Concurrent
);

#[test]
fn cap_holds() {
    conformance::cap_holds(START);
}
