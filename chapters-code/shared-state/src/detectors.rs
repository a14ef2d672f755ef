//! Race detectors: tools that watch a program run and report the data races
//! they see.
//!
//! Safe Rust has no data races, but `unsafe` code can write one, and so can
//! C code a Rust program calls. A *race detector* instruments every memory
//! access and every synchronization of a run, keeps track of which accesses
//! are ordered by a *happens-before* relation (a lock released and taken
//! again, a thread joined), and reports two accesses to the same memory,
//! one a write, that nothing orders.
//!
//! This module holds the small programs the `helgrind` cell runs under
//! Valgrind's Helgrind:
//!
//! - [`unsynchronized_count`]: the lost update, written with a plain read
//!   and write through a raw pointer. A real data race: undefined
//!   behaviour, written on purpose for the detector to find.
//! - [`mutex_count`]: the same count behind a `Mutex`. Correct.
//! - [`flag_publish`]: a plain value published behind a Release/Acquire
//!   flag. Correct, and yet reported: Helgrind does not understand atomics.
//!
//! And the code that runs Valgrind and reads its report ([`helgrind`],
//! [`parse_helgrind`]). Valgrind exists for Linux (and a few other Unix
//! systems), not for today's macOS: there, [`valgrind_version`] finds none.

use std::cell::UnsafeCell;
use std::io;
use std::path::Path;
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

// ANCHOR: unsynchronized
/// A counter that any thread may write through a shared reference, with no
/// synchronization at all: what `Cell` would be if it were `Sync`.
#[derive(Debug, Default)]
pub struct UnsyncCounter(UnsafeCell<u64>);

// SAFETY: none. This promise is false, on purpose: two threads that call
// `add_unsynchronized` at once make a data race, which is undefined
// behaviour. It exists only to give a race detector a race to find; never
// write it in real code.
unsafe impl Sync for UnsyncCounter {}

/// Adds 1 to `counter`, `times` times, with a plain read and a plain write.
pub fn add_unsynchronized(counter: &UnsyncCounter, times: u64) {
    let count = counter.0.get();
    for _ in 0..times {
        // SAFETY: not safe when another thread runs this at the same time
        // (see `UnsyncCounter`). Volatile keeps one read and one write per
        // addition, as the source says, instead of letting the compiler
        // merge the loop into one addition; it does not make them atomic.
        unsafe {
            let seen = count.read_volatile();
            count.write_volatile(seen + 1);
        }
    }
}
// ANCHOR_END: unsynchronized

/// Two threads each add 1 `per_thread` times to an [`UnsyncCounter`]; the
/// final count. A data race: run it only to show a detector one.
pub fn unsynchronized_count(per_thread: u64) -> u64 {
    let counter = UnsyncCounter::default();
    thread::scope(|s| {
        let a = s.spawn(|| add_unsynchronized(&counter, per_thread));
        let b = s.spawn(|| add_unsynchronized(&counter, per_thread));
        // Joined one by one: a join is a synchronization the detector
        // understands, so the read below races with nothing. (`join` fails
        // only if the thread panicked, and this one cannot.)
        a.join().unwrap();
        b.join().unwrap();
    });
    counter.0.into_inner()
}

/// Two threads each add 1 `per_thread` times to a counter behind a
/// `Mutex`; the final count.
pub fn mutex_count(per_thread: u64) -> u64 {
    let counter = Mutex::new(0u64);
    let add = || {
        for _ in 0..per_thread {
            // Nobody panics while holding the lock: never poisoned.
            *counter.lock().unwrap() += 1;
        }
    };
    thread::scope(|s| {
        let a = s.spawn(add);
        let b = s.spawn(add);
        // `add` cannot panic, so neither can the threads.
        a.join().unwrap();
        b.join().unwrap();
    });
    // Every thread has ended, and none panicked: never poisoned.
    counter.into_inner().unwrap()
}

// ANCHOR: flag_publish
/// A plain value, published behind a flag.
#[derive(Debug, Default)]
pub struct Slot {
    value: UnsafeCell<u64>,
    ready: AtomicBool,
}

// SAFETY: `value` is written only by `send`, before the Release store of
// `ready`, and read only by `receive`, after an Acquire load of `ready` saw
// it true; so the write happens before every read, and no two accesses
// race. (One `send` per slot.)
unsafe impl Sync for Slot {}

impl Slot {
    /// Writes the value, then raises the flag. Call once.
    pub fn send(&self, value: u64) {
        // SAFETY: nobody reads `value` until `ready` is true, and it is
        // not yet; nobody else writes it (one `send` per slot).
        unsafe { *self.value.get() = value };
        self.ready.store(true, Ordering::Release);
    }

    /// Waits for the flag, then reads the value.
    pub fn receive(&self) -> u64 {
        while !self.ready.load(Ordering::Acquire) {
            std::hint::spin_loop();
        }
        // SAFETY: the Acquire load saw the Release store, so the write in
        // `send` happened before this read, and nothing writes it again.
        unsafe { *self.value.get() }
    }
}
// ANCHOR_END: flag_publish

/// One thread sends `value` through a [`Slot`], another receives it;
/// what it received.
pub fn flag_publish(value: u64) -> u64 {
    let slot = Slot::default();
    thread::scope(|s| {
        let receiver = s.spawn(|| slot.receive());
        s.spawn(|| slot.send(value));
        // `receive` cannot panic.
        receiver.join().unwrap()
    })
}

/// The version Valgrind prints (`valgrind-3.19.0`), or `None` if there is no
/// `valgrind` on the `PATH`.
pub fn valgrind_version() -> Option<String> {
    let out = Command::new("valgrind").arg("--version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Runs `program` with `args` under Valgrind's Helgrind, and returns what
/// Helgrind wrote (its report goes to the standard error stream).
pub fn helgrind(program: &Path, args: &[&str]) -> io::Result<String> {
    let out = Command::new("valgrind")
        .arg("--tool=helgrind")
        .arg(program)
        .args(args)
        .output()?;
    Ok(String::from_utf8_lossy(&out.stderr).into_owned())
}

/// One data race Helgrind reported, in the file asked about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Race {
    /// The line of the file where the racing access is.
    pub line: u32,
    /// What the access was: `read of size 8`, `write of size 1`.
    pub access: String,
}

/// What a Helgrind report says, sorted out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HelgrindReport {
    /// The races whose access is in the file asked about, each place once.
    pub races: Vec<Race>,
    /// How many race reports are elsewhere (the standard library's code).
    pub elsewhere: usize,
}

/// Sorts out Helgrind's report `log`: which "Possible data race" reports
/// are in the source file named `file` (`detectors.rs`), and how many are
/// elsewhere.
///
/// A report starts with `Possible data race during read of size 8 at
/// 0x... by thread #3`, then the stack of the access: an `at` line with
/// the instruction's address, and `by` lines for the callers. Inlined
/// functions share their caller's address, so every frame with the `at`
/// line's address is the same instruction; if one of them is in `file`,
/// the access is that line's.
pub fn parse_helgrind(log: &str, file: &str) -> HelgrindReport {
    let mut report = HelgrindReport::default();
    // Strip the `==1234== ` prefix Valgrind puts on every line.
    let lines: Vec<&str> = log
        .lines()
        .map(|line| match line.strip_prefix("==") {
            Some(rest) => rest.split_once("== ").map_or("", |(_, text)| text),
            None => line,
        })
        .collect();
    for (i, line) in lines.iter().enumerate() {
        let Some(rest) = line.strip_prefix("Possible data race during ") else {
            continue;
        };
        // "read of size 8 at 0x1FFF000468 by thread #3": keep the access.
        let access = rest.split(" at ").next().unwrap_or(rest).to_string();
        let mut address = None;
        let mut found = None;
        for frame in lines[i + 1..].iter().map(|l| l.trim_start()) {
            let Some(body) = frame
                .strip_prefix("at ")
                .or_else(|| frame.strip_prefix("by "))
            else {
                if address.is_some() {
                    break; // the end of the access's stack
                }
                continue; // "Locks held: none", before the stack
            };
            // "0x129BC0: add_unsynchronized (detectors.rs:48)"
            let here = body.split(':').next();
            if address.is_none() {
                address = here;
            } else if here != address {
                break; // a caller: no longer the racing instruction
            }
            found = found.or_else(|| line_in(body, file));
        }
        match found {
            Some(line) => report.races.push(Race { line, access }),
            None => report.elsewhere += 1,
        }
    }
    report.races.sort();
    report.races.dedup();
    report
}

/// The line number in `(file:N)` at the end of a frame, if it is `file`.
fn line_in(frame: &str, file: &str) -> Option<u32> {
    let place = frame.rsplit_once(" (")?.1.strip_suffix(')')?;
    let (name, line) = place.rsplit_once(':')?;
    (name == file || name.ends_with(&format!("/{file}")))
        .then(|| line.parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A trimmed report of the kind Helgrind writes.
    const LOG: &str = "\
==25315== Possible data race during read of size 8 at 0x1FFF000468 by thread #3
==25315== Locks held: none
==25315==    at 0x129BC0: write_volatile<u64> (library/core/src/ptr/mod.rs:2178)
==25315==    by 0x129BC0: add_unsynchronized (detectors.rs:48)
==25315==    by 0x127890: {closure#0} (detectors.rs:60)
==25315==
==25315== This conflicts with a previous write of size 8 by thread #2
==25315==    at 0x129BC0: add_unsynchronized (detectors.rs:48)
==25315==
==25315== Possible data race during read of size 8 at 0x16F100 by thread #1
==25315== Locks held: none
==25315==    at 0x1541EA: remove_kv<usize> (entry.rs:612)
==25315==    by 0x13EEEC: cleanup (detectors.rs:99)
==25315==
==25315== Possible data race during read of size 8 at 0x1FFF000468 by thread #3
==25315== Locks held: none
==25315==    at 0x129BC0: write_volatile<u64> (library/core/src/ptr/mod.rs:2178)
==25315==    by 0x129BC0: add_unsynchronized (detectors.rs:48)
";

    #[test]
    fn races_are_placed_by_the_racing_instruction_only() {
        let report = parse_helgrind(LOG, "detectors.rs");
        let race = Race {
            line: 48,
            access: "read of size 8".into(),
        };
        // The same place twice counts once; the report whose racing
        // instruction is in the standard library counts as elsewhere,
        // although a caller of it is in the file.
        assert_eq!(report.races, vec![race]);
        assert_eq!(report.elsewhere, 1);
    }

    #[test]
    fn a_clean_log_has_no_races() {
        let log = "==1== ERROR SUMMARY: 0 errors from 0 contexts\n";
        assert_eq!(
            parse_helgrind(log, "detectors.rs"),
            HelgrindReport::default()
        );
    }

    #[test]
    fn the_programs_compute_what_they_should() {
        assert_eq!(mutex_count(1_000), 2_000);
        assert_eq!(flag_publish(42), 42);
        // The racy count is not run here: it is a data race, run only
        // under Helgrind (tests/helgrind.rs).
    }
}
