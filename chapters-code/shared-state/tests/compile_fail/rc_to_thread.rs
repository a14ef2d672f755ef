//! `Rc` counts its owners with a plain integer, so two threads cloning and
//! dropping it at once could lose an update of the count: the lost update
//! again, and then a use after free. `Rc` is not `Send`, and `spawn` wants
//! `Send`.
use std::rc::Rc;
use std::thread;

fn main() {
    let names = Rc::new(vec!["Ada", "Grace"]);
    let also_names = Rc::clone(&names);
    let handle = thread::spawn(move || also_names.len());
    println!("{} and {}", names.len(), handle.join().unwrap());
}
