//! A task that never yields keeps every other task of its thread waiting,
//! on tokio as on the book's own runtime; `yield_now` and tokio's
//! cooperative budget are the two ways out.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use support::measure::spin_cpu;
use tokio::sync::mpsc;

fn push(events: &Mutex<Vec<String>>, event: String) {
    events
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .push(event);
}

// ANCHOR: hog
/// On a current-thread runtime: task A computes in `chunks` pieces of
/// `cpu`, yielding between them if `polite`; task B wants to run three
/// times. Returns the order in which things happened.
pub fn hog_and_neighbour(
    chunks: u32,
    cpu: Duration,
    polite: bool,
) -> Vec<String> {
    let events = Arc::new(Mutex::new(Vec::new()));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a current-thread runtime can be built");
    runtime.block_on(async {
        let a = tokio::spawn({
            let events = Arc::clone(&events);
            async move {
                for i in 1..=chunks {
                    spin_cpu(cpu);
                    push(&events, format!("A computed chunk {i}"));
                    if polite {
                        tokio::task::yield_now().await;
                    }
                }
            }
        });
        let b = tokio::spawn({
            let events = Arc::clone(&events);
            async move {
                for i in 1..=3 {
                    push(&events, format!("B ran, step {i}"));
                    tokio::task::yield_now().await;
                }
            }
        });
        let _ = tokio::join!(a, b);
    });
    events.lock().unwrap_or_else(|p| p.into_inner()).clone()
}
// ANCHOR_END: hog

// ANCHOR: budget
/// On a current-thread runtime: task A receives `messages` messages that
/// are all already waiting in a channel, so every `recv().await` is ready
/// at once. Task B notes how many A had received when B first ran.
/// `budget` false runs A with `tokio::task::unconstrained`, which turns
/// tokio's cooperative budget off for it.
pub fn budget(messages: usize, budget: bool) -> usize {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a current-thread runtime can be built");
    runtime.block_on(async {
        let (tx, mut rx) = mpsc::unbounded_channel();
        for i in 0..messages {
            // The receiver is right here: sending cannot fail.
            tx.send(i).expect("the receiver is alive");
        }
        drop(tx);
        let received = Arc::new(Mutex::new(0));
        let count = Arc::clone(&received);
        let receive_all = async move {
            while rx.recv().await.is_some() {
                *count.lock().unwrap_or_else(|p| p.into_inner()) += 1;
            }
        };
        let a = if budget {
            tokio::spawn(receive_all)
        } else {
            tokio::spawn(tokio::task::unconstrained(receive_all))
        };
        let seen = Arc::clone(&received);
        let b = tokio::spawn(async move {
            *seen.lock().unwrap_or_else(|p| p.into_inner())
        });
        a.await.expect("A does not panic");
        b.await.expect("B does not panic")
    })
}
// ANCHOR_END: budget
