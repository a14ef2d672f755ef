//! What the chapter says about channels, checked.

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crossbeam_channel::{TrySendError, bounded, unbounded};

#[test]
fn the_receiver_loop_ends_when_every_sender_is_dropped() {
    let (tx, rx) = mpsc::channel();
    let handles: Vec<_> = (0..4)
        .map(|n| {
            let tx = tx.clone();
            thread::spawn(move || tx.send(n).unwrap())
        })
        .collect();
    drop(tx);
    let mut got: Vec<i32> = rx.iter().collect();
    got.sort();
    assert_eq!(got, [0, 1, 2, 3]);
    for h in handles {
        h.join().unwrap();
    }
}

#[test]
fn a_failed_send_hands_the_message_back() {
    let (tx, rx) = mpsc::channel::<String>();
    drop(rx);
    assert_eq!(tx.send("kept".into()).unwrap_err().0, "kept");
    let (tx, rx) = bounded::<String>(1);
    tx.try_send("a".into()).unwrap();
    match tx.try_send("b".into()) {
        Err(TrySendError::Full(m)) => assert_eq!(m, "b"),
        other => panic!("expected Full, got {other:?}"),
    }
    drop(rx);
    assert_eq!(tx.send("c".into()).unwrap_err().into_inner(), "c");
}

#[test]
fn a_rendezvous_send_waits_for_the_receiver() {
    let (tx, rx) = mpsc::sync_channel(0);
    let sender = thread::spawn(move || {
        let start = Instant::now();
        tx.send(1).unwrap();
        start.elapsed()
    });
    thread::sleep(Duration::from_millis(100));
    assert_eq!(rx.recv().unwrap(), 1);
    assert!(sender.join().unwrap() >= Duration::from_millis(50));
}

#[test]
fn each_message_goes_to_exactly_one_consumer() {
    let (tx, rx) = unbounded::<u64>();
    for n in 1..=1000 {
        tx.send(n).unwrap();
    }
    drop(tx);
    let mut all: Vec<u64> = thread::scope(|s| {
        let consumers: Vec<_> = (0..3)
            .map(|_| s.spawn(|| rx.iter().collect::<Vec<_>>()))
            .collect();
        consumers
            .into_iter()
            .flat_map(|c| c.join().unwrap())
            .collect()
    });
    all.sort();
    assert_eq!(all, (1..=1000).collect::<Vec<_>>());
}

#[test]
fn select_takes_whichever_is_ready_or_times_out() {
    let (a_tx, a) = bounded::<&str>(1);
    let (_b_tx, b) = bounded::<&str>(1);
    a_tx.send("a").unwrap();
    let got = crossbeam_channel::select! {
        recv(a) -> m => m.unwrap(),
        recv(b) -> m => m.unwrap(),
    };
    assert_eq!(got, "a");
    let start = Instant::now();
    let timed_out = crossbeam_channel::select! {
        recv(a) -> _ => false,
        recv(b) -> _ => false,
        default(Duration::from_millis(50)) => true,
    };
    assert!(timed_out && start.elapsed() >= Duration::from_millis(50));
}
