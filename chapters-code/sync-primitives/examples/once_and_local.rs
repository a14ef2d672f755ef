//! Cell `once_and_local`: eight threads ask at the same moment for a
//! table that is expensive to build, four ways, and count the builds; then
//! thread-local counters, each thread's own, summed by their destructors
//! as the threads exit.
//@ timeout = 30
//@ [[vary]]
//@ what = "build time"
//@ pattern = 'the build took (\d+\.\d+) ms'
//@ [[vary]]
//@ what = "waits"
//@ pattern = 'waited (\d+\.\d+) to (\d+\.\d+) ms'
// HIDE_START
use std::sync::{LazyLock, OnceLock};
use std::time::Duration;

use sync_primitives::local::{count_event, count_in_workers, counted_here};
use sync_primitives::once::{
    CheckThenBuild, Contest, LockedBuild, Outcome, SMALL_PRIMES,
    read_while_another_reads,
};
// HIDE_END

const THREADS: usize = 8;
/// The table: every prime below this.
const LIMIT: u32 = 5_000_000;

fn main() {
    println!("{THREADS} threads ask for the primes below {LIMIT} at once.");
    println!(
        "                                  builds   tables seen   primes each saw"
    );

    // OnceLock: the first caller's function runs; the others wait.
    let contest = Contest::new(THREADS, LIMIT);
    let cell = OnceLock::new();
    let once = contest.run(|| cell.get_or_init(|| contest.build()).seen());
    report("OnceLock::get_or_init", &once);

    // LazyLock: the build function is given once, up front; the first
    // dereference runs it.
    let contest = Contest::new(THREADS, LIMIT);
    let lazy = LazyLock::new(|| contest.build());
    report("LazyLock, first use", &contest.run(|| lazy.seen()));

    // By hand: Mutex<Option<Table>>, checked, unlocked, built, stored.
    let contest = Contest::new(THREADS, LIMIT);
    let racy = CheckThenBuild::default();
    let outcome = contest.run(|| racy.with(|| contest.build(), |t| t.seen()));
    report("Mutex<Option>, check then build", &outcome);

    // By hand, correctly: the lock held from the check to the store.
    let contest = Contest::new(THREADS, LIMIT);
    let locked = LockedBuild::default();
    let outcome = contest.run(|| locked.with(|| contest.build(), |t| t.seen()));
    report("Mutex<Option>, lock held", &outcome);

    // Did the OnceLock's waiters see a half-built table? Each asked before
    // the build finished, and had the table only after it had finished.
    let build = &once.builds[0];
    let waiters = once.waiters();
    let asked_early = waiters.iter().filter(|a| a.asked < build.finished);
    let answered_late = waiters.iter().filter(|a| a.answered >= build.finished);
    let waits = waiters.iter().map(|a| a.answered - a.asked);
    let (shortest, longest) = (waits.clone().min(), waits.max());
    println!();
    println!("OnceLock: the build took {:.1} ms.", ms(build.took));
    println!(
        "  {} of the {} other threads asked before it finished; {} got the table only after;",
        asked_early.count(),
        waiters.len(),
        answered_late.count(),
    );
    println!(
        "  they waited {:.1} to {:.1} ms, and none saw a part of a table.",
        shortest.map_or(0.0, ms),
        longest.map_or(0.0, ms),
    );

    // Once built, can two threads read at the same time?
    let both_once = read_while_another_reads(
        |pause| {
            // The contest above built it: `get` finds it.
            let table = cell.get().expect("built above");
            pause();
            assert!(!table.primes.is_empty());
        },
        || cell.get().is_some(),
    );
    let both_locked = read_while_another_reads(
        |pause| locked.with(|| unreachable!("built above"), |_| pause()),
        || locked.try_with(|t| t.seen()).is_some(),
    );
    println!();
    println!("A second reader while a first is mid-read:");
    println!("  OnceLock:                 gets in: {both_once}");
    println!("  Mutex<Option>, lock held: gets in: {both_locked}");

    // The usual LazyLock is a static.
    println!();
    println!(
        "static SMALL_PRIMES (a LazyLock): {} primes below 1000",
        SMALL_PRIMES.len()
    );

    // thread_local!: the main thread counts 3 events on its own copy.
    for _ in 0..3 {
        count_event();
    }
    let counts = count_in_workers(&[100, 200, 300]);
    println!();
    println!("thread_local! counters:");
    for (i, w) in counts.workers.iter().enumerate() {
        println!(
            "  worker {i}: its copy started at {}, counted {}",
            w.started_at, w.counted
        );
    }
    println!(
        "  main thread: counted {} on its own copy, untouched by the workers",
        counted_here()
    );
    println!(
        "  shared total while all workers had counted but none had exited: {}",
        counts.total_before_exit
    );
    println!(
        "  after join, each destructor having added its thread's count: {}",
        counts.total_after_join
    );
}

// HIDE_START
fn report(how: &str, outcome: &Outcome) {
    let mut primes: Vec<usize> =
        outcome.asks.iter().map(|a| a.seen.primes).collect();
    primes.dedup();
    let primes = match primes.as_slice() {
        [one] => one.to_string(),
        _ => format!("{primes:?}"),
    };
    println!(
        "  {how:<31} {:>5}   {:>11}   {primes:>15}",
        outcome.builds.len(),
        outcome.tables_seen(),
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
// HIDE_END
