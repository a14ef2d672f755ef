//! Waiting for a non-blocking socket: ask again at once (busy-waiting), ask
//! again after a sleep (polling), or let the kernel wake us (`poll(2)`).
//! Each costs something different: CPU burned while nothing happens, or
//! time lost between the bytes arriving and our noticing.

use std::io::{self, ErrorKind, Read};
use std::net::TcpStream;
use std::thread;
use std::time::{Duration, Instant};

use support::measure::thread_cpu_time;

use crate::corners::{socket_pair, write_later};

/// How to wait for bytes on a non-blocking socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// `read` again at once after every `WouldBlock`.
    Busy,
    /// Sleep this long after every `WouldBlock`.
    Sleep(Duration),
    /// Block in `poll(2)` until the socket is readable (Linux, macOS).
    Poll,
}

impl Strategy {
    /// A short name for tables and charts.
    pub fn name(&self) -> String {
        match self {
            Strategy::Busy => "busy loop".into(),
            Strategy::Sleep(d) => format!("sleep {} ms", d.as_millis()),
            Strategy::Poll => "poll(2)".into(),
        }
    }
}

/// What one wait cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waited {
    /// How long the wait lasted, by the wall clock.
    pub wall: Duration,
    /// CPU time the waiting thread used.
    pub cpu: Duration,
    /// From the peer's write to our `read` returning the bytes.
    pub late: Duration,
    /// How many `read` calls answered `WouldBlock`.
    pub tries: u64,
}

// ANCHOR: wait
/// Reads from a non-blocking `stream` until bytes come, asking the way
/// `strategy` says. Returns how many reads answered `WouldBlock`.
pub fn wait_for_bytes(
    mut stream: &TcpStream,
    strategy: Strategy,
) -> io::Result<u64> {
    let mut buf = [0u8; 64];
    let mut tries = 0;
    loop {
        match stream.read(&mut buf) {
            Ok(_) => return Ok(tries),
            Err(e) if e.kind() == ErrorKind::WouldBlock => tries += 1,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
        match strategy {
            // Ask again right away.
            Strategy::Busy => {}
            // Give the core away for a while, then ask again.
            Strategy::Sleep(pause) => thread::sleep(pause),
            // Let the kernel wake us when the socket is readable.
            Strategy::Poll => wait_readable(stream)?,
        }
    }
}
// ANCHOR_END: wait

#[cfg(unix)]
fn wait_readable(stream: &TcpStream) -> io::Result<()> {
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
    use std::os::fd::AsFd;
    let mut fds = [PollFd::new(stream.as_fd(), PollFlags::POLLIN)];
    // A signal may end the wait early (EINTR): then just wait again.
    while let Err(e) = poll(&mut fds, PollTimeout::NONE) {
        if e != nix::errno::Errno::EINTR {
            return Err(e.into());
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn wait_readable(_stream: &TcpStream) -> io::Result<()> {
    // Without poll(2): fall back to a short sleep.
    thread::sleep(Duration::from_millis(1));
    Ok(())
}

/// One wait: a peer writes after `delay`; this thread waits by `strategy`.
pub fn wait_once(strategy: Strategy, delay: Duration) -> io::Result<Waited> {
    let (ours, peer) = socket_pair()?;
    ours.set_nonblocking(true)?;
    let writer = write_later(peer, delay, b"x");
    let (start, cpu_before) = (Instant::now(), thread_cpu_time());
    let tries = wait_for_bytes(&ours, strategy)?;
    let cpu = thread_cpu_time().saturating_sub(cpu_before);
    let seen = Instant::now();
    let (written, _peer) = writer
        .join()
        .map_err(|_| io::Error::other("the writer panicked"))??;
    Ok(Waited {
        wall: seen.saturating_duration_since(start),
        cpu,
        late: seen.saturating_duration_since(written),
        tries,
    })
}

/// Several waits of `delay` each, by one strategy: the CPU and tries
/// summed, the lateness of each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The strategy measured.
    pub strategy: Strategy,
    /// How long the waits lasted, all together.
    pub waited: Duration,
    /// CPU burned by all the waits together.
    pub cpu: Duration,
    /// `read` calls that answered `WouldBlock`, all together.
    pub tries: u64,
    /// How late each wait noticed the bytes, sorted.
    pub late: Vec<Duration>,
}

impl Summary {
    /// The middle lateness.
    pub fn median_late(&self) -> Duration {
        self.late
            .get(self.late.len() / 2)
            .copied()
            .unwrap_or_default()
    }

    /// CPU time burned per second of waiting, as a fraction of one core.
    pub fn cpu_share(&self) -> f64 {
        let waited = self.waited.as_secs_f64();
        if waited == 0.0 {
            0.0
        } else {
            self.cpu.as_secs_f64() / waited
        }
    }
}

/// Runs `rounds` waits of about `delay` by `strategy`. The write of wait
/// `i` lands `delay` plus an offset of `i` × 3.1 ms modulo 10 ms after the
/// wait starts (0, 3.1, 6.2, 9.3, 2.4, ... ms), so that the writes land at
/// different offsets between `delay` and `delay` + 10 ms, and the bytes
/// arrive at different points of a sleeping loop's sleep.
pub fn summarize(
    strategy: Strategy,
    delay: Duration,
    rounds: usize,
) -> io::Result<Summary> {
    let mut summary = Summary {
        strategy,
        waited: Duration::ZERO,
        cpu: Duration::ZERO,
        tries: 0,
        late: Vec::new(),
    };
    for i in 0..rounds {
        let offset = Duration::from_micros((i as u64 * 3_100) % 10_000);
        let delay = delay + offset;
        let w = wait_once(strategy, delay)?;
        summary.waited += w.wall;
        summary.cpu += w.cpu;
        summary.tries += w.tries;
        summary.late.push(w.late);
    }
    summary.late.sort();
    Ok(summary)
}
