//! The four corners: what each one's cell claims, with the order of events
//! fixed by channels, not by sleeps.

use std::io::{ErrorKind, Read, Write};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use nonblocking_io::corners::{
    blocking_read, nonblocking_read, socket_pair, write_later,
};
use support::measure::thread_cpu_time;

/// Corner (a): the read waits for the peer, and waiting costs little CPU.
#[test]
fn a_blocking_read_parks_the_thread() {
    let (ours, peer) = socket_pair().unwrap();
    let writer = write_later(peer, Duration::from_millis(200), b"hello\n");
    let (wall, cpu) = (Instant::now(), thread_cpu_time());
    assert_eq!(blocking_read(&ours).unwrap(), b"hello\n");
    let (wall, cpu) = (wall.elapsed(), thread_cpu_time() - cpu);
    writer.join().unwrap().unwrap();
    assert!(
        wall >= Duration::from_millis(150),
        "returned early: {wall:?}"
    );
    assert!(cpu * 4 < wall, "waiting burned CPU: {cpu:?} of {wall:?}");
}

/// Corner (b): with nothing to read, `read` answers WouldBlock at once,
/// and the thread does other work between tries. The peer writes only
/// after the first piece of work has run.
#[test]
fn a_nonblocking_read_answers_would_block_and_frees_the_thread() {
    let (ours, mut peer) = socket_pair().unwrap();
    let (go_tx, go) = mpsc::channel::<()>();
    let writer = thread::spawn(move || {
        go.recv().unwrap();
        peer.write_all(b"hello\n").unwrap();
        peer
    });
    let mut go_tx = Some(go_tx);
    let tries = nonblocking_read(&ours, || {
        if let Some(go) = go_tx.take() {
            go.send(()).unwrap();
        }
    })
    .unwrap();
    let _peer = writer.join().unwrap();
    assert_eq!(tries.bytes, b"hello\n");
    assert!(tries.would_block >= 1);
    assert_eq!(tries.work_done, tries.would_block);
}

#[test]
fn would_block_is_an_error_kind_not_an_end() {
    let (mut ours, mut peer) = socket_pair().unwrap();
    ours.set_nonblocking(true).unwrap();
    let mut buf = [0u8; 8];
    let err = ours.read(&mut buf).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::WouldBlock);
    // The socket is fine: once bytes arrive, they are read.
    peer.write_all(b"x").unwrap();
    ours.set_nonblocking(false).unwrap();
    assert_eq!(ours.read(&mut buf).unwrap(), 1);
}

/// Corner (c): `poll` reports exactly the sockets that have something.
/// One `poll` may wake for the first socket before the second has bytes,
/// so the second step polls until both are heard and compares sets.
#[cfg(unix)]
#[test]
fn poll_reports_the_ready_sockets_only() {
    use std::collections::BTreeSet;

    use nonblocking_io::corners::multiplexed::read_ready;
    let pairs: Vec<_> = (0..3).map(|_| socket_pair().unwrap()).collect();
    let (ours, mut peers): (Vec<_>, Vec<_>) = pairs.into_iter().unzip();
    peers[1].write_all(b"one\n").unwrap();
    // Loopback delivers before `write` returns: socket 1 is ready now.
    assert_eq!(read_ready(&ours).unwrap(), vec![(1, b"one\n".to_vec())]);
    peers[0].write_all(b"zero\n").unwrap();
    peers[2].write_all(b"two\n").unwrap();
    let mut heard = BTreeSet::new();
    while heard.len() < 2 {
        for (i, bytes) in read_ready(&ours).unwrap() {
            assert!(heard.insert((i, bytes)), "socket {i} reported twice");
        }
    }
    let expected =
        BTreeSet::from([(0, b"zero\n".to_vec()), (2, b"two\n".to_vec())]);
    assert_eq!(heard, expected);
}

/// Corner (c): the thread sleeps in `poll` until a peer writes.
#[cfg(unix)]
#[test]
fn poll_blocks_without_burning_cpu() {
    use nonblocking_io::corners::multiplexed::read_ready;
    let (a, pa) = socket_pair().unwrap();
    let (b, pb) = socket_pair().unwrap();
    let writer = write_later(pb, Duration::from_millis(200), b"late\n");
    let (wall, cpu) = (Instant::now(), thread_cpu_time());
    let ready = read_ready(&[a, b]).unwrap();
    let (wall, cpu) = (wall.elapsed(), thread_cpu_time() - cpu);
    writer.join().unwrap().unwrap();
    drop(pa);
    assert_eq!(ready, vec![(1, b"late\n".to_vec())]);
    assert!(cpu * 4 < wall, "poll burned CPU: {cpu:?} of {wall:?}");
}

/// Corner (d): the read is submitted, work runs, and the completion
/// carries the bytes. The peer writes only once the work has started,
/// so the read was surely in flight meanwhile.
#[cfg(target_os = "linux")]
#[test]
fn io_uring_completes_the_read_while_we_work() {
    use nonblocking_io::corners::completion::{read_on_completion, ring};
    let ring = match ring() {
        Ok(ring) => ring,
        Err(e) => {
            eprintln!("io_uring unavailable ({e}); nothing to test here");
            return;
        }
    };
    let (ours, mut peer) = socket_pair().unwrap();
    let (go_tx, go) = mpsc::channel::<()>();
    let writer = thread::spawn(move || {
        go.recv().unwrap();
        peer.write_all(b"hello\n").unwrap();
        peer
    });
    let mut go_tx = Some(go_tx);
    let done = read_on_completion(ring, &ours, || {
        if let Some(go) = go_tx.take() {
            go.send(()).unwrap();
        }
        thread::yield_now();
    })
    .unwrap();
    let _peer = writer.join().unwrap();
    assert_eq!(done.bytes, b"hello\n");
    assert!(done.work_done >= 1);
}

/// A regular file has no "not ready": `poll(2)` reports it readable at
/// once, even with a zero timeout (POSIX says regular files always poll
/// true), whether or not its bytes are in memory. Readiness says nothing
/// about waiting for a disk.
#[cfg(unix)]
#[test]
fn a_regular_file_is_always_ready_to_poll() {
    use std::os::fd::AsFd;

    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

    let path = std::env::temp_dir()
        .join(format!("nonblocking-io-poll-file-{}", std::process::id()));
    std::fs::write(&path, b"bytes on a disk\n").unwrap();
    let file = std::fs::File::open(&path).unwrap();
    let mut fds = [PollFd::new(file.as_fd(), PollFlags::POLLIN)];
    // A zero timeout: only look.
    let ready = poll(&mut fds, PollTimeout::ZERO).unwrap();
    let revents = fds[0].revents().unwrap();
    drop(file);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(ready, 1);
    assert!(revents.contains(PollFlags::POLLIN), "{revents:?}");
}
