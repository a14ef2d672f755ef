//! Cell `livelock`: two polite threads step aside for each other
//! in lockstep and never get anywhere; coin flips break the symmetry.
//@ [[vary]]
//@ what = "round"
//@ pattern = 'in round (\d+)'
//@ [[vary]]
//@ what = "count"
//@ pattern = 'back (\d+) times'
// HIDE_START
use deadlock::livelock::polite_threads;
// HIDE_END

fn main() {
    let always = polite_threads(200, false);
    println!("Both always try, both always step back:");
    println!(
        "  {} rounds; threads stepped back {} times; progress: {}",
        always.rounds,
        always.stepped_back,
        match always.succeeded_in {
            Some(round) => format!("in round {round}"),
            None => "none".into(),
        }
    );
    println!("Each round, each thread tries only if its coin says so:");
    for run in 1..=5 {
        let coin = polite_threads(200, true);
        match coin.succeeded_in {
            Some(round) => println!(
                "  run {run}: a thread got both locks in round {round}; threads stepped back {} times",
                coin.stepped_back
            ),
            None => println!(
                "  run {run}: still no progress after {} rounds",
                coin.rounds
            ),
        }
    }
}
