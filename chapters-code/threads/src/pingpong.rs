//! Two threads handing a token back and forth: each hand-over wakes the
//! other thread and puts this one to sleep, so on one core every hand-over is
//! a context switch, and the time per hand-over is (roughly) its cost.

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::switches::{self, Switches};

/// What a ping-pong measured.
#[derive(Debug, Clone, Copy)]
pub struct PingPong {
    /// How many times the token went there and back.
    pub rounds: u32,
    /// Wall time for all of them.
    pub elapsed: Duration,
    /// Context switches of both threads together (Linux only).
    pub switches: Option<Switches>,
}

impl PingPong {
    /// Wall time per one-way hand-over.
    pub fn per_handover(&self) -> Duration {
        self.elapsed / (2 * self.rounds.max(1))
    }
}

// ANCHOR: ping_pong
/// Sends a token to a second thread and waits for it to come back, `rounds`
/// times.
pub fn ping_pong(rounds: u32) -> PingPong {
    let (to_pong, pong_inbox) = mpsc::channel::<u32>();
    let (to_ping, ping_inbox) = mpsc::channel::<u32>();
    thread::scope(|s| {
        let pong = s.spawn(move || {
            let before = switches::current();
            // Ends when the ping side drops its sender.
            for token in pong_inbox {
                // The ping side waits for this answer, so it is still there.
                to_ping.send(token).unwrap();
            }
            Some(switches::current()? - before?)
        });
        let before = switches::current();
        let start = Instant::now();
        for round in 0..rounds {
            // The pong thread lives until we drop `to_pong`: sends succeed.
            to_pong.send(round).unwrap();
            let back = ping_inbox.recv().unwrap();
            debug_assert_eq!(back, round);
        }
        let elapsed = start.elapsed();
        let ping = switches::current().zip(before).map(|(a, b)| a - b);
        drop(to_pong);
        // The pong loop cannot panic (its sends succeed), so join cannot fail.
        let pong = pong.join().unwrap();
        let switches = ping.zip(pong).map(|(a, b)| Switches {
            voluntary: a.voluntary + b.voluntary,
            involuntary: a.involuntary + b.involuntary,
        });
        PingPong {
            rounds,
            elapsed,
            switches,
        }
    })
}
// ANCHOR_END: ping_pong
