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

/// Serializes the tests of one test program that measure time, so that
/// they do not compete with each other for the cores.
pub fn serial() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    // A test that panicked while holding it leaves nothing to repair.
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}
