//! The reactor's claims: sockets and timers turn into wakes; a task
//! waiting on a socket is polled again only when an event comes, not in a
//! loop; reading until `WouldBlock` gets every byte with no new event;
//! sleeps overlap and fire in deadline order; a dropped socket or timer
//! leaves nothing behind; `timeout` cancels what it wraps; cancelled
//! timers do not pile up; a socket or timer belongs to one runtime.

use std::io::{self, Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use mini_runtime::future::yield_now;
use mini_runtime::net::{TcpListener, TcpStream};
use mini_runtime::time::{sleep, timeout};
use mini_runtime::{Runtime, block_on, spawn};

use support::guard::guarded;

#[test]
fn a_client_and_a_server_task_talk_on_one_thread() {
    let reply = block_on(async {
        let mut listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let server = spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut buf = [0u8; 64];
            let n = stream.read(&mut buf).await.unwrap();
            stream.write_all(&buf[..n]).await.unwrap();
        });
        let mut client = TcpStream::connect(addr).await.unwrap();
        client.write_all(b"ping\n").await.unwrap();
        let mut buf = [0u8; 64];
        let n = client.read(&mut buf).await.unwrap();
        server.await;
        buf[..n].to_vec()
    });
    assert_eq!(reply, b"ping\n");
}

#[test]
fn a_waiting_read_is_polled_again_only_when_bytes_come() {
    let runtime = Runtime::new().unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let client = thread::spawn(move || {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        // Long enough that a busy-polling executor would poll thousands
        // of times meanwhile.
        thread::sleep(Duration::from_millis(200));
        s.write_all(b"late\n").unwrap();
        s
    });
    let (stream, _) = listener.accept().unwrap();
    let got = runtime.block_on(async move {
        let reader = spawn(async move {
            let mut stream = wrap(stream);
            let mut buf = [0u8; 16];
            let n = stream.read(&mut buf).await.unwrap();
            buf[..n].to_vec()
        });
        reader.await
    });
    assert_eq!(got, b"late\n");
    // One poll that found nothing and left its waker, one after the event
    // (and maybe one more for a wake-up without news); one alone if the
    // machine was so slow that the bytes were there at the first poll.
    let polls = runtime.counts().polls;
    assert!(
        polls <= 3,
        "{polls} polls: a waiting task was polled in a loop"
    );
    drop(client.join().unwrap());
}

/// A connected std stream as one of ours.
fn wrap(stream: std::net::TcpStream) -> TcpStream {
    // Registered with the runtime current on this thread.
    TcpStream::from_std(stream).unwrap()
}

#[test]
fn reading_until_would_block_gets_every_byte() {
    // 256 KiB arrive while the task reads 1 KiB at a time; edge-triggered
    // epoll may report them with a single event. The task keeps reading
    // until `WouldBlock` before it waits, so it gets them all.
    // A future that waited too early would hang: `within` makes that a
    // failure.
    const TOTAL: usize = 256 * 1024;
    guarded(Duration::from_secs(20), "the test (a lost wake?)", || {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let (done_tx, done_rx) = mpsc::channel::<()>();
        let writer = thread::spawn(move || {
            let mut s = std::net::TcpStream::connect(addr).unwrap();
            s.write_all(&vec![b'x'; TOTAL]).unwrap();
            // Keep the connection open: no end of input to help the reader.
            let _ = done_rx.recv();
        });
        let (stream, _) = listener.accept().unwrap();
        let got = block_on(async move {
            let mut stream = TcpStream::from_std(stream).unwrap();
            let mut got = 0;
            let mut buf = [0u8; 1024];
            while got < TOTAL {
                got += stream.read(&mut buf).await.unwrap();
            }
            got
        });
        done_tx.send(()).unwrap();
        writer.join().unwrap();
        assert_eq!(got, TOTAL);
    });
}

#[test]
fn sleeps_overlap_and_end_in_deadline_order() {
    const SLEEPS: [u64; 3] = [300, 100, 200];
    let order = Arc::new(Mutex::new(Vec::new()));
    let started = Instant::now();
    block_on({
        let order = Arc::clone(&order);
        async move {
            let tasks: Vec<_> = SLEEPS
                .into_iter()
                .map(|ms| {
                    let order = Arc::clone(&order);
                    spawn(async move {
                        sleep(Duration::from_millis(ms)).await;
                        order.lock().unwrap().push(ms);
                    })
                })
                .collect();
            for t in tasks {
                t.await;
            }
        }
    });
    let took = started.elapsed();
    assert_eq!(*order.lock().unwrap(), [100, 200, 300]);
    assert!(took >= Duration::from_millis(300));
    // One after the other they would take the sum, 600 ms; overlapped,
    // about the longest, 300 ms. Only a machine stalled for 300 ms more
    // could make overlapping sleeps look sequential.
    let sum = Duration::from_millis(SLEEPS.iter().sum());
    assert!(took < sum, "{took:?}: as long as the sleeps one by one");
}

#[test]
fn an_idle_runtime_sleeps_instead_of_polling() {
    let runtime = Runtime::new().unwrap();
    runtime.block_on(async {
        spawn(sleep(Duration::from_millis(200))).await;
    });
    let counts = runtime.counts();
    // Polled when spawned, and when the timer fired.
    assert_eq!(counts.polls, 2, "{counts:?}");
    // One sleep, until the timer's deadline. The timer's wake comes from
    // the executor's own thread, after it has noted that it is awake: it
    // only queues the task, and does not also wake the executor through
    // the `mio::Waker`, which would cost a second, empty, turn.
    assert_eq!(counts.parks, 1, "{counts:?}");
}

#[test]
fn timeout_cancels_a_read_and_leaves_nothing_behind() {
    let runtime = Runtime::new().unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let silent = std::net::TcpStream::connect(addr).unwrap();
    let (stream, _) = listener.accept().unwrap();
    let result = runtime.block_on(async move {
        let mut stream = TcpStream::from_std(stream).unwrap();
        let mut buf = [0u8; 8];
        let r = timeout(Duration::from_millis(50), stream.read(&mut buf)).await;
        r.map(|_| ())
    });
    assert_eq!(result.unwrap_err().kind(), io::ErrorKind::TimedOut);
    assert_eq!(runtime.sockets(), 0, "the stream deregistered on drop");
    assert_eq!(runtime.timers(), 0, "the timer went with the timeout");
    drop(silent);
}

#[test]
fn a_dropped_sleep_cancels_its_timer() {
    let runtime = Runtime::new().unwrap();
    runtime.block_on(async {
        let r =
            timeout(Duration::from_millis(10), sleep(Duration::from_secs(60)))
                .await;
        assert!(r.is_err());
    });
    assert_eq!(runtime.timers(), 0);
}

#[test]
fn end_of_input_reads_zero() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let client = thread::spawn(move || {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.write_all(b"last words").unwrap();
    });
    let (stream, _) = listener.accept().unwrap();
    client.join().unwrap();
    let all = block_on(async move {
        let mut stream = TcpStream::from_std(stream).unwrap();
        let mut all = Vec::new();
        let mut buf = [0u8; 4];
        loop {
            match stream.read(&mut buf).await.unwrap() {
                0 => break all,
                n => all.extend_from_slice(&buf[..n]),
            }
        }
    });
    assert_eq!(all, b"last words");
}

#[test]
fn a_blocking_read_inside_a_task_stalls_the_thread() {
    // `.await` does not make a blocking call non-blocking: a std read in
    // a task holds the executor's only thread, and the other task's
    // sleep, due long before, ends only after it.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let order = Arc::new(Mutex::new(Vec::new()));
    let client = thread::spawn(move || {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        thread::sleep(Duration::from_millis(300));
        s.write_all(b"x").unwrap();
    });
    let (mut blocking, _) = listener.accept().unwrap();
    block_on({
        let order = Arc::clone(&order);
        async move {
            let o = Arc::clone(&order);
            let sleeper = spawn(async move {
                sleep(Duration::from_millis(10)).await;
                o.lock().unwrap().push("sleep ended");
            });
            let o = Arc::clone(&order);
            let reader = spawn(async move {
                // A blocking call: no `.await` can help it.
                let mut b = [0u8; 1];
                blocking.read_exact(&mut b).unwrap();
                o.lock().unwrap().push("blocking read returned");
            });
            reader.await;
            sleeper.await;
        }
    });
    client.join().unwrap();
    assert_eq!(
        *order.lock().unwrap(),
        ["blocking read returned", "sleep ended"]
    );
}

#[test]
fn cancelled_timeouts_do_not_pile_up_in_the_timer_heap() {
    // A server puts a timeout around every read, and nearly every one is
    // cancelled long before its deadline. The heap entries of cancelled
    // timers are dropped when they outnumber the live ones by far.
    let runtime = Runtime::new().unwrap();
    let most = runtime.block_on(async {
        let mut most = 0;
        for _ in 0..10_000 {
            // `yield_now` is pending once: the timeout's timer is
            // registered, then cancelled when the yield ends.
            let r = timeout(Duration::from_secs(60), yield_now()).await;
            assert!(r.is_ok());
            most = most.max(runtime.timer_entries());
        }
        most
    });
    assert_eq!(runtime.timers(), 0);
    // At most one live timer: the heap is rebuilt past 2 * 1 + 64.
    assert!(most <= 66, "{most} heap entries for at most one live timer");
}

/// A connected pair of std streams.
fn std_pair() -> (std::net::TcpStream, std::net::TcpStream) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let client =
        std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (server, _) = listener.accept().unwrap();
    (client, server)
}

/// The text of a caught panic.
fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default()
}

#[test]
fn a_socket_belongs_to_the_runtime_that_registered_it() {
    let (one, two) = (Runtime::new().unwrap(), Runtime::new().unwrap());
    let (a, _a_peer) = std_pair();
    let (b, _b_peer) = std_pair();
    // The first socket of each runtime: both have token 0.
    let mut from_one = one.block_on(async { TcpStream::from_std(a).unwrap() });
    let from_two = two.block_on(async { TcpStream::from_std(b).unwrap() });
    assert_eq!((one.sockets(), two.sockets()), (1, 1));
    // Used in the other runtime, it panics, with a message that says why,
    // instead of waiting on the other runtime's socket 0.
    let used = catch_unwind(AssertUnwindSafe(|| {
        two.block_on(async {
            let mut buf = [0u8; 8];
            from_one.read(&mut buf).await
        })
    }));
    let text = panic_text(&*used.expect_err("a read in the wrong runtime"));
    assert!(text.contains("other than the one"), "{text}");
    // Dropped in the other runtime, it frees its own slot, not the other
    // runtime's socket 0.
    two.block_on(async move { drop(from_one) });
    assert_eq!((one.sockets(), two.sockets()), (0, 1));
    // Dropped outside any runtime, too.
    drop(from_two);
    assert_eq!(two.sockets(), 0);
}

#[test]
fn a_timer_belongs_to_the_runtime_that_registered_it() {
    let (one, two) = (Runtime::new().unwrap(), Runtime::new().unwrap());
    let mut long = sleep(Duration::from_secs(60));
    // Polled in `one`, where it registers its timer (id 0).
    let r = one.block_on(timeout(Duration::from_millis(1), &mut long));
    assert!(r.is_err());
    let mut other = sleep(Duration::from_secs(60));
    let r = two.block_on(timeout(Duration::from_millis(1), &mut other));
    assert!(r.is_err());
    assert_eq!((one.timers(), two.timers()), (1, 1));
    let polled = catch_unwind(AssertUnwindSafe(|| {
        two.block_on(timeout(Duration::from_millis(1), &mut long))
    }));
    let text = panic_text(&*polled.expect_err("a poll in the wrong runtime"));
    assert!(text.contains("other than the one"), "{text}");
    // Dropped in `two`, it cancels its own timer in `one`, not `two`'s 0.
    two.block_on(async move { drop(long) });
    assert_eq!((one.timers(), two.timers()), (0, 1));
    drop(other);
    assert_eq!(two.timers(), 0);
}
