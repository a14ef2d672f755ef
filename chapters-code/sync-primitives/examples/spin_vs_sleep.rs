//! Cell `spin_vs_sleep`: a thread waits 300 ms for another to say
//! "done", three ways; how much CPU does the waiting burn?
//@ runs = 8
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
const RUNS: usize = 5;

fn main() {
    println!(
        "The waiter waits {} ms; each way runs {RUNS} times, medians shown.",
        WAIT.as_millis()
    );
    println!(
        "                            CPU burned   noticed the signal after"
    );

    let (cpu, late) = medians(|| {
        let done = Mutex::new(false);
        waiter(|| wait_by_try_lock(&done), || *done.lock().unwrap() = true)
    });
    report("trying a lock in a loop:", cpu, late);

    let (cpu, late) = medians(|| {
        let flag = AtomicBool::new(false);
        waiter(
            || wait_by_spinning(&flag),
            || flag.store(true, Ordering::Release),
        )
    });
    report("spinning on an atomic:", cpu, late);

    let (cpu, late) = medians(|| {
        let (done, changed) = (Mutex::new(false), Condvar::new());
        waiter(
            || wait_by_sleeping(&done, &changed),
            || {
                *done.lock().unwrap() = true;
                changed.notify_all();
            },
        )
    });
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
            // The clock first: reading a thread's CPU time is a system
            // call of its own, microseconds on some machines, and must not
            // count as lateness.
            let noticed = Instant::now();
            (thread_cpu_time() - start, noticed)
        });
        thread::sleep(WAIT);
        let signalled = Instant::now();
        signal();
        // The waiting functions do not panic: join cannot fail.
        let (cpu, noticed) = waiter.join().unwrap();
        (cpu, noticed.saturating_duration_since(signalled))
    })
}

/// Runs one way of waiting `RUNS` times: the median CPU time and the
/// median lateness, so that one run that lost its core does not decide.
fn medians(
    mut run: impl FnMut() -> (Duration, Duration),
) -> (Duration, Duration) {
    let (mut cpus, mut lates): (Vec<_>, Vec<_>) =
        (0..RUNS).map(|_| run()).unzip();
    cpus.sort();
    lates.sort();
    (cpus[RUNS / 2], lates[RUNS / 2])
}

fn report(how: &str, cpu: Duration, late: Duration) {
    let micros = late.as_secs_f64() * 1e6;
    println!("  {how:<25} {:7.1} ms   {micros:9.1} µs", ms(cpu));
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
// HIDE_END
