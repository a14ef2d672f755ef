//! The Tokio chapter's cell `tokio_paused_time`: a runtime whose clock is paused
//! moves it only when every task waits, and then straight to the next
//! timer. A retry schedule of nearly two seconds, and an idle session that
//! times out after thirty, run in a few milliseconds of real time, with
//! exact virtual times.
//@ [[vary]]
//@ what = "real time"
//@ pattern = 'real time: ([\d.]+) ms'
// HIDE_START
use std::io;
use std::time::{Duration, Instant as WallClock};

use blocking_io::Config;
use tokio::io::duplex;
use tokio::time::{Instant, sleep};
use tokio_in_practice::echo::session;
use tokio_in_practice::retry::{Backoff, retry};
use tokio_util::sync::CancellationToken;
// HIDE_END

fn main() {
    let wall = WallClock::now();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .expect("a paused runtime can be built");
    runtime.block_on(async {
        let start = Instant::now();
        let backoff = Backoff {
            attempts: 5,
            first_delay: Duration::from_millis(100),
            per_try: Duration::from_secs(1),
        };
        let mut n = 0;
        let result = retry(backoff, || {
            n += 1;
            let attempt = n;
            let at = start.elapsed().as_millis();
            println!("attempt {attempt} starts at {at:>4} ms (virtual)");
            async move {
                match attempt {
                    1 | 2 => Err(io::ErrorKind::ConnectionRefused.into()),
                    3 => {
                        sleep(Duration::from_secs(60)).await; // a hang
                        Ok("too late")
                    }
                    _ => Ok("connected"),
                }
            }
        })
        .await;
        println!(
            "retry: {result:?} at {} ms (virtual)",
            start.elapsed().as_millis()
        );

        let start = Instant::now();
        let (_silent_client, server) = duplex(64);
        let ended =
            session(server, &Config::default(), &CancellationToken::new())
                .await;
        println!(
            "idle session: {:?} after {} s (virtual)",
            ended.map_err(|e| e.kind()),
            start.elapsed().as_secs_f64()
        );
    });
    let real = wall.elapsed().as_secs_f64() * 1e3;
    println!("real time: {real:.1} ms");
}
