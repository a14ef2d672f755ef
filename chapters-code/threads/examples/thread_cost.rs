//! Cell `thread_cost`: memory with hundreds of idle threads
//! alive, and the time to start one.
//@ timeout = 60
//@ [[vary]]
//@ what = "measured"
//@ pattern = '(\d+\.\d+)'
//@ [[vary]]
//@ what = "limit"
//@ pattern = 'all processes: (\d+)'
// HIDE_START
use support::chart::{Chart, Series};
use threads::cost::{memory, reuse_thread, spawn_and_join, with_idle_threads};
// HIDE_END

/// The stack each thread asks for: Rust's default, written out.
const STACK: usize = 2 * 1024 * 1024;
const MIB: f64 = 1024.0 * 1024.0;

fn main() -> std::io::Result<()> {
    let Some(base) = memory() else {
        println!(
            "This system does not report process memory; nothing to show."
        );
        return Ok(());
    };
    let stack_kib = STACK / 1024;
    println!(
        "threads   virtual MiB   resident MiB   (stacks of {stack_kib} KiB)"
    );
    let mut virt = Vec::new();
    let mut resident = Vec::new();
    for n in [0, 250, 500, 750, 1000] {
        // Measure while `n` threads are alive and waiting.
        let m = with_idle_threads(n, STACK, memory)?.unwrap_or(base);
        let (v, r) =
            (m.virtual_bytes as f64 / MIB, m.resident_bytes as f64 / MIB);
        println!("{n:>7} {v:>13.1} {r:>14.1}");
        virt.push((n as f64, v));
        resident.push((n as f64, r));
    }
    // From 250 to 1000 threads: what each further thread added.
    let per = |s: &[(f64, f64)]| (s[4].1 - s[1].1) / 750.0 * 1024.0;
    let (v, r) = (per(&virt), per(&resident));
    println!(
        "each thread past 250 added {v:.1} KiB virtual, {r:.1} KiB resident"
    );

    let spawn = spawn_and_join(2_000).as_secs_f64() * 1e6;
    let reuse = reuse_thread(2_000).as_secs_f64() * 1e6;
    println!("\nstart and join a thread that does nothing: {spawn:.2} µs");
    println!("send a job to a running thread instead:    {reuse:.2} µs");
    if let Ok(max) = std::fs::read_to_string("/proc/sys/kernel/threads-max") {
        println!(
            "the kernel's limit on threads, all processes: {}",
            max.trim()
        );
    }
    // Two charts: on one axis, resident memory would be a flat line at 0.
    // Figures show in the order of their names: virtual first, as here.
    Chart::new(
        "Virtual memory (address space reserved)",
        "threads alive",
        "MiB",
    )
    .series(Series::new("virtual", virt))
    .show("1-virtual")?;
    Chart::new("Resident memory (in RAM)", "threads alive", "MiB")
        .series(Series::new("resident", resident))
        .show("2-resident")
}
