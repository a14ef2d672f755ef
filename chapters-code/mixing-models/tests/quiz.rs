//! The knowledge check's "which hold for every run" questions, decided by
//! running the programs: the `gil` cell's program five times, and the
//! models of `models_compared` through the library.

mod util;

use std::process::Command;

use mixing_models::models::{Model, Workload, run};
use mixing_models::service::SlowService;

#[test]
fn the_gil_statements_the_quiz_accepts_hold_in_every_run() {
    let answers =
        support::quiz::answers("mixing-models", "mixing-models/gil-every-run");
    assert_eq!(
        answers,
        [
            "No two threads ever hold the GIL at the same time.",
            "The four threads' waits overlap.",
        ]
    );
    let _turn = util::take_turns();
    let program = support::examples::built("gil");
    for _ in 0..5 {
        let out = Command::new(&program).output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        let row = |start: &str| {
            text.lines()
                .find(|l| l.starts_with(start))
                .unwrap_or_else(|| panic!("no row {start}"))
                .to_string()
        };
        let io = row("I/O threads, with the GIL");
        let cpu = row("CPU threads, with the GIL");
        // Nobody held the GIL together with another thread...
        assert!(io.contains("one at a time") && cpu.contains("one at a time"));
        // ...the waits overlapped...
        assert!(io.ends_with("overlap"), "{io}");
        // ...and the distractors: the computations used at most one
        // core's worth of CPU per second (the CPU/wall column), and so
        // took at least the sum of their CPU time, 400 ms.
        let numbers = |line: &str| -> Vec<f64> {
            line.split_whitespace()
                .filter_map(|w| w.parse().ok())
                .collect()
        };
        let (wall, per_wall) = (numbers(&cpu)[0], numbers(&cpu)[2]);
        assert!(wall >= 400.0, "{cpu}");
        assert!(per_wall <= 1.15, "{cpu}");
    }
}

#[test]
fn the_models_the_quiz_names_are_the_ones_that_kept_waits_short() {
    let (answers, distractors) = support::quiz::choices(
        "mixing-models",
        "mixing-models/which-models-wait",
    );
    let _turn = util::take_turns();
    let w = Workload::default();
    let service = SlowService::start().unwrap();
    util::within_tries(3, || {
        for model in Model::ALL {
            let worst = run(model, &w, service.addr()).unwrap().worst_wait();
            let short = worst < w.wait + w.compute;
            let name = model.name().to_string();
            let claimed = answers.contains(&name);
            assert!(claimed || distractors.contains(&name), "{name}");
            if short != claimed {
                return Err(format!("{name}: worst wait {worst:?}"));
            }
        }
        Ok(())
    });
}
