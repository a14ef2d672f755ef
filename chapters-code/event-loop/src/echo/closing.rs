//! A session's gentle close: after an error line (or the busy line), stop
//! writing, read and drop what the client still sends for a while, then
//! close, so that the close sends no reset that could destroy the line.

use std::io::{self, Read};
use std::net::Shutdown;
use std::time::{Duration, Instant};

use super::{CHUNK, Session};
use crate::event_loop::{Cx, Next};

/// How long, and how much, a gentle close drains (as the blocking servers'
/// `linger`).
const LINGER: Duration = Duration::from_secs(1);
const LINGER_REFUSED: Duration = Duration::from_millis(100);
const LINGER_BYTES: usize = 1 << 20;

/// A gentle close under way: until when, and how much more, to drain.
pub(super) struct Linger {
    pub(super) until: Instant,
    left: usize,
}

impl Session {
    pub(super) fn start_lingering(&mut self, cx: &mut Cx<'_>) {
        let _ = self.stream.shutdown(Shutdown::Write);
        let patience = if self.counted { LINGER } else { LINGER_REFUSED };
        self.linger = Some(Linger {
            until: cx.now() + patience,
            left: LINGER_BYTES,
        });
        // There may be bytes in the buffer already: try reading.
        self.can_read = true;
        cx.set_timer(self.next_deadline());
    }

    /// Reads and drops what a lingering client sends, within the call's
    /// `budget`. `None` while it goes on; `Some(next)` when there is nothing
    /// more to read now, or the budget is used up.
    pub(super) fn drain(
        &mut self,
        now: Instant,
        budget: &mut usize,
    ) -> Option<Next> {
        let Some(Linger { until, left }) = &mut self.linger else {
            return Some(Next::Wait);
        };
        if !self.can_read {
            return Some(Next::Wait);
        }
        if now >= *until || *left == 0 {
            return Some(Next::Close);
        }
        if *budget == 0 {
            return Some(Next::Again);
        }
        let mut sink = [0u8; CHUNK];
        match self.stream.read(&mut sink[..CHUNK.min(*budget)]) {
            Ok(0) => Some(Next::Close),
            Ok(n) => {
                *left = left.saturating_sub(n);
                *budget -= n;
                None
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                self.can_read = false;
                Some(Next::Wait)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => None,
            Err(_) => Some(Next::Close),
        }
    }
}
