//! The echo protocol, over any reader and writer.
//!
//! A line is every byte up to and including `\n`. It goes back exactly as it
//! came: a `\r` before the `\n`, NUL bytes and invalid UTF-8 included. The
//! line `bye` (ended by `\n` or `\r\n`) is echoed and ends the session. A
//! line longer than the limit is never stored whole: the server reads at
//! most the limit, answers with [`too_long_line`], and ends the session.

use std::io::{self, BufRead, BufReader, Read, Write};

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The client sent `bye`.
    Bye,
    /// The client closed its side (or shut down writing).
    Eof,
    /// A line went past the limit; the error line was sent.
    TooLong,
}

/// The line a client gets before the server closes on an over-long line.
pub fn too_long_line(max_line: usize) -> Vec<u8> {
    format!("error: line longer than {max_line} bytes, closing\n").into_bytes()
}

/// Whether `line` is the line that ends a session: `bye` followed by `\n` or
/// `\r\n`. Shared with the non-blocking I/O chapter's polling server, which
/// applies the same rules to lines it assembles itself.
pub fn is_bye(line: &[u8]) -> bool {
    line == b"bye\n" || line == b"bye\r\n"
}

// ANCHOR: echo
/// Echoes lines from `reader` to `writer` until `bye`, end of input, an
/// over-long line, or an error (a timeout is an error too). `max_line`
/// counts every byte of a line, its `\n` included.
pub fn echo_lines(
    reader: impl Read,
    mut writer: impl Write,
    max_line: usize,
) -> io::Result<End> {
    let mut reader = BufReader::new(reader);
    let mut line = Vec::with_capacity(max_line);
    loop {
        line.clear();
        // Never more than `max_line` bytes, however long the line is.
        let limit = u64::try_from(max_line).unwrap_or(u64::MAX);
        let n = reader.by_ref().take(limit).read_until(b'\n', &mut line)?;
        if line.ends_with(b"\n") {
            writer.write_all(&line)?;
            if is_bye(&line) {
                writer.flush()?;
                return Ok(End::Bye);
            }
        } else if n == max_line {
            writer.write_all(&too_long_line(max_line))?;
            writer.flush()?;
            return Ok(End::TooLong);
        } else {
            // End of input, maybe in the middle of a line: send back what
            // came, so a client that shut down writing gets every byte.
            writer.write_all(&line)?;
            writer.flush()?;
            return Ok(End::Eof);
        }
    }
}
// ANCHOR_END: echo
