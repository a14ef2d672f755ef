//! A slow service on loopback, for waits whose length we know.
//!
//! Real programs wait on databases, other services, disks. The chapter
//! needs a wait that is real I/O (a socket the runtime's reactor watches,
//! not a timer) and whose length is known in advance. This service is it:
//! it listens on `127.0.0.1:0` (a port the kernel picks), reads lines
//! holding a number of milliseconds, and answers each line after that
//! many milliseconds. The client's side of one request is
//! [`Connection::round_trip`].
//!
//! The service runs on its own thread with its own current-thread tokio
//! runtime, so it answers on time however busy the program under test is
//! (as long as the kernel gives its thread a core).

use std::io;
use std::net::SocketAddr;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

/// A running slow service. Dropping it stops the service and joins its
/// thread.
#[derive(Debug)]
pub struct SlowService {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl SlowService {
    /// Starts the service on a free port of 127.0.0.1.
    pub fn start() -> io::Result<SlowService> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        // tokio takes over a std listener only in non-blocking mode.
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel();
        let thread = thread::Builder::new()
            .name("slow-service".into())
            .spawn(move || serve(listener, stopped))?;
        Ok(SlowService {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for SlowService {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            // The service may already have stopped on an error; then
            // nobody listens, and there is nothing to tell.
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            // A failed or panicked service has nothing left to clean up.
            let _ = thread.join();
        }
    }
}

/// The service's thread: accepts connections until told to stop. Dropping
/// the runtime at the end cancels the connections' tasks.
fn serve(
    listener: std::net::TcpListener,
    mut stopped: oneshot::Receiver<()>,
) -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = TcpListener::from_std(listener)?;
        loop {
            tokio::select! {
                _ = &mut stopped => return Ok(()),
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => {
                        tokio::spawn(answer(stream));
                    }
                    // Out of descriptors, or a client that gave up
                    // before we accepted it: try the next one.
                    Err(_) => tokio::time::sleep(
                        Duration::from_millis(5)).await,
                },
            }
        }
    })
}

/// One connection: each line is a number of milliseconds; wait that long,
/// then echo the line back.
async fn answer(stream: TcpStream) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let (reader, mut writer) = stream.into_split();
    let mut lines = BufReader::new(reader).lines();
    while let Some(line) = lines.next_line().await? {
        let ms: u64 = line.trim().parse().map_err(|_| {
            io::Error::new(io::ErrorKind::InvalidData, "not a number")
        })?;
        tokio::time::sleep(Duration::from_millis(ms)).await;
        writer.write_all(format!("{line}\n").as_bytes()).await?;
    }
    Ok(())
}

/// A client's connection to the service, made before the clock starts so
/// that a request is one write and one read.
#[derive(Debug)]
pub struct Connection {
    lines: tokio::io::Lines<BufReader<tokio::net::tcp::OwnedReadHalf>>,
    writer: tokio::net::tcp::OwnedWriteHalf,
}

impl Connection {
    /// Connects to the service at `addr`, from inside a tokio runtime (the
    /// socket belongs to that runtime's reactor).
    pub async fn open(addr: SocketAddr) -> io::Result<Connection> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        let (reader, writer) = stream.into_split();
        Ok(Connection {
            lines: BufReader::new(reader).lines(),
            writer,
        })
    }

    // ANCHOR: round_trip
    /// Asks the service to answer after `wait`, and waits for the answer.
    /// The task is suspended at the read's `.await` for about `wait`: the
    /// thread is free to run other tasks meanwhile.
    pub async fn round_trip(&mut self, wait: Duration) -> io::Result<()> {
        let request = format!("{}\n", wait.as_millis());
        self.writer.write_all(request.as_bytes()).await?;
        match self.lines.next_line().await? {
            Some(line) if line.trim() == request.trim() => Ok(()),
            _ => Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the service answered something else, or closed",
            )),
        }
    }
    // ANCHOR_END: round_trip
}
