//! A thread at nice 19, competing with a nice-0 thread for one core, gets a
//! sliver of it: it runs, but it is starved. Linux only: elsewhere the test
//! says why it is skipped.

use std::thread;
use std::time::Duration;

use support::guard::take_turns;
use support::pin::{Pinned, pin_to_one_core};
use threads::priority::{Share, compete};

/// Runs the competition on a thread pinned to one core, or says why not.
fn compete_on_one_core(nices: &[i32]) -> Option<Vec<Share>> {
    let _turn = take_turns();
    thread::scope(|s| {
        s.spawn(|| {
            if let Pinned::Unsupported(why) = pin_to_one_core() {
                println!("skipped: cannot pin to one core: {why}");
                return None;
            }
            match compete(nices, Duration::from_millis(300)) {
                Ok(shares) => Some(shares),
                Err(why) => {
                    println!(
                        "skipped: cannot set a thread's nice value: {why}"
                    );
                    None
                }
            }
        })
        .join()
        .unwrap()
    })
}

#[test]
fn a_nice_19_thread_gets_a_sliver() {
    let Some(shares) = compete_on_one_core(&[0, 19]) else {
        return;
    };
    let (normal, niced) = (shares[0], shares[1]);
    // It ran: starved is not stopped.
    assert!(niced.work > 0, "{shares:?}");
    // The kernel's weights say 1024 to 15; demand only one to five.
    assert!(niced.work * 5 < normal.work, "{shares:?}");
    assert!(niced.cpu * 5 < normal.cpu, "{shares:?}");
}

#[test]
fn equal_nice_values_share_the_core_fairly() {
    let Some(shares) = compete_on_one_core(&[0, 0]) else {
        return;
    };
    let (a, b) = (shares[0].work, shares[1].work);
    // Fair within a factor of two, where nice 19 was off by far more.
    assert!(a < 2 * b && b < 2 * a, "{shares:?}");
}
