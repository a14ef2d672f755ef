//! Locks that tell a registry what they are doing.
//!
//! Every [`Lock`] of one [`Registry`] records, under the registry's own
//! mutex, which thread holds it and which threads wait for it. From that the
//! registry can draw the *wait-for graph*: an arrow from each waiting thread
//! to the thread holding the lock it waits for. A cycle in that graph is a
//! deadlock: every thread on it waits for the next, forever.
//!
//! A watchdog ([`Registry::watch`]) looks for such a cycle. When it finds
//! one, it reports it and picks a *victim*, which gives up its wait with
//! [`Deadlocked`] instead of waiting forever. The lock thereby allows what a
//! plain mutex never does, taking a lock away from a waiter, which breaks one
//! of the four conditions for deadlock; databases break deadlocks the same
//! way.
//!
//! The registry also remembers every *lock order* it saw: "lock B was taken
//! while lock A was held". If those orders form a cycle (A before B here, B
//! before A there), the program can deadlock, even on a run that did not:
//! [`Registry::order_cycle`] finds it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::Duration;

/// Which lock: its index in the registry.
pub type LockId = usize;

/// A thread, by the name it was given (threads in this chapter are named).
pub type Who = String;

#[derive(Debug, Default)]
struct State {
    names: Vec<String>,
    holder: BTreeMap<LockId, Who>,
    waiting: BTreeMap<Who, LockId>,
    victims: BTreeSet<Who>,
    /// (held, then taken) pairs seen so far.
    orders: BTreeSet<(LockId, LockId)>,
    /// Deadlocks the watchdog found, in the order it found them.
    found: Vec<Vec<Step>>,
}

/// One thread on a deadlock cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub thread: Who,
    /// The lock it holds that the previous thread on the cycle waits for.
    pub holds: String,
    /// The lock it waits for, held by the next thread on the cycle.
    pub waits_for: String,
}

/// The error a thread gets when the watchdog chose it to break a deadlock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadlocked {
    pub lock: String,
}

/// The shared book of who holds and waits for which lock.
#[derive(Debug, Default)]
pub struct Registry {
    state: Mutex<State>,
    changed: Condvar,
}

/// A mutual-exclusion lock known to a registry.
#[derive(Debug)]
pub struct Lock {
    id: LockId,
    registry: Arc<Registry>,
}

/// Holding a lock; dropping the guard releases it.
#[derive(Debug)]
pub struct Guard<'a> {
    lock: &'a Lock,
}

impl Registry {
    /// A registry with no locks yet.
    pub fn new() -> Arc<Registry> {
        Arc::new(Registry::default())
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // The registry's code does not panic while holding its mutex.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A new lock named `name`.
    pub fn lock_named(self: &Arc<Self>, name: &str) -> Lock {
        let mut state = self.state();
        state.names.push(name.to_string());
        Lock {
            id: state.names.len() - 1,
            registry: Arc::clone(self),
        }
    }

    // ANCHOR: find_cycle
    /// A cycle in the wait-for graph, if there is one: each thread on it
    /// waits for a lock held by the next.
    fn find_cycle(state: &State) -> Option<Vec<Step>> {
        // Follow the arrows from each waiting thread: waiter -> holder of the
        // lock it wants -> the lock that holder wants -> ...
        for start in state.waiting.keys() {
            let mut path: Vec<&Who> = vec![start];
            let mut current = start;
            while let Some(holder) =
                state.waiting.get(current).and_then(|l| state.holder.get(l))
            {
                if let Some(at) = path.iter().position(|w| *w == holder) {
                    let cycle = &path[at..];
                    let steps = cycle
                        .iter()
                        .enumerate()
                        .map(|(i, who)| {
                            let prev =
                                cycle[(i + cycle.len() - 1) % cycle.len()];
                            Step {
                                thread: (*who).clone(),
                                holds: state.names[state.waiting[prev]].clone(),
                                waits_for: state.names[state.waiting[*who]]
                                    .clone(),
                            }
                        })
                        .collect();
                    return Some(steps);
                }
                path.push(holder);
                current = holder;
            }
        }
        None
    }
    // ANCHOR_END: find_cycle

    /// Checks for a deadlock now. If there is one, records it, makes the
    /// first thread on the cycle give up, and returns the cycle.
    pub fn check(&self) -> Option<Vec<Step>> {
        let mut state = self.state();
        let cycle = Registry::find_cycle(&state)?;
        // A cycle whose victim has not woken up yet is the same deadlock,
        // already being broken.
        if cycle
            .iter()
            .any(|step| state.victims.contains(&step.thread))
        {
            return None;
        }
        state.victims.insert(cycle[0].thread.clone());
        state.found.push(cycle.clone());
        drop(state);
        self.changed.notify_all();
        Some(cycle)
    }

    /// Runs `work` while a watchdog thread checks for deadlocks every
    /// `every`, breaking each one it finds. Returns what `work` returned.
    pub fn watch<T>(&self, every: Duration, work: impl FnOnce() -> T) -> T {
        let done = Mutex::new(false);
        let stop = Condvar::new();
        /// Stops the watchdog when `work` ends, normally or by a panic
        /// (otherwise the scope would wait for the watchdog forever).
        struct Stop<'a>(&'a Mutex<bool>, &'a Condvar);
        impl Drop for Stop<'_> {
            fn drop(&mut self) {
                *self.0.lock().unwrap_or_else(|p| p.into_inner()) = true;
                self.1.notify_all();
            }
        }
        thread::scope(|s| {
            s.spawn(|| {
                // The flag is only set, never left half-done: unwrap is safe.
                let mut finished = done.lock().unwrap();
                while !*finished {
                    finished = stop.wait_timeout(finished, every).unwrap().0;
                    if !*finished {
                        self.check();
                    }
                }
            });
            let _stop = Stop(&done, &stop);
            work()
        })
    }

    /// The deadlocks found so far.
    pub fn deadlocks(&self) -> Vec<Vec<Step>> {
        self.state().found.clone()
    }

    // ANCHOR: order_cycle
    /// A cycle in the lock orders seen so far, as lock names: each lock of
    /// it was, at some moment, asked for while holding the one before it. Such a
    /// cycle means the program *can* deadlock, whether or not it did.
    pub fn order_cycle(&self) -> Option<Vec<String>> {
        let state = self.state();
        let next = |lock: LockId| {
            state
                .orders
                .iter()
                .filter(move |(a, _)| *a == lock)
                .map(|(_, b)| *b)
        };
        // Depth-first search from every lock, looking for a way back to it.
        fn search(
            at: LockId,
            path: &mut Vec<LockId>,
            next: &dyn Fn(LockId) -> Vec<LockId>,
        ) -> Option<Vec<LockId>> {
            for n in next(at) {
                if n == path[0] {
                    return Some(path.clone());
                }
                if !path.contains(&n) {
                    path.push(n);
                    if let Some(found) = search(n, path, next) {
                        return Some(found);
                    }
                    path.pop();
                }
            }
            None
        }
        let next = |lock: LockId| next(lock).collect::<Vec<_>>();
        (0..state.names.len()).find_map(|start| {
            search(start, &mut vec![start], &next).map(|cycle| {
                cycle.iter().map(|&l| state.names[l].clone()).collect()
            })
        })
    }
    // ANCHOR_END: order_cycle
}

impl Lock {
    /// The lock's name.
    pub fn name(&self) -> String {
        self.registry.state().names[self.id].clone()
    }

    // ANCHOR: lock
    /// Waits until the lock is free and takes it, for the calling thread
    /// (which must have a name). Fails only if the watchdog chose this
    /// thread to break a deadlock.
    pub fn lock(&self) -> Result<Guard<'_>, Deadlocked> {
        let me = thread::current()
            .name()
            .expect("tracked threads are named")
            .to_string();
        let mut state = self.registry.state();
        // Remember the order: every lock this thread holds comes before this.
        let held: Vec<LockId> = state
            .holder
            .iter()
            .filter(|(_, who)| **who == me)
            .map(|(l, _)| *l)
            .collect();
        for h in held {
            state.orders.insert((h, self.id));
        }
        loop {
            if !state.holder.contains_key(&self.id) {
                state.waiting.remove(&me);
                state.holder.insert(self.id, me);
                return Ok(Guard { lock: self });
            }
            if state.victims.remove(&me) {
                state.waiting.remove(&me);
                return Err(Deadlocked {
                    lock: state.names[self.id].clone(),
                });
            }
            state.waiting.insert(me.clone(), self.id);
            // Sleeps until some lock is released or a victim is chosen.
            state = self
                .registry
                .changed
                .wait(state)
                .unwrap_or_else(|p| p.into_inner());
        }
    }
    // ANCHOR_END: lock
}

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        let mut state = self.lock.registry.state();
        state.holder.remove(&self.lock.id);
        drop(state);
        self.lock.registry.changed.notify_all();
    }
}

// ANCHOR: ordered
/// Takes two locks in one global order, lowest id first, whichever order
/// they are named in: with every thread doing so, no cycle can form.
pub fn lock_both<'a>(
    a: &'a Lock,
    b: &'a Lock,
) -> Result<(Guard<'a>, Guard<'a>), Deadlocked> {
    let (first, second) = if a.id < b.id { (a, b) } else { (b, a) };
    let g1 = first.lock()?;
    let g2 = second.lock()?;
    Ok((g1, g2))
}
// ANCHOR_END: ordered
