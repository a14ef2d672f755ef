//! The mixed program's claims: offloaded, the waits overlap the
//! computations and end on time; inline, no wait can end while a
//! computation runs.

mod util;

use std::sync::Arc;
use std::time::Duration;

use mixing_models::mixed::{Kind, MixedRun, Placement, Plan, cpu_pool, run};
use mixing_models::service::SlowService;
use util::within_tries;

fn one(placement: Placement) -> MixedRun {
    let _turn = util::take_turns();
    let service = SlowService::start().unwrap();
    let pool = Arc::new(cpu_pool().unwrap());
    run(placement, &Plan::default(), service.addr(), pool).unwrap()
}

/// Deterministic: the runtime has one thread, and while it computes it
/// cannot read an answer, so no wait's end falls inside a computation.
/// The computations, on that one thread, never overlap each other, and
/// the run lasts at least their CPU time added up.
#[test]
fn inline_no_wait_ends_while_a_computation_runs() {
    let wrong = one(Placement::Inline);
    let computes: Vec<_> = wrong.of(Kind::Compute).collect();
    for wait in wrong.of(Kind::Wait) {
        for c in &computes {
            assert!(!c.contains(wait.end), "{wait:?} ended inside {c:?}");
        }
    }
    for (i, a) in computes.iter().enumerate() {
        assert_eq!(a.thread, wrong.runtime_thread, "{a:?}");
        for b in &computes[i + 1..] {
            assert!(!a.overlaps(b), "{a:?} and {b:?} overlap");
        }
    }
    let cpu: Duration = computes.iter().map(|c| c.nominal).sum();
    assert!(wrong.total >= cpu, "{:?} < {cpu:?}", wrong.total);
}

/// Inline, every wait ends only after a computation has ended: it was
/// delayed behind at least one.
#[test]
fn inline_every_wait_ends_after_a_computation() {
    within_tries(3, || {
        let wrong = one(Placement::Inline);
        let first_end = wrong.of(Kind::Compute).map(|c| c.end).min().unwrap();
        match wrong.of(Kind::Wait).find(|w| w.end < first_end) {
            Some(w) => Err(format!("{w:?} ended before {first_end:?}")),
            None => Ok(()),
        }
    });
}

/// Offloaded: the computations ran on the pool, every wait overlapped a
/// computation, and each wait shorter than the longest computation ended
/// before that computation did: the waits were not held up by CPU work.
/// And the run took less than the waits and computations one after the
/// other.
#[test]
fn offloaded_waits_overlap_and_end_on_time() {
    within_tries(3, || {
        let right = one(Placement::Offloaded);
        let computes: Vec<_> = right.of(Kind::Compute).collect();
        for c in &computes {
            assert_ne!(c.thread, right.runtime_thread, "{c:?}");
        }
        let longest = computes.iter().max_by_key(|c| c.nominal).unwrap();
        for wait in right.of(Kind::Wait) {
            if !computes.iter().any(|c| c.overlaps(wait)) {
                return Err(format!("{wait:?} overlaps no computation"));
            }
            if wait.nominal < longest.nominal && wait.end >= longest.end {
                return Err(format!("{wait:?} ended after {longest:?}"));
            }
        }
        // Never as slow as doing everything one after the other.
        let cpu: Duration = computes.iter().map(|c| c.nominal).sum();
        let longest_wait = right.of(Kind::Wait).map(|w| w.nominal).max();
        let serial = cpu + longest_wait.unwrap();
        if right.total >= serial {
            return Err(format!("{:?} >= {serial:?}", right.total));
        }
        Ok(())
    });
}

#[test]
fn the_timeline_has_a_lane_per_job() {
    let right = one(Placement::Offloaded);
    let lanes = right.timeline().lanes();
    assert_eq!(lanes.len(), 6, "{lanes:?}");
    assert!(right.timeline().to_svg("t").contains("computing on rayon"));
}
