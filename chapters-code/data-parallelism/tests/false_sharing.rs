//! The two layouts of the false-sharing section: where the counters lie in
//! memory (that is what the section is about, and it is decided at compile
//! time), and that every thread's increments all land.

use std::mem::{align_of, size_of};

use data_parallelism::false_sharing::{
    Adjacent, Padded, PaddedCounter, cache_line_of, hammer,
};

#[test]
fn adjacent_counters_share_cache_lines() {
    let adjacent = Adjacent::default();
    let refs = adjacent.refs();
    // Eight bytes apart...
    let a0 = refs[0] as *const _ as usize;
    let a1 = refs[1] as *const _ as usize;
    assert_eq!(a1 - a0, 8);
    // ...and the array starts on a line, so all eight share that line.
    let lines: Vec<usize> = refs.iter().map(|r| cache_line_of(*r)).collect();
    assert!(lines.iter().all(|&l| l == lines[0]), "{lines:?}");
}

#[test]
fn padded_counters_each_have_their_own_lines() {
    assert_eq!(align_of::<PaddedCounter>(), 128);
    assert_eq!(size_of::<PaddedCounter>(), 128);
    let padded = Padded::default();
    let lines: Vec<usize> =
        padded.refs().iter().map(|r| cache_line_of(*r)).collect();
    for pair in lines.windows(2) {
        // 128 bytes apart: two whole lines between neighbours' starts.
        assert_eq!(pair[1] - pair[0], 2, "{lines:?}");
    }
    // Each counter starts a 128-byte block.
    for r in padded.refs() {
        assert_eq!(r as *const _ as usize % 128, 0);
    }
}

#[test]
fn every_increment_lands_in_either_layout() {
    let adjacent = Adjacent::default();
    assert_eq!(hammer(&adjacent.refs()[..2], 100_000), [100_000, 100_000]);
    let padded = Padded::default();
    assert_eq!(hammer(&padded.refs()[..4], 50_000), [50_000; 4]);
}
