use super::*;

fn at(base: Instant, ms: u64) -> Instant {
    base + Duration::from_millis(ms)
}

#[test]
fn deadlines_come_out_earliest_first() {
    let base = Instant::now();
    let mut timers = Timers::new();
    timers.set(Token(3), at(base, 30));
    timers.set(Token(1), at(base, 10));
    timers.set(Token(2), at(base, 20));
    assert_eq!(timers.next_deadline(), Some(at(base, 10)));
    assert_eq!(timers.expired(at(base, 5)), vec![]);
    assert_eq!(timers.expired(at(base, 25)), vec![Token(1), Token(2)]);
    assert_eq!(timers.expired(at(base, 100)), vec![Token(3)]);
    assert!(timers.is_empty());
    assert_eq!(timers.next_deadline(), None);
}

#[test]
fn a_moved_timer_fires_once_at_its_new_deadline() {
    let base = Instant::now();
    let mut timers = Timers::new();
    timers.set(Token(1), at(base, 10));
    timers.set(Token(1), at(base, 50));
    // The old entry is still in the heap, but it no longer counts.
    assert_eq!(timers.heap_len(), 2);
    assert_eq!(timers.next_deadline(), Some(at(base, 50)));
    assert_eq!(timers.expired(at(base, 20)), vec![]);
    assert_eq!(timers.expired(at(base, 60)), vec![Token(1)]);
    assert_eq!(timers.expired(at(base, 60)), vec![]);
    assert_eq!(timers.heap_len(), 0);
}

#[test]
fn a_cancelled_timer_never_fires() {
    let base = Instant::now();
    let mut timers = Timers::new();
    timers.set(Token(1), at(base, 10));
    timers.set(Token(2), at(base, 20));
    timers.cancel(Token(1));
    assert_eq!(timers.len(), 1);
    assert_eq!(timers.next_deadline(), Some(at(base, 20)));
    assert_eq!(timers.expired(at(base, 30)), vec![Token(2)]);
}

#[test]
fn the_poll_timeout_is_the_time_to_the_next_deadline() {
    let base = Instant::now();
    let mut timers = Timers::new();
    assert_eq!(timers.poll_timeout(base), None, "no timer: sleep for ever");
    timers.set(Token(7), at(base, 40));
    assert_eq!(
        timers.poll_timeout(at(base, 15)),
        Some(Duration::from_millis(25))
    );
    // A deadline already passed: do not sleep at all.
    assert_eq!(timers.poll_timeout(at(base, 90)), Some(Duration::ZERO));
}

#[test]
fn many_timers_in_random_order_come_out_sorted() {
    let base = Instant::now();
    let mut timers = Timers::new();
    // A fixed permutation of 0..1000 (multiplying by a number coprime
    // with 1000).
    for i in 0..1000u64 {
        let ms = (i * 367) % 1000;
        timers.set(Token(i as usize), at(base, ms));
    }
    let due = timers.expired(at(base, 1000));
    assert_eq!(due.len(), 1000);
    let deadlines: Vec<u64> =
        due.iter().map(|t| (t.0 as u64 * 367) % 1000).collect();
    assert!(deadlines.windows(2).all(|w| w[0] <= w[1]));
}
