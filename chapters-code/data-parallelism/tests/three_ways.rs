//! The three versions of the chapter's first section compute the same
//! results, and rayon really runs work on more than one thread.

use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use data_parallelism::three_ways::{Busy, chunked, sequential, with_rayon};
use data_parallelism::work::{Frame, fib, mandelbrot_row};

#[test]
fn fibonacci_gives_the_same_results_three_ways() {
    let inputs: Vec<u32> = (20..=27).collect();
    let expected = sequential(&inputs, |&n| fib(n));
    assert_eq!(expected[0], 6765);
    for threads in 1..=5 {
        assert_eq!(
            chunked(&inputs, threads, |&n| fib(n)),
            expected,
            "{threads} chunks"
        );
    }
    assert_eq!(with_rayon(&inputs, |&n| fib(n)), expected);
}

#[test]
fn the_mandelbrot_picture_is_the_same_three_ways() {
    let frame = Frame::chapter(120, 80, 300);
    let rows: Vec<usize> = (0..frame.height).collect();
    let expected = sequential(&rows, |&r| mandelbrot_row(&frame, r));
    assert_eq!(chunked(&rows, 2, |&r| mandelbrot_row(&frame, r)), expected);
    assert_eq!(chunked(&rows, 7, |&r| mandelbrot_row(&frame, r)), expected);
    assert_eq!(with_rayon(&rows, |&r| mandelbrot_row(&frame, r)), expected);
}

#[test]
fn empty_and_short_inputs_work() {
    let none: [u32; 0] = [];
    assert!(chunked(&none, 2, |&n| n).is_empty());
    assert!(with_rayon(&none, |&n| n).is_empty());
    // More threads than inputs: one thread per input, no empty chunks.
    assert_eq!(chunked(&[1, 2, 3], 8, |&n| n * 10), [10, 20, 30]);
}

#[test]
fn chunked_uses_one_thread_per_chunk() {
    let inputs: Vec<u32> = (0..10).collect();
    let busy = Busy::new();
    chunked(&inputs, 3, |&n| busy.time(|| n));
    // 10 inputs in chunks of 4: 4 + 4 + 2, three threads.
    assert_eq!(busy.totals().len(), 3);
}

/// Every task waits until all the others have started (or a generous
/// timeout passes). One thread could not start the second task while the
/// first waits, so the tasks all start only if several threads run them.
#[test]
fn rayon_runs_the_tasks_on_both_threads_of_a_two_thread_pool() {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let started = AtomicUsize::new(0);
    let workers = Mutex::new(HashSet::new());
    let results = pool.install(|| {
        with_rayon(&[0u32, 1], |&n| {
            workers
                .lock()
                .unwrap()
                .insert(rayon::current_thread_index());
            started.fetch_add(1, Ordering::SeqCst);
            let deadline = Instant::now() + Duration::from_secs(30);
            while started.load(Ordering::SeqCst) < 2
                && Instant::now() < deadline
            {
                std::thread::yield_now();
            }
            (n, started.load(Ordering::SeqCst))
        })
    });
    assert_eq!(results, [(0, 2), (1, 2)], "each task saw both started");
    let workers = workers.into_inner().unwrap();
    assert_eq!(workers, HashSet::from([Some(0), Some(1)]));
}

#[test]
fn busy_adds_up_per_thread() {
    let busy = Busy::new();
    busy.time(|| std::thread::sleep(Duration::from_millis(5)));
    busy.time(|| std::thread::sleep(Duration::from_millis(5)));
    std::thread::scope(|s| {
        s.spawn(|| busy.time(|| ()));
    });
    let totals = busy.totals();
    assert_eq!(totals.len(), 2);
    assert!(totals[0] >= Duration::from_millis(10));
}
