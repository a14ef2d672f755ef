//! The chapter's runtime against tokio's current-thread runtime, on the
//! same five workloads, side by side in one run. Each runtime is made once
//! and reused; each iteration is one `block_on`. `cargo book measure
//! --bench mini-runtime/vs_tokio` stores the medians.

use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

const MANY: usize = 10_000;
const DEPTH: u32 = 1_000;
const HANDLES: u64 = 1_000;

const OURS: &str = "mini-runtime";
const TOKIO: &str = "tokio current_thread";

fn tokio_rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio's runtime starts")
}

fn ours() -> mini_runtime::Runtime {
    mini_runtime::Runtime::new().expect("our runtime starts")
}

fn spawn_many(c: &mut Criterion) {
    let mut g = c.benchmark_group("spawn 10,000 tasks, detached");
    g.bench_function(OURS, |b| {
        let rt = ours();
        b.iter(|| {
            rt.block_on(async {
                let done = Arc::new(AtomicUsize::new(0));
                for _ in 0..MANY {
                    let done = Arc::clone(&done);
                    drop(mini_runtime::spawn(async move {
                        done.fetch_add(1, Ordering::Relaxed);
                    }));
                }
                while done.load(Ordering::Relaxed) < MANY {
                    mini_runtime::future::yield_now().await;
                }
            })
        });
    });
    g.bench_function(TOKIO, |b| {
        let rt = tokio_rt();
        b.iter(|| {
            rt.block_on(async {
                let done = Arc::new(AtomicUsize::new(0));
                for _ in 0..MANY {
                    let done = Arc::clone(&done);
                    drop(tokio::spawn(async move {
                        done.fetch_add(1, Ordering::Relaxed);
                    }));
                }
                while done.load(Ordering::Relaxed) < MANY {
                    tokio::task::yield_now().await;
                }
            })
        });
    });
    g.finish();
}

fn yield_many(c: &mut Criterion) {
    let mut g = c.benchmark_group("one task yields 10,000 times");
    g.bench_function(OURS, |b| {
        let rt = ours();
        b.iter(|| {
            rt.block_on(rt.spawn(async {
                for _ in 0..MANY {
                    mini_runtime::future::yield_now().await;
                }
            }))
        });
    });
    g.bench_function(TOKIO, |b| {
        let rt = tokio_rt();
        b.iter(|| {
            rt.block_on(async {
                tokio::spawn(async {
                    for _ in 0..MANY {
                        tokio::task::yield_now().await;
                    }
                })
                .await
                .expect("the task does not panic")
            })
        });
    });
    g.finish();
}

fn ping_pong(c: &mut Criterion) {
    let mut g = c.benchmark_group("ping-pong, 10,000 round trips");
    g.bench_function(OURS, |b| {
        let rt = ours();
        b.iter(|| {
            rt.block_on(async {
                use mini_runtime::channel::channel;
                let (ping_tx, mut ping_rx) = channel::<usize>();
                let (pong_tx, mut pong_rx) = channel::<usize>();
                let ponger = mini_runtime::spawn(async move {
                    while let Some(n) = ping_rx.recv().await {
                        if pong_tx.send(n).is_err() {
                            break;
                        }
                    }
                });
                for n in 0..MANY {
                    let _ = ping_tx.send(n);
                    black_box(pong_rx.recv().await);
                }
                drop(ping_tx);
                ponger.await;
            })
        });
    });
    g.bench_function(TOKIO, |b| {
        let rt = tokio_rt();
        b.iter(|| {
            rt.block_on(async {
                use tokio::sync::mpsc::unbounded_channel;
                let (ping_tx, mut ping_rx) = unbounded_channel::<usize>();
                let (pong_tx, mut pong_rx) = unbounded_channel::<usize>();
                let ponger = tokio::spawn(async move {
                    while let Some(n) = ping_rx.recv().await {
                        if pong_tx.send(n).is_err() {
                            break;
                        }
                    }
                });
                for n in 0..MANY {
                    let _ = ping_tx.send(n);
                    black_box(pong_rx.recv().await);
                }
                drop(ping_tx);
                ponger.await.expect("the task does not panic");
            })
        });
    });
    g.finish();
}

fn chain_ours(n: u32) -> mini_runtime::JoinHandle<u32> {
    mini_runtime::spawn(async move {
        if n == 0 {
            0
        } else {
            chain_ours(n - 1).await + 1
        }
    })
}

fn chain_tokio(n: u32) -> tokio::task::JoinHandle<u32> {
    tokio::spawn(async move {
        if n == 0 {
            0
        } else {
            chain_tokio(n - 1).await.expect("the task does not panic") + 1
        }
    })
}

fn chained_spawn(c: &mut Criterion) {
    let mut g = c.benchmark_group("chained spawn, depth 1,000");
    g.bench_function(OURS, |b| {
        let rt = ours();
        b.iter(|| rt.block_on(async { chain_ours(DEPTH).await }));
    });
    g.bench_function(TOKIO, |b| {
        let rt = tokio_rt();
        b.iter(|| {
            rt.block_on(async {
                chain_tokio(DEPTH).await.expect("the task does not panic")
            })
        });
    });
    g.finish();
}

fn spawn_and_await(c: &mut Criterion) {
    let mut g = c.benchmark_group("spawn 1,000 tasks, await each JoinHandle");
    g.bench_function(OURS, |b| {
        let rt = ours();
        b.iter(|| {
            rt.block_on(async {
                let handles: Vec<_> = (0..HANDLES)
                    .map(|i| mini_runtime::spawn(async move { i }))
                    .collect();
                let mut sum = 0;
                for h in handles {
                    sum += h.await;
                }
                sum
            })
        });
    });
    g.bench_function(TOKIO, |b| {
        let rt = tokio_rt();
        b.iter(|| {
            rt.block_on(async {
                let handles: Vec<_> = (0..HANDLES)
                    .map(|i| tokio::spawn(async move { i }))
                    .collect();
                let mut sum = 0;
                for h in handles {
                    sum += h.await.expect("the task does not panic");
                }
                sum
            })
        });
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(20);
    targets = spawn_many, yield_many, ping_pong, chained_spawn, spawn_and_await
}
criterion_main!(benches);
