//! Cell `blocking_read`: corner (a). A blocking `read` on a
//! socket whose peer writes 200 ms later: the thread waits the whole time,
//! and uses almost no CPU doing it.
//@ [[vary]]
//@ what = "wall time"
//@ pattern = 'waited ([\d.]+) ms'
//@ [[vary]]
//@ what = "CPU time"
//@ pattern = 'used ([\d.]+) ms'
// HIDE_START
use std::io;
use std::time::{Duration, Instant};

use nonblocking_io::corners::{blocking_read, socket_pair, write_later};
use support::measure::thread_cpu_time;
// HIDE_END

fn main() -> io::Result<()> {
    let (ours, peer) = socket_pair()?;
    // The peer writes in 200 ms; until then there is nothing to read.
    let writer = write_later(peer, Duration::from_millis(200), b"hello\n");

    let (wall, cpu) = (Instant::now(), thread_cpu_time());
    let bytes = blocking_read(&ours)?;
    let (wall, cpu) = (wall.elapsed(), thread_cpu_time() - cpu);

    writer.join().expect("the writer does not panic")?;
    println!("read {:?}", String::from_utf8_lossy(&bytes));
    println!("the reading thread waited {:.1} ms", ms(wall));
    println!("and used {:.1} ms of CPU doing it", ms(cpu));
    Ok(())
}

// HIDE_START
fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
// HIDE_END
