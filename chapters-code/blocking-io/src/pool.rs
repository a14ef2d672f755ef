//! Version 3: a bounded pool of worker threads. The accept loop hands each
//! connection to the pool through a queue; with every worker busy, a
//! connection waits in the queue, and past the cap it is refused.

use std::io;
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;

use crate::server::{self, Config, Context, Registered, Server, Slot};

/// Starts version 3 on `addr`, with `config.workers` workers (at least one).
pub fn start(addr: impl ToSocketAddrs, config: Config) -> io::Result<Server> {
    Server::start(addr, config, "v3-accept", accept_loop)
}

type Job = (TcpStream, Registered, Slot);

// ANCHOR: pool
fn accept_loop(mut cx: Context) {
    let open = Arc::new(AtomicUsize::new(0));
    // The cap bounds the queue: at most `max_connections` jobs are ever in
    // it, so sending never blocks the accept loop.
    let (jobs, queue) = mpsc::sync_channel::<Job>(cx.config.max_connections);
    let queue = Arc::new(Mutex::new(queue));
    let mut workers = Vec::new();
    for i in 0..cx.config.workers.max(1) {
        let (queue, config) = (Arc::clone(&queue), cx.config);
        let spawned = thread::Builder::new()
            .name(format!("v3-worker-{i}"))
            .spawn(move || work(&queue, &config));
        match spawned {
            Ok(handle) => workers.push(handle),
            Err(e) => cx.back_off("starting a worker", &e),
        }
    }
    while let Some(stream) = cx.accept() {
        let max = cx.config.max_connections;
        if workers.is_empty() {
            server::refuse(stream, &server::out_of_line("threads"));
            continue;
        }
        if open.load(Ordering::SeqCst) >= max {
            server::refuse(stream, &server::busy_line(max));
            continue;
        }
        let Some((stream, registered)) = cx.register_or_refuse(stream) else {
            continue;
        };
        open.fetch_add(1, Ordering::SeqCst);
        let slot = Slot(Arc::clone(&open));
        // Fails only when every worker is gone, which a worker's panic
        // would cause; the job is dropped, which closes the connection.
        let _ = jobs.send((stream, registered, slot));
    }
    // Closing the queue ends each worker once it is empty; ending the reads
    // makes the sessions still queued or running end quickly.
    drop(jobs);
    cx.end_sessions();
    for worker in workers {
        // A worker that panicked has printed why; the others are joined.
        let _ = worker.join();
    }
}

fn work(queue: &Mutex<mpsc::Receiver<Job>>, config: &server::Config) {
    loop {
        // Hold the lock only to take one job, never while serving it.
        let job = queue
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .recv();
        let Ok((stream, registered, slot)) = job else {
            return; // the queue is closed: the server is stopping
        };
        let _ = server::serve_client(stream, config);
        drop((registered, slot));
    }
}
// ANCHOR_END: pool
