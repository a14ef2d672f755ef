//! Cell `size_sweep`: a sum of squares, sequential and with
//! rayon, for inputs of 2⁶ to 2²² numbers; where does rayon start to win?
//@ timeout = 30
//@ [[vary]]
//@ what = "time"
//@ pattern = '(\d+) ns'
//@ [[vary]]
//@ what = "speedup"
//@ pattern = '(\d+\.\d+)x'
//@ [[vary]]
//@ what = "crossover"
//@ pattern = 'rayon won at every size from: (\w+)'
// HIDE_START
use std::time::Duration;

use data_parallelism::sweep::{
    Point, crossover, sum_squares_parallel, sum_squares_sequential,
    time_per_call,
};
use support::chart::{Chart, Series};
// HIDE_END

fn main() -> std::io::Result<()> {
    let data: Vec<u64> = (0..1u64 << 22).collect();
    // Wake rayon's workers once, so the first size does not pay for it.
    sum_squares_parallel(&data);
    let batch = Duration::from_millis(10);
    let mut points = Vec::new();
    for power in 6..=22 {
        let slice = &data[..1 << power];
        let point = Point {
            len: slice.len(),
            sequential: time_per_call(batch, || sum_squares_sequential(slice)),
            parallel: time_per_call(batch, || sum_squares_parallel(slice)),
        };
        println!(
            "{:>7} numbers: one thread {:>7} ns, rayon {:>7} ns, speedup {:.2}x",
            point.len,
            point.sequential.as_nanos(),
            point.parallel.as_nanos(),
            point.speedup()
        );
        points.push(point);
    }
    // The crossover, or "none" if rayon lost even at the largest size.
    let from = crossover(&points).map_or("none".to_string(), |n| n.to_string());
    println!("rayon won at every size from: {from}");
    // HIDE_START
    let line = |f: fn(&Point) -> f64| -> Vec<(f64, f64)> {
        points
            .iter()
            .map(|p| ((p.len as f64).log2(), f(p)))
            .collect()
    };
    Chart::new(
        "Sum of squares: rayon's speedup over one thread, by input size",
        "log2 of the number of elements",
        "speedup (sequential time / rayon time)",
    )
    .series(Series::new("rayon speedup", line(Point::speedup)))
    .series(Series::new("break-even", line(|_| 1.0)))
    .show("sweep")
    // HIDE_END
}
