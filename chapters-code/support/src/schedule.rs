//! What a model checker's executions did, step by step, for the book's
//! interleaving players ("be the scheduler").
//!
//! A chapter's shared types (its `sync` module) are swapped for a model
//! checker's under a `cfg`, as for its loom tests. There, each load, store,
//! lock and unlock of an object the model has [named](name_object), by a
//! thread it has [named](name_thread), is also written down here: which
//! thread, which line of the chapter's code (the operation's caller), what it
//! did, and the shared state just after. One model execution gives one
//! [`Run`]; every execution the checker explored, a [`Scenario`], stored as
//! `outputs/<name>.schedules.json` and drawn by the page as a player.
//!
//! The checkers (loom, shuttle) run every thread of a model as a coroutine
//! on the one thread that runs the model, one at a time. So the record is
//! kept per real thread (two tests exploring at once do not mix), and the
//! order in which steps arrive is the order in which they happened.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::panic::Location;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// One step of one thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The thread's name in the model (`"A"`, `"B"`).
    pub thread: String,
    /// The source file of the line, as the compiler named it.
    pub file: String,
    /// The line of the chapter's code that did it.
    pub line: u32,
    /// What it did, as a sentence without a subject: `"reads 0 from
    /// counter"`.
    pub action: String,
    /// Every named object's value just after the step (for an atomic, its
    /// latest store; for a lock, the value it guards).
    pub state: BTreeMap<String, String>,
    /// Lock name to the thread holding it, just after the step.
    pub holders: BTreeMap<String, String>,
    /// Thread name to the lock it is waiting for, just after the step.
    pub waiting: BTreeMap<String, String>,
}

/// One execution: its steps, and the outcome the model computed from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    pub outcome: String,
    pub steps: Vec<Step>,
}

/// One outcome the checker found, how many distinct runs end in it, and a
/// witness: the checker's own record of one such execution, which it can
/// replay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub outcome: String,
    pub runs: usize,
    /// Index into [`Scenario::runs`] of the run the witness replays.
    pub run: usize,
    /// The checker's replay data (loom's execution path as JSON, shuttle's
    /// encoded schedule).
    pub witness: String,
}

/// Everything a checker found for one small program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    /// The file's name: `outputs/<name>.schedules.json`.
    pub name: String,
    /// One line on what runs: "Two threads each add 1 twice to one counter".
    pub title: String,
    /// The checker and its version: "loom 0.7.3".
    pub checker: String,
    /// The threads, in the order the player shows them.
    pub threads: Vec<String>,
    /// The text of every line a step points at, by file and line.
    pub source: BTreeMap<String, BTreeMap<u32, String>>,
    /// Every distinct run (distinct sequence of steps) the checker explored,
    /// in the order it first explored them.
    pub runs: Vec<Run>,
    /// Every outcome, in the order first found, with a witness.
    pub outcomes: Vec<Outcome>,
}

#[derive(Default)]
struct Execution {
    threads: BTreeMap<String, String>,
    objects: BTreeMap<usize, String>,
    steps: Vec<Step>,
    state: BTreeMap<String, String>,
    holders: BTreeMap<String, String>,
    waiting: BTreeMap<String, String>,
}

thread_local! {
    static CURRENT: RefCell<Option<Execution>> = const { RefCell::new(None) };
}

/// Runs `f` on this thread's record.
fn with<R>(f: impl FnOnce(&mut Option<Execution>) -> R) -> R {
    CURRENT.with(|c| f(&mut c.borrow_mut()))
}

/// Starts recording one execution (dropping whatever the last one left).
pub fn begin() {
    with(|e| *e = Some(Execution::default()));
}

/// Ends the execution and returns its steps. Recording is off until the
/// next [`begin`].
pub fn finish() -> Vec<Step> {
    with(|e| e.take().map(|e| e.steps).unwrap_or_default())
}

/// Names the checker's thread `id` (its `ThreadId` printed with `{:?}`).
/// Steps of threads without a name are not recorded.
pub fn name_thread(id: String, name: &str) {
    with(|e| {
        if let Some(e) = e {
            e.threads.insert(id, name.to_string());
        }
    });
}

/// Names the object at `address`, whose value is `value` now. Operations on
/// objects without a name are not recorded.
pub fn name_object(address: usize, name: &str, value: String) {
    with(|e| {
        if let Some(e) = e {
            e.objects.insert(address, name.to_string());
            e.state.insert(name.to_string(), value);
        }
    });
}

/// What a recorded operation did to the state.
enum Change {
    /// Only read.
    None,
    /// Set the object's value.
    Value(String),
    /// Took the lock; the value it guards.
    Locked(String),
    /// Let go of the lock; the value it guards.
    Unlocked(String),
    /// Started to wait for the lock.
    Waits,
}

fn record(
    thread: String,
    location: &Location<'_>,
    address: usize,
    action: impl FnOnce(&str, &Execution) -> String,
    change: Change,
) {
    with(|e| {
        if let Some(e) = e {
            record_in(e, thread, location, address, action, change);
        }
    });
}

fn record_in(
    e: &mut Execution,
    thread: String,
    location: &Location<'_>,
    address: usize,
    action: impl FnOnce(&str, &Execution) -> String,
    change: Change,
) {
    let (Some(thread), Some(object)) = (
        e.threads.get(&thread).cloned(),
        e.objects.get(&address).cloned(),
    ) else {
        return;
    };
    let action = action(&object, e);
    match change {
        Change::None => {}
        Change::Value(v) => {
            e.state.insert(object, v);
        }
        Change::Locked(v) => {
            e.state.insert(object.clone(), v);
            e.holders.insert(object, thread.clone());
            e.waiting.remove(&thread);
        }
        Change::Unlocked(v) => {
            e.state.insert(object.clone(), v);
            e.holders.remove(&object);
        }
        Change::Waits => {
            e.waiting.insert(thread.clone(), object);
        }
    }
    let step = Step {
        thread,
        file: location.file().to_string(),
        line: location.line(),
        action,
        state: e.state.clone(),
        holders: e.holders.clone(),
        waiting: e.waiting.clone(),
    };
    e.steps.push(step);
}

/// Thread `thread` read `value` from the object at `address`.
pub fn load(thread: String, at: &Location<'_>, address: usize, value: String) {
    let action =
        |name: &str, _: &Execution| format!("reads {value} from {name}");
    record(thread, at, address, action, Change::None);
}

/// Thread `thread` wrote `value` to the object at `address`.
pub fn store(thread: String, at: &Location<'_>, address: usize, value: String) {
    let action =
        |name: &str, _: &Execution| format!("writes {value} to {name}");
    record(thread, at, address, action, Change::Value(value.clone()));
}

/// Called before thread `thread` locks the lock at `address`: if another
/// thread holds it, records that this one waits.
pub fn before_lock(thread: String, at: &Location<'_>, address: usize) {
    let held_by_other = with(|e| {
        e.as_ref().is_some_and(|e| {
            let me = e.threads.get(&thread);
            let lock = e.objects.get(&address);
            let holder = lock.and_then(|l| e.holders.get(l));
            me.is_some() && holder.is_some() && holder != me
        })
    });
    if held_by_other {
        let action = |name: &str, e: &Execution| {
            let holder = e.holders.get(name).map_or("?", String::as_str);
            format!("waits for {name}, which {holder} holds")
        };
        record(thread, at, address, action, Change::Waits);
    }
}

/// Thread `thread` took the lock at `address`, which guards `value`.
pub fn locked(
    thread: String,
    at: &Location<'_>,
    address: usize,
    value: String,
) {
    let action =
        |name: &str, _: &Execution| format!("locks {name} (it holds {value})");
    record(thread, at, address, action, Change::Locked(value.clone()));
}

/// Thread `thread` let go of the lock at `address` (taken at `at`), which
/// guards `value` now.
pub fn unlocked(
    thread: String,
    at: &Location<'_>,
    address: usize,
    value: String,
) {
    let action = |name: &str, _: &Execution| {
        format!(
            "drops the guard taken here, which unlocks {name} (it holds {value})"
        )
    };
    record(thread, at, address, action, Change::Unlocked(value.clone()));
}

impl Scenario {
    /// A scenario with no runs yet.
    pub fn new(
        name: &str,
        title: &str,
        checker: &str,
        threads: &[&str],
    ) -> Scenario {
        Scenario {
            name: name.to_string(),
            title: title.to_string(),
            checker: checker.to_string(),
            threads: threads.iter().map(|t| t.to_string()).collect(),
            source: BTreeMap::new(),
            runs: Vec::new(),
            outcomes: Vec::new(),
        }
    }

    /// Adds one explored execution. `witness` is asked for only when the
    /// outcome is new. Runs identical to one already kept are counted once.
    pub fn add(&mut self, run: Run, witness: impl FnOnce() -> String) {
        if self.runs.contains(&run) {
            return;
        }
        let index = self.runs.len();
        match self.outcomes.iter_mut().find(|o| o.outcome == run.outcome) {
            Some(o) => o.runs += 1,
            None => self.outcomes.push(Outcome {
                outcome: run.outcome.clone(),
                runs: 1,
                run: index,
                witness: witness(),
            }),
        }
        self.runs.push(run);
    }

    /// The set of outcomes.
    pub fn outcome_set(&self) -> BTreeSet<String> {
        self.outcomes.iter().map(|o| o.outcome.clone()).collect()
    }

    /// Fills in [`Scenario::source`] from the files the steps point at,
    /// found from the workspace root.
    pub fn read_source(&mut self) {
        for step in self.runs.iter().flat_map(|r| &r.steps) {
            let file = self.source.entry(step.file.clone()).or_default();
            if file.contains_key(&step.line) {
                continue;
            }
            let line = crate::source::line(&step.file, step.line)
                .unwrap_or_else(|| panic!("reading {}: not found", step.file));
            file.insert(step.line, line);
        }
    }

    /// Where the scenario is stored: the calling crate's
    /// `outputs/<name>.schedules.json`.
    pub fn path(crate_dir: &Path, name: &str) -> PathBuf {
        crate_dir
            .join("outputs")
            .join(format!("{name}.schedules.json"))
    }

    /// Reads a stored scenario.
    pub fn load(path: &Path) -> Scenario {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
            panic!(
                "reading {}: {e} (`cargo book capture --schedules` writes it)",
                path.display()
            )
        });
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Stores the scenario when `NOTEBOOK_WRITE_SCHEDULES` is set (as
    /// `cargo book capture` sets it); otherwise asserts that the stored one
    /// is exactly this fresh exploration, so that the page never shows runs
    /// the code can no longer make.
    pub fn store_or_compare(&self, crate_dir: &Path) {
        let path = Scenario::path(crate_dir, &self.name);
        if std::env::var_os("NOTEBOOK_WRITE_SCHEDULES").is_some() {
            let json = serde_json::to_string_pretty(self)
                .expect("a scenario is plain data");
            std::fs::create_dir_all(crate_dir.join("outputs"))
                .expect("creating outputs/");
            std::fs::write(&path, json + "\n")
                .unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
            return;
        }
        let stored = Scenario::load(&path);
        assert_eq!(
            stored.outcome_set(),
            self.outcome_set(),
            "{}: the checker finds other outcomes than the stored ones; \
             run `cargo book capture --schedules`",
            path.display()
        );
        assert!(
            stored == *self,
            "{}: the stored runs are not what the checker explores now; \
             run `cargo book capture --schedules`",
            path.display()
        );
    }
}

/// Exploring a model with shuttle: every schedule (shuttle's depth-first
/// scheduler has no bound and no reduction, so the runs give the player a
/// choice at every step), going on past deadlocks, and replaying a witness.
/// Only compiled under `--cfg shuttle`.
#[cfg(shuttle)]
pub mod shuttle {
    use std::cell::{Cell, RefCell};
    use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
    use std::rc::Rc;
    use std::sync::Once;

    use ::shuttle::scheduler::{
        DfsScheduler, ReplayScheduler, Schedule, Scheduler, Task, TaskId,
    };
    use ::shuttle::{Config, FailurePersistence, Runner};

    use super::{Run, finish};

    /// The outcome of a run that ended with every thread blocked.
    pub const DEADLOCK: &str = "deadlock";

    thread_local! {
        /// The run the model returned, until the scheduler files it.
        static RETURNED: RefCell<Option<Run>> = const { RefCell::new(None) };
        /// Whether this thread is exploring, when a deadlock's panic is
        /// expected and kept off the output.
        static EXPLORING: Cell<bool> = const { Cell::new(false) };
    }

    /// Shuttle reports a deadlock by panicking. Installs, once, a panic
    /// hook that keeps quiet on a thread while it explores, and otherwise
    /// does what the hook before it did.
    fn quiet_while_exploring() {
        static ONCE: Once = Once::new();
        ONCE.call_once(|| {
            let before = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                if !EXPLORING.with(Cell::get) {
                    before(info);
                }
            }));
        });
    }

    /// The depth-first scheduler, shared by the runners that take turns
    /// with it (a deadlock ends a runner), and the choices of the
    /// execution in progress.
    struct Explorer {
        dfs: DfsScheduler,
        chosen: Vec<usize>,
        found: Vec<(Run, String)>,
    }

    impl Explorer {
        /// Files the run just ended with the choices that made it.
        fn file(&mut self, run: Run) {
            let witness = serde_json::to_string(&self.chosen).expect("numbers");
            self.found.push((run, witness));
            self.chosen.clear();
        }
    }

    #[derive(Clone)]
    struct Shared(Rc<RefCell<Explorer>>);

    impl Scheduler for Shared {
        fn new_execution(&mut self) -> Option<Schedule> {
            let mut explorer = self.0.borrow_mut();
            if let Some(run) = RETURNED.with(|r| r.borrow_mut().take()) {
                explorer.file(run);
            }
            explorer.chosen.clear();
            explorer.dfs.new_execution()
        }

        fn next_task(
            &mut self,
            runnable: &[&Task],
            current: Option<TaskId>,
            is_yielding: bool,
        ) -> Option<TaskId> {
            let mut explorer = self.0.borrow_mut();
            let next = explorer.dfs.next_task(runnable, current, is_yielding);
            if let Some(task) = next {
                explorer.chosen.push(usize::from(task));
            }
            next
        }

        fn next_u64(&mut self) -> u64 {
            self.0.borrow_mut().dfs.next_u64()
        }
    }

    fn quiet() -> Config {
        let mut config = Config::new();
        config.failure_persistence = FailurePersistence::None;
        config
    }

    /// Runs `go` (a shuttle runner), turning a deadlock into `Some(run)`
    /// with the steps recorded up to it. Any other panic is the model's
    /// failure and goes on up.
    fn through_deadlock(go: impl FnOnce()) -> Option<Run> {
        quiet_while_exploring();
        EXPLORING.with(|e| e.set(true));
        let result = catch_unwind(AssertUnwindSafe(go));
        EXPLORING.with(|e| e.set(false));
        let panic = result.err()?;
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        if !message.contains("deadlock") {
            resume_unwind(panic);
        }
        Some(Run {
            outcome: DEADLOCK.to_string(),
            steps: finish(),
        })
    }

    /// Every distinct execution of `model` with its witness (the task ids
    /// shuttle chose, as JSON), in the order explored. A run that
    /// deadlocks has the outcome [`DEADLOCK`].
    pub fn explore(model: fn() -> Run) -> Vec<(Run, String)> {
        let shared = Shared(Rc::new(RefCell::new(Explorer {
            dfs: DfsScheduler::new(None, false),
            chosen: Vec::new(),
            found: Vec::new(),
        })));
        loop {
            let runner = Runner::new(shared.clone(), quiet());
            let store = move || {
                let run = model();
                RETURNED.with(|r| *r.borrow_mut() = Some(run));
            };
            match through_deadlock(move || {
                runner.run(store);
            }) {
                // The depth-first scheduler has no execution left.
                None => break,
                // A new runner goes on from the next execution.
                Some(deadlocked) => shared.0.borrow_mut().file(deadlocked),
            }
        }
        let explorer = shared.0.borrow();
        explorer.found.clone()
    }

    /// The execution `witness` describes, run again by shuttle.
    pub fn replay(witness: &str, model: fn() -> Run) -> Run {
        let chosen: Vec<usize> =
            serde_json::from_str(witness).expect("a list of task ids");
        let schedule = Schedule::new_from_task_ids(0, chosen);
        let runner =
            Runner::new(ReplayScheduler::new_from_schedule(schedule), quiet());
        let store = move || {
            let run = model();
            RETURNED.with(|r| *r.borrow_mut() = Some(run));
        };
        through_deadlock(move || {
            runner.run(store);
        })
        .or_else(|| RETURNED.with(|r| r.borrow_mut().take()))
        .expect("the replayed execution ran to its end or deadlocked")
    }
}

/// Exploring a model with loom: every execution (no bound on preemptions),
/// and replaying a witness. Loom reduces: of the orders of two steps that
/// touch different objects it may run only one. Only compiled under
/// `--cfg loom`.
#[cfg(loom)]
pub mod loom {
    use std::path::{Path, PathBuf};
    use std::sync::{Arc, Mutex, PoisonError};

    use super::Run;

    fn checkpoint(what: &str) -> PathBuf {
        static NEXT: std::sync::atomic::AtomicUsize =
            std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let pid = std::process::id();
        std::env::temp_dir()
            .join(format!("loom-schedule-{pid}-{n}-{what}.json"))
    }

    fn builder(file: &Path) -> ::loom::model::Builder {
        let mut model = ::loom::model::Builder::new();
        model.preemption_bound = None;
        model.checkpoint_file = Some(file.to_path_buf());
        model.checkpoint_interval = 1;
        model
    }

    fn runs<T>(found: Arc<Mutex<Vec<T>>>) -> Vec<T> {
        // Loom has dropped the model (and its clone of `found`) on return.
        let found =
            Arc::try_unwrap(found).unwrap_or_else(|_| panic!("one owner"));
        found.into_inner().unwrap_or_else(PoisonError::into_inner)
    }

    /// Every execution of `model` in loom's order, each with loom's
    /// checkpoint of it: the choices it made, as JSON, which
    /// [`replay`] runs again.
    pub fn explore(model: fn() -> Run) -> Vec<(Run, String)> {
        let file = checkpoint("explore");
        let at = file.clone();
        let found = Arc::new(Mutex::new(Vec::new()));
        let sink = found.clone();
        // Loom writes an execution's checkpoint before running it: while
        // the model runs, the file holds this execution's choices.
        builder(&file).check(move || {
            let run = model();
            let witness =
                std::fs::read_to_string(&at).expect("loom's checkpoint");
            sink.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push((run, witness));
        });
        let _ = std::fs::remove_file(&file);
        runs(found)
    }

    /// The one execution `witness` describes, run again by loom.
    pub fn replay(witness: &str, model: fn() -> Run) -> Run {
        let file = checkpoint("replay");
        std::fs::write(&file, witness).expect("writing the witness");
        let mut builder = builder(&file);
        // Loom checks the limit before its second execution: only the
        // witness runs.
        builder.max_permutations = Some(2);
        let found = Arc::new(Mutex::new(Vec::new()));
        let sink = found.clone();
        builder.check(move || {
            let run = model();
            sink.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(run);
        });
        let _ = std::fs::remove_file(&file);
        let mut found = runs(found);
        assert_eq!(found.len(), 1, "replaying a witness ran one execution");
        found.remove(0)
    }
}

/// The model checker of this build: loom under `--cfg loom`, shuttle under
/// `--cfg shuttle`.
#[cfg(loom)]
pub use ::loom as checker;
#[cfg(all(shuttle, not(loom)))]
pub use ::shuttle as checker;

/// The checker's atomics and lock, each a thin wrapper that also records
/// what it did here, for a chapter's `sync` module to use in place of the
/// standard library's under the checker's `cfg`. `#[track_caller]` makes the
/// recorded line the chapter's, where the operation was called.
#[cfg(any(loom, shuttle))]
pub mod checked {
    use std::fmt::Debug;
    use std::ops::{Deref, DerefMut};
    use std::panic::Location;
    use std::sync::atomic::Ordering;
    use std::sync::{LockResult, PoisonError, TryLockError};

    use super::checker;

    fn thread() -> String {
        format!("{:?}", checker::thread::current().id())
    }

    fn address<T>(object: &T) -> usize {
        object as *const T as usize
    }

    macro_rules! recorded_atomic {
        ($name:ident, $inner:ty, $value:ty) => {
            /// The checker's atomic, recording each load and store.
            #[derive(Debug, Default)]
            pub struct $name($inner);

            impl $name {
                pub fn new(value: $value) -> $name {
                    $name(<$inner>::new(value))
                }

                #[track_caller]
                pub fn load(&self, order: Ordering) -> $value {
                    let value = self.0.load(order);
                    super::load(
                        thread(),
                        Location::caller(),
                        address(self),
                        format!("{value}"),
                    );
                    value
                }

                #[track_caller]
                pub fn store(&self, value: $value, order: Ordering) {
                    self.0.store(value, order);
                    super::store(
                        thread(),
                        Location::caller(),
                        address(self),
                        format!("{value}"),
                    );
                }

                pub fn into_inner(self) -> $value {
                    self.0.into_inner()
                }
            }
        };
    }

    recorded_atomic!(AtomicU64, checker::sync::atomic::AtomicU64, u64);
    recorded_atomic!(AtomicBool, checker::sync::atomic::AtomicBool, bool);

    /// The checker's lock, recording each lock, wait and unlock.
    #[derive(Debug, Default)]
    pub struct Mutex<T>(checker::sync::Mutex<T>);

    /// The guard of a [`Mutex`]; dropping it unlocks, and records that.
    pub struct MutexGuard<'a, T: Debug> {
        /// `None` only inside `drop`, which lets go of it before recording.
        guard: Option<checker::sync::MutexGuard<'a, T>>,
        lock: usize,
        /// Where the lock was taken: the unlock is shown on that line too.
        at: &'static Location<'static>,
    }

    impl<T> Mutex<T> {
        pub fn new(value: T) -> Mutex<T> {
            Mutex(checker::sync::Mutex::new(value))
        }
    }

    impl<T: Debug> Mutex<T> {
        /// Locks, recording a wait (if another thread holds the lock) and
        /// then the lock.
        #[track_caller]
        pub fn lock(&self) -> LockResult<MutexGuard<'_, T>> {
            let at = Location::caller();
            // Both checkers may switch threads just before an attempt to
            // take a lock. Had we looked for a holder before that switch,
            // the other thread could take the lock in it, and this one would
            // wait unrecorded. So first try: a switch, then the attempt.
            let (guard, poisoned) = match self.0.try_lock() {
                Ok(guard) => (guard, false),
                Err(TryLockError::Poisoned(p)) => (p.into_inner(), true),
                Err(TryLockError::WouldBlock) => {
                    // Held by another thread now, and `lock` below blocks
                    // before any switch: the wait is real.
                    super::before_lock(thread(), at, address(self));
                    match self.0.lock() {
                        Ok(guard) => (guard, false),
                        Err(p) => (p.into_inner(), true),
                    }
                }
            };
            super::locked(thread(), at, address(self), format!("{:?}", *guard));
            let guard = MutexGuard {
                guard: Some(guard),
                lock: address(self),
                at,
            };
            match poisoned {
                false => Ok(guard),
                true => Err(PoisonError::new(guard)),
            }
        }
    }

    impl<T: Debug> Deref for MutexGuard<'_, T> {
        type Target = T;
        fn deref(&self) -> &T {
            self.guard
                .as_ref()
                .expect("the guard is taken out only in drop")
        }
    }

    impl<T: Debug> DerefMut for MutexGuard<'_, T> {
        fn deref_mut(&mut self) -> &mut T {
            self.guard
                .as_mut()
                .expect("the guard is taken out only in drop")
        }
    }

    impl<T: Debug> Drop for MutexGuard<'_, T> {
        fn drop(&mut self) {
            let Some(guard) = self.guard.take() else {
                return;
            };
            let value = format!("{:?}", *guard);
            // Shuttle switches just before it releases a lock (loom does
            // not switch at all): recorded after the release, the record is
            // true at every switch, the lock still held until then.
            drop(guard);
            super::unlocked(thread(), self.at, self.lock, value);
        }
    }
}
