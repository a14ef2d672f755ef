//! Cell `crash_isolation`: two child processes crash and their
//! parent carries on; a thread panics and its process carries on.
//@ timeout = 20
//@ [[vary]]
//@ what = "pid"
//@ pattern = '(?:process|child) (\d+)'
//@ [[vary]]
//@ what = "thread id"
//@ pattern = "thread '\\w+' \\((\\d+)\\) panicked"
// HIDE_START
use std::io;
use std::thread;

use threads::process::{describe, run_self_as};
// HIDE_END

fn main() -> io::Result<()> {
    // The same program plays two roles: run with no argument it is the
    // parent; the parent runs it again with an argument to make a child.
    match std::env::args().nth(1).as_deref() {
        Some("panic") => child_that_panics(),
        Some("abort") => child_that_aborts(),
        _ => parent(),
    }
}

fn parent() -> io::Result<()> {
    println!("parent: I am process {}", std::process::id());
    let status = run_self_as("panic")?;
    println!("parent: my first child {}", describe(status));
    let status = run_self_as("abort")?;
    println!("parent: my second child {}", describe(status));
    println!("parent: still running.\n");

    // A thread lives inside this process, sharing its memory. A panic in it
    // ends only that thread, and `join` hands the panic to us as an `Err`.
    let doomed = thread::Builder::new().name("doomed".into()).spawn(|| {
        let empty: Vec<u32> = Vec::new();
        empty[3] // out of bounds: this panics
    })?;
    match doomed.join() {
        Ok(value) => println!("parent: the thread returned {value}"),
        Err(_) => println!("parent: the thread panicked; join told me so"),
    }
    println!("parent: still running, and done.");
    Ok(())
}

fn child_that_panics() -> io::Result<()> {
    println!("child {}: I will panic", std::process::id());
    panic!("the child gives up");
}

fn child_that_aborts() -> io::Result<()> {
    println!("child {}: I will abort", std::process::id());
    // Abort kills the process at once with SIGABRT: no unwinding, no cleanup.
    std::process::abort();
}
