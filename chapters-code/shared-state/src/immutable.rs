//! The cheapest thread safety: data that nobody changes.
//!
//! Every bug of this chapter needs a write. Two threads that only read the
//! same memory cannot disturb each other, so data that is built once and
//! then never changed can be shared by any number of threads with no lock
//! and no atomic operation at all.
//!
//! The only question left is *who owns it*: a thread started with
//! `thread::spawn` may outlive the function that started it, so it cannot
//! borrow that function's local variables. An [`Arc`] (*atomically reference
//! counted* pointer) solves that. It keeps the data on the heap together with
//! a count of the `Arc`s that point to it. `Arc::clone` makes one more
//! pointer to the same data (it copies no data, and adds 1 to the count);
//! dropping an `Arc` subtracts 1; the last one to go frees the data. The
//! count is an atomic integer, so threads may clone and drop their `Arc`s at
//! the same time. And an `Arc` only gives shared (`&`) access, so the data
//! it holds cannot be changed: the compiler sees to that.

use std::collections::HashMap;
use std::sync::Arc;
use std::thread;

/// A price list: built once, then only read.
#[derive(Debug)]
pub struct PriceList {
    cents: HashMap<String, u64>,
}

impl PriceList {
    /// A list of `(item, price in cents)`.
    pub fn new(items: &[(&str, u64)]) -> PriceList {
        let cents = items
            .iter()
            .map(|&(item, price)| (item.to_string(), price))
            .collect();
        PriceList { cents }
    }

    /// The price of `item`, if it is on the list.
    pub fn price(&self, item: &str) -> Option<u64> {
        self.cents.get(item).copied()
    }

    /// The total price of `basket`; items not on the list cost nothing.
    pub fn total(&self, basket: &[String]) -> u64 {
        basket.iter().filter_map(|item| self.price(item)).sum()
    }
}

/// What one thread did with the shared list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// The basket's total, in cents.
    pub total: u64,
    /// The address of the price list this thread read.
    pub list_at: usize,
}

// ANCHOR: share
/// Prices every basket on its own thread; all threads read the one list.
pub fn price_baskets(
    prices: Arc<PriceList>,
    baskets: Vec<Vec<String>>,
) -> Vec<Receipt> {
    let handles: Vec<_> = baskets
        .into_iter()
        .map(|basket| {
            // One more pointer to the same list, moved into the thread.
            let prices = Arc::clone(&prices);
            thread::spawn(move || Receipt {
                total: prices.total(&basket),
                list_at: Arc::as_ptr(&prices) as usize,
            })
            // The thread's `prices` is dropped when it ends.
        })
        .collect();
    handles
        .into_iter()
        // `join` fails only if the thread panicked; pass the panic on.
        .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
        .collect()
}
// ANCHOR_END: share

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_basket_costs_the_sum_of_its_known_items() {
        let list = PriceList::new(&[("tea", 250), ("cake", 400)]);
        let basket = ["tea", "cake", "tea", "unicorn"].map(String::from);
        assert_eq!(list.total(&basket), 900);
        assert_eq!(list.price("unicorn"), None);
    }
}
