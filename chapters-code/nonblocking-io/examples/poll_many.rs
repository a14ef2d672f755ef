//! Cell `poll_many`: corner (c), I/O multiplexing. Three
//! sockets whose peers write at different times; one thread blocks in
//! `poll(2)` on all three at once and reads whichever is ready.
//@ [[vary]]
//@ what = "time"
//@ pattern = '([\d.]+) ms'
// HIDE_START
use std::io::{self, Write};
use std::net::TcpStream;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use nonblocking_io::corners::socket_pair;
use support::measure::thread_cpu_time;
// HIDE_END

/// A peer: sleeps `delay`, writes `bytes`, and hands its socket back, still
/// open. (Dropping `peer` here instead would close it after the write.)
fn write_later(
    mut peer: TcpStream,
    delay: Duration,
    bytes: &'static [u8],
) -> JoinHandle<io::Result<TcpStream>> {
    thread::spawn(move || {
        thread::sleep(delay);
        peer.write_all(bytes)?;
        Ok(peer)
    })
}

#[cfg(unix)]
fn main() -> io::Result<()> {
    use nonblocking_io::corners::multiplexed::read_ready;

    // Peer 0 writes last, peer 1 first, peer 2 in between.
    let plan: [(u64, &'static [u8]); 3] =
        [(300, b"zero\n"), (100, b"one\n"), (200, b"two\n")];
    let mut ours = Vec::new();
    let mut writers = Vec::new();
    for (delay, bytes) in plan {
        let (socket, peer) = socket_pair()?;
        ours.push(socket);
        writers.push(write_later(peer, Duration::from_millis(delay), bytes));
    }

    let (start, cpu) = (Instant::now(), thread_cpu_time());
    let (mut heard, mut polls) = (0, 0);
    while heard < ours.len() {
        // Parks this thread until at least one socket is readable.
        let ready = read_ready(&ours)?;
        polls += 1;
        for (i, bytes) in ready {
            let text = String::from_utf8_lossy(&bytes);
            let at = start.elapsed();
            println!("{:6.1} ms: socket {i} was ready: {text:?}", ms(at));
            heard += 1;
        }
    }
    let cpu = thread_cpu_time() - cpu;
    let mut peers = Vec::new();
    for writer in writers {
        peers.push(writer.join().expect("a writer does not panic")?);
    }
    println!("poll returned {polls} times");
    println!(
        "one thread waited on 3 sockets for {:.1} ms",
        ms(start.elapsed())
    );
    println!("and used {:.1} ms of CPU", ms(cpu));
    Ok(())
}

#[cfg(not(unix))]
fn main() {
    println!("this cell calls poll(2), which needs Linux or macOS");
}

// HIDE_START
fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
// HIDE_END
