//! Tests of the chapter's exercises: `cargo test -p blocking-io --test
//! exercises`. They fail until you solve the exercises in `src/exercises/`.

mod line_deadline {
    use std::io::{self, Read, Write};
    use std::net::{Shutdown, TcpListener, TcpStream};
    use std::sync::mpsc;
    use std::thread;
    use std::time::Duration;

    use blocking_io::exercises::line_deadline::echo_with_line_deadline;
    use blocking_io::protocol::{End, too_long_line};

    /// A server for one client, running the exercise; the channel gets how
    /// its session ended.
    fn serve_one(
        max_line: usize,
        line_time: Duration,
    ) -> (TcpStream, mpsc::Receiver<io::Result<End>>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            let ended = echo_with_line_deadline(&stream, max_line, line_time);
            let _ = tx.send(ended);
        });
        let client = TcpStream::connect(addr).unwrap();
        client
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        (client, rx)
    }

    fn ended(rx: &mpsc::Receiver<io::Result<End>>) -> io::Result<End> {
        rx.recv_timeout(Duration::from_secs(10))
            .expect("the session ended (did the exercise panic?)")
    }

    fn read_exactly(client: &mut TcpStream, n: usize) -> Vec<u8> {
        let mut back = vec![0; n];
        client.read_exact(&mut back).expect("the echo comes back");
        back
    }

    #[test]
    fn lines_come_back_exactly_and_bye_ends() {
        let (mut client, rx) = serve_one(64, Duration::from_secs(5));
        for line in [&b"hello\n"[..], b"crlf\r\n", b"\xff\xfe nul \0\n"] {
            client.write_all(line).unwrap();
            assert_eq!(read_exactly(&mut client, line.len()), line);
        }
        // Two lines in one write, the second one `bye`.
        client.write_all(b"last\nbye\r\n").unwrap();
        assert_eq!(read_exactly(&mut client, 10), b"last\nbye\r\n");
        assert_eq!(ended(&rx).unwrap(), End::Bye);
    }

    #[test]
    fn a_steady_client_outlives_the_line_time() {
        // Each line arrives whole at once; together they take longer than
        // one line may. Only the single line has a deadline.
        let line_time = Duration::from_millis(400);
        let (mut client, rx) = serve_one(64, line_time);
        for i in 0..8 {
            let line = format!("line {i}\n");
            client.write_all(line.as_bytes()).unwrap();
            assert_eq!(read_exactly(&mut client, line.len()), line.as_bytes());
            thread::sleep(line_time / 4);
        }
        client.write_all(b"bye\n").unwrap();
        assert_eq!(read_exactly(&mut client, 4), b"bye\n");
        assert_eq!(ended(&rx).unwrap(), End::Bye);
    }

    #[test]
    fn a_trickling_client_is_cut_off() {
        // One byte every 100 ms: never quiet for long, but the line needs
        // a second, and it may take 300 ms.
        let (mut client, rx) = serve_one(64, Duration::from_millis(300));
        let line = b"slowloris\n";
        let mut sent = 0;
        for byte in line {
            // A write fails once the server has closed; before that, stop
            // as soon as the session has ended.
            if client.write_all(&[*byte]).is_err() {
                break;
            }
            sent += 1;
            if let Ok(result) = rx.recv_timeout(Duration::from_millis(100)) {
                let kind = result.expect_err("a late line is an error").kind();
                assert_eq!(kind, io::ErrorKind::TimedOut);
                assert!(sent < line.len(), "cut off after {sent} bytes");
                return;
            }
        }
        let result = ended(&rx);
        panic!("the whole line was sent, then the session ended: {result:?}");
    }

    #[test]
    fn an_endless_line_is_refused() {
        let (mut client, rx) = serve_one(16, Duration::from_secs(5));
        client.write_all(&[b'x'; 100]).unwrap();
        assert_eq!(ended(&rx).unwrap(), End::TooLong);
        let expected = too_long_line(16);
        assert_eq!(read_exactly(&mut client, expected.len()), expected);
    }

    #[test]
    fn half_a_line_at_the_end_comes_back() {
        let (mut client, rx) = serve_one(64, Duration::from_secs(5));
        client.write_all(b"whole\nhalf").unwrap();
        client.shutdown(Shutdown::Write).unwrap();
        let mut all = Vec::new();
        client.read_to_end(&mut all).unwrap();
        assert_eq!(all, b"whole\nhalf");
        assert_eq!(ended(&rx).unwrap(), End::Eof);
    }
}
