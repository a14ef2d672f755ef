//! What it costs to send a computation away from an async task and await
//! its answer: a tiny computation called inline, sent to a rayon pool with
//! a oneshot channel for the answer, and sent to tokio's blocking pool.
//! `cargo book measure --bench mixing-models/handoff` stores the medians.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use tokio::sync::oneshot;

/// A computation of a few dozen nanoseconds.
fn tiny(n: u64) -> u64 {
    (0..black_box(n % 64)).sum()
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime can be built");
    let pool = mixing_models::mixed::cpu_pool().expect("a pool can start");
    let mut g = c.benchmark_group("a tiny computation, awaited");
    g.bench_function("called inline", |b| {
        b.iter(|| runtime.block_on(async { tiny(black_box(40)) }));
    });
    g.bench_function("on rayon, answer by oneshot", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let (tx, rx) = oneshot::channel();
                pool.spawn(move || {
                    // The receiver below is awaiting: it is alive.
                    let _ = tx.send(tiny(black_box(40)));
                });
                // `tiny` does not panic, so the answer is always sent.
                rx.await.expect("the pool answers")
            })
        });
    });
    g.bench_function("in spawn_blocking", |b| {
        b.iter(|| {
            runtime.block_on(async {
                tokio::task::spawn_blocking(|| tiny(black_box(40)))
                    .await
                    .expect("`tiny` does not panic")
            })
        });
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(1))
        .sample_size(20);
    targets = bench
}
criterion_main!(benches);
