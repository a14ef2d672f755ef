//! Cell `slow_handler`: three clients send a line every 20 ms
//! and time each echo. A fourth sends three lines of its own; in the
//! second run, each of those makes the handler compute for 200 ms (of wall
//! time) on the loop's thread. Every other client waits while it does.
//@ timeout = 60
//@ [[vary]]
//@ what = "latency"
//@ pattern = '([\d.]+) ms'
//@ [[vary]]
//@ what = "count"
//@ pattern = ': (\d+) with quick handlers, (\d+) with'
// HIDE_START
use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use blocking_io::Config;
use event_loop::echo::{self, Options};
use support::chart::{Chart, Series};
// HIDE_END

const LINES: usize = 60;

/// A client that sends a line every 20 ms and returns, for each, when it
/// was sent (ms since `origin`) and how long its echo took (ms).
fn chatty(addr: SocketAddr, origin: Instant) -> io::Result<Vec<(f64, f64)>> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut points = Vec::new();
    let mut back = Vec::new();
    for i in 0..LINES {
        let sent = Instant::now();
        stream.write_all(format!("tick {i}\n").as_bytes())?;
        back.clear();
        reader.read_until(b'\n', &mut back)?;
        let at = (sent - origin).as_secs_f64() * 1e3;
        points.push((at, sent.elapsed().as_secs_f64() * 1e3));
        thread::sleep(Duration::from_millis(20));
    }
    Ok(points)
}

/// Keeps the CPU busy until `wall` has passed on the clock, as a handler
/// that parses a large document would. (Counting wall time, not CPU time:
/// on a shared machine the thread may be descheduled while it computes,
/// and the clients wait for the wall clock.)
fn compute_for(wall: Duration) -> u64 {
    let start = Instant::now();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while start.elapsed() < wall {
        for _ in 0..1000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }
        x = std::hint::black_box(x);
    }
    x
}

/// Starts a server whose handler computes for 200 ms on every line that
/// starts with `compute`, runs three chatty clients and one that sends
/// `line` three times, and returns every echo's (sent at, latency).
fn run(line: &'static str) -> io::Result<Vec<(f64, f64)>> {
    let options = Options {
        on_line: Some(Arc::new(|line: &[u8]| {
            if line.starts_with(b"compute") {
                compute_for(Duration::from_millis(200));
            }
        })),
        ..Options::default()
    };
    let server = echo::start_with("127.0.0.1:0", Config::default(), options)?;
    let addr = server.local_addr();
    let origin = Instant::now();
    let points = thread::scope(|s| {
        let clients: Vec<_> = (0..3)
            .map(|_| s.spawn(move || chatty(addr, origin)))
            .collect();
        let mut worker = TcpStream::connect(addr)?;
        let mut reader = BufReader::new(worker.try_clone()?);
        for _ in 0..3 {
            thread::sleep(Duration::from_millis(300));
            worker.write_all(line.as_bytes())?;
            reader.read_until(b'\n', &mut Vec::new())?;
        }
        let mut points = Vec::new();
        for client in clients {
            points.extend(client.join().expect("no panic")?);
        }
        Ok::<_, io::Error>(points)
    })?;
    let mut points: Vec<(f64, f64)> = points;
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    server.shutdown()?;
    Ok(points)
}

fn summary(name: &str, points: &[(f64, f64)]) {
    let mut latencies: Vec<f64> = points.iter().map(|p| p.1).collect();
    latencies.sort_by(f64::total_cmp);
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize];
    println!(
        "{name:<26} {:>6} {:>10.1} ms {:>8.1} ms {:>8.1} ms",
        latencies.len(),
        at(0.5),
        at(0.95),
        at(1.0)
    );
}

fn main() -> io::Result<()> {
    let quick = run("quick\n")?;
    let slow = run("compute\n")?;
    println!(
        "{:<26} {:>6} {:>13} {:>11} {:>11}",
        "", "echoes", "median", "95th pct", "max"
    );
    summary("every handler quick", &quick);
    summary("three 200 ms handlers", &slow);
    let waited = |p: &[(f64, f64)]| p.iter().filter(|p| p.1 > 50.0).count();
    println!(
        "echoes that waited over 50 ms: {} with quick handlers, {} with slow",
        waited(&quick),
        waited(&slow)
    );
    Chart::new(
        "Echo latency of three chatty clients",
        "milliseconds since start (when the line was sent)",
        "echo latency (ms)",
    )
    .series(Series::new("every handler quick", quick))
    .series(Series::new("three handlers of 200 ms", slow))
    .show("latency")
}
