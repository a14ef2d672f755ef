//! Cell `idle_clients`: 500 idle clients connected to version 5 (one event
//! loop) and then to the blocking I/O chapter's version 2 (a thread per
//! connection), in one process: threads and resident memory of each.
//@ timeout = 60
//@ [[vary]]
//@ what = "memory"
//@ pattern = '([\d.]+) MiB'
//@ [[vary]]
//@ what = "memory per client"
//@ pattern = '([\d.]+) KiB'
// HIDE_START
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};

use blocking_io::stats::{resident_bytes, thread_count};
use blocking_io::{Config, per_connection};
use event_loop::echo;
// HIDE_END

const CLIENTS: usize = 500;
const MIB: f64 = 1024.0 * 1024.0;

/// Connects `CLIENTS` clients, each served once (a reply proves it), and
/// prints the process's threads and memory while they are all connected.
fn connect_all(name: &str, addr: SocketAddr) -> io::Result<()> {
    let before = resident_bytes();
    let mut clients = Vec::new();
    for _ in 0..CLIENTS {
        let mut client = TcpStream::connect(addr)?;
        client.write_all(b"hi\n")?;
        client.read_exact(&mut [0; 3])?;
        clients.push(client);
    }
    let after = resident_bytes();
    let threads = thread_count().map_or("?".into(), |t| t.to_string());
    let resident =
        after.map_or("?".into(), |r| format!("{:.1} MiB", r as f64 / MIB));
    println!("{name:<24} {threads:>7} threads {resident:>12} resident");
    if let (Some(b), Some(a)) = (before, after) {
        let per = a.saturating_sub(b) as f64 / 1024.0 / CLIENTS as f64;
        println!("{:<24} about {per:.0} KiB more per idle client", "");
    }
    Ok(())
}

fn main() -> io::Result<()> {
    // 500 clients and their server connections need about 1,000 open
    // files in this process, and version 2 keeps a clone of each
    // connection: about 1,500 in all. Many systems allow 1,024 (or 256)
    // by default.
    raise_open_file_limit();
    let config = Config {
        max_connections: 1000,
        ..Config::default()
    };
    println!("{CLIENTS} idle clients, each served once:");
    let server = echo::start("127.0.0.1:0", config)?;
    connect_all("version 5 (event loop)", server.local_addr())?;
    server.shutdown()?;
    let server = per_connection::start("127.0.0.1:0", config)?;
    connect_all("version 2 (threads)", server.local_addr())?;
    server.shutdown();
    println!("both servers shut down, every thread joined");
    Ok(())
}

// HIDE_START
/// Raises this process's soft limit on open files towards its hard limit
/// (up to 4,096), as `ulimit -n` would; where it cannot, the run may stop
/// with "Too many open files".
fn raise_open_file_limit() {
    #[cfg(unix)]
    {
        use nix::sys::resource::{Resource, getrlimit, setrlimit};
        if let Ok((soft, hard)) = getrlimit(Resource::RLIMIT_NOFILE) {
            let wanted = hard.min(4096).max(soft);
            let _ = setrlimit(Resource::RLIMIT_NOFILE, wanted, hard);
        }
    }
}
// HIDE_END
