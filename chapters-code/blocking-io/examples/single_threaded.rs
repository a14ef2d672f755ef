//! Cell `single_threaded`: version 1 of the echo server, in this
//! process, with two clients. B connects while A is connected, and waits.
//@ [[vary]]
//@ what = "port"
//@ pattern = '127\.0\.0\.1:(\d+)'
// HIDE_START
use std::time::Duration;

use blocking_io::{Config, demo, single};
use support::timeline::Timeline;
// HIDE_END

fn main() -> std::io::Result<()> {
    let server = single::start("127.0.0.1:0", Config::default())?;
    println!("version 1 listening on {}", server.local_addr());
    let timeline = Timeline::new();
    // How long B's reply is awaited while A is still connected.
    let patience = Duration::from_millis(300);
    for event in demo::two_clients(server.local_addr(), patience, &timeline)? {
        println!("  {event}");
    }
    server.shutdown();
    println!("server shut down, its thread joined");
    timeline.show("sessions", "version 1: B waits until A says bye")
}
