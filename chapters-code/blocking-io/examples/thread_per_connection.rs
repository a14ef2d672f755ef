//! Cell `thread_per_connection`: the same two clients against
//! version 2 (a thread per connection) and version 3 (a pool of workers).
//@ [[vary]]
//@ what = "port"
//@ pattern = '127\.0\.0\.1:(\d+)'
// HIDE_START
use std::io;
use std::time::Duration;

use blocking_io::{Config, Server, demo, per_connection, pool};
use support::timeline::Timeline;
// HIDE_END

type Start = fn(&str, Config) -> io::Result<Server>;

fn main() -> io::Result<()> {
    let versions: [(&str, Start); 2] = [
        ("version 2 (thread per connection)", |a, c| {
            per_connection::start(a, c)
        }),
        ("version 3 (pool of 4 workers)", |a, c| pool::start(a, c)),
    ];
    let mut first = None;
    for (name, start) in versions {
        let server = start("127.0.0.1:0", Config::default())?;
        println!("{name} listening on {}", server.local_addr());
        let timeline = Timeline::new();
        let patience = Duration::from_secs(10);
        for event in
            demo::two_clients(server.local_addr(), patience, &timeline)?
        {
            println!("  {event}");
        }
        server.shutdown();
        println!("server shut down, every thread joined");
        first.get_or_insert(timeline);
    }
    let v2 = first.expect("the loop ran");
    v2.show("sessions", "version 2: B is served while A is connected")
}
