//! A task graph: which task must finish before which may start.
//!
//! The chapter's graph has five tasks. Task 1 feeds tasks 2, 3 and 4, and
//! those three all feed task 5. Nothing orders 2, 3 and 4 among themselves,
//! and that freedom is what a concurrent program can use.

use std::collections::BTreeMap;

/// A task's number. Tasks are numbered as the chapter draws them.
pub type Task = u32;

/// Tasks and their dependencies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskGraph {
    /// For each task, the tasks that must finish before it may start.
    needs: BTreeMap<Task, Vec<Task>>,
}

impl TaskGraph {
    /// A graph from `(before, after)` edges over the given tasks.
    ///
    /// # Panics
    /// If an edge names a task that is not in `tasks`: a graph is written by
    /// hand in this chapter, and such a graph is a typo.
    pub fn new(tasks: &[Task], edges: &[(Task, Task)]) -> Self {
        let mut needs: BTreeMap<Task, Vec<Task>> =
            tasks.iter().map(|&t| (t, Vec::new())).collect();
        for &(before, after) in edges {
            assert!(
                needs.contains_key(&before),
                "edge from unknown task {before}"
            );
            needs
                .get_mut(&after)
                .unwrap_or_else(|| panic!("edge to unknown task {after}"))
                .push(before);
        }
        TaskGraph { needs }
    }

    /// The chapter's graph: 1 feeds 2, 3 and 4; they all feed 5.
    pub fn chapter_example() -> Self {
        TaskGraph::new(
            &[1, 2, 3, 4, 5],
            &[(1, 2), (1, 3), (1, 4), (2, 5), (3, 5), (4, 5)],
        )
    }

    /// The tasks, in increasing order.
    pub fn tasks(&self) -> impl Iterator<Item = Task> + '_ {
        self.needs.keys().copied()
    }

    /// The tasks that must finish before `task` may start.
    pub fn needs(&self, task: Task) -> &[Task] {
        self.needs.get(&task).map(Vec::as_slice).unwrap_or_default()
    }

    // ANCHOR: orders
    /// Every order in which one worker could run all the tasks, each task
    /// after the tasks it needs (every *topological order* of the graph).
    pub fn orders(&self) -> Vec<Vec<Task>> {
        let mut orders = Vec::new();
        self.extend(&mut Vec::new(), &mut orders);
        orders
    }

    /// Tries every task that may run next after `done`, and recurses.
    fn extend(&self, done: &mut Vec<Task>, orders: &mut Vec<Vec<Task>>) {
        if done.len() == self.needs.len() {
            orders.push(done.clone());
            return;
        }
        for (&task, needs) in &self.needs {
            let ready =
                !done.contains(&task) && needs.iter().all(|n| done.contains(n));
            if ready {
                done.push(task);
                self.extend(done, orders);
                done.pop();
            }
        }
    }
    // ANCHOR_END: orders

    /// Whether `order` runs every task exactly once, each after what it needs.
    pub fn is_valid_order(&self, order: &[Task]) -> bool {
        let mut seen = Vec::new();
        for &task in order {
            if !self.needs.contains_key(&task) || seen.contains(&task) {
                return false;
            }
            if !self.needs(task).iter().all(|n| seen.contains(n)) {
                return false;
            }
            seen.push(task);
        }
        seen.len() == self.needs.len()
    }

    /// The graph cut into waves: the first wave needs nothing, and each later
    /// wave needs only tasks of earlier waves. The tasks of one wave do not
    /// depend on each other, so they may all run at the same time.
    ///
    /// # Panics
    /// If the graph has a cycle (no order can run it).
    pub fn waves(&self) -> Vec<Vec<Task>> {
        let mut done: Vec<Task> = Vec::new();
        let mut waves = Vec::new();
        while done.len() < self.needs.len() {
            let wave: Vec<Task> = self
                .tasks()
                .filter(|t| {
                    !done.contains(t)
                        && self.needs(*t).iter().all(|n| done.contains(n))
                })
                .collect();
            assert!(!wave.is_empty(), "the task graph has a cycle");
            done.extend(&wave);
            waves.push(wave);
        }
        waves
    }
}

#[cfg(test)]
mod tests;
