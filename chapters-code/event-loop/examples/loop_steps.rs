//! Cell `loop_steps`: the hand-built loop, message by message. A listener
//! handler accepts one client and adds a session for it; the client sends
//! a line and gets its echo; the session's timer closes it when the client
//! says nothing more; the client thread then stops the loop through its
//! waker. Every message between the loop, the OS, the timers and the
//! handlers is recorded and drawn as a sequence diagram to step through.
//@ timeout = 20
// HIDE_START
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream as Client;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use event_loop::event_loop::{
    Cx, EventLoop, Handler, LoopStats, Next, OS, Ready, WAKER,
};
use mio::net::{TcpListener, TcpStream};
use mio::{Interest, Poll, Token, Waker};
use support::sequence::{Sequence, note};
// HIDE_END

/// Accepts every client that waits, and adds a session for each.
struct Listener {
    listener: TcpListener,
}

impl Handler for Listener {
    fn ready(&mut self, cx: &mut Cx<'_>, _ready: Ready) -> Next {
        // Until `WouldBlock` (or an error): the kernel will not report
        // waiting connections again.
        while let Ok((mut stream, _)) = self.listener.accept() {
            let token = cx.new_token();
            if cx
                .registry()
                .register(&mut stream, token, Interest::READABLE)
                .is_ok()
            {
                cx.add(token, Box::new(Session { stream }));
            }
        }
        Next::Wait
    }
    fn timeout(&mut self, _cx: &mut Cx<'_>) -> Next {
        Next::Wait
    }
    fn stop(&mut self, _cx: &mut Cx<'_>) -> Next {
        Next::Close
    }
}

/// Echoes lines; closes its client 200 ms after the last echo.
struct Session {
    stream: TcpStream,
}

impl Handler for Session {
    fn ready(&mut self, cx: &mut Cx<'_>, _ready: Ready) -> Next {
        let mut buf = [0u8; 1024];
        loop {
            match self.stream.read(&mut buf) {
                Ok(0) => return Next::Close,
                Ok(n) => {
                    // A few bytes fit in an empty send buffer: the write
                    // is whole (version 5 keeps what a write leaves).
                    if self.stream.write_all(&buf[..n]).is_err() {
                        return Next::Close;
                    }
                    cx.set_timer(cx.now() + Duration::from_millis(200));
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    return Next::Wait;
                }
                Err(_) => return Next::Close,
            }
        }
    }
    fn timeout(&mut self, _cx: &mut Cx<'_>) -> Next {
        // Idle for 200 ms: closing drops the socket, which the client
        // sees as end of input.
        Next::Close
    }
    fn stop(&mut self, _cx: &mut Cx<'_>) -> Next {
        Next::Close
    }
}

/// The client thread: connects, sends a line, reads its echo, waits for
/// the session to close it, then stops the loop.
fn client(
    sequence: &Sequence,
    addr: std::net::SocketAddr,
    stop: &AtomicBool,
    waker: &Waker,
) -> io::Result<String> {
    let mut seen = 0;
    until_asleep(sequence, &mut seen);
    note("client", OS, "connect");
    let mut client = Client::connect(addr)?;
    until_asleep(sequence, &mut seen);
    note("client", OS, "send line");
    client.write_all(b"hello\n")?;
    let mut echo = String::new();
    BufReader::new(&client).read_line(&mut echo)?;
    // Blocks until the session is closed: end of input.
    let after = client.read(&mut [0u8; 16])?;
    assert_eq!(after, 0, "nothing after the echo but the end");
    until_asleep(sequence, &mut seen);
    note("client", OS, "wake");
    stop.store(true, Ordering::SeqCst);
    waker.wake()?;
    Ok(echo)
}

fn main() -> io::Result<()> {
    let (echo, sequence) = record()?;
    println!("the client got back {echo:?}");
    for (i, e) in sequence.events().iter().enumerate() {
        println!("{:>2}. {} → {}: {}", i + 1, e.from, e.to, e.label);
    }
    sequence.show(
        "messages",
        "one client, one timer and a stop, message by message",
    )?;
    Ok(())
}

/// Runs the loop with a listener, one client and a stop, recording every
/// message; returns the echo the client got, and the recording.
pub fn record() -> io::Result<(String, Arc<Sequence>)> {
    let sequence = Sequence::new(&[
        "client",
        OS,
        "loop",
        "listener",
        "session 1",
        "timers",
    ]);
    meanings(&sequence);
    let mut listener = TcpListener::bind(([127, 0, 0, 1], 0).into())?;
    let addr = listener.local_addr()?;
    let poll = Poll::new()?;
    let waker = Waker::new(poll.registry(), WAKER)?;
    let stop = AtomicBool::new(false);
    let mut event_loop =
        EventLoop::new(poll, 4096, Arc::new(LoopStats::default()));
    // Token 1 is the listener; every later token is a session.
    event_loop.name_lanes(|token| match token {
        Token(1) => "listener".to_string(),
        Token(n) => format!("session {}", n - 1),
    });
    event_loop.add(|registry, token| {
        registry.register(&mut listener, token, Interest::READABLE)?;
        Ok(Box::new(Listener { listener }))
    })?;
    let echo = sequence.record(|| {
        thread::scope(|s| {
            let talker = s.spawn(|| client(&sequence, addr, &stop, &waker));
            // The loop runs on this thread (its handlers are not `Send`)
            // until the client stops it.
            event_loop.run(&stop, Duration::from_secs(1))?;
            talker.join().expect("the client thread does not panic")
        })
    })?;
    Ok((echo, sequence))
}

// HIDE_START
/// Waits until the loop sleeps in `poll` (its last message is a wait that
/// may sleep) after the messages already `seen`: what the client does
/// next then reaches a sleeping loop, so every run tells the same story.
fn until_asleep(sequence: &Sequence, seen: &mut usize) {
    loop {
        let events = sequence.events();
        if events.len() > *seen
            && let Some(last) = events.last()
            && last.from == "loop"
            && last.to == OS
            && last.label != "poll, 0 ms"
        {
            *seen = events.len();
            return;
        }
        thread::sleep(Duration::from_millis(1));
    }
}

/// What each message means, for the stepper.
fn meanings(sequence: &Sequence) {
    let means = |label, sentence| sequence.mean(label, sentence);
    means(
        "poll, 0 ms",
        "A handler waits in the loop's queue (just added, or it returned Again), so the loop calls poll with a timeout of 0: it asks the kernel what is ready, without sleeping.",
    );
    means(
        "poll, no timeout",
        "No handler is queued and the timer heap is empty: the loop calls poll with no timeout, and sleeps until the kernel has an event, however long that takes.",
    );
    means(
        "poll until deadline",
        "No handler is queued and the timer heap holds a deadline: the loop calls poll with the time left until the earliest one, and sleeps until an event or that deadline.",
    );
    means("nothing ready", "poll returns at once, with no event.");
    means(
        "timed out",
        "No event came before the deadline: poll returns empty, and the loop goes on to its timers.",
    );
    means(
        "token 1: readable",
        "poll returns one event: token 1, the listening socket, is readable. A connection waits to be accepted.",
    );
    means(
        "token 2: readable",
        "poll returns one event: token 2, the session's socket, is readable. The client's line has arrived.",
    );
    means(
        "token 0: waker",
        "poll returns one event, for token 0, the waker's: another thread woke the loop. It calls no handler; the loop checks its stop flag at the top of the next turn.",
    );
    means(
        "ready(no event)",
        "The loop calls ready on {to}, without an event: the handler was just added, and this call is its start.",
    );
    means(
        "ready(readable)",
        "The loop calls ready on {to}: its socket is readable. The handler does what it can without blocking, until WouldBlock, and returns.",
    );
    means(
        "add handler",
        "The {from} has accepted a connection and registered its socket under a fresh token, 2; it asks the loop to add a session handler for that token.",
    );
    means(
        "set timer",
        "Having written the line back, {from} sets its timer to 200 ms from now: one deadline in the loop's heap.",
    );
    means(
        "Wait",
        "The call ends: {from} returns Wait, \"call me at my next event or timer\".",
    );
    means(
        "Close",
        "The call ends: {from} returns Close, and the loop drops it, which closes its socket.",
    );
    means(
        "due",
        "After the wait, the loop takes every deadline that has passed from its timer heap: the session's is due.",
    );
    means(
        "timeout()",
        "The loop calls timeout on {to}: its client has said nothing for 200 ms since the echo.",
    );
    means(
        "stop()",
        "At the top of the turn the loop has seen the stop flag: it calls stop on every handler, here only the {to}.",
    );
    means(
        "connect",
        "The client thread connects to the listening socket; the kernel completes the connection and queues it for accept.",
    );
    means(
        "send line",
        "The client thread sends the line \"hello\\n\" on its connection.",
    );
    means(
        "wake",
        "Closed by the server, the client thread sets the stop flag and wakes the loop through its mio::Waker, whose token 0 becomes readable.",
    );
}
// HIDE_END
