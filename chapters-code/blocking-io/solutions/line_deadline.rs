//! The book's solution to the exercise in `src/exercises/line_deadline.rs`.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::protocol::{End, too_long_line};

/// Echoes lines on `stream` until `bye`, end of input or an over-long
/// line, as `protocol::echo_lines` does; a line that is not complete
/// `line_time` after the server began waiting for it ends the session with
/// an error of kind `TimedOut`.
pub fn echo_with_line_deadline(
    stream: &TcpStream,
    max_line: usize,
    line_time: Duration,
) -> io::Result<End> {
    let mut writer = stream;
    // Bytes read and not yet echoed: the start of the next line.
    let mut pending: Vec<u8> = Vec::with_capacity(max_line);
    let mut buf = [0u8; 4096];
    loop {
        let deadline = Instant::now() + line_time;
        let line = loop {
            if let Some(end) = pending.iter().position(|&b| b == b'\n')
                && end < max_line
            {
                break pending.drain(..=end).collect::<Vec<u8>>();
            }
            if pending.len() >= max_line {
                writer.write_all(&too_long_line(max_line))?;
                return Ok(End::TooLong);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(late());
            }
            stream.set_read_timeout(Some(left))?;
            // Never read past the limit: memory stays bounded.
            let room = (max_line - pending.len()).min(buf.len());
            let n = match (&*stream).read(&mut buf[..room]) {
                Ok(n) => n,
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    return Err(late());
                }
                Err(e) => return Err(e),
            };
            if n == 0 {
                writer.write_all(&pending)?;
                return Ok(End::Eof);
            }
            pending.extend_from_slice(&buf[..n]);
        };
        writer.write_all(&line)?;
        if line == b"bye\n" || line == b"bye\r\n" {
            return Ok(End::Bye);
        }
    }
}

fn late() -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, "a line took too long to arrive")
}
