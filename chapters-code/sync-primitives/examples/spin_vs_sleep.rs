//! Cell `spin_vs_sleep`: a thread waits 300 ms for another to say
//! "done", three ways; how much CPU does the waiting burn?
//@ timeout = 30
//@ [[vary]]
//@ what = "measured"
//@ pattern = '(\d+\.\d+)'
// HIDE_START
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use support::measure::thread_cpu_time;
use sync_primitives::waiting::{
    wait_by_sleeping, wait_by_spinning, wait_by_try_lock,
};
// HIDE_END

const WAIT: Duration = Duration::from_millis(300);

fn main() {
    println!("The waiter waits {} ms.", WAIT.as_millis());
    println!(
        "                            CPU burned   noticed the signal after"
    );

    let done = Mutex::new(false);
    let (cpu, late) =
        waiter(|| wait_by_try_lock(&done), || *done.lock().unwrap() = true);
    report("trying a lock in a loop:", cpu, late);

    let flag = AtomicBool::new(false);
    let (cpu, late) = waiter(
        || wait_by_spinning(&flag),
        || flag.store(true, Ordering::Release),
    );
    report("spinning on an atomic:", cpu, late);

    let (done, changed) = (Mutex::new(false), Condvar::new());
    let (cpu, late) = waiter(
        || wait_by_sleeping(&done, &changed),
        || {
            *done.lock().unwrap() = true;
            changed.notify_all();
        },
    );
    report("sleeping on a Condvar:", cpu, late);
}

// HIDE_START
/// Runs `wait` on a new thread and calls `signal` after WAIT. Returns the
/// CPU time the waiting thread used, and how long after the signal it
/// noticed.
fn waiter(
    wait: impl FnOnce() + Send,
    signal: impl FnOnce(),
) -> (Duration, Duration) {
    thread::scope(|s| {
        let waiter = s.spawn(|| {
            let start = thread_cpu_time();
            wait();
            (thread_cpu_time() - start, Instant::now())
        });
        thread::sleep(WAIT);
        let signalled = Instant::now();
        signal();
        // The waiting functions do not panic: join cannot fail.
        let (cpu, noticed) = waiter.join().unwrap();
        (cpu, noticed.saturating_duration_since(signalled))
    })
}

fn report(how: &str, cpu: Duration, late: Duration) {
    let micros = late.as_secs_f64() * 1e6;
    println!("  {how:<25} {:7.1} ms   {micros:9.1} µs", ms(cpu));
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
// HIDE_END
