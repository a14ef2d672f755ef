//! Cell `mandelbrot_balance`: a Mandelbrot picture computed row
//! by row, sequentially, in one contiguous band of rows per core, and with
//! rayon; with the busy time of each thread.
//@ timeout = 30
//@ [[vary]]
//@ what = "busy"
//@ pattern = 'busy[^:]*: (\d+(?: \+ \d+)* = \d+) ms'
//@ [[vary]]
//@ what = "cores"
//@ pattern = 'on (\d+) cores'
//@ [[vary]]
//@ what = "time"
//@ pattern = '(\d+) ms'
//@ [[vary]]
//@ what = "speedup"
//@ pattern = '(\d+\.\d+)x'
// HIDE_START
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::available_parallelism;
use std::time::{Duration, Instant};

use data_parallelism::memory::best_of;
use data_parallelism::three_ways::{Busy, chunked, sequential, with_rayon};
use data_parallelism::work::{Frame, ascii_picture, mandelbrot_row};
use support::bars::BarChart;
// HIDE_END

fn main() -> std::io::Result<()> {
    let cores = available_parallelism().map_or(2, |n| n.get());
    let frame = Frame::chapter(640, 360, 1000);
    let rows: Vec<usize> = (0..frame.height).collect();
    // `chunked` gives thread i the rows of band i: `band` rows each.
    let band = rows.len().div_ceil(cores);
    // HIDE_START
    // The picture, coarse, with the band each line falls in on the right.
    let (cols, lines) = (64, 16);
    for (i, line) in ascii_picture(&frame, cols, lines).lines().enumerate() {
        let row = i * frame.height / lines;
        println!("{line:<cols$} | band {}", row / band);
    }
    println!(
        "top row im = {}, bottom row im = {}; the long # line is the real axis",
        frame.im.0, frame.im.1
    );
    println!(
        "# in the set ({} rounds a pixel), + over 20, . 6 to 20, blank 5 or fewer",
        frame.max_iter
    );
    // HIDE_END
    println!(
        "{}x{} pixels, on {cores} cores, best of 3 runs",
        frame.width, frame.height
    );
    // Warm up rayon's workers.
    with_rayon(&rows[..8], |&r| mandelbrot_row(&frame, r));

    // Each version runs three times and keeps its fastest run, the one
    // least disturbed by other programs; the busy times are the last run's.
    let (expected, seq) =
        best_of(3, || sequential(&rows, |&r| mandelbrot_row(&frame, r)));
    // Busy time per band, in nanoseconds: band i is thread i's.
    let mut band_busy: Vec<AtomicU64> = Vec::new();
    let (by_hand, hand) = best_of(3, || {
        band_busy = (0..cores).map(|_| AtomicU64::new(0)).collect();
        chunked(&rows, cores, |&r| {
            let start = Instant::now();
            let pixels = mandelbrot_row(&frame, r);
            let took = start.elapsed().as_nanos() as u64;
            band_busy[r / band].fetch_add(took, Ordering::Relaxed);
            pixels
        })
    });
    let hand_busy: Vec<Duration> = band_busy
        .iter()
        .map(|b| Duration::from_nanos(b.load(Ordering::Relaxed)))
        .collect();
    let mut rayon_busy = Busy::new();
    let (by_rayon, ray) = best_of(3, || {
        rayon_busy = Busy::new();
        with_rayon(&rows, |&r| rayon_busy.time(|| mandelbrot_row(&frame, r)))
    });

    let speedup = |d: Duration| seq.as_secs_f64() / d.as_secs_f64();
    // Rounded as the bars of the picture are; the sum is of what is shown.
    let ms = |totals: &[Duration]| {
        let shown: Vec<u64> = totals
            .iter()
            .map(|d| (d.as_secs_f64() * 1e3).round() as u64)
            .collect();
        let list: Vec<String> = shown.iter().map(u64::to_string).collect();
        format!("{} = {}", list.join(" + "), shown.iter().sum::<u64>())
    };
    println!("sequential: {:>4} ms", seq.as_millis());
    println!(
        "chunked:    {:>4} ms  ({:.2}x), busy per band, top first: {} ms",
        hand.as_millis(),
        speedup(hand),
        ms(&hand_busy)
    );
    println!(
        "rayon:      {:>4} ms  ({:.2}x), busy per worker: {} ms",
        ray.as_millis(),
        speedup(ray),
        ms(&rayon_busy.totals())
    );
    println!(
        "same picture all three ways: {}",
        expected == by_hand && expected == by_rayon
    );

    // HIDE_START
    // The picture: how long each thread computed.
    let mut bars = Vec::new();
    for (i, d) in hand_busy.iter().enumerate() {
        bars.push((format!("chunked, band {i}"), d.as_secs_f64() * 1e3));
    }
    // A worker that never got a row shows as a bar of zero.
    let mut rayon_totals = rayon_busy.totals();
    rayon_totals.resize(cores.max(rayon_totals.len()), Duration::ZERO);
    for (i, d) in rayon_totals.iter().enumerate() {
        bars.push((format!("rayon, worker {i}"), d.as_secs_f64() * 1e3));
    }
    BarChart {
        title: "Busy time per thread: fixed bands of rows vs rayon".into(),
        y_desc: "milliseconds computing".into(),
        bars,
        line: None,
        decimals: 0,
    }
    .show("busy")
    // HIDE_END
}
