//! The protocol alone, over in-memory readers and writers: no sockets.

use std::io::Cursor;

use blocking_io::protocol::{End, echo_lines, too_long_line};

fn run(input: &[u8], max_line: usize) -> (End, Vec<u8>) {
    let mut out = Vec::new();
    let end = echo_lines(Cursor::new(input), &mut out, max_line).unwrap();
    (end, out)
}

#[test]
fn bytes_come_back_exactly() {
    let input = b"a\r\n\0\n\xff\xfe\n\nlast, no newline";
    assert_eq!(run(input, 64), (End::Eof, input.to_vec()));
}

#[test]
fn bye_stops_reading() {
    let (end, out) = run(b"one\nbye\r\nnever echoed\n", 64);
    assert_eq!((end, out), (End::Bye, b"one\nbye\r\n".to_vec()));
}

#[test]
fn the_limit_counts_the_newline() {
    let fits = [vec![b'x'; 7], b"\n".to_vec()].concat();
    assert_eq!(run(&fits, 8), (End::Eof, fits.clone()));
    let (end, out) = run(&[b'y'; 9], 8);
    assert_eq!((end, out), (End::TooLong, too_long_line(8)));
}

#[test]
fn an_endless_line_is_read_only_up_to_the_limit() {
    // A reader that never ends: if the protocol stored the whole line, this
    // test would never finish.
    let endless = std::io::repeat(b'z');
    let mut out = Vec::new();
    let end = echo_lines(endless, &mut out, 1024).unwrap();
    assert_eq!((end, out), (End::TooLong, too_long_line(1024)));
}
