//! Cell `coordinated_omission`: one echo server that stops the world for
//! 300 ms, once, in the middle of the measured time, loaded twice by the
//! book's load generator: as a closed loop (4 connections, each with one
//! line in flight), then as an open loop (the same 4 connections, 400 lines
//! a second on a schedule). What does each say the stall cost?
//@ timeout = 60
//@ [[vary]]
//@ what = "latency"
//@ pattern = '(\d+\.\d+) ms'
//@ [[vary]]
//@ what = "echo count"
//@ pattern = '(\d+) echoes'
// HIDE_START
use std::time::Duration;

use c10k::load::{self, Load};
use c10k::stall;
use support::bars::BarChart;
// HIDE_END

fn main() -> anyhow::Result<()> {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let mut p99s = Vec::new();
    for (name, rate) in [("closed loop", None), ("open loop", Some(400.0))] {
        // A new server for each run: its one stall comes 1.2 s after its
        // first client, inside the 2 s measured after 0.5 s of warm-up.
        let stalling = Duration::from_millis(300);
        let server = stall::start(Duration::from_millis(1200), stalling)?;
        let mut load =
            Load::closed(server.addr(), 4, 4, Duration::from_secs(2));
        load.rate = rate;
        let report = load::run(&load)?;
        let (began, ended) = server.stop()?.expect("the clients connected");
        let (from, to) = report.measured;
        let inside = from <= began && ended <= to;
        println!("{name}: {} echoes in 2 s", report.round_trips);
        println!(
            "  p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; the stall ({:.1} ms) fell {} the measured time",
            ms(report.p50),
            ms(report.p99),
            ms(report.max),
            ms(ended - began),
            if inside { "inside" } else { "OUTSIDE" },
        );
        p99s.push((name.to_string(), ms(report.p99)));
    }
    BarChart {
        title: "The same stall, measured two ways: p99 latency".into(),
        y_desc: "p99 of the echoes (ms)".into(),
        bars: p99s,
        line: Some(("the stall: 300 ms".into(), 300.0)),
        decimals: 1,
    }
    .show("p99")?;
    Ok(())
}
