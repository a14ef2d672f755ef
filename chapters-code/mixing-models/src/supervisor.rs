//! "Let it crash", on tokio tasks: a lightweight process with a mailbox,
//! and a supervisor that restarts it when it panics.
//!
//! The message-passing chapter built this with threads. On tokio the process is
//! a task: a few hundred bytes instead of a thread's stack, so a program can
//! have a process per connection or per request, as Erlang programs do. A
//! task's `JoinHandle` says whether it returned or panicked
//! (`JoinError::is_panic`), which is all a supervisor needs to know.
//!
//! The mailbox outlives the processes: the supervisor owns it and lends it
//! to each incarnation, so the address that clients hold stays valid
//! across restarts, like a registered name in Erlang. A message in the
//! hands of a process when it crashes is lost with it.

use std::sync::Arc;

use tokio::sync::{Mutex, mpsc, oneshot};
use tokio::task::JoinHandle;

/// What a counter process understands.
#[derive(Debug)]
pub enum Msg {
    /// Add to the count.
    Add(u64),
    /// Send the count back.
    Get(oneshot::Sender<u64>),
    /// A request the process cannot handle: it panics.
    Poison,
}

/// What the supervisor saw, when it stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// How many times it restarted the process.
    pub restarts: u32,
    /// Whether it gave up after too many crashes (rather than stopping
    /// because every client had gone).
    pub gave_up: bool,
}

type Mailbox = Arc<Mutex<mpsc::Receiver<Msg>>>;

// ANCHOR: process
/// One incarnation of the counter: its state is a local variable, fresh
/// at every start, and nobody else can reach it.
async fn counter(mailbox: Mailbox) {
    let mut count = 0;
    loop {
        // Lock only to take the next message; the lock is released (the
        // guard dropped) before the message is handled, even by a panic.
        let msg = mailbox.lock().await.recv().await;
        match msg {
            // Every address is gone: nobody can send again. Stop.
            None => return,
            Some(Msg::Add(n)) => count += n,
            Some(Msg::Get(reply)) => {
                // A client that stopped waiting does not want the answer.
                let _ = reply.send(count);
            }
            Some(Msg::Poison) => panic!("the counter cannot handle poison"),
        }
    }
}
// ANCHOR_END: process

// ANCHOR: supervisor
/// Starts a counter under a supervisor, which restarts it when it panics,
/// at most `max_restarts` times. Returns the counter's address and the
/// supervisor's handle. Must be called inside a tokio runtime.
pub fn start(max_restarts: u32) -> (mpsc::Sender<Msg>, JoinHandle<Report>) {
    let (address, mailbox) = mpsc::channel(64);
    let mailbox: Mailbox = Arc::new(Mutex::new(mailbox));
    let supervisor = tokio::spawn(async move {
        let mut restarts = 0;
        loop {
            let child = tokio::spawn(counter(Arc::clone(&mailbox)));
            match child.await {
                // The process returned: its work is over.
                Ok(()) => {
                    return Report {
                        restarts,
                        gave_up: false,
                    };
                }
                Err(e) if e.is_panic() && restarts < max_restarts => {
                    restarts += 1;
                }
                // Crashing again and again: restarting does not help.
                Err(_) => {
                    return Report {
                        restarts,
                        gave_up: true,
                    };
                }
            }
        }
    });
    (address, supervisor)
}
// ANCHOR_END: supervisor
