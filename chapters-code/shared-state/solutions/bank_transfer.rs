//! The book's solution to the exercise in `src/exercises/bank_transfer.rs`.

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
        let mut balances = self.balances.lock().unwrap();
        if balances[from] < amount {
            return false;
        }
        meanwhile();
        balances[from] -= amount;
        balances[to] += amount;
        true
        // `balances`, the guard, is dropped here: only now can another
        // thread see the balances, with the money already moved.
    }
}
