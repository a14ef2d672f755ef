//! Cell `shared_prices`: one price list, built once and never
//! changed, read by four threads at once through an `Arc`: no lock, no
//! copy.
// HIDE_START
use std::sync::Arc;

use shared_state::immutable::{PriceList, price_baskets};
// HIDE_END

fn main() {
    let prices = Arc::new(PriceList::new(&[
        ("bread", 320),
        ("cheese", 675),
        ("coffee", 899),
        ("milk", 129),
        ("tea", 450),
    ]));
    let baskets: Vec<Vec<String>> = [
        vec!["bread", "milk"],
        vec!["coffee", "coffee", "milk"],
        vec!["tea", "cheese", "bread"],
        vec!["milk", "milk", "milk", "caviar"],
    ]
    .iter()
    .map(|b| b.iter().map(|item| item.to_string()).collect())
    .collect();

    println!(
        "Arcs pointing at the list before: {}",
        Arc::strong_count(&prices)
    );
    let receipts = price_baskets(Arc::clone(&prices), baskets.clone());
    for (n, (basket, receipt)) in baskets.iter().zip(&receipts).enumerate() {
        println!(
            "  thread {}: {:<32} {:>3}.{:02}",
            n + 1,
            basket.join(", "),
            receipt.total / 100,
            receipt.total % 100
        );
    }
    let here = Arc::as_ptr(&prices) as usize;
    let same = receipts.iter().all(|r| r.list_at == here);
    println!("Every thread read the list at the address main holds: {same}");
    println!(
        "Arcs pointing at the list after: {}",
        Arc::strong_count(&prices)
    );
}
