//! Version 2: a thread per connection, with a cap on how many are open.

use std::io;
use std::net::ToSocketAddrs;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::{self, JoinHandle};

use crate::server::{self, Config, Context, Server, Slot};

/// Starts version 2 on `addr`.
pub fn start(addr: impl ToSocketAddrs, config: Config) -> io::Result<Server> {
    Server::start(addr, config, "v2-accept", accept_loop)
}

// ANCHOR: accept_loop
fn accept_loop(cx: Context) {
    let open = Arc::new(AtomicUsize::new(0));
    let mut threads: Vec<JoinHandle<()>> = Vec::new();
    let mut n = 0;
    while let Some(stream) = cx.accept() {
        // Only this thread adds to `open`, so checking then adding is safe.
        if open.load(Ordering::SeqCst) >= cx.config.max_connections {
            server::refuse(stream, cx.config.max_connections);
            continue;
        }
        let Ok(registered) = cx.connections.register(&stream) else {
            continue;
        };
        open.fetch_add(1, Ordering::SeqCst);
        let slot = Slot(Arc::clone(&open));
        let config = cx.config;
        n += 1;
        let spawned = thread::Builder::new()
            .name(format!("v2-conn-{n}"))
            .spawn(move || {
                let _ = server::serve_client(stream, &config);
                drop((registered, slot));
            });
        match spawned {
            Ok(handle) => threads.push(handle),
            // No thread to be had: the closure, with the connection and its
            // slot, is dropped, which closes the connection. Not a panic.
            Err(e) => cx.back_off(&e),
        }
        // Join the threads that are done, so the list stays short.
        threads = reap(threads);
    }
    cx.end_sessions();
    for handle in threads {
        // A session that panicked has printed why; the others go on.
        let _ = handle.join();
    }
}
// ANCHOR_END: accept_loop

fn reap(threads: Vec<JoinHandle<()>>) -> Vec<JoinHandle<()>> {
    let (done, running): (Vec<_>, Vec<_>) =
        threads.into_iter().partition(|h| h.is_finished());
    for handle in done {
        // A session that panicked has printed why; the others go on.
        let _ = handle.join();
    }
    running
}
