//! An actor: state that belongs to one thread, changed only by the messages
//! that arrive in its mailbox, one at a time. No other thread can reach the
//! state, so there is nothing to lock.
//!
//! And a supervisor, as Erlang has them: it watches the actor's thread, and
//! when the actor crashes it starts a fresh one, with fresh state, on the
//! same mailbox. Messages queued for the crashed actor go to the new one.

use std::thread::{self, JoinHandle};

use crossbeam_channel::{Receiver, Sender};

// ANCHOR: actor
/// What an [`Averager`] actor understands.
#[derive(Debug)]
pub enum Message {
    /// Add a sample.
    Record(u64),
    /// Send back the mean of the samples so far (rounded down).
    Mean(Sender<u64>),
}

/// The actor's state: private to its thread.
#[derive(Debug, Default)]
struct Averager {
    count: u64,
    total: u64,
}

impl Averager {
    fn handle(&mut self, message: Message) {
        match message {
            Message::Record(sample) => {
                self.count += 1;
                // A second bug: a total past `u64::MAX` crashes the actor.
                self.total = self
                    .total
                    .checked_add(sample)
                    .expect("the total overflowed");
            }
            Message::Mean(reply) => {
                // A bug kept on purpose: with no samples,
                // this divides by zero, which panics and crashes the actor.
                let mean = self.total / self.count;
                // The asker may have stopped waiting; that is its business.
                let _ = reply.send(mean);
            }
        }
    }
}

/// The actor's whole life: take messages one at a time until every sender
/// is gone.
fn run(mailbox: &Receiver<Message>) {
    let mut state = Averager::default();
    for message in mailbox.iter() {
        state.handle(message);
    }
}
// ANCHOR_END: actor

// ANCHOR: supervisor
/// Starts the actor under a supervisor. Returns the mailbox's address and
/// the supervisor's thread, which returns how many times it restarted the
/// actor once the mailbox is closed (every [`Sender`] dropped).
/// After `max_restarts` restarts it gives up, as Erlang supervisors do: a
/// crash that keeps coming back is not fixed by restarting.
pub fn start_supervised(
    max_restarts: usize,
) -> std::io::Result<(Sender<Message>, JoinHandle<usize>)> {
    let (address, mailbox) = crossbeam_channel::unbounded();
    let supervisor =
        thread::Builder::new()
            .name("supervisor".into())
            .spawn(move || {
                let mut restarts = 0;
                loop {
                    // Each incarnation of the actor is a thread of its own,
                    // reading the same mailbox (a crossbeam receiver clones).
                    let inbox = mailbox.clone();
                    let actor = thread::Builder::new()
                        .name("averager".into())
                        .spawn(move || run(&inbox));
                    let Ok(actor) = actor else { return restarts };
                    match actor.join() {
                        // The actor returned: its mailbox is closed. Done.
                        Ok(()) => return restarts,
                        // It panicked. Its state died with it; start afresh.
                        Err(_) if restarts < max_restarts => restarts += 1,
                        Err(_) => return restarts,
                    }
                }
            })?;
    Ok((address, supervisor))
}
// ANCHOR_END: supervisor

/// Asks the actor at `address` for its mean and waits for the answer.
/// `None` when no answer can come: the actor crashed while handling the
/// question (dropping the reply sender), or it is gone.
pub fn ask_mean(address: &Sender<Message>) -> Option<u64> {
    let (reply, answer) = crossbeam_channel::bounded(1);
    address.send(Message::Mean(reply)).ok()?;
    answer.recv().ok()
}
