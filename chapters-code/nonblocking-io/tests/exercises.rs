//! Tests of the chapter's exercises: `cargo test -p nonblocking-io --test
//! exercises`. They fail until you solve the exercises in `src/exercises/`.

mod pump {
    use std::collections::VecDeque;
    use std::io::{self, ErrorKind, Read, Write};
    use std::net::{Shutdown, TcpListener, TcpStream};
    use std::thread;
    use std::time::{Duration, Instant};

    use nonblocking_io::exercises::pump::{Pump, Pumped};

    /// A source that behaves like a non-blocking socket: it gives what has
    /// "arrived", then says `WouldBlock`, or end of input once ended.
    #[derive(Default)]
    struct Source {
        arrived: VecDeque<u8>,
        ended: bool,
        /// `Interrupted` answers still to give before anything else.
        interruptions: usize,
        /// An error to give instead of bytes.
        fail: Option<ErrorKind>,
        /// Bytes handed out, in all.
        given: usize,
        /// The largest buffer a `read` offered.
        largest_offer: usize,
        /// `read`s answered with end of input.
        ends_seen: usize,
    }

    impl Source {
        fn send(&mut self, bytes: &[u8]) {
            self.arrived.extend(bytes);
        }
    }

    impl Read for Source {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.largest_offer = self.largest_offer.max(buf.len());
            if self.interruptions > 0 {
                self.interruptions -= 1;
                return Err(ErrorKind::Interrupted.into());
            }
            if let Some(kind) = self.fail {
                return Err(kind.into());
            }
            if self.arrived.is_empty() {
                if self.ended {
                    self.ends_seen += 1;
                    return Ok(0);
                }
                return Err(ErrorKind::WouldBlock.into());
            }
            let n = buf.len().min(self.arrived.len());
            for (slot, byte) in buf.iter_mut().zip(self.arrived.drain(..n)) {
                *slot = byte;
            }
            self.given += n;
            Ok(n)
        }
    }

    /// A destination that behaves like a non-blocking socket with a small
    /// send buffer: it takes at most `per_write` bytes a call, and at most
    /// `room` in all until the test gives it more.
    struct Sink {
        taken: Vec<u8>,
        room: usize,
        per_write: usize,
        interruptions: usize,
        /// Answers `Ok(0)` to every write.
        takes_nothing: bool,
    }

    impl Sink {
        fn new(room: usize, per_write: usize) -> Sink {
            Sink {
                taken: Vec::new(),
                room,
                per_write,
                interruptions: 0,
                takes_nothing: false,
            }
        }
    }

    impl Write for Sink {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.interruptions > 0 {
                self.interruptions -= 1;
                return Err(ErrorKind::Interrupted.into());
            }
            if self.takes_nothing {
                return Ok(0);
            }
            if self.room == 0 {
                return Err(ErrorKind::WouldBlock.into());
            }
            let n = buf.len().min(self.room).min(self.per_write);
            self.taken.extend_from_slice(&buf[..n]);
            self.room -= n;
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// Bytes that never repeat in a short stretch, so that a lost, doubled
    /// or swapped piece shows.
    fn pattern(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 7 + i / 251) as u8).collect()
    }

    #[test]
    fn bytes_go_through_in_pieces_and_in_order() {
        let mut pump = Pump::new(64);
        let mut from = Source::default();
        let mut to = Sink::new(usize::MAX, 3);
        // Nothing has arrived: nothing to do, and no error.
        assert_eq!(pump.pump(&mut from, &mut to).unwrap(), Pumped::Waiting);
        assert!(to.taken.is_empty());
        let data = pattern(1000);
        from.send(&data[..300]);
        assert_eq!(pump.pump(&mut from, &mut to).unwrap(), Pumped::Waiting);
        assert_eq!(to.taken, &data[..300], "all that arrived is written");
        from.send(&data[300..]);
        from.ended = true;
        assert_eq!(pump.pump(&mut from, &mut to).unwrap(), Pumped::Done);
        assert_eq!(to.taken, data);
        assert_eq!(pump.buffered(), 0);
    }

    #[test]
    fn a_stuck_writer_stops_the_reading() {
        let capacity = 16;
        let mut pump = Pump::new(capacity);
        let mut from = Source::default();
        let data = pattern(1000);
        from.send(&data);
        let mut to = Sink::new(0, usize::MAX);
        assert_eq!(pump.pump(&mut from, &mut to).unwrap(), Pumped::Waiting);
        assert_eq!(pump.buffered(), capacity, "it fills its buffer, no more");
        assert_eq!(from.given, capacity);
        // The writer takes a little at a time: the pump reads only what
        // it has room for.
        for round in 1..=10 {
            to.room += 5;
            let pumped = pump.pump(&mut from, &mut to).unwrap();
            assert_eq!(pumped, Pumped::Waiting);
            assert_eq!(to.taken.len(), 5 * round);
            assert_eq!(from.given - to.taken.len(), pump.buffered());
            assert!(pump.buffered() <= capacity);
        }
        assert!(
            from.largest_offer <= capacity,
            "a read was offered {} bytes of room",
            from.largest_offer
        );
        // The writer frees up: everything goes through in one call.
        to.room = usize::MAX;
        assert_eq!(pump.pump(&mut from, &mut to).unwrap(), Pumped::Waiting);
        assert_eq!(to.taken, data);
        assert_eq!(pump.buffered(), 0);
    }

    #[test]
    fn done_only_once_everything_is_written() {
        let mut pump = Pump::new(8);
        let mut from = Source::default();
        from.send(b"abc");
        from.ended = true;
        let mut to = Sink::new(1, usize::MAX);
        // The source has ended, but two bytes are still owed.
        assert_eq!(pump.pump(&mut from, &mut to).unwrap(), Pumped::Waiting);
        assert_eq!((to.taken.as_slice(), pump.buffered()), (&b"a"[..], 2));
        to.room = 10;
        assert_eq!(pump.pump(&mut from, &mut to).unwrap(), Pumped::Done);
        assert_eq!(to.taken, b"abc");
        // Done stays done, and the ended source is not asked again.
        assert_eq!(pump.pump(&mut from, &mut to).unwrap(), Pumped::Done);
        assert_eq!(from.ends_seen, 1, "read again after end of input");
    }

    #[test]
    fn an_empty_source_that_ends_is_done() {
        let mut pump = Pump::new(8);
        let mut from = Source {
            ended: true,
            ..Source::default()
        };
        let mut to = Sink::new(usize::MAX, usize::MAX);
        assert_eq!(pump.pump(&mut from, &mut to).unwrap(), Pumped::Done);
        assert!(to.taken.is_empty());
    }

    #[test]
    fn interrupted_calls_are_tried_again() {
        let mut pump = Pump::new(32);
        let mut from = Source {
            interruptions: 2,
            ..Source::default()
        };
        from.send(b"hello\n");
        from.ended = true;
        let mut to = Sink::new(usize::MAX, 2);
        to.interruptions = 2;
        assert_eq!(pump.pump(&mut from, &mut to).unwrap(), Pumped::Done);
        assert_eq!(to.taken, b"hello\n");
    }

    #[test]
    fn a_writer_that_takes_nothing_is_an_error() {
        let mut pump = Pump::new(32);
        let mut from = Source::default();
        from.send(b"hello\n");
        let mut to = Sink::new(usize::MAX, usize::MAX);
        to.takes_nothing = true;
        let err = pump.pump(&mut from, &mut to).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::WriteZero);
    }

    #[test]
    fn other_errors_are_passed_on() {
        let mut pump = Pump::new(32);
        let mut from = Source {
            fail: Some(ErrorKind::ConnectionReset),
            ..Source::default()
        };
        let mut to = Sink::new(usize::MAX, usize::MAX);
        let err = pump.pump(&mut from, &mut to).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ConnectionReset);
    }

    /// A connected pair of TCP sockets on 127.0.0.1.
    fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let near = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (far, _) = listener.accept().unwrap();
        (near, far)
    }

    #[test]
    fn a_relay_between_real_sockets_carries_every_byte() {
        let data = pattern(4 << 20);
        // sender -> inlet, pumped to outlet -> receiver. The two ends run
        // on threads with blocking sockets; the pump's are non-blocking.
        let (mut sender, inlet) = pair();
        let (outlet, mut receiver) = pair();
        inlet.set_nonblocking(true).unwrap();
        outlet.set_nonblocking(true).unwrap();
        let sending = {
            let data = data.clone();
            thread::spawn(move || {
                sender.write_all(&data).unwrap();
                sender.shutdown(Shutdown::Write).unwrap();
            })
        };
        let receiving = thread::spawn(move || {
            let mut got = Vec::new();
            receiver.read_to_end(&mut got).unwrap();
            got
        });
        let mut pump = Pump::new(4096);
        // A safety net, not a measurement: a pump that never finishes
        // fails the test instead of hanging it.
        let give_up = Instant::now() + Duration::from_secs(120);
        loop {
            match pump.pump(&mut &inlet, &mut &outlet).unwrap() {
                Pumped::Done => break,
                Pumped::Waiting => {
                    assert!(pump.buffered() <= 4096);
                    assert!(Instant::now() < give_up, "the pump got stuck");
                    // Version 4's way of waiting for a socket.
                    thread::sleep(Duration::from_millis(1));
                }
            }
        }
        outlet.shutdown(Shutdown::Write).unwrap();
        sending.join().unwrap();
        let got = receiving.join().unwrap();
        assert_eq!(got.len(), data.len());
        assert!(got == data, "the bytes came out changed");
    }
}
