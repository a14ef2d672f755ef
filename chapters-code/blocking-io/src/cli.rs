//! What every echo server program of the book shares: `--addr HOST:PORT`,
//! the line `listening on HOST:PORT` once it is ready, and a graceful stop on
//! Ctrl-C (no new connections, the lines in flight finished, every thread
//! joined, then exit). Chapters after this one start their own servers
//! through [`run`] too.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::Config;
use crate::conformance::EchoServer;

/// The options every server program takes.
#[derive(Debug, Clone, clap::Args)]
pub struct ServerArgs {
    /// The address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:7007")]
    pub addr: String,
    /// How many connections may be open at once.
    #[arg(long, default_value_t = Config::default().max_connections)]
    pub max_connections: usize,
    /// The longest line accepted, its newline included.
    #[arg(long, default_value_t = Config::default().max_line)]
    pub max_line: usize,
    /// Seconds a read or write may block before the connection is closed.
    #[arg(long, default_value_t = Config::default().timeout.as_secs())]
    pub timeout: u64,
    /// Instead of waiting for you: connect one client, echo a line, send
    /// half a line, then press Ctrl-C on itself (what the book's cell does).
    #[arg(long)]
    pub demo: bool,
}

impl ServerArgs {
    /// The server settings these options ask for.
    pub fn config(&self) -> Config {
        Config {
            max_connections: self.max_connections,
            max_line: self.max_line,
            timeout: Duration::from_secs(self.timeout),
            ..Config::default()
        }
    }
}

// ANCHOR: run
/// Starts a server with `start`, says where it listens, and stops it
/// gracefully on Ctrl-C.
pub fn run<S: EchoServer>(
    args: &ServerArgs,
    start: impl FnOnce(&str, Config) -> io::Result<S>,
) -> io::Result<()> {
    let server = start(&args.addr, args.config())?;
    let addr = server.local_addr();
    // The handler runs on a thread of ctrlc's; all it does is tell main.
    let (ctrl_c_tx, ctrl_c) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = ctrl_c_tx.send(());
    })
    .map_err(io::Error::other)?;
    println!("listening on {addr}");
    io::stdout().flush()?;
    let demo = args.demo.then(|| thread::spawn(move || demo_client(addr)));
    // Waiting here costs nothing: the server runs on its own threads.
    let _ = ctrl_c.recv();
    println!("Ctrl-C: no new connections; finishing the sessions in flight");
    server.shutdown();
    if let Some(demo) = demo {
        demo.join()
            .map_err(|_| io::Error::other("the demo client panicked"))??;
    }
    println!("stopped: every session ended, every thread joined");
    Ok(())
}
// ANCHOR_END: run

/// The client of `--demo`: a whole line, then half a line that is in flight
/// when Ctrl-C comes. The server still echoes the half line, then closes.
fn demo_client(addr: SocketAddr) -> io::Result<()> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    stream.write_all(b"hello\n")?;
    let mut line = Vec::new();
    reader.read_until(b'\n', &mut line)?;
    println!("client: sent \"hello\\n\", got back {:?}", show(&line));
    stream.write_all(b"half a li")?;
    // The half line has reached the server (its echo cannot have: it has
    // no newline yet), so it is in flight when Ctrl-C comes.
    thread::sleep(Duration::from_millis(100));
    press_ctrl_c()?;
    let mut rest = Vec::new();
    io::Read::read_to_end(&mut reader, &mut rest)?;
    println!(
        "client: sent \"half a li\", got back {:?}, then end of input",
        show(&rest)
    );
    Ok(())
}

fn show(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Sends this process SIGINT, the signal Ctrl-C in a terminal sends.
#[cfg(unix)]
fn press_ctrl_c() -> io::Result<()> {
    nix::sys::signal::kill(
        nix::unistd::Pid::this(),
        nix::sys::signal::Signal::SIGINT,
    )
    .map_err(io::Error::from)
}

#[cfg(not(unix))]
fn press_ctrl_c() -> io::Result<()> {
    Err(io::Error::other(
        "--demo sends SIGINT, which needs Linux or macOS",
    ))
}
