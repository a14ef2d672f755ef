//! Cell `polling_cost`: the polling server with 100 idle
//! clients, for three sleeps after an idle round. While nobody sends
//! anything, how much CPU does the loop burn? And how long does one more
//! client wait for an echo?
//@ timeout = 60
//@ [[vary]]
//@ what = "measured"
//@ pattern = '(\d[\d,.]*)'
// HIDE_START
use std::io;
use std::time::Duration;

use nonblocking_io::cost::measure_polling;
use support::bars::{BarChart, grouped};
// HIDE_END

const IDLE: usize = 100;
const WINDOW: Duration = Duration::from_secs(1);
const ECHOES: usize = 50;

fn main() -> io::Result<()> {
    let ms = Duration::from_millis;
    println!(
        "{IDLE} idle clients; CPU measured over {} s",
        WINDOW.as_secs()
    );
    println!(
        "{:<16} {:>12} {:>16} {:>14}",
        "idle sleep", "CPU (core)", "echo (median)", "echo (worst)"
    );
    let mut bars = Vec::new();
    for sleep in [ms(0), ms(1), ms(10)] {
        let cost = measure_polling(IDLE, sleep, WINDOW, ECHOES)?;
        let name = match sleep.as_millis() {
            0 => "none (busy)".to_string(),
            n => format!("{n} ms"),
        };
        let us = |d: Duration| grouped(d.as_micros() as u64);
        println!(
            "{:<16} {:>11.1}% {:>13} µs {:>11} µs",
            name,
            cost.cpu_share * 100.0,
            us(cost.median_echo()),
            us(cost.echoes.last().copied().unwrap_or_default()),
        );
        bars.push((name, cost.cpu_share * 100.0));
    }
    println!("(echo: {ECHOES} round trips of one more client's line)");
    BarChart {
        title: format!("CPU of the polling loop, {IDLE} idle clients"),
        y_desc: "% of one core".into(),
        bars,
        line: None,
        decimals: 1,
    }
    .show("cpu")
}
