//! Helpers shared by the tests.

/// Runs `attempt` up to `tries` times until it returns `Ok`; panics with
/// every failure's reason if none does. For claims about timing that a
/// busy machine can upset once, never for claims that hold by construction.
pub fn within_tries(
    tries: usize,
    mut attempt: impl FnMut() -> Result<(), String>,
) {
    let mut reasons = Vec::new();
    for _ in 0..tries {
        match attempt() {
            Ok(()) => return,
            Err(why) => reasons.push(why),
        }
    }
    panic!("failed {tries} times: {reasons:#?}");
}

pub use support::guard::take_turns;
