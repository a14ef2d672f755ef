//! Immutable data behind an `Arc`: every thread reads the one copy, with no
//! lock, and the last `Arc` to go frees it.

use std::sync::Arc;

use shared_state::immutable::{PriceList, price_baskets};

fn list() -> Arc<PriceList> {
    Arc::new(PriceList::new(&[
        ("tea", 450),
        ("milk", 129),
        ("bread", 320),
    ]))
}

fn baskets(n: usize) -> Vec<Vec<String>> {
    (0..n)
        .map(|i| {
            let items = ["tea", "milk", "bread", "caviar"];
            items
                .iter()
                .cycle()
                .skip(i)
                .take(i + 1)
                .map(|s| s.to_string())
                .collect()
        })
        .collect()
}

#[test]
fn every_thread_reads_the_same_list() {
    let prices = list();
    let receipts = price_baskets(Arc::clone(&prices), baskets(8));
    assert_eq!(receipts.len(), 8);
    let here = Arc::as_ptr(&prices) as usize;
    assert!(receipts.iter().all(|r| r.list_at == here), "no copies");
}

#[test]
fn threads_price_baskets_as_one_thread_would() {
    let prices = list();
    let baskets = baskets(8);
    let receipts = price_baskets(Arc::clone(&prices), baskets.clone());
    for (basket, receipt) in baskets.iter().zip(&receipts) {
        assert_eq!(receipt.total, prices.total(basket));
    }
}

#[test]
fn the_threads_arcs_are_gone_when_they_end() {
    let prices = list();
    price_baskets(Arc::clone(&prices), baskets(4));
    assert_eq!(Arc::strong_count(&prices), 1, "only main's own is left");
    // And with the last one, the list itself goes.
    let weak = Arc::downgrade(&prices);
    drop(prices);
    assert!(weak.upgrade().is_none());
}
