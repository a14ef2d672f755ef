//! Tests of the chapter's exercises: `cargo test -p event-loop --test
//! exercises`. They fail until you solve the exercises in `src/exercises/`.

mod timer_wheel {
    use std::collections::HashMap;
    use std::time::{Duration, Instant};

    use event_loop::exercises::timer_wheel::{TimerId, TimerWheel};

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// A wheel of 8 buckets of 10 ms (one turn: 80 ms) starting at `t0`.
    /// No clock is read after this: every instant is `t0` plus a given
    /// time, so the tests are exact.
    fn wheel() -> (TimerWheel, Instant) {
        let t0 = Instant::now();
        (TimerWheel::new(t0, ms(10), 8), t0)
    }

    #[test]
    fn a_timer_fires_at_the_first_tick_at_or_after_its_deadline() {
        let (mut wheel, t0) = wheel();
        let a = wheel.add(t0 + ms(25));
        let b = wheel.add(t0 + ms(40));
        let c = wheel.add(t0);
        assert_eq!(wheel.expired(t0), [c], "a deadline at start: tick 0");
        // 25 ms is due at the tick of 30 ms: never early.
        assert_eq!(wheel.expired(t0 + ms(25)), []);
        assert_eq!(wheel.expired(t0 + ms(29)), []);
        assert_eq!(wheel.expired(t0 + ms(30)), [a]);
        // A deadline on a tick is due at that tick.
        assert_eq!(wheel.expired(t0 + ms(39)), []);
        assert_eq!(wheel.expired(t0 + ms(40)), [b]);
        // Each timer fires once.
        assert_eq!(wheel.expired(t0 + ms(500)), []);
    }

    #[test]
    fn timers_come_out_in_order_of_their_ticks() {
        let (mut wheel, t0) = wheel();
        let late = wheel.add(t0 + ms(95));
        let first = wheel.add(t0 + ms(5));
        let third = wheel.add(t0 + ms(35));
        let second = wheel.add(t0 + ms(15));
        // Same tick as `third`, added after it; and a second timer for
        // the same deadline, with an id of its own.
        let fourth = wheel.add(t0 + ms(32));
        let fifth = wheel.add(t0 + ms(32));
        assert_ne!(fourth, fifth);
        let all = wheel.expired(t0 + ms(1000));
        assert_eq!(all, [first, second, third, fourth, fifth, late]);
    }

    #[test]
    fn a_timer_more_than_a_turn_ahead_waits_for_its_own_tick() {
        let (mut wheel, t0) = wheel();
        // Ticks 9 and 1 share bucket 1 of 8.
        let far = wheel.add(t0 + ms(85));
        let near = wheel.add(t0 + ms(5));
        let farther = wheel.add(t0 + ms(165)); // tick 17, bucket 1 too
        assert_eq!(wheel.expired(t0 + ms(10)), [near]);
        assert_eq!(wheel.expired(t0 + ms(89)), []);
        assert_eq!(wheel.expired(t0 + ms(90)), [far]);
        assert_eq!(wheel.expired(t0 + ms(169)), []);
        assert_eq!(wheel.expired(t0 + ms(170)), [farther]);
    }

    #[test]
    fn step_by_step_every_timer_fires_once_on_its_tick() {
        let (mut wheel, t0) = wheel();
        // 200 deadlines spread over 0.5 s (about six turns), in no order.
        let mut due_at = HashMap::new();
        for i in 0..200u64 {
            let deadline = (i * 37 + i * i) % 500 + 1;
            let id = wheel.add(t0 + ms(deadline));
            due_at.insert(id, deadline.div_ceil(10) * 10);
        }
        let mut fired: HashMap<TimerId, u64> = HashMap::new();
        for now in 0..=520 {
            for id in wheel.expired(t0 + ms(now)) {
                assert_eq!(fired.insert(id, now), None, "{id:?} fired twice");
            }
        }
        for (id, due) in &due_at {
            assert_eq!(fired.get(id), Some(due), "when {id:?} fired");
        }
        assert_eq!(fired.len(), due_at.len());
    }

    #[test]
    fn a_cancelled_timer_never_fires() {
        let (mut wheel, t0) = wheel();
        let a = wheel.add(t0 + ms(20));
        let b = wheel.add(t0 + ms(20));
        let far = wheel.add(t0 + ms(100));
        assert!(wheel.cancel(a));
        assert!(!wheel.cancel(a), "a timer is cancelled once");
        assert_eq!(wheel.expired(t0 + ms(20)), [b]);
        assert!(!wheel.cancel(b), "a timer that fired is not pending");
        assert!(wheel.cancel(far));
        assert_eq!(wheel.expired(t0 + ms(1000)), []);
        assert_eq!(wheel.next_timeout(t0 + ms(1000)), None);
    }

    #[test]
    fn next_timeout_is_the_time_until_the_earliest_tick() {
        let (mut wheel, t0) = wheel();
        assert_eq!(wheel.next_timeout(t0), None, "no timers: sleep for ever");
        let far = wheel.add(t0 + ms(85)); // tick 9: 90 ms
        assert_eq!(wheel.next_timeout(t0), Some(ms(90)));
        let near = wheel.add(t0 + ms(25)); // tick 3: 30 ms
        assert_eq!(wheel.next_timeout(t0), Some(ms(30)));
        assert_eq!(wheel.next_timeout(t0 + ms(12)), Some(ms(18)));
        // Past due, not yet taken out: poll must not sleep at all.
        assert_eq!(wheel.next_timeout(t0 + ms(35)), Some(Duration::ZERO));
        assert_eq!(wheel.expired(t0 + ms(35)), [near]);
        // The far timer's bucket has been passed once; it is still 55 ms
        // away, not a tick.
        assert_eq!(wheel.next_timeout(t0 + ms(35)), Some(ms(55)));
        assert!(wheel.cancel(far));
        assert_eq!(wheel.next_timeout(t0 + ms(35)), None);
    }

    #[test]
    fn a_deadline_already_passed_fires_at_the_next_call() {
        let (mut wheel, t0) = wheel();
        let other = wheel.add(t0 + ms(60));
        assert_eq!(wheel.expired(t0 + ms(55)), []);
        // The wheel has gone past tick 2 (20 ms) already.
        let overdue = wheel.add(t0 + ms(20));
        assert_eq!(wheel.next_timeout(t0 + ms(55)), Some(Duration::ZERO));
        assert_eq!(wheel.expired(t0 + ms(55)), [overdue]);
        assert_eq!(wheel.expired(t0 + ms(60)), [other]);
        // A deadline at `start` itself, added once the wheel has turned.
        let (mut wheel, t0) = self::wheel();
        assert_eq!(wheel.expired(t0 + ms(100)), []);
        let before = wheel.add(t0);
        assert_eq!(wheel.expired(t0 + ms(100)), [before]);
    }
}
