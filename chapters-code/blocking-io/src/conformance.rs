//! The echo server's conformance suite, written once and run against every
//! server in the book, in this crate and in the chapters after it: each test
//! file calls [`conformance!`](crate::conformance!) with a way to start its
//! server and says what it promises about concurrency.
//!
//! Every case speaks the protocol over a real socket on 127.0.0.1. Steps
//! are ordered with channels; timeouts are generous and only there so that
//! a broken server fails a test instead of hanging it. A case that fails
//! panics, as a test does.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::Config;
use crate::protocol::too_long_line;
use crate::server::busy_line;

/// What the suite needs of a running echo server.
pub trait EchoServer: Send + 'static {
    /// The address it listens on.
    fn local_addr(&self) -> SocketAddr;
    /// Stops accepting, ends the sessions in flight, and returns once every
    /// thread it started is done.
    fn shutdown(self);
}

impl EchoServer for crate::Server {
    fn local_addr(&self) -> SocketAddr {
        crate::Server::local_addr(self)
    }
    fn shutdown(self) {
        crate::Server::shutdown(self);
    }
}

/// Starts a server on an address (`127.0.0.1:0`) with the given settings.
pub trait Start: Fn(&str, Config) -> io::Result<Self::Server> + Copy {
    /// The server it starts.
    type Server: EchoServer;
}

impl<F, S> Start for F
where
    F: Fn(&str, Config) -> io::Result<S> + Copy,
    S: EchoServer,
{
    type Server = S;
}

/// Long enough that only a broken server ever reaches it.
const PATIENCE: Duration = Duration::from_secs(20);

/// How a version serves a second client while a first is connected.
pub enum Concurrency {
    /// The second waits until the first is done (version 1).
    OneAtATime,
    /// Both are served at once.
    Concurrent,
}

fn start<S: Start>(start: S, config: Config) -> S::Server {
    start("127.0.0.1:0", config).expect("the server starts")
}

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).expect("connects");
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.set_write_timeout(Some(PATIENCE)).unwrap();
    stream
}

/// Sends `bytes`, then reads exactly as many bytes back.
fn round_trip(stream: &mut TcpStream, bytes: &[u8]) -> Vec<u8> {
    stream.write_all(bytes).unwrap();
    let mut back = vec![0; bytes.len()];
    stream.read_exact(&mut back).unwrap();
    back
}

fn read_to_end(stream: &mut TcpStream) -> Vec<u8> {
    let mut all = Vec::new();
    stream
        .read_to_end(&mut all)
        .expect("reads until the server closes");
    all
}

/// Lines come back byte for byte: CRLF, NUL, invalid UTF-8, empty lines.
pub fn echoes_exactly(start_server: impl Start) {
    let server = start(start_server, Config::default());
    let mut client = connect(server.local_addr());
    let lines: [&[u8]; 6] = [
        b"hello\n",
        b"windows line\r\n",
        b"nul \0 inside\n",
        b"not utf-8: \xff\xfe\xc3\x28\n",
        b"\n",
        b"  spaces  \t\n",
    ];
    for line in lines {
        assert_eq!(round_trip(&mut client, line), line);
    }
    // Several lines in one write come back as they went.
    let many = b"one\ntwo\r\nthree\n";
    assert_eq!(round_trip(&mut client, many), many);
    server.shutdown();
}

/// `bye` (with `\n` or `\r\n`) is echoed, then the server closes.
pub fn bye_ends_the_session(start_server: impl Start) {
    let server = start(start_server, Config::default());
    for bye in [&b"bye\n"[..], b"bye\r\n"] {
        let mut client = connect(server.local_addr());
        client.write_all(b"first\n").unwrap();
        client.write_all(bye).unwrap();
        let mut expected = b"first\n".to_vec();
        expected.extend_from_slice(bye);
        assert_eq!(read_to_end(&mut client), expected);
    }
    // `bye` inside a line, or with other words, is just a line.
    let mut client = connect(server.local_addr());
    assert_eq!(round_trip(&mut client, b"bye bye\n"), b"bye bye\n");
    assert_eq!(round_trip(&mut client, b" bye\n"), b" bye\n");
    server.shutdown();
}

/// A line past the limit gets the error line, then the server closes, and
/// the server goes on serving others.
pub fn over_long_line_is_refused(start_server: impl Start) {
    let config = Config {
        max_line: 64,
        ..Config::default()
    };
    let server = start(start_server, config);
    let mut client = connect(server.local_addr());
    // A line of exactly the limit, `\n` included, is fine.
    let fits = [vec![b'x'; 63], b"\n".to_vec()].concat();
    assert_eq!(round_trip(&mut client, &fits), fits);
    // One byte more is not; the rest of it is never echoed.
    client.write_all(&[b'y'; 4096]).unwrap();
    assert_eq!(read_to_end(&mut client), too_long_line(64));
    drop(client);
    let mut next = connect(server.local_addr());
    assert_eq!(round_trip(&mut next, b"still here\n"), b"still here\n");
    server.shutdown();
}

/// A client that shuts down writing gets every pending echo, even of a
/// line without its `\n`, then end of input.
pub fn half_close_flushes(start_server: impl Start) {
    let server = start(start_server, Config::default());
    let mut client = connect(server.local_addr());
    client.write_all(b"a\r\nb\nno newline").unwrap();
    client.shutdown(Shutdown::Write).unwrap();
    assert_eq!(read_to_end(&mut client), b"a\r\nb\nno newline");
    server.shutdown();
}

/// A client whose connection is reset in mid-line ends its own session and
/// nothing else.
pub fn reset_mid_line_is_survived(start_server: impl Start) {
    let server = start(start_server, Config::default());
    let mut client = connect(server.local_addr());
    client.write_all(b"first line\nhalf a li").unwrap();
    // Wait until the echo has arrived, but leave it unread: closing a
    // socket with unread input makes the kernel send a reset, not a FIN.
    let mut peek = [0u8; 1];
    client.peek(&mut peek).unwrap();
    drop(client);
    let mut next = connect(server.local_addr());
    assert_eq!(round_trip(&mut next, b"after reset\n"), b"after reset\n");
    server.shutdown();
}

/// A client that says nothing is dropped after the timeout, and a server
/// that serves one client at a time then goes on to the next.
pub fn silent_client_times_out(start_server: impl Start) {
    let config = Config {
        timeout: Duration::from_millis(200),
        ..Config::default()
    };
    let server = start(start_server, config);
    let mut silent = connect(server.local_addr());
    let mut next = connect(server.local_addr());
    assert_eq!(round_trip(&mut next, b"served\n"), b"served\n");
    // The silent one is closed by the server: end of input, no bytes.
    assert_eq!(read_to_end(&mut silent), b"");
    server.shutdown();
}

/// The second of two clients: connects, sends a line, reports, and waits
/// for its echo and reports again; says `bye` when told to.
fn second_client(
    addr: SocketAddr,
) -> (
    mpsc::Receiver<Vec<u8>>,
    mpsc::Sender<()>,
    thread::JoinHandle<()>,
) {
    let (echo_tx, echo_rx) = mpsc::channel();
    let (sent_tx, sent_rx) = mpsc::channel();
    let (bye_tx, bye_rx) = mpsc::channel::<()>();
    let b = thread::spawn(move || {
        let mut b = connect(addr);
        b.write_all(b"B\n").unwrap();
        sent_tx.send(()).unwrap();
        let mut echo = vec![0; 2];
        b.read_exact(&mut echo).unwrap();
        echo_tx.send(echo).unwrap();
        let _ = bye_rx.recv();
        b.write_all(b"bye\n").unwrap();
        assert_eq!(read_to_end(&mut b), b"bye\n");
    });
    sent_rx.recv().expect("B sends its line");
    (echo_rx, bye_tx, b)
}

/// Version 1 serves one client at a time: B's line, sent while A is
/// connected, comes back only after A says `bye`. This is the case version
/// 1 is meant to fail, turned into what it does instead.
pub fn second_client_waits(start_server: impl Start) {
    let server = start(start_server, Config::default());
    let mut a = connect(server.local_addr());
    assert_eq!(round_trip(&mut a, b"A\n"), b"A\n");
    let (b_echo, b_bye, b) = second_client(server.local_addr());
    // B's line is in the server's socket before these; A's come back all
    // the same, and B's does not.
    for _ in 0..20 {
        assert_eq!(round_trip(&mut a, b"A again\n"), b"A again\n");
    }
    assert!(b_echo.try_recv().is_err(), "B was served while A was");
    a.write_all(b"bye\n").unwrap();
    assert_eq!(read_to_end(&mut a), b"bye\n");
    assert_eq!(b_echo.recv_timeout(PATIENCE).unwrap(), b"B\n");
    b_bye.send(()).unwrap();
    b.join().unwrap();
    server.shutdown();
}

/// Versions 2 and 3 serve B while A is still connected and idle.
pub fn second_client_served_at_once(start_server: impl Start) {
    let server = start(start_server, Config::default());
    let mut a = connect(server.local_addr());
    assert_eq!(round_trip(&mut a, b"A\n"), b"A\n");
    let (b_echo, b_bye, b) = second_client(server.local_addr());
    let echo = b_echo.recv_timeout(PATIENCE).expect("B is served");
    assert_eq!(echo, b"B\n");
    // A was connected all along, and still is.
    assert_eq!(round_trip(&mut a, b"A again\n"), b"A again\n");
    b_bye.send(()).unwrap();
    b.join().unwrap();
    server.shutdown();
}

/// With the cap reached, one more client gets the busy line and is
/// closed; once a client leaves, a new one is served again.
pub fn cap_holds(start_server: impl Start) {
    let config = Config {
        max_connections: 2,
        workers: 2,
        ..Config::default()
    };
    let server = start(start_server, config);
    let addr = server.local_addr();
    let mut a = connect(addr);
    let mut b = connect(addr);
    assert_eq!(round_trip(&mut a, b"A\n"), b"A\n");
    assert_eq!(round_trip(&mut b, b"B\n"), b"B\n");
    for _ in 0..3 {
        let mut extra = connect(addr);
        assert_eq!(read_to_end(&mut extra), busy_line(2));
    }
    a.write_all(b"bye\n").unwrap();
    assert_eq!(read_to_end(&mut a), b"bye\n");
    // A's slot frees when its session has fully ended, a moment after its
    // `bye` came back: retry until a new client is let in.
    let mut served = false;
    for _ in 0..200 {
        let mut c = connect(addr);
        c.write_all(b"C\n").unwrap();
        let mut back = Vec::new();
        BufReader::new(&mut c).read_until(b'\n', &mut back).unwrap();
        if back == b"C\n" {
            served = true;
            break;
        }
        assert_eq!(back, busy_line(2));
        thread::sleep(Duration::from_millis(10));
    }
    assert!(served, "a slot freed when A left");
    assert_eq!(round_trip(&mut b, b"B again\n"), b"B again\n");
    server.shutdown();
}

/// How many clients over the cap [`refusal_arrives`] sends at once: more
/// than any server of the book tells at the same time, so that the ones
/// that must wait their turn are tested too.
const BURST: usize = 40;

/// Past the cap, a burst of clients that each send a line before reading
/// anything: every one of them reads the busy line. (Closing a socket with
/// the client's line unread would send a reset, which on Linux destroys
/// the busy line before the client reads it: a refusal must drain what
/// the client sent before it closes, as the blocking servers' `linger`
/// does, and one that cannot linger now must wait its turn.)
pub fn refusal_arrives(start_server: impl Start) {
    let config = Config {
        max_connections: 1,
        workers: 1,
        ..Config::default()
    };
    let server = start(start_server, config);
    let addr = server.local_addr();
    let mut a = connect(addr);
    assert_eq!(
        round_trip(
            &mut a, b"A
"
        ),
        b"A
"
    );
    let refused: Vec<TcpStream> = (0..BURST)
        .map(|_| {
            let mut c = connect(addr);
            c.write_all(b"hello\n").unwrap();
            c
        })
        .collect();
    for (i, mut c) in refused.into_iter().enumerate() {
        let mut all = Vec::new();
        let read = c.read_to_end(&mut all);
        assert!(
            read.is_ok() && all == busy_line(1),
            "refused client {i} of {BURST} read {:?} and then {read:?}",
            String::from_utf8_lossy(&all)
        );
    }
    assert_eq!(round_trip(&mut a, b"A again\n"), b"A again\n");
    server.shutdown();
}

/// Shutting down while a client is connected and silent: the server stops
/// accepting, ends the session (the client sees end of input) and returns.
pub fn shutdown_ends_sessions(start_server: impl Start) {
    let server = start(start_server, Config::default());
    let addr = server.local_addr();
    let mut a = connect(addr);
    a.write_all(b"in flight\n").unwrap();
    let mut line = vec![0; 10];
    a.read_exact(&mut line).unwrap();
    server.shutdown();
    assert_eq!(read_to_end(&mut a), b"");
    assert!(TcpStream::connect(addr).is_err(), "no longer listening");
}

/// A client that writes lines and never reads their echoes: its own
/// socket's buffers fill, then the server's, and the server's `write`
/// blocks. Runs on a thread of its own; returns how its writing ended and
/// a channel that reports every chunk written.
fn hog(
    addr: SocketAddr,
) -> (mpsc::Receiver<usize>, thread::JoinHandle<io::ErrorKind>) {
    let (progress_tx, progress) = mpsc::channel();
    let mut hog = connect(addr);
    let handle = thread::spawn(move || {
        let chunk = b"a line nobody reads\n".repeat(4096);
        let mut written = 0;
        loop {
            // A server that keeps reading from a client that never reads
            // would buffer without end: stop it from eating the machine.
            if written > HOG_LIMIT {
                return io::ErrorKind::OutOfMemory;
            }
            match hog.write_all(&chunk) {
                Ok(()) => {
                    written += chunk.len();
                    let _ = progress_tx.send(chunk.len());
                }
                Err(e) => return e.kind(),
            }
        }
    });
    (progress, handle)
}

/// More than this, written by a client that never reads, and the server is
/// buffering what it cannot send: far more than the kernel's buffers hold.
const HOG_LIMIT: usize = 64 << 20;

/// How a hog's writing ended, as a verdict on the server.
fn hog_verdict(ended: io::ErrorKind) -> Result<(), String> {
    match ended {
        io::ErrorKind::OutOfMemory => Err(format!(
            "the server took {} MiB from a client that never reads",
            HOG_LIMIT >> 20
        )),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => Err(format!(
            "the server kept a client that never reads ({ended:?})"
        )),
        _ => Ok(()),
    }
}

/// Waits until a hog has made no progress for a while: every buffer
/// between it and the server is full, so the server is blocked writing.
fn wait_until_stalled(progress: &mpsc::Receiver<usize>) {
    let mut written = 0;
    loop {
        match progress.recv_timeout(Duration::from_millis(500)) {
            Ok(n) => written += n,
            Err(mpsc::RecvTimeoutError::Timeout) => break,
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                panic!("the hog stopped writing before it stalled")
            }
        }
        assert!(
            written <= HOG_LIMIT,
            "the server buffers a client that never reads"
        );
    }
}

/// A client that never reads what comes back is closed once a write has
/// blocked for the timeout, and the server goes on serving others.
pub fn client_that_never_reads_is_dropped(start_server: impl Start) {
    let config = Config {
        timeout: Duration::from_millis(200),
        ..Config::default()
    };
    let server = start(start_server, config);
    let (_progress, hog) = hog(server.local_addr());
    // The hog writes until the server closes its connection; a timeout of
    // its own (PATIENCE) would mean the server never did.
    if let Err(why) = hog_verdict(hog.join().unwrap()) {
        panic!("{why}");
    }
    let mut next = connect(server.local_addr());
    assert_eq!(round_trip(&mut next, b"served\n"), b"served\n");
    server.shutdown();
}

/// Shutting down while a session is blocked writing to a client that never
/// reads: the server gives it `grace`, then closes it, and returns long
/// before the write timeout would have ended it.
pub fn shutdown_does_not_wait_for_a_client_that_never_reads(
    start_server: impl Start,
) {
    let config = Config {
        timeout: Duration::from_secs(600),
        grace: Duration::from_millis(200),
        ..Config::default()
    };
    let server = start(start_server, config);
    let (progress, hog) = hog(server.local_addr());
    wait_until_stalled(&progress);
    let (done_tx, done) = mpsc::channel();
    let stopper = thread::spawn(move || {
        server.shutdown();
        let _ = done_tx.send(());
    });
    // PATIENCE is a thirtieth of the write timeout: only the grace can have
    // ended the session this soon.
    done.recv_timeout(PATIENCE)
        .expect("shutdown returned while a session was blocked writing");
    stopper.join().unwrap();
    if let Err(why) = hog_verdict(hog.join().unwrap()) {
        panic!("{why}");
    }
}

// ANCHOR: macro
/// The test functions of the suite for one server: `conformance!(start,
/// Concurrent)` or `conformance!(start, OneAtATime)`, where `start` is a
/// function or closure `(&str, Config) -> io::Result<impl EchoServer>`.
/// A server with a connection cap adds `Capped`, for the cases of the cap:
/// `conformance!(start, Concurrent, Capped)`.
#[macro_export]
macro_rules! conformance {
    ($start:expr, $concurrency:ident, Capped) => {
        $crate::conformance!($start, $concurrency);
        #[test]
        fn cap_holds() {
            suite::cap_holds(start_server);
        }
        #[test]
        fn refusal_arrives() {
            suite::refusal_arrives(start_server);
        }
    };
    ($start:expr, $concurrency:ident) => {
        use $crate::conformance as suite;
        fn start_server(
            addr: &str,
            config: $crate::Config,
        ) -> ::std::io::Result<impl suite::EchoServer + use<>> {
            ($start)(addr, config)
        }
        #[test]
        fn echoes_exactly() {
            suite::echoes_exactly(start_server);
        }
        // ANCHOR_END: macro
        #[test]
        fn bye_ends_the_session() {
            suite::bye_ends_the_session(start_server);
        }
        #[test]
        fn over_long_line_is_refused() {
            suite::over_long_line_is_refused(start_server);
        }
        #[test]
        fn half_close_flushes() {
            suite::half_close_flushes(start_server);
        }
        #[test]
        fn reset_mid_line_is_survived() {
            suite::reset_mid_line_is_survived(start_server);
        }
        #[test]
        fn silent_client_times_out() {
            suite::silent_client_times_out(start_server);
        }
        #[test]
        fn client_that_never_reads_is_dropped() {
            suite::client_that_never_reads_is_dropped(start_server);
        }
        #[test]
        fn shutdown_ends_sessions() {
            suite::shutdown_ends_sessions(start_server);
        }
        #[test]
        fn shutdown_does_not_wait_for_a_client_that_never_reads() {
            suite::shutdown_does_not_wait_for_a_client_that_never_reads(
                start_server,
            );
        }
        #[test]
        fn second_client() {
            match suite::Concurrency::$concurrency {
                suite::Concurrency::OneAtATime => {
                    suite::second_client_waits(start_server)
                }
                suite::Concurrency::Concurrent => {
                    suite::second_client_served_at_once(start_server)
                }
            }
        }
    };
}
