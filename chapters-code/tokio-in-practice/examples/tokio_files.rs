//! The Tokio chapter's cell `tokio_files`: a file of 64 MiB read in
//! 64 KiB chunks on a current-thread runtime, beside a ticker that wants
//! to wake every millisecond, in three ways: `std::fs` inside the task,
//! `tokio::fs`, and `std::fs` inside one `spawn_blocking`. How late do the
//! ticks come, and which threads did the reading?
//@ timeout = 30
//@ [[vary]]
//@ what = "times and lateness"
//@ pattern = '([\d.]+) ms'
//@ [[vary]]
//@ what = "time per read"
//@ pattern = '(\d+) us per read'
//@ [[vary]]
//@ what = "how many blocking threads the pool started (it varies)"
//@ pattern = 'started: (\d+), named'
// HIDE_START
use tokio_in_practice::files::{PERIOD, TempFile, Way, run};
use tokio_in_practice::ms;
// HIDE_END

/// MiB, with one decimal, or a dash where the kernel does not say.
fn mib(bytes: Option<u64>) -> String {
    match bytes {
        Some(b) => format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0)),
        None => "-".to_string(), // not Linux: no /proc/thread-self/io
    }
}

fn main() -> std::io::Result<()> {
    const MIB: usize = 1024 * 1024;
    let size = 64 * MIB;
    let chunk = 64 * 1024;
    // Removed when `file` is dropped, at the end of `main`.
    let file = TempFile::create(size)?;
    // One read first, so that every way finds the file in the page cache
    // (the kernel's copy in memory) and none pays for the disk alone.
    run(Way::SpawnBlocking, file.path(), chunk)?;
    #[cfg(unix)] // AsyncFd, tokio's way to watch a file descriptor, is Unix only
    println!(
        "tokio's reactor, asked to watch the file: {}",
        tokio_in_practice::files::ask_the_reactor(file.path())?
    );
    println!(
        "{} MiB in {} KiB chunks; a ticker wants to wake every {} ms",
        size / MIB,
        chunk / 1024,
        PERIOD.as_millis()
    );
    for way in Way::ALL {
        let report = run(way, file.path(), chunk)?;
        println!("{}:", way.name());
        println!(
            "  {} reads in {} ms, {} us per read; worst tick {} ms late",
            report.reads,
            ms(report.elapsed),
            report.per_read().as_micros(),
            ms(report.worst())
        );
        println!(
            "  read by the runtime's thread: {}; by the blocking pool: {}",
            mib(report.read_by_runtime_thread),
            mib(report.read_by_pool)
        );
        // The names, each once.
        let mut names = report.threads_started.clone();
        names.sort();
        names.dedup();
        let started = report.threads_started.len();
        if started == 0 {
            println!("  threads the runtime started: 0");
        } else {
            println!(
                "  threads the runtime started: {started}, named {}",
                names.join(", ")
            );
        }
        println!("  checksum {}", report.checksum);
    }
    Ok(())
}
