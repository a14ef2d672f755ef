//! Version 1: single-threaded and blocking. One client at a time; the next
//! one waits in the kernel's queue of accepted-but-unserved connections
//! until the current one says `bye` or goes away.

use std::io;
use std::net::{TcpStream, ToSocketAddrs};

use crate::server::{self, Config, Context, Server};

/// Starts version 1 on `addr`.
pub fn start(addr: impl ToSocketAddrs, config: Config) -> io::Result<Server> {
    Server::start(addr, config, "v1-accept", accept_loop)
}

// ANCHOR: plain
/// The loop every tutorial starts with: take the next connection, serve it
/// to the end, take the next. Called with `listener.incoming()`, which
/// never ends, it serves until the process dies: nothing can stop it.
pub fn serve_in_turn(
    connections: impl Iterator<Item = io::Result<TcpStream>>,
    config: &Config,
) {
    for stream in connections {
        // A failed accept loses nothing: the connection waits in the
        // kernel's queue. (Version 1 also waits a little before retrying.)
        let Ok(stream) = stream else { continue };
        // The whole server waits here until this client is done.
        let _ = server::serve_client(stream, config);
    }
}
// ANCHOR_END: plain

// ANCHOR: accept_loop
fn accept_loop(mut cx: Context) {
    while let Some(stream) = cx.accept() {
        // Registered so that a shutdown can end this session's reads.
        let Some((stream, _registered)) = cx.register_or_refuse(stream) else {
            continue;
        };
        // A shutdown that came between the check above and registering
        // missed this session: do not start it.
        if cx.stop.is_stopping() {
            break;
        }
        // The whole server waits here until this client is done.
        let _ = server::serve_client(stream, &cx.config);
    }
}
// ANCHOR_END: accept_loop
