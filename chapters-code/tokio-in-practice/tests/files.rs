//! `tokio::fs` hands file reads to the blocking pool; `std::fs` in a task
//! holds the runtime's thread. Proven by where the bytes were read (Linux
//! counts them per thread), by the threads the runtime started, and by the
//! ticker, compared between runs made side by side.

use support::guard::take_turns;
use tokio_in_practice::files::{PERIOD, TempFile, Way, run};

const CHUNK: usize = 64 * 1024;

/// Every way reads every byte of the file, and the same bytes.
#[test]
fn every_way_reads_the_whole_file() {
    let file = TempFile::create(CHUNK * 10 + 123).unwrap();
    let reports: Vec<_> = Way::ALL
        .iter()
        .map(|&way| run(way, file.path(), CHUNK).unwrap())
        .collect();
    for report in &reports {
        assert_eq!(report.bytes, CHUNK * 10 + 123, "{:?}", report.way);
        // Ten full chunks, one short one, and the read that returns 0.
        assert_eq!(report.reads, 12, "{:?}", report.way);
        assert_eq!(report.checksum, reports[0].checksum);
    }
}

/// The temporary file is gone once its guard is dropped.
#[test]
fn the_file_is_removed() {
    let file = TempFile::create(10).unwrap();
    let path = file.path().to_path_buf();
    assert!(path.exists());
    drop(file);
    assert!(!path.exists());
}

/// `std::fs` in the task starts no thread and reads every byte on the
/// runtime's thread. `tokio::fs` starts blocking-pool threads, and they,
/// not the runtime's thread, read the bytes. (The byte counts come from
/// `/proc/thread-self/io`, so they are checked on Linux only.)
#[test]
fn tokio_fs_reads_on_the_blocking_pool() {
    let size = 4 * 1024 * 1024;
    let file = TempFile::create(size).unwrap();
    let size = size as u64;

    let std = run(Way::StdInTask, file.path(), CHUNK).unwrap();
    assert!(std.threads_started.is_empty(), "{:?}", std.threads_started);
    let tokio = run(Way::TokioFs, file.path(), CHUNK).unwrap();
    assert!(!tokio.threads_started.is_empty());
    let blocking = run(Way::SpawnBlocking, file.path(), CHUNK).unwrap();
    assert!(!blocking.threads_started.is_empty());

    if cfg!(target_os = "linux") {
        assert!(std.read_by_runtime_thread.unwrap() >= size);
        assert!(std.read_by_pool.unwrap() == 0);
        for report in [&tokio, &blocking] {
            // The runtime's thread read a few hundred bytes of /proc, no
            // more; the pool read the file.
            assert!(report.read_by_runtime_thread.unwrap() < size / 100);
            assert!(report.read_by_pool.unwrap() >= size);
        }
    }
}

/// No tick can come while `std::fs` reads in the task: the worst tick is
/// late by about the whole read. With `tokio::fs` the ticker keeps going.
/// Runs side by side, with a generous factor and a few tries.
#[test]
fn std_fs_in_a_task_stalls_the_ticker_and_tokio_fs_does_not() {
    let _turn = take_turns();
    let file = TempFile::create(64 * 1024 * 1024).unwrap();
    // Once, to bring the file into the page cache.
    run(Way::SpawnBlocking, file.path(), CHUNK).unwrap();
    let mut tries = Vec::new();
    let better = (0..3).any(|_| {
        let std = run(Way::StdInTask, file.path(), CHUNK).unwrap();
        // The lower bound no load can break: a tick due during the read
        // comes only after it.
        assert!(
            std.worst() + PERIOD >= std.elapsed,
            "worst {:?}, read {:?}",
            std.worst(),
            std.elapsed
        );
        let tokio = run(Way::TokioFs, file.path(), CHUNK).unwrap();
        tries.push((std.worst(), tokio.worst(), tokio.elapsed));
        // The tokio read takes longer, yet its ticker is late by far
        // less than the std read's.
        tokio.worst() * 3 < std.worst()
    });
    assert!(better, "(std worst, tokio worst, tokio read): {tries:?}");
}

/// A regular file gives the reactor nothing to wait for: Linux's epoll
/// refuses to watch one, and kqueue calls it readable at once.
#[cfg(unix)]
#[test]
fn the_reactor_has_nothing_to_wait_for() {
    let file = TempFile::create(1024).unwrap();
    let said = tokio_in_practice::files::ask_the_reactor(file.path()).unwrap();
    if cfg!(target_os = "linux") {
        assert_eq!(
            said,
            "refused to watch it: Operation not permitted (os error 1)"
        );
    } else {
        assert_eq!(said, "watches it, and says it is readable at once");
    }
}
