//! Cell `read_budget`: client A floods the server with 256 MiB of
//! lines (and reads the echoes as fast as it can); client B sends a line
//! every 10 ms and times each echo. With a budget per call of 16 KiB, A's
//! handler gives the loop back after 16 KiB and B is served in between;
//! with no budget, A's handler reads as long as A has sent something.
//@ timeout = 120
//@ [[vary]]
//@ what = "latency"
//@ pattern = '([\d.]+) ms'
//@ [[vary]]
//@ what = "bytes"
//@ pattern = 'at most (\d+) bytes'
// HIDE_START
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use blocking_io::Config;
use event_loop::echo::{self, Options, Turn};
use support::chart::{Chart, Series};
// HIDE_END

/// The line A sends over and over, and how many bytes of lines in all.
const LINE: &[u8] = b"flooding the server with lines\n";
const FLOOD: usize = (256 << 20) / LINE.len() * LINE.len();

/// A: writes `FLOOD` bytes of lines in big writes; a second thread reads
/// the echoes.
fn flood(addr: SocketAddr) -> io::Result<()> {
    let mut stream = TcpStream::connect(addr)?;
    let mut reader = stream.try_clone()?;
    let drain = thread::spawn(move || -> io::Result<()> {
        let mut buf = vec![0u8; 64 * 1024];
        let mut got = 0;
        while got < FLOOD {
            match reader.read(&mut buf)? {
                0 => break,
                n => got += n,
            }
        }
        Ok(())
    });
    // Whole lines only: a part line at the end would never be echoed.
    let chunk = LINE.repeat(2048);
    let mut sent = 0;
    while sent < FLOOD {
        let n = chunk.len().min(FLOOD - sent);
        stream.write_all(&chunk[..n])?;
        sent += n;
    }
    drain.join().expect("no panic")
}

/// B: a line every 10 ms while A floods; (sent at, latency) in ms.
fn steady(addr: SocketAddr, origin: Instant) -> io::Result<Vec<(f64, f64)>> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut points = Vec::new();
    for i in 0..40 {
        let sent = Instant::now();
        stream.write_all(format!("B {i}\n").as_bytes())?;
        reader.read_until(b'\n', &mut Vec::new())?;
        let at = (sent - origin).as_secs_f64() * 1e3;
        points.push((at, sent.elapsed().as_secs_f64() * 1e3));
        thread::sleep(Duration::from_millis(10));
    }
    Ok(points)
}

/// One run with the given budget: B's latencies and the most bytes any
/// one call of a handler read.
fn run(budget: usize) -> io::Result<(Vec<(f64, f64)>, usize)> {
    let (trace, turns) = mpsc::channel::<Turn>();
    let options = Options {
        budget,
        trace: Some(trace),
        ..Options::default()
    };
    let server = echo::start_with("127.0.0.1:0", Config::default(), options)?;
    let addr = server.local_addr();
    let origin = Instant::now();
    let points = thread::scope(|s| {
        let a = s.spawn(move || flood(addr));
        // B starts once A is under way.
        thread::sleep(Duration::from_millis(20));
        let points = steady(addr, origin);
        a.join().expect("no panic")?;
        points
    })?;
    server.shutdown()?;
    let most = turns.try_iter().map(|t| t.bytes).max().unwrap_or(0);
    Ok((points, most))
}

fn summary(name: &str, points: &[(f64, f64)], most: usize) {
    let mut latencies: Vec<f64> = points.iter().map(|p| p.1).collect();
    latencies.sort_by(f64::total_cmp);
    let median = latencies[latencies.len() / 2];
    let max = latencies[latencies.len() - 1];
    println!(
        "{name}: B's echoes took {median:.1} ms (median), {max:.1} ms (max)"
    );
    println!("  one call of a handler read at most {most} bytes");
}

fn main() -> io::Result<()> {
    let (fair, fair_most) = run(16 * 1024)?;
    let (greedy, greedy_most) = run(usize::MAX)?;
    summary("budget 16 KiB", &fair, fair_most);
    summary("no budget", &greedy, greedy_most);
    Chart::new(
        "Echo latency of B while A floods the server",
        "milliseconds since start (when B sent the line)",
        "B's echo latency (ms)",
    )
    .series(Series::new("budget 16 KiB", fair))
    .series(Series::new("no budget", greedy))
    .show("latency")
}
