//! The knowledge check's "select all that apply" question on task orders,
//! decided by the chapter's own code: a choice is a right answer exactly
//! when it is a correct order of the graph.

use foundations::graph::{Task, TaskGraph};

#[test]
fn a_choice_is_an_answer_exactly_when_it_is_a_correct_order() {
    let graph = TaskGraph::chapter_example();
    let (answers, distractors) =
        support::quiz::choices("foundations", "foundations/topological-orders");
    let parse = |choice: &str| -> Vec<Task> {
        choice
            .split_whitespace()
            .map(|t| t.parse().unwrap())
            .collect()
    };
    for answer in &answers {
        assert!(graph.is_valid_order(&parse(answer)), "{answer} is no order");
    }
    for distractor in &distractors {
        assert!(
            !graph.is_valid_order(&parse(distractor)),
            "{distractor} is one"
        );
    }
}
