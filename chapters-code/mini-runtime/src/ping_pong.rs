//! One message there and back, recorded message by message: what the
//! executor, its run queue, the reactor and the OS say to each other while
//! two tasks exchange "ping" and "pong" over a loopback connection.
//!
//! The runtime's own code notes each message (`support::sequence::note`
//! in `executor.rs`, `task.rs`, `reactor.rs`); this program only runs
//! under a recording [`Sequence`] and says what each label means. The
//! book draws the result as a sequence diagram the reader steps through.

use std::io;
use std::sync::Arc;

use support::sequence::Sequence;

use crate::net::TcpStream;
use crate::runtime::Runtime;

/// The lanes of the diagram, left to right. The root future, the one
/// `block_on` runs, is "block_on's future".
pub const LANES: [&str; 7] = [
    "block_on's future",
    "executor",
    "run queue",
    "task 1",
    "task 2",
    "reactor",
    "OS",
];

/// What each label of the recorded run means, in a sentence that may name
/// the message's lanes as `{from}` and `{to}` ("task 1", never after "the").
pub const MEANINGS: [(&str, &str); 13] = [
    (
        "poll",
        "The executor polls {to}: its code runs until an .await that cannot \
         go on, or to its end.",
    ),
    (
        "Pending",
        "Pending, says {from}: it cannot go on yet, and has left its waker \
         where the news will come from (a task with the reactor; \
         block_on's future, which awaits a JoinHandle, in that handle).",
    ),
    ("Ready", "Ready, says {from}: it has finished."),
    (
        "pop",
        "The executor takes the task at the front of the run queue; the \
         next arrow shows which.",
    ),
    (
        "wait: token 0, read",
        "Task 1 tried to read its socket and got WouldBlock: it leaves its \
         waker with the reactor under the socket's token, 0, for reading.",
    ),
    (
        "wait: token 1, read",
        "Task 2 wrote \"ping\", which the kernel took at once, then tried to \
         read the answer and got WouldBlock: it leaves its waker with the \
         reactor under token 1, for reading.",
    ),
    (
        "park",
        "The run queue is empty and block_on's future was not woken: the \
         executor sleeps in the reactor.",
    ),
    (
        "epoll_wait",
        "The reactor calls mio's poll (epoll_wait, on Linux), which returns \
         as soon as a registered socket is ready and puts the thread to \
         sleep until one is. No timer is set, so there is no timeout.",
    ),
    (
        "ready: token 0, read",
        "epoll_wait returns: token 0 is readable, since task 2's \"ping\" \
         has arrived. The reactor takes the waker left there for reading. \
         (Events that no waker waits for, such as a socket turning \
         writable, are left out of the diagram.)",
    ),
    (
        "ready: token 1, read",
        "epoll_wait returns: token 1 is readable, since task 1's \"pong\" \
         has arrived. The reactor takes the waker left there for reading.",
    ),
    (
        "wakers",
        "The reactor hands the wakers it took back to the executor, which \
         notes that it is awake, then calls them.",
    ),
    (
        "wake",
        "The executor calls the waker of {from}, so the arrow starts at \
         {from}: a task's waker is the task itself. Waking puts {from} at \
         the back of the run queue. Nothing runs yet.",
    ),
    (
        "set woken",
        "Task 2 finishes: its last step takes the waker block_on's future \
         left in task 2's JoinHandle and calls it (the arrow starts at the \
         future the waker belongs to). The waker sets a flag: the executor \
         will poll block_on's future at the top of its loop.",
    ),
];

/// What the run recorded, and what the two tasks got.
pub struct Exchange {
    /// Every message, in the order the runtime noted it.
    pub sequence: Arc<Sequence>,
    /// What the client (task 2) read back.
    pub reply: String,
    /// What the server (task 1) read.
    pub heard: String,
}

/// Runs the exchange on a new runtime, recording it. Recording is global
/// to the process: run one recording at a time.
///
/// Task 1, the server, reads a message and answers "pong". Task 2, the
/// client, writes "ping" and reads the answer. The root future (the one
/// `block_on` runs) awaits the client's `JoinHandle`, then the server's.
pub fn ping_pong() -> io::Result<Exchange> {
    // The connection is made before the run, with the standard library's
    // blocking calls: the run then starts with both ends connected, and
    // its order depends on nothing the kernel finishes in the background.
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let client = std::net::TcpStream::connect(listener.local_addr()?)?;
    let (server, _) = listener.accept()?;

    let runtime = Runtime::new()?;
    // Spawned in slots 0 and 1 of the executor: "task 1" and "task 2".
    let server = runtime.spawn(async move {
        let mut stream = TcpStream::from_std(server)?;
        let mut buf = [0; 16];
        let n = stream.read(&mut buf).await?;
        stream.write_all(b"pong").await?;
        io::Result::Ok(String::from_utf8_lossy(&buf[..n]).into_owned())
    });
    let client = runtime.spawn(async move {
        let mut stream = TcpStream::from_std(client)?;
        stream.write_all(b"ping").await?;
        let mut buf = [0; 16];
        let n = stream.read(&mut buf).await?;
        io::Result::Ok(String::from_utf8_lossy(&buf[..n]).into_owned())
    });

    let sequence = Sequence::new(&LANES);
    for (label, sentence) in MEANINGS {
        sequence.mean(label, sentence);
    }
    let (reply, heard) = sequence.record(|| {
        runtime.block_on(async {
            // The client first: the root is woken once, when the client
            // is done, and by then the server is done too.
            let reply = client.await?;
            let heard = server.await?;
            io::Result::Ok((reply, heard))
        })
    })?;
    Ok(Exchange {
        sequence,
        reply,
        heard,
    })
}
