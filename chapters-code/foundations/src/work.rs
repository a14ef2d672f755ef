//! Two kinds of work: one that waits and one that computes.
//!
//! - [`ask_slow_server`] is *I/O-bound*: it sends requests over a real TCP
//!   connection to a [`SlowServer`] that takes its time to answer. Most of its
//!   life the client thread is blocked in `read`, waiting, and the CPU is free.
//! - [`count_primes`] is *CPU-bound*: it does arithmetic and never waits. The
//!   only thing that makes it faster is a faster CPU, or more of them.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// A server on 127.0.0.1 that answers every line with `ok` after a delay,
/// like a database or a web service that is slow to reply.
///
/// It runs in this process on its own threads, so that a cell needs nothing
/// else; while it waits it sleeps and uses no CPU. Dropping it stops it.
pub struct SlowServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

impl SlowServer {
    /// Starts a server that waits `delay` before each answer.
    pub fn start(delay: Duration) -> io::Result<SlowServer> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let acceptor = thread::Builder::new()
            .name("slow-server".into())
            .spawn(move || {
                for conn in listener.incoming() {
                    if stopping.load(Ordering::SeqCst) {
                        break;
                    }
                    // A connection that failed while being accepted concerns only
                    // its client; the server goes on.
                    let Ok(conn) = conn else { continue };
                    // One thread per client; it ends when the client hangs up.
                    let _ = thread::Builder::new()
                        .name("slow-server-conn".into())
                        .spawn(move || answer(conn, delay));
                }
            })?;
        Ok(SlowServer {
            addr,
            stop,
            acceptor: Some(acceptor),
        })
    }

    /// Where the server listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

/// Answers each line of `conn` with `ok`, after `delay`, until the client
/// hangs up or sends something that is not a short line.
fn answer(conn: TcpStream, delay: Duration) {
    let Ok(mut writer) = conn.try_clone() else {
        return;
    };
    let mut lines = BufReader::new(conn);
    let mut line = String::new();
    loop {
        line.clear();
        // Read at most 1 KiB for a line: an endless line is refused, not kept.
        match (&mut lines).take(1024).read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) if !line.ends_with('\n') => return,
            Ok(_) => {}
        }
        thread::sleep(delay);
        if writer.write_all(b"ok\n").is_err() {
            return;
        }
    }
}

impl Drop for SlowServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the acceptor, blocked in `accept`, with one last connection.
        let _ = TcpStream::connect(self.addr);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

// ANCHOR: io_bound
/// Sends `requests` requests to the server at `addr`, one after another,
/// and waits for each answer. Returns how many answers came back.
pub fn ask_slow_server(addr: SocketAddr, requests: u32) -> io::Result<u32> {
    let conn = TcpStream::connect(addr)?;
    let mut writer = conn.try_clone()?;
    let mut answers = BufReader::new(conn);
    let mut answer = String::new();
    for n in 0..requests {
        writeln!(writer, "request {n}")?;
        answer.clear();
        // Here the thread blocks until the answer arrives: wall time passes,
        // CPU time does not.
        answers.read_line(&mut answer)?;
        if answer != "ok\n" {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("odd answer {answer:?}"),
            ));
        }
    }
    Ok(requests)
}
// ANCHOR_END: io_bound

// ANCHOR: cpu_bound
/// Counts the primes below `limit` by trial division: pure arithmetic, no
/// waiting.
pub fn count_primes(limit: u64) -> u64 {
    (2..limit).filter(|&n| is_prime(n)).count() as u64
}

fn is_prime(n: u64) -> bool {
    (2..)
        .take_while(|d| d * d <= n)
        .all(|d| !n.is_multiple_of(d))
}
// ANCHOR_END: cpu_bound

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primes_are_counted() {
        assert_eq!(count_primes(2), 0);
        assert_eq!(count_primes(3), 1);
        assert_eq!(count_primes(100), 25);
        assert_eq!(count_primes(10_000), 1229);
    }

    #[test]
    fn the_slow_server_answers_every_request() {
        let server = SlowServer::start(Duration::from_millis(1)).unwrap();
        assert_eq!(ask_slow_server(server.addr(), 5).unwrap(), 5);
        assert_eq!(ask_slow_server(server.addr(), 0).unwrap(), 0);
    }

    #[test]
    fn the_slow_server_hangs_up_on_an_endless_line() {
        let server = SlowServer::start(Duration::from_millis(1)).unwrap();
        let mut conn = TcpStream::connect(server.addr()).unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        // 64 KiB without a newline: the server stops reading after 1 KiB and
        // closes; writing may fail once it has, which is fine.
        let _ = conn.write_all(&[b'x'; 64 * 1024]);
        let mut rest = Vec::new();
        let read = conn.read_to_end(&mut rest);
        assert!(
            matches!(read, Ok(0)) || read.is_err(),
            "no answer to junk: {read:?} {rest:?}"
        );
        // And it still serves others.
        assert_eq!(ask_slow_server(server.addr(), 2).unwrap(), 2);
    }
}
