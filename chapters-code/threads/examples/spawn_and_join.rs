//! Cell `spawn_and_join`: starting threads, giving them data,
//! getting results back, naming them and sizing their stacks.
// HIDE_START
use std::hint::black_box;
use std::thread;
// HIDE_END

fn main() -> std::io::Result<()> {
    // 1. Spawn and join. `move` gives the closure ownership of `words`: the
    // thread may outlive this function's stack frame, so it cannot borrow.
    let words = [String::from("alpha"), "beta".into(), "gamma".into()];
    let counter = thread::spawn(move || words.iter().map(|w| w.len()).sum());
    // `words` belongs to the thread now; using it here would not compile.
    let letters: usize = counter.join().expect("counting does not panic");
    println!("1. a spawned thread counted {letters} letters");

    // 2. A builder names the thread and chooses its stack size. This thread
    // recurses 4,000 calls deep with 1 KiB on the stack per call, about
    // 4 MiB: more than the 2 MiB a Rust thread gets by default.
    let deep = thread::Builder::new()
        .name("deep".into())
        .stack_size(16 * 1024 * 1024)
        .spawn(|| {
            let name = thread::current().name().unwrap_or("?").to_string();
            (name, recurse(4_000))
        })?;
    let (name, depth) = deep.join().expect("16 MiB is enough stack");
    println!("2. thread {name:?} recursed {depth} calls deep");

    // 3. Scoped threads may borrow: the scope waits for all of them before
    // it returns, so the borrowed data outlives every thread.
    let poem = "one line here\ntwo words\nand the third line is longest";
    let mut counts = [0; 3];
    thread::scope(|s| {
        for (line, count) in poem.lines().zip(counts.iter_mut()) {
            s.spawn(|| *count = line.split_whitespace().count());
        }
    });
    println!("3. words per line, counted by three scoped threads: {counts:?}");

    // 4. A thread nobody joins. `main` returns long before it wakes up, and
    // when `main` returns the process ends, with every thread in it: its
    // line is never printed.
    thread::spawn(|| {
        thread::sleep(std::time::Duration::from_millis(500));
        println!("4. the thread nobody waited for woke up");
    });
    println!("4. main returns without waiting for its last thread");
    Ok(())
}

// HIDE_START
/// Recurses `depth` times with a 1 KiB array in every frame.
fn recurse(depth: u32) -> u32 {
    let frame = black_box([depth as u8; 1024]);
    if depth == 0 {
        frame[0] as u32
    } else {
        1 + recurse(depth - 1)
    }
}
// HIDE_END
