//! Version 4 serves many clients at once from one thread: the process has
//! exactly one thread more while it runs. Alone in its test binary, so no
//! other test's threads are counted.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use blocking_io::Config;
use nonblocking_io::polling;
use support::process::thread_count;

#[test]
fn ten_clients_are_served_at_once_by_one_thread() {
    let before = thread_count();
    let server = polling::start("127.0.0.1:0", Config::default()).unwrap();
    let mut clients: Vec<TcpStream> = (0..10)
        .map(|_| {
            let c = TcpStream::connect(server.local_addr()).unwrap();
            // A server that never answers fails the test instead of
            // hanging it.
            c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            c
        })
        .collect();
    // Every client sends before any reads: all ten sessions are open and
    // waiting at the same moment.
    for (i, c) in clients.iter_mut().enumerate() {
        c.write_all(format!("client {i}\n").as_bytes()).unwrap();
    }
    for (i, c) in clients.iter_mut().enumerate() {
        let expected = format!("client {i}\n");
        let mut back = vec![0; expected.len()];
        c.read_exact(&mut back).unwrap();
        assert_eq!(back, expected.as_bytes());
    }
    let during = thread_count();
    if let (Some(before), Some(during)) = (before, during) {
        assert_eq!(during, before + 1, "one thread serves them all");
    }
    drop(clients);
    server.shutdown();
}
