//! Cell `tiny_loop`: the smallest event loop worth the name, in one file:
//! one thread, mio's `Poll`, a listener and echoing sockets, all
//! non-blocking. Two clients, one after the other, send a line, read it
//! back and hang up; the loop ends when both have gone.
use mio::net::TcpListener;
use mio::{Events, Interest, Poll, Token};
use std::collections::HashMap;
use std::io::{self, ErrorKind::WouldBlock, Read, Write};

fn main() -> io::Result<()> {
    let mut poll = Poll::new()?;
    let mut listener = TcpListener::bind(([127, 0, 0, 1], 0).into())?;
    let registry = poll.registry().try_clone()?;
    let listening = Token(0); // the listener's token; clients get 1, 2, ...
    let readable = Interest::READABLE; // all this server waits for
    registry.register(&mut listener, listening, readable)?;
    let clients = two_clients(listener.local_addr()?);
    let (mut sockets, mut next, mut gone) = (HashMap::new(), 1, 0);
    let mut events = Events::with_capacity(64);
    while gone < 2 {
        poll.poll(&mut events, None)?; // 1. sleep until a socket is ready
        for event in &events {
            let token = event.token();
            if token == listening {
                // 2. The listener: accept every client that waits.
                while let Some((mut socket, _)) = ready(listener.accept())? {
                    let token = Token(next);
                    next += 1;
                    registry.register(&mut socket, token, readable)?;
                    sockets.insert(token, socket);
                    println!("accepted a client as {token:?}");
                }
            } else if let Some(socket) = sockets.get_mut(&token) {
                // 3. A client: echo all it sent. Both loops end at
                // WouldBlock: mio's readiness is edge-triggered.
                let mut buf = [0; 1024];
                while let Some(n) = ready(socket.read(&mut buf))? {
                    if n == 0 {
                        sockets.remove(&token); // dropping the socket closes it
                        gone += 1;
                        println!("{token:?} hung up");
                        break;
                    }
                    // A shortcut: were the send buffer full, this would fail.
                    socket.write_all(&buf[..n])?;
                    println!("{token:?} sent {n} bytes; echoed them");
                }
            }
        }
    }
    clients.join().expect("the clients do not panic")
}

/// What a non-blocking call gave: `Some`, or `None` for WouldBlock.
fn ready<T>(result: io::Result<T>) -> io::Result<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(e) if e.kind() == WouldBlock => Ok(None),
        Err(e) => Err(e),
    }
}
// HIDE_START

/// Two clients, one after the other: each sends a line, reads its echo,
/// and hangs up (drops its socket).
fn two_clients(
    addr: std::net::SocketAddr,
) -> std::thread::JoinHandle<io::Result<()>> {
    std::thread::spawn(move || {
        for line in [b"hello\n", b"again\n"] {
            let mut client = std::net::TcpStream::connect(addr)?;
            client.write_all(line)?;
            client.read_exact(&mut [0; 6])?;
        }
        Ok(())
    })
}
// HIDE_END
