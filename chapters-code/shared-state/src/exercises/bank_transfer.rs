//! Exercise: a transfer that cannot overdraw.
//!
//! A bank keeps every balance behind one `Mutex`, and [`Bank::transfer_racy`]
//! below holds it for every access: there is no data race anywhere. Yet it
//! is wrong twice over, like the box office of the chapter. It checks that
//! the money is there under one lock and takes it under another, so two
//! transfers can both see the same 100 and both take 80 of it. And it takes
//! the money from one account and adds it to the other under two separate
//! locks, so an auditor who adds up the balances in between finds money
//! missing.
//!
//! Write [`Bank::transfer`]: the same transfer, made correct. The check,
//! `meanwhile` and the whole move are one critical section; a transfer
//! that finds too little money changes nothing and does not call
//! `meanwhile`. No balance ever goes below zero, and at every moment the
//! balances add up to what they added up to at the start.
//!
//! (`meanwhile` is what the bank does between the check and the move, such
//! as asking a fraud service. It is a parameter so that the tests can force
//! the interleaving that breaks the racy version, as the chapter's tests do
//! with the box office.)
//!
//! Hint: `self.balances.lock().unwrap()` gives a guard that derefs to the
//! `Vec<i64>`; the lock is held until the guard is dropped.

use std::sync::Mutex;

/// Accounts numbered from 0, with their balances behind one lock.
#[derive(Debug)]
pub struct Bank {
    balances: Mutex<Vec<i64>>,
}

impl Bank {
    /// A bank whose account `i` holds `balances[i]`.
    pub fn new(balances: &[i64]) -> Bank {
        Bank {
            balances: Mutex::new(balances.to_vec()),
        }
    }

    /// Every account's balance, all read at one moment.
    pub fn balances(&self) -> Vec<i64> {
        self.balances.lock().unwrap().clone()
    }

    /// All the money in the bank, added up at one moment.
    pub fn total(&self) -> i64 {
        self.balances.lock().unwrap().iter().sum()
    }

    /// Moves `amount` from account `from` to account `to` if `from` holds
    /// at least that much, calling `meanwhile` between the check and the
    /// move; returns whether it moved the money. Racy: see the top of the
    /// file.
    pub fn transfer_racy(
        &self,
        from: usize,
        to: usize,
        amount: i64,
        meanwhile: impl FnOnce(),
    ) -> bool {
        // Check, under a lock that is released at the end of the statement.
        let enough = self.balances.lock().unwrap()[from] >= amount;
        if !enough {
            return false;
        }
        meanwhile();
        // Act, under two more locks: the check may no longer hold, and
        // between the two statements the money is in no account.
        self.balances.lock().unwrap()[from] -= amount;
        self.balances.lock().unwrap()[to] += amount;
        true
    }

    /// Moves `amount` from account `from` to account `to` if `from` holds
    /// at least that much, calling `meanwhile` between the check and the
    /// move; returns whether it moved the money. Never overdraws, and no
    /// other thread ever sees the money half moved.
    ///
    /// # Panics
    /// If `from` or `to` is not an account.
    pub fn transfer(
        &self,
        from: usize,
        to: usize,
        amount: i64,
        meanwhile: impl FnOnce(),
    ) -> bool {
        let _ = (from, to, amount, meanwhile);
        todo!("check and move the money in one critical section")
    }
}
