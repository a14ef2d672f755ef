//! Version 1 against the conformance suite. It serves one client at a
//! time, so it is checked for making the second client wait, and it has no
//! cap to check (extra clients wait in the kernel's queue).

blocking_io::conformance!(blocking_io::single::start, OneAtATime);

/// The plain loop serves clients one after the other. It is handed two
/// connections only, so that it ends and its thread can be joined: given
/// `listener.incoming()` itself, nothing would end it.
#[test]
fn the_plain_loop_serves_clients_in_turn() {
    use std::io::{BufRead, BufReader, Write};
    use std::net::{TcpListener, TcpStream};

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let config = blocking_io::Config::default();
    let server = std::thread::spawn(move || {
        blocking_io::single::serve_in_turn(listener.incoming().take(2), &config)
    });
    for name in ["A", "B"] {
        let mut client = TcpStream::connect(addr).unwrap();
        let mut reader = BufReader::new(client.try_clone().unwrap());
        for line in [format!("hello from {name}\n"), "bye\n".to_string()] {
            client.write_all(line.as_bytes()).unwrap();
            let mut back = String::new();
            reader.read_line(&mut back).unwrap();
            assert_eq!(back, line);
        }
    }
    server.join().unwrap();
}
