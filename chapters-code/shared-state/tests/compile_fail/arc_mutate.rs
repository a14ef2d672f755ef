//! An `Arc` shares its data, so it only ever hands out `&`: nobody can
//! change what other threads may be reading.
use std::sync::Arc;
use std::thread;

fn main() {
    let prices = Arc::new(vec![320, 675]);
    let mine = Arc::clone(&prices);
    let handle = thread::spawn(move || mine.push(899));
    handle.join().unwrap();
}
