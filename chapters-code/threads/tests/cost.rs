//! What threads cost: their stacks are reserved whole but filled on demand,
//! so they cost far more virtual memory than resident memory.

use threads::cost::{memory, with_idle_threads};

const MIB: u64 = 1024 * 1024;

#[test]
fn idle_threads_reserve_much_and_use_little() {
    let n: usize = 200;
    // Warm up the allocator's per-thread areas first, so that what grows
    // below is the threads' stacks.
    with_idle_threads(n, 2 * MIB as usize, || ()).unwrap();
    let before = memory().expect("this system reports memory");
    let during = with_idle_threads(n, 2 * MIB as usize, memory)
        .unwrap()
        .unwrap();
    let virtual_growth =
        during.virtual_bytes.saturating_sub(before.virtual_bytes);
    let resident_growth =
        during.resident_bytes.saturating_sub(before.resident_bytes);
    // Each stack reserves 2 MiB; allow for rounding and reuse.
    assert!(
        virtual_growth >= n as u64 * MIB,
        "{n} threads reserved only {} MiB",
        virtual_growth / MIB
    );
    assert!(
        resident_growth * 10 < virtual_growth,
        "resident grew {} KiB of {} KiB virtual",
        resident_growth / 1024,
        virtual_growth / 1024
    );
}

#[cfg(target_os = "linux")]
#[test]
fn the_threads_are_alive_while_the_closure_runs() {
    let count = || support::process::thread_count().unwrap();
    let alive = with_idle_threads(50, 64 * 1024, count).unwrap();
    assert!(alive >= 51, "only {alive} threads while 50 idle ones live");
}
