//! Cell `join_cutoff`: a recursive sum with `rayon::join`,
//! splitting all the way down to single numbers, and with a cutoff below
//! which a plain loop adds up the numbers.
//@ timeout = 30
//@ [[vary]]
//@ what = "time"
//@ pattern = '(\d+\.\d) ms'
//@ [[vary]]
//@ what = "ratio"
//@ pattern = '(\d+\.?\d*)x'
// HIDE_START
use data_parallelism::memory::best_of;
use data_parallelism::recursion::join_sum;
// HIDE_END

fn main() {
    let data: Vec<u64> = (0..1u64 << 22).collect();
    let expected: u64 = data.iter().sum();
    println!("summing {} numbers with rayon::join", data.len());
    // Warm up rayon's workers.
    join_sum(&data, 1 << 16);
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    let (sum, plain) = best_of(3, || data.iter().sum::<u64>());
    assert_eq!(sum, expected);
    println!("plain loop, one thread:         {:>7.1} ms", ms(plain));
    let mut with_cutoff = None;
    for cutoff in [1usize, 64, 4096, 1 << 16] {
        let (sum, took) = best_of(3, || join_sum(&data, cutoff));
        assert_eq!(sum, expected);
        println!("join, cutoff {cutoff:>6} numbers: {:>7.1} ms", ms(took));
        if cutoff == 4096 {
            with_cutoff = Some(took);
        }
    }
    let (_, no_cutoff) = best_of(3, || join_sum(&data, 1));
    // The loop above ran cutoff 4096.
    let with_cutoff = with_cutoff.expect("4096 is one of the cutoffs");
    println!(
        "no cutoff is {:.0}x slower than a cutoff of 4096",
        no_cutoff.as_secs_f64() / with_cutoff.as_secs_f64()
    );
}
