//! Cell `thread_pool`: ten jobs on a pool of two workers; one
//! job panics, and the pool goes on with both.
//@ [[vary]]
//@ what = "thread id"
//@ pattern = "thread 'worker \\d' \\((\\d+)\\) panicked"
//@ [[vary]]
//@ what = "which worker"
//@ pattern = "thread 'worker (\\d)'"
// HIDE_START
use std::thread;
use std::time::Duration;

use crossbeam_channel::unbounded;
use message_passing::pool::ThreadPool;
// HIDE_END

fn main() -> std::io::Result<()> {
    let pool = ThreadPool::new(2, 4)?;
    let (results, collected) = unbounded();

    // Job 0 panics; wait for the pool to count it so the panic message
    // prints before everything else.
    pool.execute(|| panic!("job 0 fails on purpose"))
        .expect("the pool has workers");
    while pool.panicked() == 0 {
        thread::sleep(Duration::from_millis(1));
    }

    for job in 1..=9u64 {
        let results = results.clone();
        // A full queue (4 jobs) makes `execute` wait here: backpressure.
        pool.execute(move || {
            thread::sleep(Duration::from_millis(20));
            let worker = thread::current().name().unwrap_or("?").to_string();
            // `collected` lives until after the pool is dropped: no error.
            results.send((job, job * job, worker)).unwrap();
        })
        .expect("the pool has workers");
    }
    let size = pool.size();
    let panicked = pool.panicked();
    // Dropping the pool closes its queue and joins both workers, after they
    // ran every queued job.
    drop(pool);
    drop(results);

    let mut got: Vec<(u64, u64, String)> = collected.iter().collect();
    got.sort();
    let squares: Vec<u64> = got.iter().map(|(_, sq, _)| *sq).collect();
    let mut workers: Vec<&str> = got.iter().map(|(.., w)| w.as_str()).collect();
    workers.sort();
    workers.dedup();
    println!("pool of {size} workers; jobs that panicked: {panicked}");
    println!("jobs 1..=9 returned squares {squares:?}");
    println!("they ran on: {workers:?}");
    println!("the pool was dropped: both workers joined");
    Ok(())
}
