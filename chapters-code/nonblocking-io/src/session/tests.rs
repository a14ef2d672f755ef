use super::*;

fn take_all(session: &mut Session) -> Vec<u8> {
    let out = session.pending().to_vec();
    session.wrote(out.len());
    out
}

#[test]
fn a_line_in_pieces_is_echoed_once_whole() {
    let mut s = Session::new(64);
    s.received(b"hel");
    assert_eq!(s.pending(), b"", "half a line is kept, not echoed");
    s.received(b"lo\r");
    s.received(b"\nwor");
    assert_eq!(take_all(&mut s), b"hello\r\n");
    s.received(b"ld\n");
    assert_eq!(take_all(&mut s), b"world\n");
    assert_eq!(s.state(), State::Open);
}

#[test]
fn several_lines_in_one_read_come_back_in_order() {
    let mut s = Session::new(64);
    s.received(b"one\ntwo\r\n\nthree");
    assert_eq!(take_all(&mut s), b"one\ntwo\r\n\n");
    s.end_of_input();
    assert_eq!(take_all(&mut s), b"three");
    assert_eq!(s.state(), State::Done);
}

#[test]
fn bye_ends_the_session_and_the_rest_is_ignored() {
    for bye in [&b"bye\n"[..], b"bye\r\n"] {
        let mut s = Session::new(64);
        let mut input = b"first\n".to_vec();
        input.extend_from_slice(bye);
        input.extend_from_slice(b"after\n");
        s.received(&input);
        assert_eq!(take_all(&mut s), [&b"first\n"[..], bye].concat());
        assert_eq!(s.state(), State::Done);
        s.received(b"more\n");
        assert_eq!(s.pending(), b"");
    }
    let mut s = Session::new(64);
    s.received(b"bye bye\n bye\n");
    assert_eq!(s.state(), State::Open, "bye inside a line is just a line");
}

#[test]
fn a_line_of_exactly_the_limit_fits_and_one_more_byte_does_not() {
    let mut s = Session::new(8);
    s.received(b"1234567\n");
    assert_eq!(take_all(&mut s), b"1234567\n");
    s.received(b"1234");
    s.received(b"5678\n");
    assert_eq!(take_all(&mut s), too_long_line(8));
    assert_eq!(s.state(), State::Refused);
}

#[test]
fn a_line_without_newline_is_refused_at_the_limit() {
    let mut s = Session::new(8);
    s.received(b"1234567");
    assert_eq!(s.state(), State::Open, "7 bytes may still end with \\n");
    s.received(b"8");
    assert_eq!(take_all(&mut s), too_long_line(8));
}

#[test]
fn lines_before_the_long_one_are_echoed_first() {
    let mut s = Session::new(8);
    s.received(b"ok\nmuch too long");
    assert_eq!(take_all(&mut s), [&b"ok\n"[..], &too_long_line(8)].concat());
}

#[test]
fn memory_stays_flat_for_an_endless_line() {
    let mut s = Session::new(1024);
    let chunk = [b'x'; 100];
    let mut most = 0;
    for _ in 0..1000 {
        s.received(&chunk);
        most = most.max(s.buffered());
    }
    assert!(most < 1024 + too_long_line(1024).len(), "held {most} bytes");
    assert_eq!(s.state(), State::Refused);
}

#[test]
fn partial_writes_keep_the_unsent_bytes() {
    let mut s = Session::new(64);
    s.received(b"abcdef\n");
    s.wrote(2);
    assert_eq!(s.pending(), b"cdef\n");
    assert!(!s.wants_input(), "no reading while echoes are owed");
    s.wrote(3);
    assert_eq!(s.pending(), b"f\n");
    s.wrote(2);
    assert_eq!(s.pending(), b"");
    assert!(s.wants_input());
}

#[test]
fn end_of_input_echoes_the_half_line_once() {
    let mut s = Session::new(64);
    s.received(b"no newline");
    s.end_of_input();
    s.end_of_input();
    assert_eq!(take_all(&mut s), b"no newline");
}

#[test]
fn a_refused_session_only_says_its_line() {
    let mut s = Session::refused(b"busy\n".to_vec());
    assert!(!s.wants_input());
    assert_eq!(take_all(&mut s), b"busy\n");
    assert_eq!(s.state(), State::Refused);
}

#[test]
fn each_line_is_seen_whole_before_it_is_queued() {
    let mut s = Session::new(64);
    let mut seen = Vec::new();
    s.received_each(b"one\ntw", |line| seen.push(line.to_vec()));
    s.received_each(b"o\nbye\nafter\n", |line| seen.push(line.to_vec()));
    assert_eq!(seen, [&b"one\n"[..], b"two\n", b"bye\n"]);
    assert_eq!(take_all(&mut s), b"one\ntwo\nbye\n");
}

#[test]
fn echoes_sent_are_dropped_before_more_are_added() {
    let mut s = Session::new(64);
    s.received(b"first\n");
    s.wrote(3);
    s.received(b"second\n");
    assert_eq!(s.pending(), b"st\nsecond\n");
    assert_eq!(s.buffered(), b"st\nsecond\n".len(), "the sent part is gone");
}
