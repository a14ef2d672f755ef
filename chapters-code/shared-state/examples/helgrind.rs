//! Cell `helgrind`: Valgrind's race detector, Helgrind, run on four
//! small programs of this chapter (the cell runs itself again under
//! Valgrind, with the program's name as its argument). It finds the real
//! data race of the unsynchronized counter; it also reports the correct
//! Mutex counter and the correct Release/Acquire publish, because it does
//! not understand the atomics they are built on; and it says nothing about
//! a racy program whose race did not run.
//@ timeout = 60
//@ needs = ["valgrind"]
//@ [[vary]]
//@ what = "valgrind version"
//@ pattern = 'Helgrind, from (valgrind-[\d.]+)'
//@ [[vary]]
//@ what = "reports inside the standard library"
//@ pattern = 'and (\d+) inside the standard library'
// HIDE_START
use std::path::Path;

use shared_state::detectors::{
    flag_publish, helgrind, mutex_count, parse_helgrind, unsynchronized_count,
    valgrind_version,
};
// HIDE_END

/// The source file whose lines the reports point at.
const SOURCE: &str = include_str!("../src/detectors.rs");

/// The programs, by the argument that runs each, and what each is.
const PROGRAMS: [(&str, &str); 4] = [
    (
        "unsynchronized",
        "unsynchronized counter (a real data race)",
    ),
    ("mutex", "Mutex counter (correct)"),
    ("publish", "Release/Acquire publish (correct)"),
    (
        "unsynchronized-idle",
        "unsynchronized counter, 0 additions each",
    ),
];

/// Run with an argument, the cell is one of the programs; without, it runs
/// each of them under Helgrind.
fn main() -> std::io::Result<()> {
    if let Some(program) = std::env::args().nth(1) {
        run(&program);
        return Ok(());
    }
    let Some(version) = valgrind_version() else {
        println!("Valgrind is not installed, so Helgrind cannot run here.");
        println!("On Debian or Ubuntu: sudo apt install valgrind");
        println!("On macOS Valgrind is not supported: use ThreadSanitizer.");
        return Ok(());
    };
    println!("Helgrind, from {version}, on four programs:");
    let me = std::env::current_exe()?;
    for (arg, what) in PROGRAMS {
        show(&me, arg, what)?;
    }
    Ok(())
}

/// Runs one program under Helgrind and prints the races it reported.
fn show(me: &Path, arg: &str, what: &str) -> std::io::Result<()> {
    let report = parse_helgrind(&helgrind(me, &[arg])?, "detectors.rs");
    println!("\n{what}:");
    if report.races.is_empty() {
        println!("  no race reported in detectors.rs");
    }
    for race in &report.races {
        // The line of source, so the report reads without the file open.
        let code = SOURCE
            .lines()
            .nth(race.line as usize - 1)
            .map_or("", str::trim);
        println!(
            "  Possible data race during {:<16} detectors.rs:{:<4}{code}",
            race.access, race.line
        );
    }
    println!("  and {} inside the standard library", report.elsewhere);
    Ok(())
}

/// One program, as Helgrind runs it.
fn run(program: &str) {
    match program {
        "unsynchronized" => println!("{}", unsynchronized_count(1_000)),
        "unsynchronized-idle" => println!("{}", unsynchronized_count(0)),
        "mutex" => println!("{}", mutex_count(1_000)),
        "publish" => println!("{}", flag_publish(42)),
        other => eprintln!("no program {other}"),
    }
}
