//! The knowledge check's question on two consumers sharing a receiver,
//! decided by running the `channels` cell's program twenty times: what the
//! quiz says holds for every run must hold in each of them.

use std::process::Command;

#[test]
fn the_statements_the_quiz_accepts_hold_in_every_run() {
    let answers = support::quiz::answers(
        "message-passing",
        "message-passing/two-consumers",
    );
    // The statements, as the test checks them.
    assert_eq!(
        answers,
        [
            "The two counts add up to 100.",
            "Every number is taken by exactly one consumer."
        ]
    );
    let program = support::examples::built("channels");
    for _ in 0..20 {
        let out = Command::new(&program).output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        let line = text
            .lines()
            .find(|l| l.contains("two consumers took"))
            .expect("the two-consumer line");
        let numbers: Vec<usize> = line
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect();
        assert_eq!(numbers.iter().sum::<usize>(), 100, "{line}");
        assert!(line.ends_with("every number exactly once: true"), "{line}");
    }
}
