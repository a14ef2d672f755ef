//! Exercise: a deadline for every line.
//!
//! `serve_client` gives every `read` a timeout, so a client that goes quiet
//! is dropped. But a client that sends one byte every few seconds is never
//! quiet for long: each byte restarts the clock, and it can hold a thread
//! for as long as it likes while sending almost nothing. (The attack is
//! known as *slowloris*.) Against a thread per connection, a few hundred
//! such clients take every thread there is.
//!
//! Write an echo session where each line must arrive *whole* within
//! `line_time` of the moment the server starts waiting for it. The rest of
//! the protocol is as in `protocol::echo_lines`: bytes echoed exactly, `bye`
//! (with `\n` or `\r\n`) echoed and then the end, a line longer than
//! `max_line` answered with `protocol::too_long_line`, and at end of input
//! whatever came echoed back.
//!
//! Hints: `Instant::now() + line_time` is the line's deadline. Before each
//! `read`, give the socket the time that is left with `set_read_timeout`
//! (it refuses a zero duration: when nothing is left, the line is late).
//! A read that times out fails with kind `WouldBlock` or `TimedOut`,
//! depending on the system. Keep the bytes that follow a line's `\n`: they
//! begin the next line.

use std::io;
use std::net::TcpStream;
use std::time::Duration;

use crate::protocol::End;

/// Echoes lines on `stream` until `bye`, end of input or an over-long
/// line, as `protocol::echo_lines` does; a line that is not complete
/// `line_time` after the server began waiting for it ends the session with
/// an error of kind `TimedOut`.
pub fn echo_with_line_deadline(
    stream: &TcpStream,
    max_line: usize,
    line_time: Duration,
) -> io::Result<End> {
    let _ = (stream, max_line, line_time);
    todo!("give each line a deadline, and each read the time left until it")
}
