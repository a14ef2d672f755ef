//! Cell `deque_pool`: a tree of jobs on the work-stealing pool.
//! One root job spawns 4 branch jobs; each branch spawns 4 leaf jobs of
//! 2 ms of CPU work. The timeline shows which worker ran which leaf; the
//! counters show how the jobs travelled.
//@ timeout = 30
//@ [[vary]]
//@ what = "jobs run and stolen per worker"
//@ pattern = 'ran +(\d+) jobs, stole +(\d+), took +(\d+) batch'
//@ [[vary]]
//@ what = "leaves per worker"
//@ pattern = 'leaves on worker 0: +(\d+), on worker 1: +(\d+)'
//@ [[vary]]
//@ what = "wall time"
//@ pattern = 'in (\d+) ms'
// HIDE_START
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_tools::pool::{Pool, Spawner};
use support::measure::spin_cpu;
use support::timeline::Timeline;
// HIDE_END

const BRANCHES: u64 = 4;
const LEAVES: u64 = 4;
const WORK: Duration = Duration::from_millis(2);

/// A branch job: spawns its leaves (onto this worker's own deque), then
/// waits for them, running some of them itself meanwhile.
fn branch(pool: &Spawner, timeline: &Arc<Timeline>, b: u64) -> Vec<u64> {
    let leaves: Vec<_> = (0..LEAVES)
        .map(|l| {
            let timeline = Arc::clone(timeline);
            let leaf = b * LEAVES + l;
            pool.spawn(move || {
                // Record the leaf in the lane of the worker running it.
                timeline.record_here(format!("L{leaf}"), || spin_cpu(WORK));
                leaf
            })
        })
        .collect();
    // A leaf cannot panic (it only computes): `unwrap` cannot fail.
    leaves.into_iter().map(|h| h.join().unwrap()).collect()
}

fn main() -> std::io::Result<()> {
    let pool = Pool::new(2)?;
    let timeline = Arc::new(Timeline::new());
    let start = Instant::now();
    let root = {
        let (spawner, timeline) = (pool.spawner(), Arc::clone(&timeline));
        pool.spawn(move || {
            let branches: Vec<_> = (0..BRANCHES)
                .map(|b| {
                    let (inner, timeline) =
                        (spawner.clone(), Arc::clone(&timeline));
                    spawner.spawn(move || branch(&inner, &timeline, b))
                })
                .collect();
            // Branches only spawn and join leaves: they cannot panic.
            branches
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect::<Vec<u64>>()
        })
    };
    // The root only spawns and joins: it cannot panic.
    let results = root.join().unwrap();
    let elapsed = start.elapsed();

    println!(
        "2 workers; 1 root job, {BRANCHES} branch jobs, {} leaf jobs \
         of {} ms CPU each",
        BRANCHES * LEAVES,
        WORK.as_millis()
    );
    println!("leaf results, as joined: {results:?}");
    let stats = pool.stats();
    for (i, s) in stats.iter().enumerate() {
        println!(
            "worker {i}: ran {:>2} jobs, stole {:>2}, took {} batch(es) \
             from the injector",
            s.ran, s.stolen, s.from_injector
        );
    }
    let ran: usize = stats.iter().map(|s| s.ran).sum();
    println!("jobs run in all: {ran}, in {} ms", elapsed.as_millis());
    let on = |w: &str| {
        let spans = timeline.spans();
        spans.iter().filter(|s| s.lane == w).count()
    };
    println!(
        "leaves on worker 0: {:>2}, on worker 1: {:>2}",
        on("worker 0"),
        on("worker 1")
    );
    // Dropping the pool joins both workers.
    drop(pool);
    timeline.show(
        "deque_pool",
        "16 leaf jobs on a 2-worker work-stealing pool",
    )
}
