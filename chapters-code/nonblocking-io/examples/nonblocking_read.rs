//! Cell `nonblocking_read`: corner (b). The same socket, made
//! non-blocking: every `read` answers at once, and between tries the
//! thread does other work, here pieces of 1 ms of computation.
//@ [[vary]]
//@ what = "count"
//@ pattern = '(\d+) (?:times|pieces)'
//@ [[vary]]
//@ what = "time"
//@ pattern = '([\d.]+) ms of'
//@ [[vary]]
//@ what = "lateness"
//@ pattern = '([\d.]+) ms after'
// HIDE_START
use std::io;
use std::time::{Duration, Instant};

use nonblocking_io::corners::{nonblocking_read, socket_pair, write_later};
use support::measure::{spin_cpu, thread_cpu_time};
// HIDE_END

fn main() -> io::Result<()> {
    let (ours, peer) = socket_pair()?;
    let writer = write_later(peer, Duration::from_millis(200), b"hello\n");

    let cpu = thread_cpu_time();
    // Each piece of other work is 1 ms of computing.
    let tries = nonblocking_read(&ours, || {
        spin_cpu(Duration::from_millis(1));
    })?;
    let cpu = thread_cpu_time() - cpu;

    let seen = Instant::now();
    let (written, _peer) = writer.join().expect("the writer does not panic")?;
    println!("read {:?}", String::from_utf8_lossy(&tries.bytes));
    println!("read answered WouldBlock {} times", tries.would_block);
    println!(
        "meanwhile the thread did {} pieces of work",
        tries.work_done
    );
    println!("it used {:.1} ms of CPU, on the work", ms(cpu));
    let late = seen.saturating_duration_since(written);
    println!("and saw the bytes {:.1} ms after the peer wrote", ms(late));
    Ok(())
}

// HIDE_START
fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
// HIDE_END
