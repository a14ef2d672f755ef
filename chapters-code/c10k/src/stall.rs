//! An echo server that stops the world once, to show what each way of
//! loading a server sees of a stall.
//!
//! A thread per connection echoes lines, but every echo first takes one
//! lock, "the world". A second thread takes that lock once, for a while,
//! some time after the first client connects: the kind of pause a garbage
//! collector, a swap-in or a long lock hold gives a real server. While it
//! holds the lock, no client gets an echo.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// The running server; [`StallingServer::stop`] ends it and says when the
/// stall was.
#[derive(Debug)]
pub struct StallingServer {
    addr: SocketAddr,
    stopping: Arc<AtomicBool>,
    acceptor: JoinHandle<Vec<JoinHandle<()>>>,
    staller: JoinHandle<Option<(Instant, Instant)>>,
}

/// Starts the server on 127.0.0.1: it stalls for `stall_for`, once,
/// `stall_after` after its first connection.
pub fn start(
    stall_after: Duration,
    stall_for: Duration,
) -> io::Result<StallingServer> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let world = Arc::new(Mutex::new(()));
    let stopping = Arc::new(AtomicBool::new(false));
    let (first, first_seen) = mpsc::channel::<()>();

    let staller = thread::spawn({
        let world = Arc::clone(&world);
        move || {
            // No connection at all (the sender is dropped): no stall.
            first_seen.recv().ok()?;
            thread::sleep(stall_after);
            let _world = world.lock().unwrap_or_else(PoisonError::into_inner);
            let began = Instant::now();
            thread::sleep(stall_for);
            Some((began, Instant::now()))
        }
    });
    let acceptor = thread::spawn({
        let stopping = Arc::clone(&stopping);
        move || {
            let mut connections = Vec::new();
            for stream in listener.incoming() {
                if stopping.load(Ordering::Acquire) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                // Only the first send counts; later ones find nobody.
                let _ = first.send(());
                let world = Arc::clone(&world);
                connections.push(thread::spawn(move || {
                    // A client that breaks the connection ends its thread;
                    // there is nothing else to do with the error.
                    let _ = echo(stream, &world);
                }));
            }
            connections
        }
    });
    Ok(StallingServer {
        addr,
        stopping,
        acceptor,
        staller,
    })
}

/// Echoes lines until the client hangs up; each echo waits for the world.
fn echo(stream: TcpStream, world: &Mutex<()>) -> io::Result<()> {
    // Echoes go out at once, as the book's other servers send them: with
    // Nagle's algorithm a small write waits for the last one's ACK.
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let _world = world.lock().unwrap_or_else(PoisonError::into_inner);
        writer.write_all(&line)?;
    }
}

impl StallingServer {
    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, waits for every connection to be closed by its
    /// client, and returns when the stall began and ended (`None` if no
    /// client ever came).
    pub fn stop(self) -> io::Result<Option<(Instant, Instant)>> {
        self.stopping.store(true, Ordering::Release);
        // Wake the acceptor from `accept` with a connection of our own.
        drop(TcpStream::connect(self.addr)?);
        let connections =
            self.acceptor.join().expect("the acceptor does not panic");
        for connection in connections {
            connection.join().expect("an echo thread does not panic");
        }
        Ok(self.staller.join().expect("the staller does not panic"))
    }
}
