//! Cell `one_thread`: version 5, an event loop on one thread, runs the blocking
//! I/O chapter's two-client script, then holds 100 clients at once. The
//! process's thread count stays at two: `main` and the loop.
//@ [[vary]]
//@ what = "port"
//@ pattern = '127\.0\.0\.1:(\d+)'
// HIDE_START
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use blocking_io::stats::thread_count;
use blocking_io::{Config, demo};
use event_loop::echo;
use support::timeline::Timeline;
// HIDE_END

fn threads() -> String {
    thread_count().map_or("?".into(), |n| n.to_string())
}

fn main() -> io::Result<()> {
    let config = Config {
        max_connections: 1000,
        ..Config::default()
    };
    let server = echo::start("127.0.0.1:0", config)?;
    println!("version 5 listening on {}", server.local_addr());
    println!("threads in this process: {} (main, the loop)", threads());
    let timeline = Timeline::new();
    let patience = Duration::from_secs(10);
    for event in demo::two_clients(server.local_addr(), patience, &timeline)? {
        println!("  {event}");
    }
    // A hundred clients, each connected and served once, all still open.
    let mut clients = Vec::new();
    for i in 0..100 {
        let mut client = TcpStream::connect(server.local_addr())?;
        let line = format!("client {i:03}\n");
        client.write_all(line.as_bytes())?;
        let mut back = vec![0; line.len()];
        client.read_exact(&mut back)?;
        if back != line.as_bytes() {
            return Err(io::Error::other(format!("{line:?} came back wrong")));
        }
        clients.push(client);
    }
    println!(
        "100 clients connected and echoed; threads in this process: {}",
        threads()
    );
    drop(clients);
    server.shutdown()?;
    println!("server shut down, its one thread joined");
    timeline.show("sessions", "version 5: one thread serves A and B at once")
}
