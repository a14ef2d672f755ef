//! Cell `channels`: the standard library's channel and
//! crossbeam-channel's, one small job each.
//@ runs = 40
//@ [[vary]]
//@ what = "count"
//@ pattern = 'took (\d+) and (\d+) messages'
// HIDE_START
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crossbeam_channel::{TrySendError, after, bounded, select, unbounded};
// HIDE_END

fn main() {
    // std mpsc: many producers, one consumer. Each producer gets its own
    // clone of the sender; the receiver's loop ends when all are dropped.
    let (tx, rx) = mpsc::channel();
    let producers: Vec<_> = (1..=3)
        .map(|id| {
            let tx = tx.clone();
            // The receiver outlives every producer: `send` cannot fail.
            thread::spawn(move || tx.send(format!("hello from {id}")).unwrap())
        })
        .collect();
    drop(tx); // main's own sender: without this the loop below never ends
    let mut got: Vec<String> = rx.iter().collect();
    got.sort(); // arrival order depends on scheduling; sorted, it does not
    println!("mpsc:      {got:?}");
    for p in producers {
        p.join().expect("a producer only sends");
    }

    // std sync_channel(0): a rendezvous. `send` waits for a `recv`.
    let (tx, rx) = mpsc::sync_channel(0);
    let start = Instant::now();
    let sender = thread::spawn(move || {
        // main receives below, so the send completes.
        tx.send("handed over").unwrap();
        start.elapsed()
    });
    // Make the sender wait: main takes the message only after 100 ms.
    thread::sleep(Duration::from_millis(100));
    // The sender thread is alive until its send completes: no error.
    println!("rendezvous: got {:?}", rx.recv().unwrap());
    let waited = sender.join().expect("it only sends");
    let at_least = if waited >= Duration::from_millis(100) {
        "at least"
    } else {
        "less than"
    };
    println!(
        "rendezvous: the send waited {at_least} the 100 ms main took to receive"
    );

    // crossbeam bounded(1): a queue with room for one message.
    let (tx, rx) = bounded(1);
    println!("bounded:   try_send(1) -> {:?}", tx.try_send(1));
    match tx.try_send(2) {
        Err(TrySendError::Full(m)) => {
            println!("bounded:   try_send(2) -> full, message {m} handed back")
        }
        other => println!("bounded:   try_send(2) -> {other:?}"),
    }
    drop(rx);
    // With every receiver gone, the error hands the message back too.
    match tx.send(3) {
        Err(e) => println!(
            "bounded:   send(3) with no receiver -> error, message {} handed back",
            e.into_inner()
        ),
        Ok(()) => println!("bounded:   send(3) with no receiver -> Ok?"),
    }

    // crossbeam unbounded, two consumers sharing one receiver: each message
    // goes to exactly one of them. Each message costs its consumer 1 ms of
    // work (a sleep stands in for it), so while one works, the other takes
    // the next.
    let (tx, rx) = unbounded::<u64>();
    for n in 1..=100 {
        // `rx` is alive: `send` cannot fail.
        tx.send(n).unwrap();
    }
    drop(tx);
    let taken: Vec<Vec<u64>> = thread::scope(|s| {
        let consumers: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    let work =
                        |_: &u64| thread::sleep(Duration::from_millis(1));
                    rx.iter().inspect(work).collect::<Vec<u64>>()
                })
            })
            .collect();
        consumers
            .into_iter()
            .map(|c| c.join().expect("a consumer only collects"))
            .collect()
    });
    let mut all: Vec<u64> = taken.concat();
    all.sort();
    let each_once = all == (1..=100).collect::<Vec<u64>>();
    println!(
        "unbounded: two consumers took {} and {} messages; every number exactly once: {each_once}",
        taken[0].len(),
        taken[1].len()
    );

    // select!: wait on several channels at once, with a timeout.
    let (fast_tx, fast) = bounded(1);
    let (slow_tx, slow) = bounded(1);
    thread::scope(|s| {
        s.spawn(move || {
            thread::sleep(Duration::from_millis(20));
            // Main keeps `fast` until the scope ends: `send` cannot fail.
            fast_tx.send("fast").unwrap();
            thread::sleep(Duration::from_millis(250));
            slow_tx.send("slow").unwrap();
            // Stay until main has read everything: a closed channel would
            // count as ready in select! (and return an error).
            thread::sleep(Duration::from_millis(200));
        });
        // `after` makes a new timer each time round: 150 ms from now.
        for _ in 0..3 {
            select! {
                recv(fast) -> m => println!("select:    {m:?} arrived"),
                recv(slow) -> m => println!("select:    {m:?} arrived"),
                recv(after(Duration::from_millis(150))) -> _ => {
                    println!("select:    nothing for 150 ms: timed out")
                }
            }
        }
    });
}
