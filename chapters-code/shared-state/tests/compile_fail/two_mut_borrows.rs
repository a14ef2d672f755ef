//! The lost update with a plain integer: both threads want to write
//! `count`, so both need `&mut count`, and there can only be one.
use std::thread;

fn main() {
    let mut count = 0;
    thread::scope(|s| {
        s.spawn(|| count += 1);
        s.spawn(|| count += 1);
    });
    println!("{count}");
}
