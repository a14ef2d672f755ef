//! A cell that needs only the standard library.
fn main() {
    let sum: u64 = (1..=1000).sum();
    println!("the sum of 1..=1000 is {sum}");
}
