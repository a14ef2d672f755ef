use super::*;

/// All 120 orderings of five tasks, to hold `orders` against.
fn permutations(items: &[Task]) -> Vec<Vec<Task>> {
    if items.is_empty() {
        return vec![Vec::new()];
    }
    let mut all = Vec::new();
    for (i, &first) in items.iter().enumerate() {
        let mut rest = items.to_vec();
        rest.remove(i);
        for mut tail in permutations(&rest) {
            tail.insert(0, first);
            all.push(tail);
        }
    }
    all
}

#[test]
fn the_chapter_graph_has_six_orders() {
    let graph = TaskGraph::chapter_example();
    let orders = graph.orders();
    assert_eq!(orders.len(), 6, "{orders:?}");
    assert_eq!(orders[0], [1, 2, 3, 4, 5]);
    assert!(orders.contains(&vec![1, 3, 2, 4, 5]));
    for order in &orders {
        assert_eq!(order.first(), Some(&1));
        assert_eq!(order.last(), Some(&5));
    }
}

#[test]
fn orders_are_exactly_the_valid_permutations() {
    let graph = TaskGraph::chapter_example();
    let orders = graph.orders();
    let valid: Vec<Vec<Task>> = permutations(&[1, 2, 3, 4, 5])
        .into_iter()
        .filter(|p| graph.is_valid_order(p))
        .collect();
    assert_eq!(orders, valid);
}

#[test]
fn invalid_orders_are_rejected() {
    let graph = TaskGraph::chapter_example();
    assert!(
        !graph.is_valid_order(&[2, 1, 3, 4, 5]),
        "2 before the 1 it needs"
    );
    assert!(
        !graph.is_valid_order(&[1, 2, 3, 5, 4]),
        "5 before the 4 it needs"
    );
    assert!(!graph.is_valid_order(&[1, 2, 3, 4]), "5 never runs");
    assert!(!graph.is_valid_order(&[1, 2, 2, 3, 4, 5]), "2 runs twice");
    assert!(
        !graph.is_valid_order(&[1, 2, 3, 4, 5, 6]),
        "there is no task 6"
    );
}

#[test]
fn waves_put_independent_tasks_together() {
    assert_eq!(
        TaskGraph::chapter_example().waves(),
        vec![vec![1], vec![2, 3, 4], vec![5]]
    );
    let chain = TaskGraph::new(&[1, 2, 3], &[(1, 2), (2, 3)]);
    assert_eq!(chain.waves(), vec![vec![1], vec![2], vec![3]]);
    assert_eq!(chain.orders(), vec![vec![1, 2, 3]], "a chain has one order");
    let free = TaskGraph::new(&[1, 2, 3], &[]);
    assert_eq!(free.orders().len(), 6, "no edges: every permutation");
}

#[test]
#[should_panic(expected = "cycle")]
fn a_cycle_has_no_waves() {
    TaskGraph::new(&[1, 2], &[(1, 2), (2, 1)]).waves();
}
