//! The four corners of I/O, each reading a few bytes that a peer sends a
//! little later over a TCP connection on 127.0.0.1.
//!
//! Two questions place any I/O call in the chapter's grid. Can the call the
//! thread makes wait (blocking), or does it always answer at once
//! (non-blocking)? And is the thread waiting for its own call to finish,
//! or for a notification from the kernel?
//!
//! | | blocking | non-blocking |
//! | --- | --- | --- |
//! | **waits for its own call** | (a) [`blocking_read`] | (b) [`nonblocking_read`] |
//! | **waits for a notification** | (c) [`multiplexed`]: "ready" | (d) [`completion`]: "done" |
//!
//! In POSIX's (and Stevens's) terms, (a), (b) and (c) are all
//! *synchronous* I/O, since our own `read` copies the bytes; only (d) is
//! *asynchronous*: the kernel copies them and tells us afterwards.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

/// A connected pair of TCP sockets on 127.0.0.1: ours, and the peer's.
pub fn socket_pair() -> io::Result<(TcpStream, TcpStream)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let ours = TcpStream::connect(listener.local_addr()?)?;
    let (peer, _) = listener.accept()?;
    ours.set_nodelay(true)?;
    peer.set_nodelay(true)?;
    Ok((ours, peer))
}

/// Starts a thread that sleeps `delay`, then writes `bytes` to `peer`; it
/// returns the moment just before it wrote, and the peer's socket, still
/// open (closing it would make our side readable again, at end of input).
pub fn write_later(
    mut peer: TcpStream,
    delay: Duration,
    bytes: &'static [u8],
) -> thread::JoinHandle<io::Result<(Instant, TcpStream)>> {
    thread::spawn(move || {
        thread::sleep(delay);
        let written = Instant::now();
        peer.write_all(bytes)?;
        Ok((written, peer))
    })
}

// ANCHOR: blocking
/// Corner (a): a blocking `read`. If nothing has arrived, the kernel parks
/// the thread until something does, then copies it into `buf`.
pub fn blocking_read(mut stream: &TcpStream) -> io::Result<Vec<u8>> {
    let mut buf = [0u8; 64];
    let n = stream.read(&mut buf)?;
    Ok(buf[..n].to_vec())
}
// ANCHOR_END: blocking

/// What a non-blocking read loop did before the bytes came.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tries {
    /// The bytes that were read in the end.
    pub bytes: Vec<u8>,
    /// How many `read` calls answered `WouldBlock`.
    pub would_block: u64,
    /// How many pieces of other work ran between them.
    pub work_done: u64,
}

// ANCHOR: nonblocking
/// Corner (b): a non-blocking `read` in a loop. Each call answers at once:
/// bytes if some have arrived, otherwise the error `WouldBlock`, and then
/// the thread is free to do a piece of `other_work` before asking again.
pub fn nonblocking_read(
    mut stream: &TcpStream,
    mut other_work: impl FnMut(),
) -> io::Result<Tries> {
    stream.set_nonblocking(true)?;
    let mut buf = [0u8; 64];
    let mut tries = Tries::default();
    loop {
        match stream.read(&mut buf) {
            Ok(n) => {
                tries.bytes = buf[..n].to_vec();
                return Ok(tries);
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                // Not ready: not an error, just "ask again later".
                tries.would_block += 1;
                other_work();
                tries.work_done += 1;
            }
            // A signal arrived during the call: just ask again.
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}
// ANCHOR_END: nonblocking

/// Corner (c): waiting in `poll(2)` on several sockets at once.
#[cfg(unix)]
pub mod multiplexed {
    use std::io::{self, ErrorKind, Read};
    use std::net::TcpStream;
    use std::os::fd::AsFd;

    use nix::errno::Errno;
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

    // ANCHOR: poll
    /// Blocks in `poll` until at least one of `streams` has bytes to read
    /// (or has closed), then reads each ready one. Returns the index and
    /// the bytes of every socket that was read. The thread is parked in
    /// the kernel while it waits, as in a blocking `read`, but on all the
    /// sockets at once. The sockets are made non-blocking: readiness is a
    /// hint, and a `read` that finds nothing after all must not park us.
    pub fn read_ready(
        streams: &[TcpStream],
    ) -> io::Result<Vec<(usize, Vec<u8>)>> {
        for s in streams {
            s.set_nonblocking(true)?;
        }
        // One entry per socket: "tell me when this one is readable".
        let mut fds: Vec<PollFd<'_>> = streams
            .iter()
            .map(|s| PollFd::new(s.as_fd(), PollFlags::POLLIN))
            .collect();
        // Waits as long as it takes (no timeout) for at least one. A
        // signal may end the wait early (EINTR): then just wait again.
        while let Err(e) = poll(&mut fds, PollTimeout::NONE) {
            if e != Errno::EINTR {
                return Err(e.into());
            }
        }
        let mut read = Vec::new();
        for (i, fd) in fds.iter().enumerate() {
            // `revents` says what happened to this socket while we waited.
            let ready = fd.revents().is_some_and(|r| !r.is_empty());
            if ready {
                // Ready: this `read` should find bytes at once. Should: if
                // the report was spurious, or someone read first, it says
                // WouldBlock, and we skip the socket this time.
                let mut buf = [0u8; 64];
                match (&streams[i]).read(&mut buf) {
                    Ok(n) => read.push((i, buf[..n].to_vec())),
                    Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                    Err(e) if e.kind() == ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(read)
    }
    // ANCHOR_END: poll
}

/// Corner (d): asking the kernel to do the read and tell us when it is
/// done, through io_uring. The ring itself needs Linux 5.1; the `Read`
/// opcode used here needs Linux 5.6.
#[cfg(target_os = "linux")]
pub mod completion {
    use std::io::{self, ErrorKind};
    use std::mem::ManuallyDrop;
    use std::net::TcpStream;
    use std::os::fd::AsRawFd;

    use io_uring::{IoUring, Probe, opcode, types};
    use nix::errno::Errno;

    /// What happened while the kernel did the read.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Completed {
        /// The bytes the kernel had already copied into our buffer when we
        /// looked at the completion.
        pub bytes: Vec<u8>,
        /// Pieces of other work done meanwhile.
        pub work_done: u64,
    }

    /// Opens an io_uring with room for a few requests, and checks that the
    /// kernel knows the `Read` opcode. Fails, with `ErrorKind::Unsupported`
    /// where the kernel is too old, or with the kernel's error where it
    /// forbids io_uring (some containers do).
    pub fn ring() -> io::Result<IoUring> {
        let ring = IoUring::new(8)?;
        let mut probe = Probe::new();
        // Probing itself arrived in Linux 5.6, with `Read`: a kernel that
        // cannot probe cannot read either.
        let supported = ring.submitter().register_probe(&mut probe).is_ok()
            && probe.is_supported(opcode::Read::CODE);
        if supported {
            Ok(ring)
        } else {
            Err(unsupported())
        }
    }

    fn unsupported() -> io::Error {
        io::Error::new(
            ErrorKind::Unsupported,
            "this kernel's io_uring has no Read opcode (it needs Linux 5.6)",
        )
    }

    /// The tag of our one request, carried back by its completion.
    const READ_TAG: u64 = 0x7265_6164; // "read"

    // ANCHOR: completion
    /// Submits one read of `stream` to the kernel, does `other_work` until
    /// its completion appears, and returns the bytes the kernel copied.
    /// Our code never calls `read`: by the time we hear back, the transfer
    /// is done. The function takes the ring, so no one else can reap our
    /// completion or submit what we queued.
    pub fn read_on_completion(
        ring: IoUring,
        stream: &TcpStream,
        mut other_work: impl FnMut(),
    ) -> io::Result<Completed> {
        // The kernel will write into this buffer at a moment we do not
        // control. Until our completion is seen, neither the buffer nor
        // the ring may be freed: on every way out before that (an error,
        // a panic in `other_work`), both are leaked instead.
        let mut buf = ManuallyDrop::new(vec![0u8; 64]);
        let mut ring = ManuallyDrop::new(ring);
        let len = u32::try_from(buf.len()).unwrap_or(u32::MAX);
        let read = opcode::Read::new(
            types::Fd(stream.as_raw_fd()),
            buf.as_mut_ptr(),
            len,
        )
        .build()
        .user_data(READ_TAG);
        // SAFETY: the entry points into `buf`, a heap buffer of `len`
        // bytes that is freed only after the completion tagged READ_TAG
        // has been reaped, and otherwise leaked (it is in a ManuallyDrop,
        // so a panic does not free it either). The ring is ours alone and
        // leaked likewise, so the entry cannot be submitted or completed
        // behind our back. The kernel holds its own reference to the
        // socket from submission on, so the descriptor's fate cannot
        // affect memory.
        unsafe { ring.submission().push(&read) }
            .map_err(|_| io::Error::other("the submission queue is full"))?;
        // One system call hands the request to the kernel, and returns. If
        // it fails, the entry may or may not have gone in: leak and give
        // up (returning with `?` drops nothing).
        ring.submit()?;
        let mut work_done = 0;
        let result = 'reap: loop {
            // The completion queue is memory shared with the kernel: looking
            // at it is not a system call.
            for done in ring.completion() {
                if done.user_data() == READ_TAG {
                    break 'reap done.result();
                }
            }
            other_work();
            work_done += 1;
        };
        // The kernel is done with both: now they may be freed.
        let mut buf = ManuallyDrop::into_inner(buf);
        drop(ManuallyDrop::into_inner(ring));
        // The result is the byte count, or minus an errno.
        let n = match usize::try_from(result) {
            Ok(n) => n,
            // EINVAL: the kernel does not know the opcode after all.
            Err(_) if result == -(Errno::EINVAL as i32) => {
                return Err(unsupported());
            }
            Err(_) => return Err(io::Error::from_raw_os_error(-result)),
        };
        buf.truncate(n);
        Ok(Completed {
            bytes: buf,
            work_done,
        })
    }
    // ANCHOR_END: completion
}
