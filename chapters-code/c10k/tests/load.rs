//! The load generator against real servers on 127.0.0.1: it counts echoes,
//! orders its percentiles, and tells a connection that is served from one
//! that is only accepted or refused. No assertion here depends on how fast
//! the machine is.

use std::net::TcpListener;
use std::time::Duration;

use blocking_io::Config;
use c10k::load::{self, Load};

#[test]
fn a_closed_loop_counts_echoes_and_orders_its_percentiles() {
    let server =
        event_loop::echo::start("127.0.0.1:0", Config::default()).unwrap();
    let mut load =
        Load::closed(server.local_addr(), 20, 10, Duration::from_millis(500));
    load.warmup = Duration::from_millis(100);
    let report = load::run(&load).unwrap();
    assert_eq!((report.connections, report.active), (20, 10));
    assert_eq!((report.unserved, report.refused, report.starved), (0, 0, 0));
    assert!(report.round_trips > 0);
    assert!(report.p50 <= report.p99 && report.p99 <= report.max);
    server.shutdown().unwrap();
}

#[test]
fn an_open_loop_sends_on_schedule() {
    let server =
        event_loop::echo::start("127.0.0.1:0", Config::default()).unwrap();
    let mut load =
        Load::closed(server.local_addr(), 4, 4, Duration::from_secs(1));
    load.warmup = Duration::from_millis(100);
    load.rate = Some(400.0);
    let report = load::run(&load).unwrap();
    // 400 lines a second for one second, whatever the machine's speed: the
    // schedule decides, give or take the lines in flight at the edges.
    assert!(
        (380..=420).contains(&report.round_trips),
        "{}",
        report.round_trips
    );
    server.shutdown().unwrap();
}

#[test]
fn a_pool_serves_only_as_many_as_it_has_workers() {
    let config = Config {
        workers: 2,
        ..Config::default()
    };
    let server = blocking_io::pool::start("127.0.0.1:0", config).unwrap();
    let mut load =
        Load::closed(server.local_addr(), 6, 6, Duration::from_millis(300));
    load.warmup = Duration::from_millis(50);
    let report = load::run(&load).unwrap();
    assert_eq!((report.active, report.unserved), (2, 4));
    server.shutdown();
}

#[test]
fn connections_past_a_cap_are_counted_as_refused() {
    let config = Config {
        max_connections: 3,
        ..Config::default()
    };
    let server =
        blocking_io::per_connection::start("127.0.0.1:0", config).unwrap();
    let mut load =
        Load::closed(server.local_addr(), 5, 5, Duration::from_millis(300));
    load.warmup = Duration::from_millis(50);
    let report = load::run(&load).unwrap();
    assert_eq!((report.active, report.refused), (3, 2));
    server.shutdown();
}

#[test]
fn nothing_listening_is_a_clear_error() {
    let addr = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    // The listener is dropped: nothing listens there now.
    let error =
        load::run(&Load::closed(addr, 1, 1, Duration::from_millis(100)))
            .unwrap_err();
    assert!(
        format!("{error:#}").contains("nothing listens"),
        "{error:#}"
    );
}

#[test]
fn more_descriptors_than_allowed_is_a_clear_error() {
    let Some((_, hard)) = c10k::limits::open_files() else {
        return;
    };
    if hard == u64::MAX {
        return; // unlimited: nothing to refuse
    }
    let error = c10k::limits::ensure_open_files(hard + 1).unwrap_err();
    assert!(error.to_string().contains("hard limit"), "{error}");
}
