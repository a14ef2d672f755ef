//! Cell `idle_timeout`: a timeout of 300 ms, a silent client
//! and a chatty one. The loop's timer heap closes the silent one; the
//! chatty one, which sends a line every 50 ms, is never closed.
//@ [[vary]]
//@ what = "time"
//@ pattern = '(\d+) ms'
//@ [[vary]]
//@ what = "count"
//@ pattern = ':\s+(\d+)'
// HIDE_START
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::Duration;

use blocking_io::Config;
use event_loop::echo;
use support::timeline::Timeline;
// HIDE_END

fn main() -> io::Result<()> {
    let config = Config {
        timeout: Duration::from_millis(300),
        ..Config::default()
    };
    let server = echo::start("127.0.0.1:0", config)?;
    let addr = server.local_addr();
    let timeline = Timeline::new();
    let silent = thread::scope(|s| {
        let timeline = &timeline;
        let silent = s.spawn(move || -> io::Result<_> {
            let start = timeline.now();
            let mut client = TcpStream::connect(addr)?;
            // Blocks until the server closes the connection.
            let n = client.read(&mut [0u8; 16])?;
            let end = timeline.now();
            timeline.add(
                "silent client",
                "connected, says nothing",
                start,
                end,
            );
            Ok((n, end - start))
        });
        let chatty = s.spawn(move || -> io::Result<usize> {
            let start = timeline.now();
            let mut client = TcpStream::connect(addr)?;
            let mut reader = BufReader::new(client.try_clone()?);
            let mut echoed = 0;
            for i in 0..20 {
                let line = format!("line {i}\n");
                client.write_all(line.as_bytes())?;
                let mut back = String::new();
                reader.read_line(&mut back)?;
                echoed += usize::from(back == line);
                thread::sleep(Duration::from_millis(50));
            }
            client.write_all(b"bye\n")?;
            timeline.add(
                "chatty client",
                "a line every 50 ms",
                start,
                timeline.now(),
            );
            Ok(echoed)
        });
        let chatty = chatty.join().expect("no panic")?;
        println!("chatty client: {chatty} of 20 lines echoed, then bye");
        silent.join().expect("no panic")
    })?;
    let (n, after) = silent;
    println!(
        "silent client: closed by the server after {} ms ({n} bytes read)",
        after.as_millis()
    );
    let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
    println!(
        "sessions closed for idleness:      {}",
        get(&server.stats().timed_out)
    );
    println!(
        "timers that fired:                 {}",
        get(&server.loop_stats().timers_fired)
    );
    server.shutdown()?;
    timeline.show(
        "sessions",
        "a 300 ms idle timeout: the silent client is closed",
    )
}
