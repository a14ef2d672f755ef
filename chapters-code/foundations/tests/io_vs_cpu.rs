//! I/O-bound work waits and leaves the CPU idle; CPU-bound work keeps a core
//! busy. More threads overlap the waits; they cannot shrink the computing.

use std::thread;
use std::time::Duration;

use foundations::work::{SlowServer, ask_slow_server, count_primes};
use support::guard::take_turns;
use support::measure::{Usage, measure};

// CPU time is measured for the whole process, so these tests take turns
// (`take_turns`): the other test's computing must not count as this one's.

fn at_once(n: usize, job: impl Fn() + Sync) -> Usage {
    measure(|| thread::scope(|s| (0..n).for_each(|_| drop(s.spawn(&job))))).1
}

#[test]
fn io_bound_work_leaves_the_cpu_idle_and_overlaps() {
    let _turn = take_turns();
    let server = SlowServer::start(Duration::from_millis(30)).unwrap();
    let job = || {
        assert_eq!(ask_slow_server(server.addr(), 10).unwrap(), 10);
    };
    let one = measure(job).1;
    // Ten answers, each at least 30 ms late: the wall time is at least 300 ms
    // whatever the machine; the CPU time is a few system calls.
    assert!(one.wall >= Duration::from_millis(300), "{one:?}");
    assert!(
        one.cpu_per_wall() < 0.3,
        "an I/O-bound job kept the CPU busy: {one:?}"
    );
    // Four at once wait side by side: far less than four times as long.
    let four = at_once(4, job);
    assert!(
        four.wall < one.wall * 2,
        "four waiting jobs took {:?}, one took {:?}",
        four.wall,
        one.wall
    );
}

#[test]
fn cpu_bound_work_keeps_a_core_busy() {
    let _turn = take_turns();
    let one = measure(|| count_primes(1_000_000)).1;
    let four = at_once(4, || {
        count_primes(1_000_000);
    });
    // The same computation four times is about four times the CPU time, on
    // any number of cores; 3 leaves room for caches and clock speed.
    assert!(
        four.cpu >= one.cpu * 3,
        "four jobs used {:?} of CPU, one used {:?}",
        four.cpu,
        one.cpu
    );
    // And CPU time can only grow as fast as there are cores to run on.
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    assert!(
        four.cpu_per_wall() <= cores as f64 * 1.1,
        "{four:?} on {cores} cores"
    );
}
