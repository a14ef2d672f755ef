//! What `shutdown` does to a thread blocked in `write` on a socket whose
//! peer never reads: the fact the servers' grace period rests on. Ending
//! the reads leaves the write blocked until its timeout; ending both
//! directions makes it fail at once.

use std::io::{self, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// A connected pair: the server's end, and a client that never reads.
fn pair() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (server, _) = listener.accept().unwrap();
    (server, client)
}

/// Starts a thread that writes to `stream` until a write fails, and
/// returns once that thread has been stuck in one `write` for a while
/// (both socket buffers are full). The thread's result is the error that
/// ended its writing.
fn blocked_writer(stream: TcpStream) -> thread::JoinHandle<io::ErrorKind> {
    let (progress_tx, progress) = mpsc::channel();
    let writer = thread::spawn(move || {
        let mut stream = stream;
        let chunk = vec![b'x'; 64 * 1024];
        loop {
            let _ = progress_tx.send(());
            if let Err(e) = stream.write(&chunk) {
                return e.kind();
            }
        }
    });
    // Silence on the channel means the writer is blocked in `write`.
    while progress.recv_timeout(Duration::from_millis(200)).is_ok() {}
    writer
}

#[cfg(target_os = "linux")]
#[test]
fn ending_the_reads_does_not_wake_a_blocked_write() {
    let (server, _client) = pair();
    // The write timeout is what will end the write: a timed-out write
    // fails with `WouldBlock` (EAGAIN) on Unix.
    server
        .set_write_timeout(Some(Duration::from_secs(1)))
        .unwrap();
    let writer = blocked_writer(server.try_clone().unwrap());
    server.shutdown(Shutdown::Read).unwrap();
    // Had the shutdown woken the write, it would have failed another way
    // (a broken pipe), before the timeout.
    let ended_by = writer.join().unwrap();
    assert!(
        matches!(
            ended_by,
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
        ),
        "the write ended with {ended_by:?}, not its timeout"
    );
}

#[test]
fn ending_both_directions_fails_a_blocked_write_at_once() {
    let (server, _client) = pair();
    // Long enough that a write ended by its timeout would show as such.
    server
        .set_write_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let writer = blocked_writer(server.try_clone().unwrap());
    server.shutdown(Shutdown::Both).unwrap();
    let ended_by = writer.join().unwrap();
    assert!(
        !matches!(
            ended_by,
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
        ),
        "the write waited for its timeout"
    );
    #[cfg(target_os = "linux")]
    assert_eq!(ended_by, io::ErrorKind::BrokenPipe);
}
