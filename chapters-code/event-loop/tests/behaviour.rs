//! The other claims of the chapter: a slow handler stalls every
//! connection; WRITABLE is asked for only while bytes are owed; what a
//! session owes and holds stays bounded, even for a client that reads
//! steadily but too slowly; an idle loop sleeps; an idle timeout closes
//! only idle clients.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use blocking_io::Config;
use event_loop::echo::{self, Options};
use event_loop::event_loop::LoopStats;

fn echo_once(stream: &mut TcpStream, line: &[u8]) -> Vec<u8> {
    stream.write_all(line).unwrap();
    let mut back = Vec::new();
    BufReader::new(stream).read_until(b'\n', &mut back).unwrap();
    back
}

#[test]
fn a_slow_handler_stalls_every_other_connection() {
    // The hook says when it starts computing and records when it ends.
    let (started_tx, started) = mpsc::channel::<()>();
    let started_tx = Mutex::new(started_tx);
    let ended = Arc::new(Mutex::new(None::<Instant>));
    let ended_in_hook = Arc::clone(&ended);
    let options = Options {
        on_line: Some(Arc::new(move |line: &[u8]| {
            if line.starts_with(b"compute") {
                let _ = started_tx.lock().unwrap().send(());
                thread::sleep(Duration::from_millis(300));
                *ended_in_hook.lock().unwrap() = Some(Instant::now());
            }
        })),
        ..Options::default()
    };
    let server =
        echo::start_with("127.0.0.1:0", Config::default(), options).unwrap();
    let mut a = TcpStream::connect(server.local_addr()).unwrap();
    let mut b = TcpStream::connect(server.local_addr()).unwrap();
    assert_eq!(echo_once(&mut b, b"warm up\n"), b"warm up\n");
    a.write_all(b"compute\n").unwrap();
    started.recv().unwrap();
    // The loop's thread is inside A's handler now; B's line waits for it.
    assert_eq!(echo_once(&mut b, b"B\n"), b"B\n");
    let b_served = Instant::now();
    let handler_done = ended.lock().unwrap().expect("the handler finished");
    assert!(
        b_served >= handler_done,
        "B was echoed while A's handler was still running"
    );
    server.shutdown().unwrap();
}

#[test]
fn writable_is_asked_for_only_while_bytes_are_owed() {
    let options = Options {
        send_buffer: Some(16 * 1024),
        ..Options::default()
    };
    let max_owed = options.max_owed;
    let config = Config::default();
    let server = echo::start_with("127.0.0.1:0", config, options).unwrap();
    let mut client = TcpStream::connect(server.local_addr()).unwrap();
    let mut reader = client.try_clone().unwrap();
    let lines = b"a line to echo, and echo, and echo\n".repeat(30_000);
    let len = lines.len();
    let writer = thread::spawn(move || client.write_all(&lines).unwrap());
    // Do not read until the server has met a full send buffer.
    let stats = server.stats();
    for _ in 0..2000 {
        if stats.write_would_block.load(Ordering::SeqCst) > 0 {
            break;
        }
        thread::sleep(Duration::from_millis(5));
    }
    assert!(stats.write_would_block.load(Ordering::SeqCst) > 0);
    let mut back = vec![0u8; len];
    reader.read_exact(&mut back).unwrap();
    writer.join().unwrap();
    // Everything was sent, so WRITABLE was removed as often as added (the
    // removal follows the last write by a moment: retry).
    let mut balanced = false;
    for _ in 0..2000 {
        let on = stats.writable_on.load(Ordering::SeqCst);
        let off = stats.writable_off.load(Ordering::SeqCst);
        if on >= 1 && on == off {
            balanced = true;
            break;
        }
        thread::sleep(Duration::from_millis(5));
    }
    assert!(balanced, "WRITABLE still registered with nothing owed");
    // Idle and fully flushed, the connection brings the loop no events.
    let loop_stats = server.loop_stats();
    let events = LoopStats::get(&loop_stats.events);
    thread::sleep(Duration::from_millis(300));
    assert_eq!(LoopStats::get(&loop_stats.events), events, "events idle");
    // The session stopped reading while it owed `max_owed`: at most one
    // more read and the part line it completed came on top.
    let bound = max_owed + 4096 + config.max_line;
    let most = stats.max_owed.load(Ordering::SeqCst) as usize;
    assert!(most <= bound, "owed {most}");
    let held = stats.max_buffered.load(Ordering::SeqCst) as usize;
    assert!(held <= bound, "held {held}");
    server.shutdown().unwrap();
}

#[test]
fn a_steady_but_slow_reader_does_not_grow_the_buffers() {
    // The client reads all the time, a little slower than it sends: the
    // session owes something almost always, and must still drop what it
    // has sent.
    let options = Options {
        send_buffer: Some(16 * 1024),
        ..Options::default()
    };
    let max_owed = options.max_owed;
    let config = Config::default();
    let server = echo::start_with("127.0.0.1:0", config, options).unwrap();
    let mut client = TcpStream::connect(server.local_addr()).unwrap();
    let mut reader = client.try_clone().unwrap();
    let lines = b"a steady reader, but a slow one\n".repeat(250_000);
    let len = lines.len();
    let writer = thread::spawn(move || client.write_all(&lines).unwrap());
    let mut buf = [0u8; 8 * 1024];
    let mut got = 0;
    while got < len {
        let n = reader.read(&mut buf).unwrap();
        assert!(n > 0, "closed after {got} of {len} bytes");
        got += n;
        thread::sleep(Duration::from_micros(200));
    }
    writer.join().unwrap();
    let stats = server.stats();
    assert!(stats.write_would_block.load(Ordering::SeqCst) > 0);
    // Eight MiB went through; the session never held more than its limit,
    // one read and one line.
    let held = stats.max_buffered.load(Ordering::SeqCst) as usize;
    assert!(held <= max_owed + 4096 + config.max_line, "held {held}");
    server.shutdown().unwrap();
}

#[test]
fn an_idle_loop_sleeps() {
    let server = echo::start("127.0.0.1:0", Config::default()).unwrap();
    let mut client = TcpStream::connect(server.local_addr()).unwrap();
    assert_eq!(echo_once(&mut client, b"hello\n"), b"hello\n");
    let stats = server.loop_stats();
    let count = || {
        (
            LoopStats::get(&stats.polls),
            LoopStats::get(&stats.events),
            LoopStats::get(&stats.calls),
        )
    };
    // Let the echo's last turn finish, then count over a long idle time:
    // a loop that spun would make thousands of turns.
    thread::sleep(Duration::from_millis(100));
    let before = count();
    thread::sleep(Duration::from_millis(500));
    let after = count();
    assert_eq!(after, before, "the idle loop made turns");
    assert_eq!(echo_once(&mut client, b"bye\n"), b"bye\n");
    server.shutdown().unwrap();
}

#[test]
fn the_idle_timeout_closes_the_silent_client_only() {
    let config = Config {
        timeout: Duration::from_secs(2),
        ..Config::default()
    };
    let server = echo::start("127.0.0.1:0", config).unwrap();
    let mut silent = TcpStream::connect(server.local_addr()).unwrap();
    let mut chatty = TcpStream::connect(server.local_addr()).unwrap();
    let silent_closed = thread::spawn(move || {
        let mut rest = Vec::new();
        silent.read_to_end(&mut rest).unwrap();
        rest
    });
    // Chatty keeps talking for three timeouts, a line every 20 ms.
    let start = Instant::now();
    while start.elapsed() < config.timeout * 3 {
        assert_eq!(echo_once(&mut chatty, b"still here\n"), b"still here\n");
        thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(silent_closed.join().unwrap(), b"");
    assert_eq!(server.stats().timed_out.load(Ordering::SeqCst), 1);
    assert_eq!(echo_once(&mut chatty, b"bye\n"), b"bye\n");
    server.shutdown().unwrap();
}

#[test]
fn a_short_read_saves_the_read_that_would_block() {
    let server = echo::start("127.0.0.1:0", Config::default()).unwrap();
    let mut client = TcpStream::connect(server.local_addr()).unwrap();
    // One line at a time, each answered before the next is sent: every
    // read finds one short line, and an edge announces each new one.
    let rounds = 200;
    for i in 0..rounds {
        let line = format!("line {i}\n");
        assert_eq!(echo_once(&mut client, line.as_bytes()), line.as_bytes());
    }
    let stats = server.stats();
    let short = stats.short_reads.load(Ordering::SeqCst);
    let would_block = stats.read_would_block.load(Ordering::SeqCst);
    if echo::SHORT_READ_ENDS_READING {
        // Draining until `WouldBlock` would have cost one such read per
        // line.
        assert!(short >= rounds, "{short} short reads");
        assert!(
            would_block < rounds / 10,
            "{would_block} reads said WouldBlock in {rounds} rounds"
        );
    } else {
        // No edge-triggered poller under mio: every drain ends in a read
        // that says `WouldBlock`, as mio asks (or that finds the next line,
        // when the client was quicker than the server's last read).
        assert_eq!(short, 0);
        assert!(would_block > 0, "{would_block} in {rounds} rounds");
    }
    drop(client);
    server.shutdown().unwrap();
}

#[test]
fn lines_and_the_end_arriving_together_are_all_echoed() {
    // The lines and the FIN may arrive before the loop looks: one event
    // says both, and no edge follows. A short read must not end reading
    // then, or the session would wait for an edge that never comes.
    let server = echo::start("127.0.0.1:0", Config::default()).unwrap();
    for round in 0..20 {
        let mut client = TcpStream::connect(server.local_addr()).unwrap();
        let sent: Vec<u8> = (0..50)
            .flat_map(|i| format!("round {round} line {i}\n").into_bytes())
            .collect();
        client.write_all(&sent).unwrap();
        client.shutdown(std::net::Shutdown::Write).unwrap();
        client
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let mut back = Vec::new();
        client.read_to_end(&mut back).unwrap();
        assert_eq!(back, sent, "round {round}");
    }
    server.shutdown().unwrap();
}

#[test]
fn lines_sent_in_pieces_are_all_echoed() {
    // Each piece is a short read; the rest of the line comes later and
    // must raise a new edge, or the session would wait forever.
    let server = echo::start("127.0.0.1:0", Config::default()).unwrap();
    let mut client = TcpStream::connect(server.local_addr()).unwrap();
    client.set_nodelay(true).unwrap();
    client
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut sent = Vec::new();
    for i in 0..50 {
        let line = format!("piece by piece, line {i}\n").into_bytes();
        for piece in line.chunks(3) {
            client.write_all(piece).unwrap();
            thread::sleep(Duration::from_micros(200));
        }
        sent.extend_from_slice(&line);
    }
    client.shutdown(std::net::Shutdown::Write).unwrap();
    let mut back = Vec::new();
    client.read_to_end(&mut back).unwrap();
    assert_eq!(back, sent);
    let short = server.stats().short_reads.load(Ordering::SeqCst);
    assert_eq!(short > 0, echo::SHORT_READ_ENDS_READING, "{short}");
    server.shutdown().unwrap();
}
