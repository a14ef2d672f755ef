//! The budget per call: a handler that always has more work cannot starve
//! another, and the echo server's sessions never read more than a budget
//! in one call.

use std::cell::Cell;
use std::io::{Read, Write};
use std::net::TcpStream as Client;
use std::rc::Rc;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Duration;

use blocking_io::Config;
use event_loop::echo::{self, Options, Turn};
use event_loop::event_loop::{Cx, EventLoop, Handler, LoopStats, Next, Ready};
use mio::net::{TcpListener, TcpStream};
use mio::{Interest, Poll};

/// Always has more to do: returns `Again` until `done` is set (or it has
/// been called a million times, which would mean the loop starved the
/// other handler). On its 10th call it makes the other handler's client
/// send its line: the line arrives while the loop is already running, with
/// this handler in its `Again` queue on every turn.
struct Busy {
    calls: Rc<Cell<u64>>,
    done: Rc<Cell<bool>>,
    client: Option<Client>,
}

impl Handler for Busy {
    fn ready(&mut self, _cx: &mut Cx<'_>, _ready: Ready) -> Next {
        self.calls.set(self.calls.get() + 1);
        if self.calls.get() == 10
            && let Some(mut client) = self.client.take()
        {
            client.write_all(b"hello\n").unwrap();
            // Keep the connection open: the reader waits for the line.
            self.client = Some(client);
        }
        if self.done.get() || self.calls.get() >= 1_000_000 {
            Next::Close
        } else {
            Next::Again
        }
    }
    fn timeout(&mut self, _cx: &mut Cx<'_>) -> Next {
        Next::Again
    }
    fn stop(&mut self, _cx: &mut Cx<'_>) -> Next {
        Next::Close
    }
}

/// Reads one line from its socket, then says so and closes.
struct Reader {
    stream: TcpStream,
    busy_calls: Rc<Cell<u64>>,
    served_after: Rc<Cell<Option<u64>>>,
    done: Rc<Cell<bool>>,
}

impl Handler for Reader {
    fn ready(&mut self, _cx: &mut Cx<'_>, _ready: Ready) -> Next {
        let mut buf = [0u8; 16];
        match self.stream.read(&mut buf) {
            Ok(n) if n > 0 => {
                self.served_after.set(Some(self.busy_calls.get()));
                self.done.set(true);
                Next::Close
            }
            _ => Next::Wait,
        }
    }
    fn timeout(&mut self, _cx: &mut Cx<'_>) -> Next {
        Next::Wait
    }
    fn stop(&mut self, _cx: &mut Cx<'_>) -> Next {
        Next::Close
    }
}

#[test]
fn a_handler_that_always_has_more_does_not_starve_the_others() {
    let listener = TcpListener::bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let client = Client::connect(listener.local_addr().unwrap()).unwrap();
    let stream = loop {
        if let Ok((s, _)) = listener.accept() {
            break s;
        }
        thread::sleep(Duration::from_millis(1));
    };
    let calls = Rc::new(Cell::new(0));
    let done = Rc::new(Cell::new(false));
    let served_after = Rc::new(Cell::new(None));
    let stats = Arc::new(LoopStats::default());
    let mut event_loop = EventLoop::new(Poll::new().unwrap(), 1, stats);
    event_loop
        .add(|_, _| {
            Ok(Box::new(Busy {
                calls: Rc::clone(&calls),
                done: Rc::clone(&done),
                client: Some(client),
            }))
        })
        .unwrap();
    let (c, d, s) = (
        Rc::clone(&calls),
        Rc::clone(&done),
        Rc::clone(&served_after),
    );
    event_loop
        .add(move |registry, token| {
            let mut stream = stream;
            registry.register(&mut stream, token, Interest::READABLE)?;
            Ok(Box::new(Reader {
                stream,
                busy_calls: c,
                served_after: s,
                done: d,
            }))
        })
        .unwrap();
    // Nothing is sent yet: the busy handler sends the line from inside
    // the loop, so the reader is served only if the loop still polls for
    // events while a handler keeps returning `Again`.
    event_loop
        .run(&AtomicBool::new(false), Duration::ZERO)
        .unwrap();
    let after = served_after.get().expect("the reader was served");
    // One poll per busy call: the reader's event comes a few turns after
    // the 10th call, never after a million.
    assert!(after >= 10, "the line was read before it was sent");
    assert!(after < 1000, "the reader waited {after} busy calls");
}

#[test]
fn no_call_of_a_session_reads_more_than_the_budget() {
    let budget = 1000;
    let (trace, turns) = mpsc::channel::<Turn>();
    let options = Options {
        budget,
        trace: Some(trace),
        ..Options::default()
    };
    let server =
        echo::start_with("127.0.0.1:0", Config::default(), options).unwrap();
    let mut client = Client::connect(server.local_addr()).unwrap();
    let mut reader = client.try_clone().unwrap();
    // 1 MiB of lines in one write, read back on another thread.
    let lines = b"0123456789abcdef\n".repeat(1 << 16);
    let len = lines.len();
    let drain = thread::spawn(move || {
        let mut back = vec![0u8; len];
        reader.read_exact(&mut back).unwrap();
        back
    });
    client.write_all(&lines).unwrap();
    assert_eq!(drain.join().unwrap(), lines);
    server.shutdown().unwrap();
    let turns: Vec<Turn> = turns.try_iter().collect();
    let read: usize = turns.iter().map(|t| t.bytes).sum();
    assert_eq!(read, len, "every byte was read, in traced calls");
    let most = turns.iter().map(|t| t.bytes).max().unwrap();
    assert!(most <= budget, "one call read {most} bytes");
}
