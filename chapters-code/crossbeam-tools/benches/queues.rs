//! The three shared queues under 2 producers and 2 consumers, 20,000 items
//! per producer: `ArrayQueue`, `SegQueue` and `Mutex<VecDeque>`.
//! `cargo book measure --bench crossbeam-tools/queues` stores the medians.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use crossbeam_queue::{ArrayQueue, SegQueue};
use crossbeam_tools::queues::run;

const PER: u64 = 20_000;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("2 producers, 2 consumers, 40,000 items");
    g.bench_function("ArrayQueue(1024)", |b| {
        b.iter(|| run(&ArrayQueue::new(1024), 2, 2, PER))
    });
    g.bench_function("SegQueue", |b| {
        b.iter(|| run(&SegQueue::new(), 2, 2, PER))
    });
    g.bench_function("Mutex<VecDeque>", |b| {
        b.iter(|| run(&Mutex::new(VecDeque::new()), 2, 2, PER))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(1))
        .sample_size(10);
    targets = bench
}
criterion_main!(benches);
