//! The supervised actor: it answers, it crashes, it comes back with fresh
//! state, messages queued during a crash are kept, and the supervisor gives
//! up after too many crashes.

use message_passing::actor::{Message, ask_mean, start_supervised};

#[test]
fn answers_from_its_private_state() {
    let (a, sup) = start_supervised(0).unwrap();
    for n in [1, 2, 3, 6] {
        a.send(Message::Record(n)).unwrap();
    }
    assert_eq!(ask_mean(&a), Some(3));
    drop(a);
    assert_eq!(sup.join().unwrap(), 0);
}

#[test]
fn a_crash_is_restarted_with_fresh_state() {
    let (a, sup) = start_supervised(5).unwrap();
    a.send(Message::Record(100)).unwrap();
    a.send(Message::Record(u64::MAX)).unwrap(); // crash 1
    // These are queued while the actor crashes; the new actor gets them,
    // but not the old state (100 is forgotten).
    a.send(Message::Record(4)).unwrap();
    a.send(Message::Record(8)).unwrap();
    assert_eq!(ask_mean(&a), Some(6));
    drop(a);
    assert_eq!(sup.join().unwrap(), 1);
}

#[test]
fn the_question_that_crashes_gets_no_answer() {
    let (a, sup) = start_supervised(5).unwrap();
    assert_eq!(ask_mean(&a), None); // divides by zero
    a.send(Message::Record(5)).unwrap();
    assert_eq!(ask_mean(&a), Some(5));
    drop(a);
    assert_eq!(sup.join().unwrap(), 1);
}

#[test]
fn the_supervisor_gives_up_after_max_restarts() {
    let (a, sup) = start_supervised(2).unwrap();
    for _ in 0..3 {
        assert_eq!(ask_mean(&a), None);
    }
    // Third crash: no more restarts. The supervisor returns and drops the
    // mailbox, so sends now fail.
    assert_eq!(sup.join().unwrap(), 2);
    assert!(a.send(Message::Record(1)).is_err());
}
