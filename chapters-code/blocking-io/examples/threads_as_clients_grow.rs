//! Cell `threads_as_clients_grow`: idle clients connected to
//! version 2 cost a thread each; to version 3, nothing more, but only as
//! many are served as there are workers.
//@ timeout = 60
//@ [[vary]]
//@ what = "memory"
//@ pattern = '([\d.]+) MiB'
//@ [[vary]]
//@ what = "memory per client"
//@ pattern = '([\d.]+) KiB'
// HIDE_START
use std::io::{self, Read, Write};
use std::net::TcpStream;

use blocking_io::stats::{resident_bytes, thread_count};
use blocking_io::{Config, per_connection, pool};
// HIDE_END

const MIB: f64 = 1024.0 * 1024.0;

fn show(threads: Option<usize>, resident: Option<u64>) -> String {
    let threads = threads.map_or("?".to_string(), |t| t.to_string());
    let resident = resident
        .map_or("?".to_string(), |r| format!("{:.1} MiB", r as f64 / MIB));
    format!("{threads:>7} threads {resident:>12} resident")
}

fn main() -> io::Result<()> {
    // 500 clients and their server connections in one process need about
    // 1,500 file descriptors; many systems allow 1,024 (or 256) by default.
    raise_open_file_limit();
    let config = Config {
        max_connections: 1000,
        ..Config::default()
    };
    println!("version 2, a thread per connection:");
    let before = resident_bytes();
    println!("  {:>4} clients {}", 0, show(thread_count(), before));
    for n in [10, 100, 500] {
        let server = per_connection::start("127.0.0.1:0", config)?;
        let mut clients = Vec::new();
        for _ in 0..n {
            let mut client = TcpStream::connect(server.local_addr())?;
            // A reply proves this client's thread is running.
            client.write_all(b"hi\n")?;
            client.read_exact(&mut [0; 3])?;
            clients.push(client);
        }
        let resident = resident_bytes();
        println!("  {n:>4} clients {}", show(thread_count(), resident));
        if let (Some(b), Some(r), 500) = (before, resident, n) {
            let per = (r.saturating_sub(b)) as f64 / 1024.0 / n as f64;
            println!("  about {per:.0} KiB more resident per idle client");
        }
        drop(clients);
        server.shutdown();
    }

    let workers = 4;
    println!("version 3, a pool of {workers} workers:");
    let server = pool::start("127.0.0.1:0", Config { workers, ..config })?;
    let mut clients = Vec::new();
    for _ in 0..500 {
        let mut client = TcpStream::connect(server.local_addr())?;
        client.write_all(b"hi\n")?;
        clients.push(client);
    }
    let mut served = 0;
    for client in &mut clients[..workers] {
        client.read_exact(&mut [0; 3])?;
        served += 1;
    }
    println!(
        "  {:>4} clients {}",
        500,
        show(thread_count(), resident_bytes())
    );
    println!("  {served} served at once; the other {} wait", 500 - served);
    drop(clients);
    server.shutdown();
    println!("every server shut down, every thread joined");
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
