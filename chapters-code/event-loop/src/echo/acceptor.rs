//! The listening socket's handler: it accepts connections, up to a small
//! budget of its own per call, and adds a session for each.

use std::cell::Cell;
use std::io;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use blocking_io::Config;
use mio::net::{TcpListener, TcpStream};
use mio::{Interest, Registry, Token};

use super::stats::bump;
use super::{ACCEPTS_PER_CALL, EchoStats, Options, Session};
use crate::event_loop::{Cx, Handler, Next, Ready};

/// What the acceptor and every session share. The loop is one thread, so
/// an `Rc` and a `Cell` do: no atomics, no locks.
pub(super) struct Shared {
    pub(super) config: Config,
    pub(super) options: Options,
    pub(super) stats: Arc<EchoStats>,
    /// Sessions open now, checked against `config.max_connections`.
    pub(super) open: Cell<usize>,
}

/// The listening socket's handler: accepts connections and adds a session
/// for each.
pub(super) struct Acceptor {
    listener: TcpListener,
    shared: Rc<Shared>,
}

impl Acceptor {
    /// Registers the listener and returns its handler.
    pub(super) fn boxed(
        listener: std::net::TcpListener,
        registry: &Registry,
        token: Token,
        config: Config,
        options: Options,
        stats: Arc<EchoStats>,
    ) -> io::Result<Box<dyn Handler>> {
        let mut listener = TcpListener::from_std(listener);
        registry.register(&mut listener, token, Interest::READABLE)?;
        let shared = Rc::new(Shared {
            config,
            options,
            stats,
            open: Cell::new(0),
        });
        Ok(Box::new(Acceptor { listener, shared }))
    }

    /// Accepts up to [`ACCEPTS_PER_CALL`] connections.
    fn accept_some(&mut self, cx: &mut Cx<'_>) -> Next {
        for _ in 0..ACCEPTS_PER_CALL {
            let stream = match self.listener.accept() {
                Ok((stream, _peer)) => stream,
                // Drained: the next connection brings a new event.
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    return Next::Wait;
                }
                // Out of file descriptors, say: no event will come for the
                // connections still queued, so try again in a moment.
                Err(_) => {
                    cx.set_timer(cx.now() + Duration::from_millis(20));
                    return Next::Wait;
                }
            };
            let _ = stream.set_nodelay(true);
            if let Some(size) = self.shared.options.send_buffer {
                set_send_buffer(&stream, size);
            }
            let max = self.shared.config.max_connections;
            let counted = self.shared.open.get() < max;
            let token = cx.new_token();
            let session = if counted {
                bump(&self.shared.stats.accepted);
                Session::new(stream, Rc::clone(&self.shared), cx.now())
            } else {
                bump(&self.shared.stats.refused);
                Session::refused(stream, Rc::clone(&self.shared), cx.now())
            };
            let mut session = session;
            if cx
                .registry()
                .register(&mut session.stream, token, Interest::READABLE)
                .is_ok()
            {
                cx.add(token, Box::new(session));
            }
        }
        // Limit reached with more maybe waiting: the loop calls again.
        Next::Again
    }
}

impl Handler for Acceptor {
    fn ready(&mut self, cx: &mut Cx<'_>, _ready: Ready) -> Next {
        self.accept_some(cx)
    }
    fn timeout(&mut self, cx: &mut Cx<'_>) -> Next {
        self.accept_some(cx)
    }
    fn stop(&mut self, _cx: &mut Cx<'_>) -> Next {
        // Dropping the listener closes it: no new connections.
        Next::Close
    }
}

/// Sets a socket's send buffer size (SO_SNDBUF); best effort.
#[cfg(unix)]
fn set_send_buffer(stream: &TcpStream, size: usize) {
    use nix::sys::socket::{setsockopt, sockopt::SndBuf};
    let _ = setsockopt(stream, SndBuf, &size);
}

#[cfg(not(unix))]
fn set_send_buffer(_stream: &TcpStream, _size: usize) {}
