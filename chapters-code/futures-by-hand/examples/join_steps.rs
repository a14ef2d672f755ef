//! Cell `join_steps`: `block_on(join(timer a, timer b))`, with timers of
//! 100 and 250 ms, recorded message by message: who polls whom, what each
//! answers, where the waker goes, when `block_on` parks and who wakes it.
//! The deadlines are 150 ms apart, so the order is the same on every run.
//@ timeout = 30
// HIDE_START
use std::time::Duration;

use futures_by_hand::block_on::block_on;
use futures_by_hand::join::join;
use futures_by_hand::timer::Timer;
use support::sequence::Sequence;
// HIDE_END

const A: Duration = Duration::from_millis(100);
const B: Duration = Duration::from_millis(250);

fn main() -> std::io::Result<()> {
    // A column per part: block_on, join and the timers run on the main
    // thread; each timer's own thread is drawn next to it.
    let sequence = Sequence::new(&[
        "block_on",
        "join",
        "timer a",
        "timer a's thread",
        "timer b",
        "timer b's thread",
    ]);
    // HIDE_START
    sequence.mean(
        "poll",
        "{from} polls {to}: it calls {to}'s poll, passing on block_on's waker.",
    );
    sequence.mean(
        "start",
        "A first poll: {from} starts {to}, which sleeps until the deadline.",
    );
    sequence.mean(
        "waker",
        "{from} leaves the waker where {to} will find it (their shared \
         completion), to call when the time is up.",
    );
    sequence.mean(
        "Pending",
        "{from} answers {to}: Pending. Not done yet; the waker will be called.",
    );
    sequence.mean(
        "Ready",
        "{from} answers {to}: Ready. Done, with its output.",
    );
    sequence.mean(
        "park",
        "Nothing to do until a wake: {from} parks its thread (asleep, no CPU).",
    );
    sequence.mean(
        "deadline",
        "The deadline passes: {from} stops sleeping and marks its timer done.",
    );
    sequence.mean(
        "wake",
        "{from} calls the waker, which is {to}'s: it sets {to}'s flag and \
         unparks the main thread, where {to} polls again.",
    );
    // HIDE_END

    // join calls its sides "timer a" and "timer b" (their type, and which
    // side); each timer takes that name for its lane.
    sequence.record(|| {
        block_on(join(
            Timer::after(A).named("timer a"),
            Timer::after(B).named("timer b"),
        ))
    });

    for (i, event) in sequence.events().iter().enumerate() {
        let (from, to, label) = (&event.from, &event.to, &event.label);
        if from == to {
            // A step within one part: parking, a deadline passing.
            println!("{:>2}. {from}: {label}", i + 1);
        } else {
            println!("{:>2}. {from} → {to}: {label}", i + 1);
        }
    }
    sequence.show(
        "steps",
        "block_on(join(timer a, timer b)), one message at a time",
    )?;
    Ok(())
}
