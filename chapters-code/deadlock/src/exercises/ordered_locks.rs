//! Exercise: many accounts, one order.
//!
//! The chapter's `lock_both` takes two locks, the lower-numbered first, so
//! that no cycle of waiting threads can form. Real code needs more than
//! two at a time (a payment split over several accounts, a report that
//! must see several balances at one moment), and callers name them in any
//! order, sometimes the same one twice.
//!
//! Here each account of a [`Bank`] has a lock of its own. Write
//! [`Bank::lock_accounts`], which takes the locks of every account named in
//! `ids` in one global order (by account number), each account once however
//! often it is named, and returns their guards by account number; and
//! [`Bank::transfer`] on top of it. Then many threads can run transfers in
//! both directions between the same accounts, all at once, and never
//! deadlock.
//!
//! Watch out for a transfer from an account to itself: a `Mutex` locked
//! twice by the same thread is a deadlock with one thread (the standard
//! library's `Mutex` may also panic).
//!
//! Hints: a copy of `ids`, sorted, with repeats removed (`sort` then
//! `dedup`), is the order. A `BTreeMap` maps each account number to its
//! guard; `guards.get_mut(&from)` reaches one. To move money between two
//! entries of the map, change one, then the other.

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
        let _ = ids;
        todo!("lock each account named once, in increasing order")
    }

    /// Moves `amount` from account `from` to account `to` if `from` holds
    /// at least that much, holding both locks; returns whether it moved
    /// the money. A transfer from an account to itself moves nothing, and
    /// succeeds if the account holds `amount`.
    ///
    /// # Panics
    /// If `from` or `to` is not an account.
    pub fn transfer(&self, from: usize, to: usize, amount: i64) -> bool {
        let _ = (from, to, amount);
        todo!("lock both accounts with lock_accounts, check, and move")
    }
}
