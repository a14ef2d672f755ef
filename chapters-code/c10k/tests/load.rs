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

#[test]
fn impossible_loads_are_clear_errors() {
    let addr = "127.0.0.1:9".parse().unwrap();
    let mut load = Load::closed(addr, 1, 1, Duration::from_secs(1));
    for rate in [0.0, -5.0, f64::NAN, f64::INFINITY] {
        load.rate = Some(rate);
        let error = load::run(&load).unwrap_err();
        assert!(format!("{error:#}").contains("rate"), "{rate}: {error:#}");
    }
    load.rate = None;
    load.duration = Duration::ZERO;
    let error = load::run(&load).unwrap_err();
    assert!(
        format!("{error:#}").contains("longer than zero"),
        "{error:#}"
    );
    let error = load::run(&Load::closed(addr, 0, 0, Duration::from_secs(1)))
        .unwrap_err();
    assert!(format!("{error:#}").contains("at least one"), "{error:#}");
}

#[test]
fn open_loop_connections_take_turns_within_an_interval() {
    let every = Duration::from_millis(8);
    let firsts: Vec<Duration> =
        (0..5).map(|i| load::first_due(every, i, 4)).collect();
    let ms = Duration::from_millis;
    assert_eq!(firsts, [ms(0), ms(2), ms(4), ms(6), ms(0)]);
}

#[test]
fn a_connection_closed_before_its_first_echo_is_refused() {
    // A "server" that takes each connection and closes it at once.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            drop(stream);
        }
    });
    let mut load = Load::closed(addr, 3, 3, Duration::from_millis(100));
    load.warmup = Duration::from_millis(10);
    let report = load::run(&load).unwrap();
    assert_eq!(
        (report.refused, report.active, report.round_trips),
        (3, 0, 0)
    );
}

#[test]
fn an_open_loop_gives_up_on_a_server_that_stops_answering() {
    // Echoes the first line, then holds the connection and reads nothing.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        let mut held = Vec::new();
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let mut hello = [0u8; 6];
            stream.read_exact(&mut hello).unwrap();
            stream.write_all(&hello).unwrap();
            held.push(stream);
        }
    });
    let mut load = Load::closed(addr, 1, 1, Duration::from_millis(200));
    load.warmup = Duration::from_millis(10);
    load.rate = Some(100.0);
    // Without patience this would wait for an echo forever.
    let report = load::run(&load).unwrap();
    assert_eq!((report.starved, report.round_trips), (1, 0));
}

#[test]
fn cpu_share_is_read_over_the_window_only() {
    use c10k::server::cpu_share;
    use std::time::Instant;
    let t0 = Instant::now();
    let at = |ms: u64| t0 + Duration::from_millis(ms);
    let cpu = Duration::from_millis;
    // Busy (one core) while connecting, then half a core in the window.
    let samples = [
        (at(0), cpu(0)),
        (at(500), cpu(500)),
        (at(1000), cpu(750)),
        (at(1500), cpu(1000)),
        (at(2000), cpu(2000)),
    ];
    let share = cpu_share(&samples, (at(500), at(1500))).unwrap();
    assert!((share - 0.5).abs() < 1e-9, "{share}");
    // Samples that do not bracket the window give nothing.
    assert_eq!(cpu_share(&samples, (at(500), at(2500))), None);
    // Edges between samples: a core busy, then idle, then busy again,
    // sampled every 100 ms, and a window from 50 ms to 250 ms. Half of
    // its time was busy; the samples around it (0 to 300 ms) would say
    // two thirds.
    let samples = [
        (at(0), cpu(0)),
        (at(100), cpu(100)),
        (at(200), cpu(100)),
        (at(300), cpu(200)),
    ];
    let share = cpu_share(&samples, (at(50), at(250))).unwrap();
    assert!((share - 0.5).abs() < 1e-9, "{share}");
}

/// Coordinated omission: the same stall, loaded two ways. The lower bounds
/// hold however slow the machine: a line due while the world is stopped is
/// echoed after the stall ends.
#[test]
fn a_closed_loop_hides_a_stall_that_an_open_loop_shows() {
    let stall = Duration::from_millis(300);
    let mut p99 = Vec::new();
    for rate in [None, Some(400.0)] {
        let server =
            c10k::stall::start(Duration::from_millis(400), stall).unwrap();
        let mut load =
            Load::closed(server.addr(), 4, 4, Duration::from_secs(1));
        load.warmup = Duration::from_millis(100);
        load.rate = rate;
        let report = load::run(&load).unwrap();
        let (began, ended) = server.stop().unwrap().expect("clients came");
        let (from, to) = report.measured;
        assert!(
            from <= began && ended <= to,
            "the stall fell outside the measured time"
        );
        // Both loops had a line waiting through the whole stall.
        assert!(report.max >= stall, "{rate:?}: max {:?}", report.max);
        p99.push(report.p99);
    }
    let (closed, open) = (p99[0], p99[1]);
    // The open loop's lines kept coming due during the stall: more than 1%
    // of them (120 of 400) waited for it, the earliest nearly all of it.
    assert!(open >= Duration::from_millis(200), "open loop p99 {open:?}");
    // The closed loop stopped sending while it waited: 4 slow echoes among
    // thousands, below its 99th percentile.
    assert!(closed < open, "closed loop p99 {closed:?}, open {open:?}");
}
