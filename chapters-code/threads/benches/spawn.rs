//! Starting a thread per job against sending jobs to a thread that already
//! runs. `cargo book measure --bench threads/spawn` stores the medians.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("one job");
    g.bench_function("spawn a thread and join it", |b| {
        // The thread only returns a number: it cannot panic.
        b.iter(|| thread::spawn(|| 1 + 1).join().unwrap());
    });
    g.bench_function("send to a running thread and wait for the answer", |b| {
        let (jobs, inbox) = mpsc::channel::<u64>();
        let (answers, answers_rx) = mpsc::channel::<u64>();
        let worker = thread::spawn(move || {
            for job in inbox {
                // The bench waits for each answer: the receiver is there.
                answers.send(job + 1).unwrap();
            }
        });
        b.iter(|| {
            // The worker runs until `jobs` is dropped after the loop.
            jobs.send(1).unwrap();
            answers_rx.recv().unwrap()
        });
        drop(jobs);
        worker.join().expect("the worker only forwards numbers");
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30);
    targets = bench
}
criterion_main!(benches);
