//! Cell `work_stealing`: eight pieces of uneven cost, run by
//! recursive halving with `rayon::join` on a pool of two workers; which
//! worker ran each piece, and how many second halves were stolen.
//@ runs = 50
//@ open_outcomes = true
//@ timeout = 30
//@ [[vary]]
//@ what = "steals"
//@ pattern = 'stolen: (\d+) of'
//@ [[vary]]
//@ what = "worker"
//@ pattern = 'piece \d \(\s*\d+ ms\) ran on worker (\d)'
//@ [[vary]]
//@ what = "count"
//@ pattern = 'worker \d ran (\d) pieces?'
// HIDE_START
use std::time::Duration;

use data_parallelism::recursion::traced_pieces;
use support::timeline::Timeline;
// HIDE_END

const WORKERS: usize = 2;

fn main() -> std::io::Result<()> {
    // Costs in milliseconds of CPU time: the expensive ones all on the left.
    let ms = [40u64, 30, 25, 20, 10, 5, 5, 5];
    let costs: Vec<Duration> =
        ms.iter().map(|&m| Duration::from_millis(m)).collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(WORKERS)
        .build()
        // Fails only if the OS cannot start two threads.
        .expect("the OS starts two threads");
    let timeline = Timeline::new();
    // One empty mark per worker, so both lanes exist, in order.
    for w in 0..WORKERS {
        timeline.add(format!("worker {w}"), "", Duration::ZERO, Duration::ZERO);
    }
    let trace = pool.install(|| traced_pieces(&costs, &timeline));
    for (piece, worker) in trace.worker_of_piece.iter().enumerate() {
        println!("piece {piece} ({:>2} ms) ran on worker {worker}", ms[piece]);
    }
    for w in 0..WORKERS {
        let n = trace.worker_of_piece.iter().filter(|&&x| x == w).count();
        println!(
            "worker {w} ran {n} {}",
            if n == 1 { "piece" } else { "pieces" }
        );
    }
    println!(
        "second closures stolen: {} of {} joins",
        trace.stolen, trace.joins
    );
    // Each run of a piece is one span on the timeline, labelled with it.
    let spans = timeline.spans();
    let once = (0..ms.len()).all(|piece| {
        let label = format!("piece {piece}");
        spans.iter().filter(|s| s.label == label).count() == 1
    });
    println!(
        "every piece ran exactly once: {}",
        once && trace.worker_of_piece.iter().all(|&w| w < WORKERS)
    );
    println!(
        "every first closure ran on the thread that called join: {}",
        trace.first_on_caller
    );
    timeline.show(
        "steals",
        "Eight pieces by recursive rayon::join on two workers",
    )
}
