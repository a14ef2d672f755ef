//! What the `readiness` cell shows, checked: mio's readiness is
//! edge-triggered. An event comes when something changes, once; a reader
//! that stops before `WouldBlock` gets no second event for the bytes it
//! left behind.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream as Client};
use std::time::Duration;

use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token};

fn pair(poll: &Poll) -> (Client, TcpStream) {
    let (client, mut conn) = unregistered();
    poll.registry()
        .register(&mut conn, Token(1), Interest::READABLE)
        .unwrap();
    (client, conn)
}

/// A client and the server's side of its connection, not registered yet.
fn unregistered() -> (Client, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let client = Client::connect(listener.local_addr().unwrap()).unwrap();
    let conn = loop {
        match listener.accept() {
            Ok((conn, _)) => break conn,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(1))
            }
            Err(e) => panic!("{e}"),
        }
    };
    (client, conn)
}

/// Polls and returns (readable, read-closed) of token 1, if it had an
/// event within `ms`.
fn wait(poll: &mut Poll, ms: u64) -> Option<(bool, bool)> {
    let mut events = Events::with_capacity(8);
    poll.poll(&mut events, Some(Duration::from_millis(ms)))
        .unwrap();
    events
        .iter()
        .find(|e| e.token() == Token(1))
        .map(|e| (e.is_readable(), e.is_read_closed()))
}

#[test]
fn one_event_per_change_and_none_for_bytes_left_behind() {
    let mut poll = Poll::new().unwrap();
    let (mut client, mut conn) = pair(&poll);
    client.write_all(b"hello\n").unwrap();
    assert_eq!(wait(&mut poll, 10_000), Some((true, false)));
    // Not read yet: no second event.
    assert_eq!(wait(&mut poll, 100), None);
    // Read part of it: still no event for the rest.
    conn.read_exact(&mut [0u8; 3]).unwrap();
    assert_eq!(wait(&mut poll, 100), None);
    // The rest is there all the same; then WouldBlock.
    let mut rest = [0u8; 16];
    assert_eq!(conn.read(&mut rest).unwrap(), 3);
    let err = conn.read(&mut rest).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
    // New bytes: a new edge, a new event.
    client.write_all(b"again\n").unwrap();
    assert_eq!(wait(&mut poll, 10_000), Some((true, false)));
}

#[test]
fn end_of_input_is_readable_and_read_closed() {
    let mut poll = Poll::new().unwrap();
    let (client, mut conn) = pair(&poll);
    client.shutdown(Shutdown::Write).unwrap();
    assert_eq!(wait(&mut poll, 10_000), Some((true, true)));
    assert_eq!(conn.read(&mut [0u8; 8]).unwrap(), 0);
}

#[test]
fn registering_reports_readiness_that_already_exists() {
    // Bytes that arrived before the socket was registered are not lost:
    // registration reports them, as an event of its own.
    let mut poll = Poll::new().unwrap();
    let (mut client, mut conn) = unregistered();
    client.write_all(b"early\n").unwrap();
    std::thread::sleep(Duration::from_millis(50));
    poll.registry()
        .register(&mut conn, Token(1), Interest::READABLE)
        .unwrap();
    assert_eq!(wait(&mut poll, 10_000), Some((true, false)));
}

#[test]
fn reregistering_rearms_the_edge() {
    // An event was reported and nothing was read: no second event, until
    // a re-registration reports the current state again.
    let mut poll = Poll::new().unwrap();
    let (mut client, mut conn) = pair(&poll);
    client.write_all(b"hello\n").unwrap();
    assert_eq!(wait(&mut poll, 10_000), Some((true, false)));
    assert_eq!(wait(&mut poll, 100), None);
    poll.registry()
        .reregister(&mut conn, Token(1), Interest::READABLE)
        .unwrap();
    assert_eq!(wait(&mut poll, 10_000), Some((true, false)));
}
