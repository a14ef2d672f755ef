//! Livelock: two threads that each need both of two locks, and each,
//! finding the other's lock taken, politely puts its own back and tries
//! again. In lockstep they never get anywhere, while keeping busy.
//!
//! To make the lockstep exact (rather than a matter of timing), the rounds
//! are marked by a barrier: in each round both threads take their own lock,
//! meet, try the other's, meet, put their own back, and meet again. The fix is *randomized back-off*:
//! in each round each thread flips a coin to decide whether to try at all,
//! so that sooner or later only one of them tries, and succeeds.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Barrier, Mutex};
use std::thread;
use std::time::{SystemTime, UNIX_EPOCH};

/// What a run of the two polite threads did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Rounds played.
    pub rounds: u32,
    /// Whether a thread got both locks, and in which round (from 1).
    pub succeeded_in: Option<u32>,
    /// Times a thread found the other lock taken and stepped back.
    pub stepped_back: u32,
}

// ANCHOR: polite
/// Plays up to `max_rounds` rounds; stops at the first round in which a
/// thread gets both locks. With `coin_flips`, each thread tries only when its
/// coin says so.
pub fn polite_threads(max_rounds: u32, coin_flips: bool) -> Outcome {
    let locks = [Mutex::new(()), Mutex::new(())];
    let barrier = Barrier::new(2);
    let succeeded_in = AtomicU32::new(0); // 0: not yet
    let stepped_back = AtomicU32::new(0);
    let rounds = AtomicU32::new(0);
    thread::scope(|s| {
        for me in 0..2 {
            let (locks, barrier) = (&locks, &barrier);
            let (succeeded_in, stepped_back, rounds) =
                (&succeeded_in, &stepped_back, &rounds);
            s.spawn(move || {
                let mut coin = Coin::new(me);
                for round in 1..=max_rounds {
                    let trying = !coin_flips || coin.heads();
                    // Take my own lock (nobody else ever holds it at the
                    // start of a round).
                    let mine = trying.then(|| locks[me].lock().unwrap());
                    barrier.wait();
                    if trying {
                        match locks[1 - me].try_lock() {
                            Ok(_theirs) => {
                                succeeded_in.store(round, Ordering::SeqCst);
                            }
                            Err(_) => {
                                // Taken: be polite, put mine back, retry.
                                stepped_back.fetch_add(1, Ordering::SeqCst);
                            }
                        }
                    }
                    // Both have tried before either puts a lock back.
                    barrier.wait();
                    drop(mine);
                    barrier.wait();
                    if me == 0 {
                        rounds.store(round, Ordering::SeqCst);
                    }
                    // Both read the flag after the same barrier: both stop
                    // in the same round.
                    if succeeded_in.load(Ordering::SeqCst) != 0 {
                        break;
                    }
                    barrier.wait();
                }
            });
        }
    });
    let round = succeeded_in.into_inner();
    Outcome {
        rounds: rounds.into_inner(),
        succeeded_in: (round != 0).then_some(round),
        stepped_back: stepped_back.into_inner(),
    }
}
// ANCHOR_END: polite

/// A tiny random number generator (xorshift), seeded differently for each
/// thread and each run.
struct Coin(u64);

impl Coin {
    fn new(me: usize) -> Coin {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64);
        Coin((nanos ^ (me as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)) | 1)
    }

    fn heads(&mut self) -> bool {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 & (1 << 32) != 0
    }
}
