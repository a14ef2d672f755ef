//! Cell `polling_server`: version 4 of the echo server, one thread polling
//! every socket, with the blocking I/O chapter's two clients; then ten clients
//! connected at once, served by that same single thread.
//@ [[vary]]
//@ what = "port"
//@ pattern = '127\.0\.0\.1:(\d+)'
// HIDE_START
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use blocking_io::{Config, demo};
use nonblocking_io::polling;
use support::process::thread_count;
use support::timeline::Timeline;
// HIDE_END

fn main() -> io::Result<()> {
    let server = polling::start("127.0.0.1:0", Config::default())?;
    println!("version 4 listening on {}", server.local_addr());
    let timeline = Timeline::new();
    let patience = Duration::from_secs(10);
    for event in demo::two_clients(server.local_addr(), patience, &timeline)? {
        println!("  {event}");
    }

    // Ten clients at once: each sends a line while all are connected.
    let mut clients = Vec::new();
    for _ in 0..10 {
        let client = TcpStream::connect(server.local_addr())?;
        // A server that never answers ends the cell with an error, not a
        // hang.
        client.set_read_timeout(Some(patience))?;
        clients.push(client);
    }
    for (i, client) in clients.iter_mut().enumerate() {
        client.write_all(format!("client {i}\n").as_bytes())?;
    }
    let mut answered = 0;
    for (i, client) in clients.iter_mut().enumerate() {
        let expected = format!("client {i}\n");
        let mut back = vec![0; expected.len()];
        client.read_exact(&mut back)?;
        answered += usize::from(back == expected.as_bytes());
    }
    let threads = thread_count().map_or("?".into(), |n| n.to_string());
    println!("10 clients connected, {answered} echoed; threads: {threads}");
    drop(clients);
    server.shutdown();
    println!("server shut down, its one thread joined");
    timeline.show("sessions", "version 4: one thread serves A and B")
}
