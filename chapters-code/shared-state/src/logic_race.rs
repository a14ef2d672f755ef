//! A race that compiles: check, then act, under two separate locks.
//!
//! Every access to the number of free seats below goes through a `Mutex`, so
//! there is no *data race*: no two threads ever touch the number at the same
//! time. The program is still wrong. [`TicketOffice::buy_racy`] locks once
//! to *check* that a seat is free, lets the lock go, and locks again to
//! *act*, taking the seat. Between the two, another buyer can check too, see
//! the same free seat, and take it. Two tickets for one seat.
//!
//! This is a *race condition*: the result depends on how the threads happen
//! to interleave. The compiler cannot see it, because it is a mistake in the
//! program's logic, not in how memory is accessed. The fix,
//! [`TicketOffice::buy`], holds one lock across the check and the action, so
//! that the two are one critical section.

use std::sync::PoisonError;

use crate::sync::{Mutex, MutexGuard};

/// A venue's box office: how many seats are left.
#[derive(Debug)]
pub struct TicketOffice {
    /// Seats left; below zero means seats were sold twice.
    seats_left: Mutex<i64>,
}

impl TicketOffice {
    /// An office with `seats` seats to sell.
    pub fn new(seats: i64) -> TicketOffice {
        TicketOffice {
            seats_left: Mutex::new(seats),
        }
    }

    /// Seats left: negative if the office sold more than it had.
    pub fn seats_left(&self) -> i64 {
        *self.seats()
    }

    /// Puts the office back to `seats` free seats.
    pub fn reset(&self, seats: i64) {
        *self.seats() = seats;
    }

    // ANCHOR: check_then_act
    /// Sells a seat if one is free; `meanwhile` is what the buyer does
    /// between finding a free seat and taking it (print the ticket, charge
    /// the card). Returns whether a ticket was sold.
    pub fn buy_racy(&self, meanwhile: impl FnOnce()) -> bool {
        // Check. The guard is a temporary: the lock is released at the end
        // of this statement.
        let free = *self.seats() > 0;
        if !free {
            return false;
        }
        meanwhile();
        // Act, under a second, separate lock. What the check saw may no
        // longer be true: another buyer may have taken the seat meanwhile.
        *self.seats() -= 1;
        true
    }
    // ANCHOR_END: check_then_act

    // ANCHOR: check_and_act
    /// Sells a seat if one is free, holding the lock from the check to the
    /// sale, so that no other buyer can come in between.
    pub fn buy(&self, meanwhile: impl FnOnce()) -> bool {
        let mut seats = self.seats();
        if *seats <= 0 {
            return false;
        }
        meanwhile();
        *seats -= 1;
        true
        // `seats`, the guard, is dropped here: only now is the lock free.
    }
    // ANCHOR_END: check_and_act

    /// The lock on the seat count, for the interleaving player's recording
    /// to name.
    #[cfg(any(loom, shuttle))]
    pub fn seats_lock(&self) -> &Mutex<i64> {
        &self.seats_left
    }

    // Under a model checker, the interleaving player names the line that
    // called this.
    #[cfg_attr(any(loom, shuttle), track_caller)]
    fn seats(&self) -> MutexGuard<'_, i64> {
        // A lock is poisoned when a thread panicked while holding it, for
        // instance in a `meanwhile` that panicked. An i64 is valid whatever
        // that thread was doing, so the count can still be used.
        self.seats_left
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_buyer_gets_the_seats_there_are_and_no_more() {
        for racy in [true, false] {
            let office = TicketOffice::new(2);
            let buy = || match racy {
                true => office.buy_racy(|| ()),
                false => office.buy(|| ()),
            };
            assert!(buy());
            assert!(buy());
            assert!(!buy());
            assert_eq!(office.seats_left(), 0);
        }
    }

    #[test]
    fn a_panicking_buyer_does_not_break_the_office() {
        let office = TicketOffice::new(1);
        let panicked = std::panic::catch_unwind(|| {
            office.buy(|| panic!("card declined"));
        });
        assert!(panicked.is_err());
        // The lock was poisoned; the count, untouched, is still usable.
        assert_eq!(office.seats_left(), 1);
        assert!(office.buy(|| ()));
    }
}
