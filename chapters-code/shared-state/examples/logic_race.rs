//! Cell `logic_race`: two buyers race for the last seat, many
//! times over. Checking and taking the seat under two separate locks sells
//! it twice, most of the time; under one lock, never.
//@ runs = 100
//@ [[vary]]
//@ what = "count"
//@ pattern = 'two locks: +sold twice in( +[\d,]+) races'
// HIDE_START
use std::hint::black_box;

use shared_state::grouped;
use shared_state::logic_race::TicketOffice;
use shared_state::trials::race;
// HIDE_END

/// How many times the two buyers race for the one seat.
const RACES: usize = 20_000;

fn main() {
    // What a buyer does between seeing a free seat and taking it: write
    // the ticket out. A few hundred nanoseconds of ordinary work.
    let print_ticket = || {
        black_box(format!("Row A, seat 1, {:>12}", black_box("tonight")));
    };
    println!(
        "Two buyers race for the last seat, {} times.",
        grouped(RACES as u64)
    );

    let office = TicketOffice::new(1);
    let sold_twice = |results: Vec<(bool, bool)>| {
        results.iter().filter(|&&(a, b)| a && b).count() as u64
    };

    // Check, then act, under two separate locks.
    let racy = race(
        RACES,
        || office.reset(1),
        || office.buy_racy(print_ticket),
        || office.buy_racy(print_ticket),
    );
    println!(
        "  check, then act, two locks: sold twice in {:>7} races",
        grouped(sold_twice(racy))
    );

    // Check and act under one lock.
    let locked = race(
        RACES,
        || office.reset(1),
        || office.buy(print_ticket),
        || office.buy(print_ticket),
    );
    println!(
        "  check and act, one lock:    sold twice in {:>7} races",
        grouped(sold_twice(locked))
    );
    println!(
        "\nEvery access to the seat count was behind a Mutex, both times."
    );
}
