//! The three shared queues under several producers and consumers: every
//! item comes out exactly once; a bounded queue never takes more than its
//! capacity and hands the item back when full.

use std::collections::VecDeque;
use std::sync::Mutex;

use crossbeam_queue::{ArrayQueue, SegQueue};
use crossbeam_tools::queues::{SharedQueue, each_once, run};

const PRODUCERS: usize = 4;
const CONSUMERS: usize = 4;
const PER: u64 = 20_000;
const TOTAL: u64 = PRODUCERS as u64 * PER;

#[test]
fn array_queue_hands_out_every_item_exactly_once() {
    // A small queue, so that producers often find it full.
    let r = run(&ArrayQueue::new(16), PRODUCERS, CONSUMERS, PER);
    assert!(each_once(&r, TOTAL));
}

#[test]
fn seg_queue_hands_out_every_item_exactly_once() {
    let r = run(&SegQueue::new(), PRODUCERS, CONSUMERS, PER);
    assert!(each_once(&r, TOTAL));
    assert_eq!(r.full, 0, "an unbounded queue is never full");
}

#[test]
fn mutex_queue_hands_out_every_item_exactly_once() {
    let r = run(&Mutex::new(VecDeque::new()), PRODUCERS, CONSUMERS, PER);
    assert!(each_once(&r, TOTAL));
}

#[test]
fn each_once_catches_a_lost_and_a_doubled_item() {
    let mut r = run(&SegQueue::new(), 1, 1, 10);
    assert!(each_once(&r, 10));
    r.taken[0][3] = 4; // 3 lost, 4 twice
    assert!(!each_once(&r, 10));
    r.taken[0].pop();
    assert!(!each_once(&r, 10));
}

#[test]
fn a_full_array_queue_hands_the_item_back() {
    let q = ArrayQueue::new(2);
    assert_eq!(SharedQueue::push(&q, 1), Ok(()));
    assert_eq!(SharedQueue::push(&q, 2), Ok(()));
    assert_eq!(SharedQueue::push(&q, 3), Err(3));
    assert_eq!(SharedQueue::pop(&q), Some(1));
    // One consumer, so its items come out first in, first out.
    let r = run(&ArrayQueue::new(4), 1, 1, 1_000);
    assert!(r.taken[0].iter().copied().eq(0..1_000));
}
