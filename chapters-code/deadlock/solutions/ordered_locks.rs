//! The book's solution to the exercise in `src/exercises/ordered_locks.rs`.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

/// Accounts numbered from 0, each balance behind a lock of its own.
#[derive(Debug)]
pub struct Bank {
    /// The balances. Public so that tests can see which locks are held.
    pub accounts: Vec<Mutex<i64>>,
}

/// The guards of some accounts' locks, by account number.
pub type Guards<'a> = BTreeMap<usize, MutexGuard<'a, i64>>;

impl Bank {
    /// A bank whose account `i` holds `balances[i]`.
    pub fn new(balances: &[i64]) -> Bank {
        Bank {
            accounts: balances.iter().map(|&b| Mutex::new(b)).collect(),
        }
    }

    /// Every account's balance, all read at one moment.
    pub fn balances(&self) -> Vec<i64> {
        let all: Vec<usize> = (0..self.accounts.len()).collect();
        self.lock_accounts(&all).values().map(|b| **b).collect()
    }

    /// Locks the accounts named in `ids` (in any order, possibly more than
    /// once), in increasing order of account number and each once; returns
    /// their guards by account number.
    ///
    /// # Panics
    /// If an id is not an account.
    pub fn lock_accounts(&self, ids: &[usize]) -> Guards<'_> {
        let mut order = ids.to_vec();
        order.sort_unstable();
        // Each lock once: locking a mutex this thread holds never returns.
        order.dedup();
        // In increasing order: a thread that waits for a lock holds only
        // lower-numbered ones, so no cycle of waiting threads can form.
        order
            .into_iter()
            .map(|id| (id, self.accounts[id].lock().unwrap()))
            .collect()
    }

    /// Moves `amount` from account `from` to account `to` if `from` holds
    /// at least that much, holding both locks; returns whether it moved
    /// the money. A transfer from an account to itself moves nothing, and
    /// succeeds if the account holds `amount`.
    ///
    /// # Panics
    /// If `from` or `to` is not an account.
    pub fn transfer(&self, from: usize, to: usize, amount: i64) -> bool {
        let mut guards = self.lock_accounts(&[from, to]);
        if *guards[&from] < amount {
            return false;
        }
        // Both guards cannot be borrowed mutably at once; one at a time.
        **guards.get_mut(&from).unwrap() -= amount;
        **guards.get_mut(&to).unwrap() += amount;
        true
    }
}
