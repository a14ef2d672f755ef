//! How version 4 closes a client: after `bye` or end of input, at once;
//! after an error line, gently (stop writing, drain what the client still
//! sends, then close), so that the close sends no reset that could destroy
//! the error line; and at shutdown, echoing what has arrived first.

use std::io::{ErrorKind, Read};
use std::net::Shutdown;
use std::time::{Duration, Instant};

use super::Client;
use crate::session::State;

/// How long to drain a client after an over-long line before closing.
const LINGER: Duration = Duration::from_secs(1);
/// The same, for a client refused at the cap, and for every client when
/// the server shuts down (within `config.grace`).
const LINGER_SHORT: Duration = Duration::from_millis(100);
/// At most this much is read and dropped while lingering.
const LINGER_BYTES: usize = 1 << 20;

/// A gentle close under way: until when, and how much more, to drain.
pub(super) struct Linger {
    pub(super) deadline: Instant,
    left: usize,
}

impl Client {
    /// Everything owed is written: close after `bye` or end of input; after
    /// an error line, stop writing and start draining.
    pub(super) fn after_flush(&mut self, now: Instant) {
        match self.session.state() {
            State::Open => {}
            State::Done => self.closed = true,
            State::Refused if self.linger.is_none() => {
                // Closing with unread input would send a reset, which may
                // destroy the error line: send FIN, drain, then close.
                let _ = self.stream.shutdown(Shutdown::Write);
                let patience = if self.counted { LINGER } else { LINGER_SHORT };
                self.linger = Some(Linger {
                    deadline: now + patience,
                    left: LINGER_BYTES,
                });
            }
            State::Refused => {}
        }
    }

    /// One step of closing at shutdown. Reads on while the session is
    /// open, echoing as usual; a read that finds the kernel's buffer empty
    /// (WouldBlock) counts as end of input, so the half line is echoed.
    /// Once everything owed is written, sends FIN and drains for a short
    /// while. Returns whether any byte moved.
    pub(super) fn wind_down(
        &mut self,
        scratch: &mut [u8],
        now: Instant,
        deadline: Instant,
    ) -> bool {
        let wrote = self.flush(now);
        let read = if self.linger.is_some() {
            self.drain(scratch, now)
        } else if self.session.wants_input() {
            let read = self.read(scratch, now);
            if !read && !self.closed {
                // Nothing more has arrived: as if the client had closed.
                self.session.end_of_input();
            }
            read
        } else {
            false
        };
        if !self.closed
            && self.linger.is_none()
            && self.session.state() != State::Open
            && self.session.pending().is_empty()
        {
            let _ = self.stream.shutdown(Shutdown::Write);
            self.linger = Some(Linger {
                deadline: (now + LINGER_SHORT).min(deadline),
                left: LINGER_BYTES,
            });
        }
        wrote || read
    }

    /// Reads and drops input while lingering; closes at end of input, on
    /// an error, at the deadline or after `LINGER_BYTES`.
    pub(super) fn drain(&mut self, scratch: &mut [u8], now: Instant) -> bool {
        let Some(linger) = &mut self.linger else {
            return false;
        };
        if now >= linger.deadline || linger.left == 0 {
            self.closed = true;
            return false;
        }
        match self.stream.read(scratch) {
            Ok(0) => {
                self.closed = true;
                false
            }
            Ok(n) => {
                linger.left = linger.left.saturating_sub(n);
                self.last_progress = now;
                true
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => false,
            Err(e) if e.kind() == ErrorKind::Interrupted => false,
            Err(_) => {
                self.closed = true;
                false
            }
        }
    }
}
