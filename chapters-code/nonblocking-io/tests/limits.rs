//! The two rules that keep version 4 fair and its memory flat, checked by
//! the order of events, not by timing: a client that floods the server
//! does not starve a line from another client (`TURNS`), and a client that
//! never reads does not make the server buffer more than `max_line` plus
//! one read (`wants_input`).

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use blocking_io::Config;
use nonblocking_io::polling::{self, CHUNK};

/// How long a client waits for the server before the test fails.
const PATIENCE: Duration = Duration::from_secs(10);

fn connect(server: &polling::PollingServer) -> TcpStream {
    let stream = TcpStream::connect(server.local_addr()).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.set_write_timeout(Some(PATIENCE)).unwrap();
    stream
}

/// A floods the server with lines, without pause, and reads its echoes on
/// another thread. B's one line is echoed while A's flood is still going:
/// A stops sending only after B heard back, so B was not made to wait for
/// the end of the flood.
#[test]
fn a_flooding_client_does_not_starve_another() {
    let server = polling::start("127.0.0.1:0", Config::default()).unwrap();
    let a = connect(&server);
    let mut a_reader = a.try_clone().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let flooding = Arc::clone(&stop);
    let mut a_writer = a;
    let flooder = thread::spawn(move || {
        let lines = b"flood flood flood flood flood flood\n".repeat(1000);
        let mut sent = 0;
        while !flooding.load(Ordering::SeqCst) {
            a_writer.write_all(&lines).unwrap();
            sent += lines.len();
        }
        a_writer.shutdown(Shutdown::Write).unwrap();
        sent
    });
    // A's echoes are coming back: the flood is being served.
    let (echoing_tx, echoing) = mpsc::channel();
    let reader = thread::spawn(move || {
        let mut buf = vec![0; 64 * 1024];
        let mut got = 0;
        loop {
            match a_reader.read(&mut buf) {
                Ok(0) => return got,
                Ok(n) => {
                    got += n;
                    let _ = echoing_tx.send(());
                }
                Err(e) => panic!("A's echoes stopped: {e}"),
            }
        }
    });
    echoing
        .recv_timeout(PATIENCE)
        .expect("A's echoes never came");

    let mut b = connect(&server);
    b.write_all(b"B was not starved\n").unwrap();
    let mut back = [0; 18];
    b.read_exact(&mut back).expect("B's echo never came");
    assert_eq!(&back, b"B was not starved\n");
    // Only now does A stop: its flood lasted until B was answered.
    stop.store(true, Ordering::SeqCst);
    let sent = flooder.join().unwrap();
    let got = reader.join().unwrap();
    assert_eq!(got, sent, "every line of A's flood came back too");
    server.shutdown();
}

/// A client sends lines and never reads. Its writes block once the
/// buffers between it and the server are full, and the server's session
/// never held more than `max_line` plus one read's worth of bytes.
#[test]
fn a_client_that_never_reads_is_not_buffered() {
    let config = Config {
        max_line: 1024,
        ..Config::default()
    };
    let server = polling::start("127.0.0.1:0", config).unwrap();
    let mut hog = connect(&server);
    hog.set_write_timeout(Some(Duration::from_secs(1))).unwrap();
    let lines = b"a line nobody reads\n".repeat(4096);
    let mut written = 0;
    let stalled = loop {
        match hog.write(&lines) {
            Ok(n) => written += n,
            Err(e) => break e.kind(),
        }
        assert!(written < 256 << 20, "the server kept reading");
    };
    // A write that waited a second: every buffer on the way is full, so
    // the server stopped reading from this client.
    assert!(
        matches!(stalled, ErrorKind::WouldBlock | ErrorKind::TimedOut),
        "the hog's write failed: {stalled:?}"
    );
    let peak = server.peak_buffered();
    assert!(peak > 0, "the server never read from the hog");
    assert!(
        peak <= config.max_line + CHUNK,
        "a session held {peak} bytes, more than {} + {CHUNK}",
        config.max_line
    );
    drop(hog);
    server.shutdown();
}
