//! Cell `io_uring_read`: corner (d), completion. The read is
//! handed to the kernel through io_uring; the thread computes meanwhile;
//! when the completion shows up, the bytes are already in our buffer.
//! Linux only: elsewhere, where the kernel refuses io_uring, or where it is
//! older than 5.6 and has no `Read` opcode, the cell says so in one line and
//! stops.
//@ [[vary]]
//@ what = "count"
//@ pattern = '(\d+) pieces'
#[cfg(target_os = "linux")]
fn main() -> std::io::Result<()> {
    // HIDE_START
    use std::time::Duration;

    use nonblocking_io::corners::completion::{read_on_completion, ring};
    use nonblocking_io::corners::{socket_pair, write_later};
    use support::measure::spin_cpu;
    // HIDE_END

    let ring = match ring() {
        Ok(ring) => ring,
        Err(e) => {
            println!("io_uring is not available here ({e}); nothing to show");
            return Ok(());
        }
    };
    let (ours, peer) = socket_pair()?;
    let writer = write_later(peer, Duration::from_millis(200), b"hello\n");

    println!("read submitted to the kernel");
    let done = match read_on_completion(ring, &ours, || {
        spin_cpu(Duration::from_millis(1));
    }) {
        Ok(done) => done,
        // The probe said yes, but the kernel refused the read after all.
        Err(e) if e.kind() == std::io::ErrorKind::Unsupported => {
            println!("io_uring cannot read here ({e}); nothing to show");
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    writer.join().expect("the writer does not panic")?;
    println!("meanwhile the thread did {} pieces of work", done.work_done);
    println!(
        "completion: the kernel had copied {:?} into our buffer",
        String::from_utf8_lossy(&done.bytes)
    );
    println!("our code never called read");
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn main() {
    println!("io_uring is Linux's; on this system there is nothing to show");
}
