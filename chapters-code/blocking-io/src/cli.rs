//! What every echo server program of the book shares: `--addr HOST:PORT`,
//! the line `listening on HOST:PORT (at most N connections)` once it is
//! ready, a cap that fits the server's design, and a graceful stop on
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
    /// How many connections may be open at once [default: as many as the
    /// server's design lets this process hold; the `listening on` line
    /// says how many].
    #[arg(long)]
    pub max_connections: Option<usize>,
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

/// What a server spends on each connection, which decides how many it
/// can hold and so its default cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    /// A thread, and two file descriptors (its socket, and the copy kept
    /// to stop it): as many as the process may start threads and open
    /// files.
    ThreadEach,
    /// A file descriptor, and a small record on one thread or a few (the
    /// event loops and the async servers): as many as it may open files.
    DescriptorEach,
    /// A fixed number, whatever the machine (the pool: its workers and
    /// queue).
    AtMost(usize),
}

/// Descriptors and threads kept out of the cap, for everything else the
/// process opens and starts.
const RESERVED: u64 = 64;
/// The most open files a server asks for on its own (it may raise its
/// soft limit up to the hard one, which can be "unlimited").
const OPEN_FILES_WANTED: u64 = 1 << 16;

impl Holds {
    /// The cap a server gets when `--max-connections` is not given. Raises
    /// this process's soft open-file limit as far as the hard one allows
    /// (up to 65,536), as a server meant for many clients should.
    pub fn default_cap(self) -> usize {
        let files = || {
            crate::limits::raise_open_files(OPEN_FILES_WANTED)
                .map(|soft| soft.saturating_sub(RESERVED))
        };
        let cap = match self {
            Holds::AtMost(n) => return n,
            Holds::DescriptorEach => files(),
            Holds::ThreadEach => {
                let threads = crate::limits::threads()
                    .map(|t| t.saturating_sub(RESERVED));
                match (files().map(|f| f / 2), threads) {
                    (Some(f), Some(t)) => Some(f.min(t)),
                    (f, t) => f.or(t),
                }
            }
        };
        // No limit the system says (not a Unix): a thousand, as a guess
        // that no ordinary machine refuses.
        cap.map_or(1000, |c| usize::try_from(c.max(1)).unwrap_or(usize::MAX))
    }
}

impl ServerArgs {
    /// The server settings these options ask for, with `holds` deciding
    /// the cap if `--max-connections` does not.
    pub fn config(&self, holds: Holds) -> Config {
        Config {
            max_connections: self
                .max_connections
                .unwrap_or_else(|| holds.default_cap()),
            max_line: self.max_line,
            timeout: Duration::from_secs(self.timeout),
            ..Config::default()
        }
    }
}

// ANCHOR: run
/// Starts a server with `start`, says where it listens and how many
/// connections it takes (what `holds` allows, unless `--max-connections`
/// says), and stops it gracefully on Ctrl-C.
pub fn run<S: EchoServer>(
    args: &ServerArgs,
    holds: Holds,
    start: impl FnOnce(&str, Config) -> io::Result<S>,
) -> io::Result<()> {
    let config = args.config(holds);
    let server = start(&args.addr, config)?;
    let addr = server.local_addr();
    // The handler runs on a thread of ctrlc's; all it does is tell main.
    let (ctrl_c_tx, ctrl_c) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = ctrl_c_tx.send(());
    })
    .map_err(io::Error::other)?;
    println!(
        "listening on {addr} (at most {} connections)",
        config.max_connections
    );
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
