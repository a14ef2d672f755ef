//! The knowledge check's question on the `work_stealing` cell, decided by
//! running the cell's program ten times: the statements the quiz accepts
//! must hold in each run.

use std::process::Command;

#[test]
fn the_statements_the_quiz_accepts_hold_in_every_run() {
    let answers = support::quiz::answers(
        "data-parallelism",
        "data-parallelism/work-stealing-every-run",
    );
    assert_eq!(
        answers,
        [
            "Every piece runs exactly once.",
            "The first closure of every join runs on the thread that called join."
        ]
    );
    let program = support::examples::built("work_stealing");
    for _ in 0..10 {
        let out = Command::new(&program)
            .env(
                "NOTEBOOK_FIGURES",
                std::env::temp_dir().join("dp-quiz-figures"),
            )
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        // Each of the eight pieces is reported once, on worker 0 or 1.
        for piece in 0..8 {
            let lines: Vec<&str> = text
                .lines()
                .filter(|l| l.starts_with(&format!("piece {piece} ")))
                .collect();
            assert_eq!(lines.len(), 1, "{text}");
            assert!(
                lines[0].ends_with("worker 0")
                    || lines[0].ends_with("worker 1"),
                "{text}"
            );
        }
        assert!(
            text.contains("every piece ran exactly once: true"),
            "{text}"
        );
        assert!(
            text.contains(
                "every first closure ran on the thread that called join: true"
            ),
            "{text}"
        );
    }
}
