//! Cell `runtime_vs_tokio_echo`: echo latency of version 6 on
//! the chapter's runtime against the same server written for tokio's
//! current-thread runtime. Ten clients (threads) each send 500 lines, one
//! at a time, and time each round trip.
//@ timeout = 60
//@ [[vary]]
//@ what = "latency"
//@ pattern = 'in (\d+) ms; median (\d+) us, 99th percentile (\d+) us'
//@ [[vary]]
//@ what = "ratio"
//@ pattern = 'ours / tokio: ([\d.]+)'
// HIDE_START
use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use blocking_io::Config;
// HIDE_END

const CLIENTS: usize = 10;
const LINES: usize = 500;

/// The same server for tokio: read with a timeout, echo each complete
/// line (the cap, `bye` and shutdown left out: they cost nothing here).
async fn tokio_session(mut stream: tokio::net::TcpStream, timeout: Duration) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let _ = stream.set_nodelay(true);
    let mut line = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = match tokio::time::timeout(timeout, stream.read(&mut buf)).await
        {
            Ok(Ok(0)) | Ok(Err(_)) | Err(_) => return,
            Ok(Ok(n)) => n,
        };
        for &b in &buf[..n] {
            line.push(b);
            if b == b'\n' {
                if stream.write_all(&line).await.is_err() {
                    return;
                }
                line.clear();
            }
        }
    }
}

/// Starts the tokio server on a thread of its own; returns its address.
fn start_tokio() -> io::Result<SocketAddr> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    listener.set_nonblocking(true)?;
    thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio starts");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener)
                .expect("a listening socket");
            loop {
                if let Ok((stream, _)) = listener.accept().await {
                    tokio::spawn(tokio_session(
                        stream,
                        Duration::from_secs(30),
                    ));
                }
            }
        });
    });
    Ok(addr)
}

/// Round-trip times of every line of every client, sorted.
fn load(addr: SocketAddr) -> io::Result<Vec<Duration>> {
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            thread::spawn(move || -> io::Result<Vec<Duration>> {
                let mut stream = TcpStream::connect(addr)?;
                stream.set_nodelay(true)?;
                let mut reader = BufReader::new(stream.try_clone()?);
                let line = format!("client {c} says hello\n");
                let mut back = String::new();
                let mut times = Vec::with_capacity(LINES);
                for _ in 0..LINES {
                    let sent = Instant::now();
                    stream.write_all(line.as_bytes())?;
                    back.clear();
                    reader.read_line(&mut back)?;
                    times.push(sent.elapsed());
                }
                assert_eq!(back, line);
                Ok(times)
            })
        })
        .collect();
    let mut all = Vec::new();
    for c in clients {
        all.extend(c.join().expect("a client thread")?);
    }
    all.sort();
    Ok(all)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p) as usize]
}

fn main() -> io::Result<()> {
    let ours = mini_runtime::echo::start("127.0.0.1:0", Config::default())?;
    let tokio_addr = start_tokio()?;
    let mut medians = Vec::new();
    for (name, addr) in
        [("tokio", tokio_addr), ("mini-runtime", ours.local_addr())]
    {
        // One round to warm up, one to measure.
        load(addr)?;
        let started = Instant::now();
        let times = load(addr)?;
        let took = started.elapsed();
        let median = percentile(&times, 0.5);
        println!(
            "{name:>12}: {} round trips in {} ms; median {} us, 99th percentile {} us",
            times.len(),
            took.as_millis(),
            median.as_micros(),
            percentile(&times, 0.99).as_micros()
        );
        medians.push(median.as_secs_f64());
    }
    println!("ours / tokio: {:.2} (median)", medians[1] / medians[0]);
    ours.shutdown()?;
    Ok(())
}
