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
fn accept_loop(mut cx: Context) {
    let open = Arc::new(AtomicUsize::new(0));
    let mut threads: Vec<JoinHandle<()>> = Vec::new();
    let mut n = 0;
    while let Some(stream) = cx.accept() {
        // Join the threads that are done, so the list stays short and
        // their stacks are freed before a new one is asked for.
        threads = reap(threads);
        // Only this thread adds to `open`, so checking then adding is safe.
        let max = cx.config.max_connections;
        if open.load(Ordering::SeqCst) >= max {
            server::refuse(stream, &server::busy_line(max));
            continue;
        }
        let Some((stream, registered)) = cx.register_or_refuse(stream) else {
            continue;
        };
        // Kept to answer the client if no thread can be had. It takes a
        // descriptor too, and may be the one too many: then refuse, like
        // a failed registration (dropping the client without a word would
        // leave the server in a silent loop of accept and drop).
        let answer = match stream.try_clone() {
            Ok(answer) => answer,
            Err(e) => {
                drop(registered);
                server::refuse(
                    stream,
                    &server::out_of_line("file descriptors"),
                );
                cx.back_off("keeping a copy of a connection", &e);
                continue;
            }
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
            // No thread to be had (a limit on threads or on memory): the
            // closure, with the connection and its slot, is dropped. The
            // client is told why. An error, not a panic.
            Err(e) => {
                server::refuse(answer, &server::out_of_line("threads"));
                cx.back_off("starting a thread", &e);
            }
        }
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
