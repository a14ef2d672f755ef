//! Cell `slow_reader`: a client sends 16 bursts of 256 KiB of
//! lines, as fast as it can, and reads each burst's echoes slowly. The
//! server's writes often return `WouldBlock`; each time, the session keeps
//! the unsent bytes and asks for WRITABLE, and it stops reading while it
//! owes its limit; once everything is sent, it drops WRITABLE again.
//@ timeout = 60
//@ [[vary]]
//@ what = "count"
//@ pattern = ':\s+(\d+)'
// HIDE_START
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use blocking_io::Config;
use event_loop::echo::{self, Options};
// HIDE_END

/// The client sends this many bursts of lines, and reads each burst's
/// echo, slowly, before it sends the next.
const BURSTS: usize = 16;
const BURST: usize = 256 * 1024;

fn main() -> io::Result<()> {
    // Small buffers on both sides, so they fill after a few KiB.
    let options = Options {
        send_buffer: Some(16 * 1024),
        ..Options::default()
    };
    let max_owed = options.max_owed;
    let server = echo::start_with("127.0.0.1:0", Config::default(), options)?;
    let mut client = TcpStream::connect(server.local_addr())?;
    set_receive_buffer(&client, 64 * 1024);
    client.set_nodelay(true)?;
    let mut reader = client.try_clone()?;
    let line = b"a line of the slow reader's, echoed in pieces\n";
    let per_burst = BURST / line.len();
    let (go_tx, go) = mpsc::channel::<()>();
    let writer = thread::spawn(move || -> io::Result<()> {
        // One burst each time the reader says go.
        while go.recv().is_ok() {
            for _ in 0..per_burst {
                client.write_all(line)?;
            }
        }
        Ok(())
    });
    let mut buf = vec![0u8; 16 * 1024];
    for _ in 0..BURSTS {
        let _ = go_tx.send(());
        // Read the burst's echo 16 KiB at a time, pausing after each read.
        let mut got = 0;
        while got < per_burst * line.len() {
            let n = reader.read(&mut buf)?;
            if n == 0 {
                return Err(io::Error::other("the server closed early"));
            }
            got += n;
            thread::sleep(Duration::from_micros(500));
        }
    }
    drop(go_tx);
    writer.join().expect("the writer does not panic")?;
    let lines = BURSTS * per_burst;
    println!("the client sent {lines} lines and read every byte back");
    let s = server.stats();
    let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
    println!("the server, meanwhile, on its one thread:");
    println!(
        "  writes that took only part:          {}",
        get(&s.partial_writes)
    );
    println!(
        "  writes that returned WouldBlock:     {}",
        get(&s.write_would_block)
    );
    println!(
        "  times WRITABLE was added:            {}",
        get(&s.writable_on)
    );
    println!(
        "  times WRITABLE was removed:          {}",
        get(&s.writable_off)
    );
    println!(
        "  most bytes owed to the client:       {}",
        get(&s.max_owed)
    );
    println!(
        "  most bytes held, line included:      {}",
        get(&s.max_buffered)
    );
    println!("  bytes it may owe before it stops reading: {max_owed}");
    server.shutdown()
}

// HIDE_START
/// Asks for a small receive buffer (SO_RCVBUF), on Linux and macOS.
fn set_receive_buffer(stream: &TcpStream, size: usize) {
    #[cfg(unix)]
    {
        use nix::sys::socket::{setsockopt, sockopt::RcvBuf};
        let _ = setsockopt(stream, RcvBuf, &size);
    }
    #[cfg(not(unix))]
    let _ = (stream, size);
}
// HIDE_END
