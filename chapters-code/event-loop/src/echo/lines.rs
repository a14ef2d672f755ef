//! A session's line handling: new bytes split into lines, each complete
//! one echoed, `bye` and over-long lines ending the session.

use std::sync::atomic::Ordering;

use blocking_io::protocol::too_long_line;

use super::stats::bump;
use super::{Session, State};

impl Session {
    /// Drops the echoes already sent, before more are added: `out` holds
    /// what is owed, not everything ever echoed.
    fn compact(&mut self) {
        if self.sent > 0 {
            self.out.drain(..self.sent);
            self.sent = 0;
        }
    }

    /// Counts what this session owes and holds, for [`EchoStats`].
    fn note_sizes(&self) {
        let stats = &self.shared.stats;
        let owed = self.owed() as u64;
        let buffered = (self.out.len() + self.line.len()) as u64;
        stats.max_owed.fetch_max(owed, Ordering::Relaxed);
        stats.max_buffered.fetch_max(buffered, Ordering::Relaxed);
    }

    /// Splits new bytes into lines; echoes each complete one.
    pub(super) fn take_bytes(&mut self, mut bytes: &[u8]) {
        self.compact();
        let max_line = self.shared.config.max_line;
        while !bytes.is_empty() && self.state == State::Open {
            let (part, complete) = match bytes.iter().position(|&b| b == b'\n')
            {
                Some(i) => (&bytes[..=i], true),
                None => (bytes, false),
            };
            bytes = &bytes[part.len()..];
            // A line may be `max_line` bytes, its `\n` included; one byte
            // more without a `\n` is too long, however it goes on.
            let len = self.line.len() + part.len();
            if len > max_line || (!complete && len == max_line) {
                self.line.clear();
                self.out.extend_from_slice(&too_long_line(max_line));
                self.state = State::FlushingThenLinger;
                break;
            }
            self.line.extend_from_slice(part);
            if complete {
                if let Some(hook) = &self.shared.options.on_line {
                    hook(&self.line);
                }
                bump(&self.shared.stats.lines);
                self.out.extend_from_slice(&self.line);
                if self.line == b"bye\n" || self.line == b"bye\r\n" {
                    // What follows `bye` is dropped, as in the blocking
                    // servers.
                    self.state = State::Flushing;
                }
                self.line.clear();
            }
        }
        self.note_sizes();
    }

    /// The client closed its side: echo the part line, then close.
    pub(super) fn end_of_input(&mut self) {
        self.compact();
        let line = std::mem::take(&mut self.line);
        self.out.extend_from_slice(&line);
        self.state = State::Flushing;
        self.note_sizes();
    }
}
