//! Chapter 14, cell `mandelbrot_balance`: a Mandelbrot picture computed row
//! by row, sequentially, in one contiguous band of rows per core, and with
//! rayon; with the busy time of each thread.
//@ timeout = 30
//@ [[vary]]
//@ what = "busy"
//@ pattern = 'busy (\d+(?: / \d+)*) ms'
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
use std::thread::available_parallelism;
use std::time::Duration;

use data_parallelism::memory::best_of;
use data_parallelism::three_ways::{Busy, chunked, sequential, with_rayon};
use data_parallelism::work::{Frame, ascii_picture, mandelbrot_row};
use support::bars::BarChart;
// HIDE_END

fn main() -> std::io::Result<()> {
    let cores = available_parallelism().map_or(2, |n| n.get());
    let frame = Frame::chapter(640, 360, 1000);
    let rows: Vec<usize> = (0..frame.height).collect();
    print!("{}", ascii_picture(&frame, 64, 16));
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
    let mut hand_busy = Busy::new();
    let (by_hand, hand) = best_of(3, || {
        hand_busy = Busy::new();
        chunked(&rows, cores, |&r| {
            hand_busy.time(|| mandelbrot_row(&frame, r))
        })
    });
    let mut rayon_busy = Busy::new();
    let (by_rayon, ray) = best_of(3, || {
        rayon_busy = Busy::new();
        with_rayon(&rows, |&r| rayon_busy.time(|| mandelbrot_row(&frame, r)))
    });

    let speedup = |d: Duration| seq.as_secs_f64() / d.as_secs_f64();
    let ms = |totals: &[Duration]| {
        let list: Vec<String> =
            totals.iter().map(|d| d.as_millis().to_string()).collect();
        list.join(" / ")
    };
    println!("sequential: {:>4} ms", seq.as_millis());
    println!(
        "chunked:    {:>4} ms  ({:.2}x), threads busy {} ms",
        hand.as_millis(),
        speedup(hand),
        ms(&hand_busy.totals())
    );
    println!(
        "rayon:      {:>4} ms  ({:.2}x), workers busy {} ms",
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
    for (i, d) in hand_busy.totals().iter().enumerate() {
        bars.push((format!("chunked, thread {i}"), d.as_secs_f64() * 1e3));
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
