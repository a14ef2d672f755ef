//! What the polling server costs while its clients do nothing, and how
//! long an echo takes, for a given sleep after an idle round.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::{Duration, Instant};

use blocking_io::Config;
use support::measure::measure;

use crate::polling::{self, Options};

/// One measurement of the polling server.
#[derive(Debug, Clone, PartialEq)]
pub struct Cost {
    /// The sleep after an idle round.
    pub idle_sleep: Duration,
    /// CPU time used per second of wall time while every client was idle:
    /// 1.0 is one core kept fully busy.
    pub cpu_share: f64,
    /// Round trips of a line from one more client, sorted.
    pub echoes: Vec<Duration>,
}

impl Cost {
    /// The middle round trip.
    pub fn median_echo(&self) -> Duration {
        self.echoes
            .get(self.echoes.len() / 2)
            .copied()
            .unwrap_or_default()
    }
}

// ANCHOR: measure
/// Starts the polling server with `idle_sleep`, connects `idle` clients
/// that each send one line and then say nothing, and measures the CPU the
/// process uses for `window` while this thread sleeps: the server's loop
/// is the only thing running. Then one more client sends `echoes` lines,
/// pausing between them, and each round trip is timed.
pub fn measure_polling(
    idle: usize,
    idle_sleep: Duration,
    window: Duration,
    echoes: usize,
) -> io::Result<Cost> {
    let config = Config {
        max_connections: idle + 1,
        ..Config::default()
    };
    let options = Options { idle_sleep };
    let server = polling::start_with("127.0.0.1:0", config, options)?;
    let mut clients = Vec::new();
    // Every read below gives up after this: a stuck server (or one out of
    // file descriptors) fails the measurement instead of hanging it.
    let patience = Some(Duration::from_secs(10));
    for _ in 0..idle {
        let mut client = TcpStream::connect(server.local_addr())?;
        client.set_read_timeout(patience)?;
        // A reply proves the server has taken this client in.
        client.write_all(b"hi\n")?;
        client.read_exact(&mut [0; 3])?;
        clients.push(client);
    }
    let ((), usage) = measure(|| thread::sleep(window));

    let mut active = TcpStream::connect(server.local_addr())?;
    active.set_nodelay(true)?;
    active.set_read_timeout(patience)?;
    let mut reader = BufReader::new(active.try_clone()?);
    let mut times = Vec::new();
    let mut line = Vec::new();
    for i in 0..echoes {
        // Pauses of 0 to 10 ms, so lines arrive at every point of the
        // server's sleep, not always just after it went to sleep.
        thread::sleep(Duration::from_millis((i as u64 * 7) % 11));
        let sent = Instant::now();
        active.write_all(b"ping\n")?;
        line.clear();
        reader.read_until(b'\n', &mut line)?;
        times.push(sent.elapsed());
    }
    times.sort();
    drop(clients);
    server.shutdown();
    Ok(Cost {
        idle_sleep,
        cpu_share: usage.cpu_per_wall(),
        echoes: times,
    })
}
// ANCHOR_END: measure
