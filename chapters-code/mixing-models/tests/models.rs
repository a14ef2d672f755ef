//! The models compared: which ones make a waiting request wait behind a
//! computation, and which do not.

mod util;

use mixing_models::models::{Model, Outcome, Workload, cores, run};
use mixing_models::service::SlowService;
use util::within_tries;

fn all() -> Vec<Outcome> {
    let _turn = util::take_turns();
    let service = SlowService::start().unwrap();
    let workload = Workload::default();
    Model::ALL
        .iter()
        .map(|&m| run(m, &workload, service.addr()).unwrap())
        .collect()
}

/// "Behind a computation" means the slowest wait took at least its own
/// length plus one computation's.
#[test]
fn loops_that_compute_make_waits_wait_and_the_others_do_not() {
    let w = Workload::default();
    let behind = w.wait + w.compute;
    within_tries(3, || {
        for outcome in all() {
            let worst = outcome.worst_wait();
            let waited = worst >= behind;
            let expected = matches!(
                outcome.model,
                Model::OneLoop | Model::Nginx | Model::Go
            );
            if waited != expected {
                return Err(format!(
                    "{:?}: worst wait {worst:?}",
                    outcome.model
                ));
            }
        }
        Ok(())
    });
}

/// Every request got its answer, and no wait came back early.
#[test]
fn every_request_is_answered_and_no_wait_is_early() {
    let w = Workload::default();
    for outcome in all() {
        assert_eq!(outcome.waits.len(), w.waits);
        assert_eq!(outcome.computes.len(), w.computes);
        assert!(outcome.waits.iter().all(|&l| l >= w.wait), "{outcome:?}");
        assert!(outcome.computes.iter().all(|&l| l >= w.compute));
    }
}

/// Deterministic: a thread that computes inline cannot also take in an
/// answer. So under one loop and nginx, no waiting request ends on a
/// thread while that thread computes; and under the Go-like runtime, no
/// waiting request ends while every worker is computing: work stealing
/// cannot help when no worker is free. (Whether every worker *is*
/// computing when the answers come depends on how tokio hands out the
/// tasks: that is the retried test above.)
#[test]
fn no_wait_ends_while_its_thread_or_every_worker_computes() {
    let workers = cores();
    for outcome in all() {
        if !matches!(outcome.model, Model::OneLoop | Model::Nginx | Model::Go) {
            continue;
        }
        let computes: Vec<_> = outcome.of(true).collect();
        for wait in outcome.of(false) {
            let busy: Vec<_> =
                computes.iter().filter(|c| c.contains(wait.end)).collect();
            assert!(
                busy.iter().all(|c| c.thread != wait.thread),
                "{:?}: {wait:?} ended inside {busy:?}",
                outcome.model
            );
            if outcome.model == Model::Go {
                assert!(busy.len() < workers, "{wait:?} inside {busy:?}");
            }
        }
    }
}

/// One loop computes on one thread: the burst takes at least all the
/// computations' CPU time, one after the other. A loop per core shares
/// them out (deterministic: request `i` goes to loop `i % cores`), and its
/// loops compute at the same time: in parallel on free cores, interleaved
/// by the kernel on a busy machine, but overlapping either way.
#[test]
fn one_loop_adds_the_computations_up_and_a_loop_per_core_shares_them() {
    let w = Workload::default();
    let cpu = w.compute * w.computes as u32;
    let outcomes = all();
    let get = |m| outcomes.iter().find(|o: &&Outcome| o.model == m).unwrap();
    let (one, nginx) = (get(Model::OneLoop), get(Model::Nginx));
    assert!(one.total >= cpu, "{:?} < {cpu:?}", one.total);
    let threads = |o: &Outcome| {
        let mut t: Vec<String> = o.of(true).map(|c| c.thread.clone()).collect();
        t.sort();
        t
    };
    let one_threads = threads(one);
    assert!(
        one_threads.windows(2).all(|p| p[0] == p[1]),
        "{one_threads:?}"
    );
    let loops = cores();
    let mine = threads(nginx);
    for thread in &mine {
        let share = mine.iter().filter(|t| *t == thread).count();
        assert!(share <= w.computes.div_ceil(loops), "{:?}", nginx.served);
    }
    if loops > 1 {
        let computes: Vec<_> = nginx.of(true).collect();
        let parallel = computes.iter().any(|a| {
            computes
                .iter()
                .any(|b| a.thread != b.thread && a.overlaps(b))
        });
        assert!(parallel, "no two loops computed together: {computes:?}");
    }
}

/// On free cores, the shared-out computations finish sooner: nginx's burst
/// takes less than one loop's. A machine that other programs keep busy may
/// not give the loops a second core; the test then skips the comparison
/// (the one above still holds).
#[test]
fn a_loop_per_core_finishes_sooner_on_free_cores() {
    within_tries(3, || {
        let outcomes = all();
        let total = |m| outcomes.iter().find(|o| o.model == m).unwrap().total;
        let (one, nginx) = (total(Model::OneLoop), total(Model::Nginx));
        let nginx_cpu = outcomes[1].usage.cpu_per_wall();
        assert_eq!(outcomes[1].model, Model::Nginx);
        if nginx_cpu <= 1.3 {
            // Visible with `--nocapture`: the comparison was not made.
            eprintln!("skipped: nginx got {nginx_cpu:.2} CPU-s per second");
        } else if nginx >= one {
            return Err(format!("nginx {nginx:?} >= one loop {one:?}"));
        }
        Ok(())
    });
}

#[test]
fn the_order_spreads_the_computations_among_the_waits() {
    let order = Workload::default().order();
    assert_eq!(order.len(), 12);
    assert_eq!(order.iter().filter(|&&c| c).count(), 4);
    // Never two computations in a row.
    assert!(order.windows(2).all(|p| !(p[0] && p[1])), "{order:?}");
}
