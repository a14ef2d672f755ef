//! What a process costs against a thread, and what it costs to cross into
//! the kernel.
//!
//! Three pairs of measurements, each timed many times so that the median
//! can be taken (one run disturbed by the rest of the machine barely moves
//! a median):
//!
//! - starting a process and waiting for it to end, against starting a
//!   thread and joining it;
//! - a round trip of one byte through a pipe (between two threads, then
//!   between two processes), against a round trip of one message through an
//!   `mpsc` channel between two threads;
//! - one system call, against one switch from a thread to another.
//!
//! A *system call* is a program asking the kernel to do something only the
//! kernel may do. The processor switches from user mode to kernel mode and
//! back, which takes far longer than a function call, though far less than a
//! switch of threads.

use std::hint::black_box;
use std::io::{self, Read, Write};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use support::stats::median;

/// The median of `samples` durations, each produced by one call of `sample`.
pub fn median_of(
    samples: usize,
    mut sample: impl FnMut() -> io::Result<Duration>,
) -> io::Result<Duration> {
    let mut secs = Vec::with_capacity(samples);
    for _ in 0..samples {
        secs.push(sample()?.as_secs_f64());
    }
    Ok(Duration::from_secs_f64(median(&secs)))
}

// ANCHOR: spawn
/// Starts `program` as a new process and waits for it to end: the time it
/// took. The program must exit successfully.
pub fn time_process(program: &mut Command) -> io::Result<Duration> {
    let start = Instant::now();
    // `status` forks (or spawns) a child, which loads the program, runs it,
    // exits; then we collect its exit status.
    let status = program.status()?;
    let took = start.elapsed();
    if !status.success() {
        return Err(io::Error::other(format!("the child failed: {status}")));
    }
    Ok(took)
}

/// Starts a thread that does nothing and joins it: the time it took.
pub fn time_thread() -> Duration {
    let start = Instant::now();
    // The thread does nothing, so it cannot panic and `join` cannot fail.
    thread::spawn(|| ()).join().unwrap();
    start.elapsed()
}
// ANCHOR_END: spawn

// ANCHOR: pipes
/// Time per round trip of one byte through two pipes: we write a byte into
/// one, an echo thread of our own process reads it and writes it back into
/// the other, and we read it, `rounds` times.
pub fn pipe_between_threads(rounds: u32) -> io::Result<Duration> {
    // A pipe is a kernel buffer with a write end and a read end. Reading an
    // empty pipe puts the reader to sleep until a byte arrives.
    let (mut from_echo, mut echo_out) = io::pipe()?;
    let (mut echo_in, mut to_echo) = io::pipe()?;
    let echo = thread::spawn(move || -> io::Result<()> {
        let mut byte = [0u8; 1];
        // A read of 0 bytes means every write end is closed: we are done.
        while echo_in.read(&mut byte)? == 1 {
            echo_out.write_all(&byte)?;
        }
        Ok(())
    });
    let took = round_trips(rounds, &mut to_echo, &mut from_echo);
    // Closing our write end ends the echo thread's loop.
    drop(to_echo);
    // The echo thread returns its errors rather than panic: join succeeds.
    echo.join().unwrap()?;
    took
}

/// The same round trip with the echo in another process: `cat`, which
/// copies its input to its output as each read returns, through the pipes
/// that are its standard input and output.
pub fn pipe_between_processes(rounds: u32) -> io::Result<Duration> {
    let mut cat = Command::new("cat")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    // Both are `Some`: we asked for pipes just above.
    let mut to_cat = cat.stdin.take().unwrap();
    let mut from_cat = cat.stdout.take().unwrap();
    let took = round_trips(rounds, &mut to_cat, &mut from_cat);
    // Closing its input makes `cat` read end-of-file and exit.
    drop(to_cat);
    cat.wait()?;
    took
}

/// Writes one byte and reads it back, `rounds` times: time per round trip.
fn round_trips(
    rounds: u32,
    to: &mut impl Write,
    from: &mut impl Read,
) -> io::Result<Duration> {
    let mut byte = [0u8; 1];
    let start = Instant::now();
    for round in 0..rounds {
        to.write_all(&[round as u8])?;
        from.read_exact(&mut byte)?;
    }
    Ok(start.elapsed() / rounds.max(1))
}
// ANCHOR_END: pipes

/// Time per round trip of one message through two `mpsc` channels between
/// two threads: the chapter's ping-pong.
pub fn channel_between_threads(rounds: u32) -> Duration {
    crate::pingpong::ping_pong(rounds).elapsed / rounds.max(1)
}

// ANCHOR: syscall
/// Time per system call: `getppid`, which asks the kernel for the id of our
/// parent process, `times` times.
///
/// `getppid` does almost nothing once in the kernel, so the time is the
/// crossing itself. It must be a call that really enters the kernel: some,
/// like reading the clock (`clock_gettime`), are answered in user space by
/// code the kernel maps into every process (the *vDSO* on Linux), and cost
/// no crossing at all.
#[cfg(unix)]
pub fn system_call(times: u32) -> Duration {
    let start = Instant::now();
    for _ in 0..times {
        // SAFETY: getppid takes no arguments, touches no memory of ours and
        // cannot fail.
        black_box(unsafe { libc::getppid() });
    }
    start.elapsed() / times.max(1)
}
// ANCHOR_END: syscall

/// Time per reading of the clock, `times` times: on Linux and macOS no
/// system call, since the vDSO (or macOS's shared page) answers it.
pub fn clock_read(times: u32) -> Duration {
    let start = Instant::now();
    for _ in 0..times {
        black_box(Instant::now());
    }
    start.elapsed() / times.max(1)
}
