//! Async TCP on the reactor: a listener whose `accept` and a stream whose
//! `read` and `write` are futures.
//!
//! Each is a mio socket (non-blocking) and the token the reactor knows it
//! by. Every operation is tried first; only `WouldBlock` makes the future
//! leave its waker with the reactor and return `Pending`.

use std::future::poll_fn;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, ToSocketAddrs};
use std::task::{Context, Poll};

use crate::reactor::{Direction, Registration, poll_io};

/// A socket registered with the reactor of the runtime current when it
/// was made. Used in another runtime, it panics; dropped anywhere, it
/// frees its slot in its own reactor (at once, or at that reactor's next
/// turn).
#[derive(Debug)]
struct Registered<S: mio::event::Source> {
    socket: S,
    registration: Registration,
}

impl<S: mio::event::Source> Registered<S> {
    fn new(mut socket: S) -> io::Result<Self> {
        let registration = Registration::new(&mut socket)?;
        Ok(Registered {
            socket,
            registration,
        })
    }
}

impl<S: mio::event::Source> Drop for Registered<S> {
    fn drop(&mut self) {
        self.registration.deregister(&mut self.socket);
    }
}

// ANCHOR: listener
/// A TCP listener whose `accept` is a future.
#[derive(Debug)]
pub struct TcpListener {
    inner: Registered<mio::net::TcpListener>,
}

impl TcpListener {
    /// Binds `addr` (port 0 picks a free port). Needs a running runtime.
    pub fn bind(addr: impl ToSocketAddrs) -> io::Result<TcpListener> {
        TcpListener::from_std(std::net::TcpListener::bind(addr)?)
    }

    /// Takes over a listener bound elsewhere (say, on another thread).
    pub fn from_std(listener: std::net::TcpListener) -> io::Result<Self> {
        listener.set_nonblocking(true)?;
        let inner = Registered::new(mio::net::TcpListener::from_std(listener))?;
        Ok(TcpListener { inner })
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.socket.local_addr()
    }

    /// Waits for the next connection. `&mut self`, like `read`: one
    /// future at a time waits on a socket in one direction.
    pub async fn accept(&mut self) -> io::Result<(TcpStream, SocketAddr)> {
        let inner = &self.inner;
        let (stream, peer) = poll_fn(|cx| {
            poll_io(&inner.registration, Direction::Read, cx, || {
                inner.socket.accept()
            })
        })
        .await?;
        Ok((TcpStream::new(stream)?, peer))
    }
}
// ANCHOR_END: listener

// ANCHOR: stream
/// A TCP connection whose `read` and `write` are futures.
#[derive(Debug)]
pub struct TcpStream {
    inner: Registered<mio::net::TcpStream>,
}

impl TcpStream {
    /// Takes over a connected std stream. Needs a running runtime.
    pub fn from_std(stream: std::net::TcpStream) -> io::Result<TcpStream> {
        stream.set_nonblocking(true)?;
        TcpStream::new(mio::net::TcpStream::from_std(stream))
    }

    fn new(stream: mio::net::TcpStream) -> io::Result<TcpStream> {
        Ok(TcpStream {
            inner: Registered::new(stream)?,
        })
    }

    /// Reads some bytes into `buf`: how many, 0 at end of input.
    pub async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let inner = &self.inner;
        poll_fn(|cx| {
            poll_io(&inner.registration, Direction::Read, cx, || {
                (&inner.socket).read(buf)
            })
        })
        .await
    }

    /// Writes some of `buf`: how many bytes the kernel took.
    pub async fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let inner = &self.inner;
        poll_fn(|cx| {
            poll_io(&inner.registration, Direction::Write, cx, || {
                (&inner.socket).write(buf)
            })
        })
        .await
    }

    /// Writes all of `buf`, waiting whenever the kernel's buffer is full.
    pub async fn write_all(&mut self, mut buf: &[u8]) -> io::Result<()> {
        while !buf.is_empty() {
            match self.write(buf).await? {
                0 => return Err(io::ErrorKind::WriteZero.into()),
                n => buf = &buf[n..],
            }
        }
        Ok(())
    }
    // ANCHOR_END: stream

    /// Connects to `addr`.
    pub async fn connect(addr: SocketAddr) -> io::Result<TcpStream> {
        let stream = TcpStream::new(mio::net::TcpStream::connect(addr)?)?;
        // A non-blocking connect finishes in the background; the socket
        // turns writable when it has, either way. Then ask how it went.
        let inner = &stream.inner;
        poll_fn(|cx| {
            poll_io(&inner.registration, Direction::Write, cx, || {
                if let Some(e) = inner.socket.take_error()? {
                    return Err(e);
                }
                match inner.socket.peer_addr() {
                    Ok(_) => Ok(()),
                    // Not connected yet: wait for the next event.
                    Err(e) if e.kind() == io::ErrorKind::NotConnected => {
                        Err(io::ErrorKind::WouldBlock.into())
                    }
                    Err(e) => Err(e),
                }
            })
        })
        .await?;
        Ok(stream)
    }

    /// [`read`](TcpStream::read) as a poll, for futures written by hand:
    /// `Pending` (and the waker kept) while there is nothing to read. The
    /// C10k chapter's lean sessions call it with a buffer on the stack of
    /// the poll, so that no future holds one while it waits.
    pub fn poll_read(
        &self,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let inner = &self.inner;
        poll_io(&inner.registration, Direction::Read, cx, || {
            (&inner.socket).read(buf)
        })
    }

    /// [`write`](TcpStream::write) as a poll, for futures written by hand.
    pub fn poll_write(
        &self,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let inner = &self.inner;
        poll_io(&inner.registration, Direction::Write, cx, || {
            (&inner.socket).write(buf)
        })
    }

    /// Reads what is there now, without waiting: `WouldBlock` if nothing.
    pub fn try_read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        (&self.inner.socket).read(buf)
    }

    /// Shuts down reading, writing, or both.
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.inner.socket.shutdown(how)
    }

    /// Sends small writes at once (no Nagle delay).
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.inner.socket.set_nodelay(nodelay)
    }

    /// The address of the other end.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.inner.socket.peer_addr()
    }
}
