//! Cell `connection_limit`: 30 workers share a "database" that
//! takes at most 10 connections; a semaphore with 10 permits keeps them in
//! line.
//@ timeout = 30
//@ [[vary]]
//@ what = "measured"
//@ pattern = '(\d+\.\d+)'
// HIDE_START
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use support::timeline::Timeline;
use sync_primitives::semaphore::Semaphore;
// HIDE_END

const WORKERS: usize = 30;
const CONNECTIONS: usize = 10;
/// How long each worker keeps its connection (a "query").
const QUERY: Duration = Duration::from_millis(50);

fn main() -> std::io::Result<()> {
    let pool = Semaphore::new(CONNECTIONS);
    let open = AtomicUsize::new(0);
    let peak = AtomicUsize::new(0);
    // Which of the 10 connection slots are free, so each query can be drawn
    // in the row of the connection it used.
    let free_slots = Mutex::new((1..=CONNECTIONS).rev().collect::<Vec<_>>());
    let timeline = Timeline::new();
    let start = Instant::now();
    thread::scope(|s| {
        for worker in 1..=WORKERS {
            let (pool, open, peak) = (&pool, &open, &peak);
            let (free_slots, timeline) = (&free_slots, &timeline);
            s.spawn(move || {
                let _permit = pool.acquire(); // waits while 10 are open
                let now_open = open.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now_open, Ordering::SeqCst);
                // With a permit there is a free slot: the semaphore admits
                // at most as many workers as there are slots.
                let slot = free_slots.lock().unwrap().pop().expect("a slot");
                let lane = format!("connection {slot:>2}");
                timeline.record(lane, format!("w{worker}"), || {
                    thread::sleep(QUERY)
                });
                free_slots.lock().unwrap().push(slot);
                open.fetch_sub(1, Ordering::SeqCst);
            }); // the permit is dropped here: one more worker may go in
        }
    });
    let took = start.elapsed().as_secs_f64();
    println!(
        "{WORKERS} workers, {CONNECTIONS} connections, {} ms per query",
        QUERY.as_millis()
    );
    println!(
        "most connections open at once: {}",
        peak.load(Ordering::SeqCst)
    );
    let rounds = WORKERS.div_ceil(CONNECTIONS);
    let best = (QUERY * rounds as u32).as_secs_f64();
    println!(
        "all queries done after {took:.2} s ({rounds} rounds at best: {best:.2} s)"
    );
    let title = format!("{WORKERS} workers through {CONNECTIONS} connections");
    timeline.show("connections", &title)
}
