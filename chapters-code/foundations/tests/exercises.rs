//! Tests of the chapter's exercises: `cargo test -p foundations --test
//! exercises`. They fail until you solve the exercises in `src/exercises/`.

mod when_ready {
    use std::sync::mpsc;
    use std::sync::{Condvar, Mutex};
    use std::thread;
    use std::time::Duration;

    use foundations::exercises::when_ready::run_when_ready;
    use foundations::graph::{Task, TaskGraph};

    /// Runs `f` on a thread of its own and returns what it returned; fails
    /// if it panicked, or if it has not returned after a long while (a
    /// scheduler that waits for the wrong thing may wait forever).
    fn guarded<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
        support::guard::guarded(Duration::from_secs(60), "run_when_ready", f)
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Event {
        Start(Task),
        End(Task),
    }

    /// Runs the graph, recording when each task started and ended.
    fn run_logged(graph: TaskGraph) -> (Vec<Task>, Vec<Event>) {
        guarded(move || {
            let log = Mutex::new(Vec::new());
            let order = run_when_ready(&graph, |task| {
                log.lock().unwrap().push(Event::Start(task));
                // Long enough for other threads to run meanwhile.
                thread::sleep(Duration::from_millis(5));
                log.lock().unwrap().push(Event::End(task));
            });
            (order, log.into_inner().unwrap())
        })
    }

    /// Checks that every task ran once, and started after the tasks it
    /// needs had ended.
    fn check_dependencies(graph: &TaskGraph, order: &[Task], log: &[Event]) {
        assert!(
            graph.is_valid_order(order),
            "{order:?} is not an order that runs every task after its needs"
        );
        for task in graph.tasks() {
            let starts: Vec<usize> = (0..log.len())
                .filter(|&i| log[i] == Event::Start(task))
                .collect();
            assert_eq!(starts.len(), 1, "task {task} ran once: {log:?}");
            for &need in graph.needs(task) {
                let ended = log.iter().position(|e| *e == Event::End(need));
                assert!(
                    ended.is_some_and(|end| end < starts[0]),
                    "task {task} started after task {need} ended: {log:?}"
                );
            }
        }
    }

    #[test]
    fn every_task_runs_once_after_what_it_needs() {
        let chapter = TaskGraph::chapter_example();
        let (order, log) = run_logged(chapter.clone());
        check_dependencies(&chapter, &order, &log);

        // Two chains that meet, and a task on its own.
        let bigger = TaskGraph::new(
            &[1, 2, 3, 4, 5, 6, 7, 8],
            &[(1, 2), (2, 3), (4, 5), (5, 6), (3, 7), (6, 7), (1, 5)],
        );
        let (order, log) = run_logged(bigger.clone());
        check_dependencies(&bigger, &order, &log);
    }

    #[test]
    fn a_chain_runs_in_its_only_order() {
        // Numbers do not say the order: 4 comes first here.
        let chain = TaskGraph::new(&[1, 2, 3, 4], &[(4, 3), (3, 2), (2, 1)]);
        let (order, log) = run_logged(chain.clone());
        check_dependencies(&chain, &order, &log);
        assert_eq!(order, [4, 3, 2, 1]);
    }

    /// Threads that meet: each arrival waits until `expected` have arrived,
    /// and says whether they did (rather than waiting forever).
    struct Meeting {
        arrived: Mutex<usize>,
        all_here: Condvar,
        expected: usize,
    }

    impl Meeting {
        fn new(expected: usize) -> Self {
            Meeting {
                arrived: Mutex::new(0),
                all_here: Condvar::new(),
                expected,
            }
        }

        fn arrive(&self) -> bool {
            let mut arrived = self.arrived.lock().unwrap();
            *arrived += 1;
            self.all_here.notify_all();
            let (arrived, _) = self
                .all_here
                .wait_timeout_while(arrived, Duration::from_secs(5), |n| {
                    *n < self.expected
                })
                .unwrap();
            *arrived >= self.expected
        }
    }

    #[test]
    fn independent_tasks_run_at_the_same_time() {
        // Tasks 2, 3 and 4 each wait until all three are running: only a
        // scheduler that runs them at the same time lets them meet.
        let met = guarded(|| {
            let meeting = Meeting::new(3);
            let met = Mutex::new(Vec::new());
            run_when_ready(&TaskGraph::chapter_example(), |task| {
                if (2..=4).contains(&task) {
                    let all = meeting.arrive();
                    met.lock().unwrap().push((task, all));
                }
            });
            met.into_inner().unwrap()
        });
        assert_eq!(met.len(), 3, "tasks 2, 3 and 4 ran once each: {met:?}");
        for (task, all) in met {
            assert!(all, "task {task} waited for the other two in vain");
        }
    }

    #[test]
    fn a_task_does_not_wait_for_tasks_it_does_not_need() {
        // 1 and 2 need nothing; 3 needs only 1. Task 2 waits for task 3 to
        // start: wave by wave, 3 would wait for 2, and 2 for 3.
        let saw_3 = guarded(|| {
            let graph = TaskGraph::new(&[1, 2, 3], &[(1, 3)]);
            let (started_tx, started_rx) = mpsc::channel();
            let started_rx = Mutex::new(started_rx);
            let saw_3 = Mutex::new(None);
            run_when_ready(&graph, |task| match task {
                2 => {
                    let got = started_rx
                        .lock()
                        .unwrap()
                        .recv_timeout(Duration::from_secs(5));
                    *saw_3.lock().unwrap() = Some(got.is_ok());
                }
                3 => started_tx.send(3).unwrap(),
                _ => {}
            });
            saw_3.into_inner().unwrap()
        });
        assert_eq!(
            saw_3,
            Some(true),
            "task 3 started while task 2 was still running"
        );
    }
}
