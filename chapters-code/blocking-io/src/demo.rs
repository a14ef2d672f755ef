//! A script of two clients, A and B, that shows whether a server serves B
//! while A is still connected. The cells run it against each version.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use support::timeline::Timeline;

/// One client: a socket and a reader of lines over it.
pub struct Client {
    stream: TcpStream,
    reader: BufReader<TcpStream>,
}

impl Client {
    /// Connects to `addr`.
    pub fn connect(addr: SocketAddr) -> io::Result<Client> {
        let stream = TcpStream::connect(addr)?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        let reader = BufReader::new(stream.try_clone()?);
        Ok(Client { stream, reader })
    }

    /// Sends `line` (with its `\n`).
    pub fn send(&mut self, line: &str) -> io::Result<()> {
        self.stream.write_all(line.as_bytes())
    }

    /// Reads one line (with its `\n`; empty at end of input).
    pub fn read_line(&mut self) -> io::Result<String> {
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        Ok(line)
    }

    /// Sends `line` and reads the line that comes back.
    pub fn echo(&mut self, line: &str) -> io::Result<String> {
        self.send(line)?;
        self.read_line()
    }
}

fn expect_echo(sent: &str, got: &str) -> io::Result<()> {
    if sent == got {
        Ok(())
    } else {
        Err(io::Error::other(format!("sent {sent:?}, got {got:?}")))
    }
}

/// How long a client "thinks" between steps, so the picture shows them.
const THINK: Duration = Duration::from_millis(100);

// ANCHOR: two_clients
/// Runs A and B against the server at `addr` and returns what happened, in
/// order. B's reply is awaited for `patience` while A is still connected.
/// Both sessions are drawn on `timeline`.
pub fn two_clients(
    addr: SocketAddr,
    patience: Duration,
    timeline: &Timeline,
) -> io::Result<Vec<String>> {
    let mut events = Vec::new();
    let a_start = timeline.now();
    let mut a = Client::connect(addr)?;
    expect_echo("hello from A\n", &a.echo("hello from A\n")?)?;
    events.push("A: connected; its line came back".to_string());
    thread::sleep(THINK);

    let (sent_tx, sent_rx) = mpsc::channel();
    let (echo_tx, echo_rx) = mpsc::channel();
    let (bye_tx, bye_rx) = mpsc::channel::<()>();
    thread::scope(|s| {
        let b = s.spawn(move || -> io::Result<()> {
            let b_start = timeline.now();
            let mut b = Client::connect(addr)?;
            b.send("hello from B\n")?;
            let _ = sent_tx.send(());
            let line = b.read_line()?;
            let served = timeline.now();
            timeline.add("client B", "waits", b_start, served);
            let _ = echo_tx.send(line);
            // Stay connected until main says it is time to leave.
            let _ = bye_rx.recv();
            thread::sleep(THINK);
            expect_echo("bye\n", &b.echo("bye\n")?)?;
            timeline.add("client B", "served", served, timeline.now());
            Ok(())
        });
        let _ = sent_rx.recv();
        events.push("B: connected and sent a line, A still connected".into());
        let mut b_echo = echo_rx.recv_timeout(patience).ok();
        events.push(
            match &b_echo {
                Some(_) => "B: its line came back while A is still connected",
                None => "B: no reply yet, A is still connected",
            }
            .into(),
        );
        thread::sleep(THINK);
        expect_echo("more from A\n", &a.echo("more from A\n")?)?;
        events.push("A: sent another line; it came back".into());
        expect_echo("bye\n", &a.echo("bye\n")?)?;
        timeline.add("client A", "served", a_start, timeline.now());
        events.push("A: said bye".into());
        if b_echo.is_none() {
            b_echo = echo_rx.recv_timeout(Duration::from_secs(30)).ok();
            events.push("B: its line came back, after A left".into());
        }
        expect_echo("hello from B\n", b_echo.as_deref().unwrap_or(""))?;
        let _ = bye_tx.send(());
        b.join().expect("client B does not panic")?;
        events.push("B: said bye".into());
        Ok(events)
    })
}
// ANCHOR_END: two_clients
