//! Cell `readiness`: mio, bare. Two connections are registered
//! with a `Poll`; each step makes a client do something, then asks `poll`
//! which sockets are ready. Readiness is edge-triggered: an event says
//! "something changed", once, and the reader must drain until
//! `WouldBlock`.
// HIDE_START
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream as Client};
use std::time::Duration;

use mio::net::TcpListener;
use mio::{Events, Interest, Poll, Token};
// HIDE_END

/// Waits up to `wait` and prints what came back, one line per event.
fn show(poll: &mut Poll, events: &mut Events, wait: u64) -> io::Result<()> {
    poll.poll(events, Some(Duration::from_millis(wait)))?;
    let mut lines: Vec<String> = events
        .iter()
        .map(|e| {
            let mut what = Vec::new();
            if e.is_readable() {
                what.push("readable");
            }
            if e.is_writable() {
                what.push("writable");
            }
            if e.is_read_closed() {
                what.push("read-closed");
            }
            format!("    conn {}: {}", e.token().0, what.join(", "))
        })
        .collect();
    lines.sort();
    if lines.is_empty() {
        lines.push(format!("    (no events within {wait} ms)"));
    }
    println!("{}", lines.join("\n"));
    Ok(())
}

fn main() -> io::Result<()> {
    let mut poll = Poll::new()?;
    let mut events = Events::with_capacity(16);
    let listener = TcpListener::bind("127.0.0.1:0".parse().expect("valid"))?;
    let addr = listener.local_addr()?;
    // Two clients (ordinary blocking sockets) and the server's side of each
    // (mio's non-blocking ones).
    let mut c1 = Client::connect(addr)?;
    let c2 = Client::connect(addr)?;
    let mut conns = Vec::new();
    while conns.len() < 2 {
        match listener.accept() {
            Ok((conn, _)) => conns.push(conn),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(1))
            }
            Err(e) => return Err(e),
        }
    }
    let interest = Interest::READABLE | Interest::WRITABLE;
    for (i, conn) in conns.iter_mut().enumerate() {
        poll.registry().register(conn, Token(i + 1), interest)?;
    }

    println!("1. registered both for READABLE | WRITABLE; nothing sent yet");
    show(&mut poll, &mut events, 100)?;

    println!("2. poll again, nothing has changed");
    show(&mut poll, &mut events, 100)?;

    println!("3. re-register both, same interest: the edge is re-armed");
    for (i, conn) in conns.iter_mut().enumerate() {
        poll.registry().reregister(conn, Token(i + 1), interest)?;
    }
    show(&mut poll, &mut events, 100)?;

    // Writable is true almost always; from here on, ask for reads only.
    println!("4. re-register both for READABLE only; nothing to read yet");
    for (i, conn) in conns.iter_mut().enumerate() {
        poll.registry()
            .reregister(conn, Token(i + 1), Interest::READABLE)?;
    }
    show(&mut poll, &mut events, 100)?;

    println!("5. client 1 sends \"hello\\n\"");
    c1.write_all(b"hello\n")?;
    show(&mut poll, &mut events, 1000)?;

    println!("6. conn 1 reads 3 bytes of the 6, then polls again");
    let mut three = [0u8; 3];
    conns[0].read_exact(&mut three)?;
    println!("    read {:?}", String::from_utf8_lossy(&three));
    show(&mut poll, &mut events, 100)?;

    println!("7. conn 1 drains: reads until WouldBlock");
    let mut buf = [0u8; 64];
    loop {
        match conns[0].read(&mut buf) {
            Ok(n) => {
                println!("    read {:?}", String::from_utf8_lossy(&buf[..n]))
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                println!("    WouldBlock: drained, wait for the next event");
                break;
            }
            Err(e) => return Err(e),
        }
    }

    println!("8. client 1 sends \"again\\n\": a new edge, a new event");
    c1.write_all(b"again\n")?;
    show(&mut poll, &mut events, 1000)?;

    println!("9. client 2 shuts down writing (end of input)");
    c2.shutdown(Shutdown::Write)?;
    show(&mut poll, &mut events, 1000)?;
    let n = conns[1].read(&mut buf)?;
    println!("    conn 2 reads {n} bytes: end of input");
    Ok(())
}
