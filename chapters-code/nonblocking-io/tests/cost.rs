//! The polling server's cost with idle clients: a busy loop burns far more
//! CPU than one that sleeps, and a long sleep makes echoes slower. Only
//! relative comparisons, retried. One test, so that no other test's server
//! runs in this process while its CPU time is measured.

use std::time::Duration;

use nonblocking_io::cost::{Cost, measure_polling};

const IDLE: usize = 20;
const WINDOW: Duration = Duration::from_millis(300);
const ECHOES: usize = 20;

fn cost(sleep_ms: u64) -> Cost {
    measure_polling(IDLE, Duration::from_millis(sleep_ms), WINDOW, ECHOES)
        .unwrap()
}

#[test]
fn a_polling_loop_burns_cpu_or_answers_late() {
    let mut held = false;
    for attempt in 1..=4 {
        let (busy, sleepy) = (cost(0), cost(10));
        // Busy: a core's worth of CPU for nothing. Sleeping 10 ms: little
        // CPU, and an echo waits for the loop to wake up.
        if busy.cpu_share > sleepy.cpu_share * 5.0
            && sleepy.median_echo() > busy.median_echo()
        {
            held = true;
            break;
        }
        eprintln!("attempt {attempt}: busy {busy:?} vs 10 ms {sleepy:?}");
    }
    assert!(held, "the busy loop did not cost more CPU and less latency");
}
