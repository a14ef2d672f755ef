//! Claims about time, tested in paused time: tokio's clock stands still
//! and jumps to the next timer whenever every task is waiting, so the
//! tests check exact moments and take no time.

use std::io;
use std::time::Duration;

use blocking_io::Config;
use blocking_io::protocol::End;
use tokio::io::{AsyncReadExt, AsyncWriteExt, duplex};
use tokio::time::{Instant, sleep};
use tokio_in_practice::backpressure::{capped, pipeline};
use tokio_in_practice::echo::session;
use tokio_in_practice::retry::{Backoff, retry};
use tokio_util::sync::CancellationToken;

// ANCHOR: idle_timeout
/// A silent client is dropped exactly `config.timeout` after its last
/// line, in virtual time: the 30 seconds pass in no time at all.
#[tokio::test(start_paused = true)]
async fn idle_session_times_out_exactly_on_time() {
    let config = Config::default(); // timeout: 30 s
    let (mut client, server) = duplex(1024);
    let stop = CancellationToken::new();
    let start = Instant::now();
    let session = tokio::spawn(async move {
        let ended = session(server, &config, &stop).await;
        (ended, start.elapsed())
    });
    // A line at 10 s restarts the clock: the session ends at 40 s.
    sleep(Duration::from_secs(10)).await;
    client.write_all(b"hello\n").await.unwrap();
    let mut echo = [0; 6];
    client.read_exact(&mut echo).await.unwrap();
    assert_eq!(&echo, b"hello\n");
    let (ended, at) = session.await.unwrap();
    assert_eq!(ended.unwrap_err().kind(), io::ErrorKind::TimedOut);
    assert_eq!(at, Duration::from_secs(40));
}
// ANCHOR_END: idle_timeout

/// Stopping a session in mid-line echoes the half line, then closes.
#[tokio::test(start_paused = true)]
async fn stopping_a_session_echoes_the_half_line() {
    let (mut client, server) = duplex(1024);
    let stop = CancellationToken::new();
    let token = stop.clone();
    let session = tokio::spawn(async move {
        session(server, &Config::default(), &token).await
    });
    client.write_all(b"half a li").await.unwrap();
    sleep(Duration::from_secs(1)).await;
    stop.cancel();
    let mut rest = Vec::new();
    client.read_to_end(&mut rest).await.unwrap();
    assert_eq!(rest, b"half a li");
    assert_eq!(session.await.unwrap().unwrap(), End::Eof);
}

/// A whole line and half of the next arrive together, and the stop comes
/// before the session has even looked: both are echoed. (With the stop
/// polled in a random order, the half line stayed in the `BufReader` about
/// three times in four.)
#[tokio::test(start_paused = true)]
async fn stopping_loses_no_buffered_bytes() {
    for _ in 0..20 {
        let (mut client, server) = duplex(1024);
        let stop = CancellationToken::new();
        let token = stop.clone();
        let session = tokio::spawn(async move {
            session(server, &Config::default(), &token).await
        });
        client.write_all(b"a\nhalf").await.unwrap();
        stop.cancel();
        let mut back = Vec::new();
        client.read_to_end(&mut back).await.unwrap();
        assert_eq!(back, b"a\nhalf");
        assert_eq!(session.await.unwrap().unwrap(), End::Eof);
    }
}

/// A client that never reads is dropped once a write has made no progress
/// for the timeout.
#[tokio::test(start_paused = true)]
async fn a_client_that_never_reads_is_dropped_on_time() {
    let config = Config {
        timeout: Duration::from_secs(5),
        ..Config::default()
    };
    // A pipe of 64 bytes: full after a few echoes.
    let (mut client, server) = duplex(64);
    let stop = CancellationToken::new();
    let start = Instant::now();
    let session = tokio::spawn(async move {
        let ended = session(server, &config, &stop).await;
        (ended, start.elapsed())
    });
    for _ in 0..20 {
        // The server reads what it can; its writes stall.
        if client.write_all(b"never read\n").await.is_err() {
            break;
        }
    }
    let (ended, at) = session.await.unwrap();
    assert_eq!(ended.unwrap_err().kind(), io::ErrorKind::TimedOut);
    assert_eq!(at, Duration::from_secs(5));
}

// ANCHOR: retry_schedule
/// Two refusals, then an attempt that hangs past `per_try`, then success:
/// the attempts start at exactly 0, 100, 300 and 1,700 ms.
#[tokio::test(start_paused = true)]
async fn retry_backs_off_exponentially() {
    let start = Instant::now();
    let mut attempts = Vec::new();
    let backoff = Backoff {
        attempts: 5,
        first_delay: Duration::from_millis(100),
        per_try: Duration::from_secs(1),
    };
    let result = retry(backoff, || {
        attempts.push(start.elapsed().as_millis());
        let n = attempts.len();
        async move {
            match n {
                1 | 2 => Err(io::ErrorKind::ConnectionRefused.into()),
                3 => {
                    sleep(Duration::from_secs(60)).await; // hangs
                    Ok("too late")
                }
                _ => Ok("connected"),
            }
        }
    })
    .await;
    assert_eq!(result.unwrap(), "connected");
    assert_eq!(attempts, [0, 100, 300, 1700]);
}
// ANCHOR_END: retry_schedule

#[tokio::test(start_paused = true)]
async fn retry_gives_up_with_the_last_error() {
    let backoff = Backoff {
        attempts: 3,
        first_delay: Duration::from_millis(10),
        per_try: Duration::from_secs(1),
    };
    let start = Instant::now();
    let result: io::Result<()> = retry(backoff, || async {
        Err(io::ErrorKind::ConnectionRefused.into())
    })
    .await;
    assert_eq!(result.unwrap_err().kind(), io::ErrorKind::ConnectionRefused);
    // Two waits: 10 and 20 ms; none after the last attempt.
    assert_eq!(start.elapsed(), Duration::from_millis(30));
}

/// The producer is held to the consumer's pace: with 4 places and 10 ms
/// per item, item n's send returns when the consumer takes item n - 4 (at
/// (n - 4) × 10 ms), and the queue never holds more than 4.
#[tokio::test(start_paused = true)]
async fn a_bounded_channel_holds_the_producer_back() {
    let run = pipeline(20, 4, Duration::from_millis(10)).await;
    assert!(run.queued.iter().all(|&n| n <= 4), "{:?}", run.queued);
    assert_eq!(run.queued.iter().max(), Some(&4));
    // The first sends find room at once; later ones wait for the consumer.
    assert_eq!(run.sends[0].end, Duration::ZERO);
    let last = run.sends.last().unwrap();
    assert_eq!(last.end, Duration::from_millis(150), "{last:?}");
    // The consumer is never idle: it ends at 20 × 10 ms.
    assert_eq!(run.handled.last().unwrap().end, Duration::from_millis(200));
}

/// Ten jobs, three permits, 50 ms each: at most three at once, and the
/// whole takes four rounds.
#[tokio::test(start_paused = true)]
async fn a_semaphore_caps_the_work_in_flight() {
    let run = capped(10, 3, Duration::from_millis(50)).await;
    assert_eq!(run.max_in_flight, 3);
    let end = run.ran.iter().map(|s| s.end).max().unwrap();
    assert_eq!(end, Duration::from_millis(200));
    // At no moment do more than three spans overlap.
    for span in &run.ran {
        let at = span.start;
        let running = run
            .ran
            .iter()
            .filter(|s| s.start <= at && at < s.end)
            .count();
        assert!(running <= 3, "{running} at {at:?}");
    }
}
