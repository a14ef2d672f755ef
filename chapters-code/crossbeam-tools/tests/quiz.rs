//! The knowledge check's question on the `deque_pool` cell, decided by
//! running the cell's program ten times: what the quiz says holds for every
//! run must hold in each of them. (The distractors are about which worker
//! runs which leaf, and when, which the program does not print; the
//! question's context explains why they do not hold in every run.)

use std::process::Command;

#[test]
fn the_statements_the_quiz_accepts_hold_in_every_run() {
    let answers = support::quiz::answers(
        "crossbeam-tools",
        "crossbeam-tools/deque-pool-every-run",
    );
    // The statements, as the test checks them.
    assert_eq!(
        answers,
        [
            "The leaf results are printed in order, 0 to 15.",
            "The jobs the two workers ran add up to 21.",
        ]
    );
    let program = support::examples::built("deque_pool");
    for _ in 0..10 {
        let out = Command::new(&program).output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        let line = |prefix: &str| -> String {
            text.lines()
                .find(|l| l.starts_with(prefix))
                .unwrap_or_else(|| panic!("a line starting with {prefix:?}"))
                .to_string()
        };
        let numbers = |l: &str| -> Vec<usize> {
            l.split(|c: char| !c.is_ascii_digit())
                .filter_map(|n| n.parse().ok())
                .collect()
        };
        let results = line("leaf results");
        assert_eq!(numbers(&results), (0..16).collect::<Vec<_>>(), "{results}");
        let ran: usize = ["worker 0:", "worker 1:"]
            .iter()
            .map(|w| numbers(&line(w))[1])
            .sum();
        assert_eq!(ran, 21, "{text}");
    }
}
