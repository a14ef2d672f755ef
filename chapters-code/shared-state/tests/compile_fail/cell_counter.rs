//! The lost update of this chapter, written with a `Cell`: a value that can
//! be changed through a shared reference, with no synchronisation at all.
//! `Cell` is not `Sync`, so a `&Cell` cannot go to another thread.
use std::cell::Cell;
use std::thread;

fn main() {
    let count = Cell::new(0);
    thread::scope(|s| {
        s.spawn(|| count.set(count.get() + 1));
        s.spawn(|| count.set(count.get() + 1));
    });
    println!("{}", count.get());
}
