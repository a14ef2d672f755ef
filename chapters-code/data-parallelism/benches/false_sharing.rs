//! Two threads, each incrementing its own counter: counters side by side in
//! one cache line against counters padded to lines of their own.
//! `cargo book measure --bench data-parallelism/false_sharing` stores the
//! medians the chapter shows.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use data_parallelism::false_sharing::{Adjacent, Padded, hammer};

const INCREMENTS: u64 = 2_000_000;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("2 threads x 2,000,000 increments");
    g.bench_function("counters in one cache line", |b| {
        let adjacent = Adjacent::default();
        b.iter(|| hammer(&adjacent.refs()[..2], INCREMENTS))
    });
    g.bench_function("counters padded to their own lines", |b| {
        let padded = Padded::default();
        b.iter(|| hammer(&padded.refs()[..2], INCREMENTS))
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
