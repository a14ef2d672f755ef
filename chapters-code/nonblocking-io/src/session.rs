//! One client's session as data: the bytes it has sent that do not yet make
//! a line, and the bytes owed to it that its socket has not taken yet.
//!
//! A blocking server keeps this state on a thread's stack, inside a call to
//! `read_until` that does not return until a line is complete. A server
//! that serves many clients from one thread cannot wait inside one client's
//! line, so each client's half-finished work must live in a value of its
//! own, between one visit of the loop and the next. This module knows
//! nothing about sockets: it is fed bytes and hands out bytes, so its rules
//! (the same as [`blocking_io::protocol::echo_lines`]) are tested without a
//! network.

use blocking_io::protocol::{is_bye, too_long_line};

/// Where a session is in the protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Reading lines and echoing them.
    Open,
    /// `bye` or end of input: once the echoes are sent, close.
    Done,
    /// A line went past the limit (or the server is full): once the error
    /// line is sent, close gently.
    Refused,
}

// ANCHOR: session
/// The per-connection buffers of the polling server.
#[derive(Debug)]
pub struct Session {
    /// The start of a line whose `\n` has not come yet; always shorter than
    /// `max_line`.
    partial: Vec<u8>,
    /// Echoes owed to the client; `out[sent..]` is still to be written.
    out: Vec<u8>,
    sent: usize,
    max_line: usize,
    state: State,
}

impl Session {
    /// A new session that accepts lines of up to `max_line` bytes, `\n`
    /// included.
    pub fn new(max_line: usize) -> Session {
        Session {
            partial: Vec::new(),
            out: Vec::new(),
            sent: 0,
            max_line,
            state: State::Open,
        }
    }

    /// A session that only says `line` and closes: how a client past the
    /// connection cap is told the server is busy.
    pub fn refused(line: Vec<u8>) -> Session {
        Session {
            partial: Vec::new(),
            out: line,
            sent: 0,
            max_line: 0,
            state: State::Refused,
        }
    }

    /// Where the session is.
    pub fn state(&self) -> State {
        self.state
    }

    /// Whether the session wants more input: it is open, and everything it
    /// owes the client has been written. Not reading while echoes are
    /// pending is what keeps memory flat: a client that sends and never
    /// reads cannot make the server buffer its lines.
    pub fn wants_input(&self) -> bool {
        self.state == State::Open && self.pending().is_empty()
    }

    /// Takes bytes the client sent: every complete line is queued for
    /// echo; `bye` ends the session (what follows it is ignored); a line
    /// past the limit queues the error line instead and ends it too.
    pub fn received(&mut self, bytes: &[u8]) {
        self.received_each(bytes, |_| {});
    }

    /// [`received`], calling `on_line` with each complete line just
    /// before it is queued (the event loop's slow handler runs there).
    ///
    /// [`received`]: Session::received
    pub fn received_each(
        &mut self,
        mut bytes: &[u8],
        mut on_line: impl FnMut(&[u8]),
    ) {
        self.compact();
        while self.state == State::Open && !bytes.is_empty() {
            match bytes.iter().position(|&b| b == b'\n') {
                Some(i) if self.partial.len() + i < self.max_line => {
                    // The line's last piece, `\n` included, fits.
                    let (end, rest) = bytes.split_at(i + 1);
                    self.partial.extend_from_slice(end);
                    on_line(&self.partial);
                    self.out.extend_from_slice(&self.partial);
                    if is_bye(&self.partial) {
                        self.state = State::Done;
                    }
                    self.partial.clear();
                    bytes = rest;
                }
                Some(_) => self.too_long(),
                None if self.partial.len() + bytes.len() < self.max_line => {
                    // Half a line: keep it until its `\n` comes.
                    self.partial.extend_from_slice(bytes);
                    bytes = &[];
                }
                None => self.too_long(),
            }
        }
    }

    /// The client closed its side: echo the half line it left, then close,
    /// so a client that shut down writing gets every byte back.
    pub fn end_of_input(&mut self) {
        if self.state == State::Open {
            self.compact();
            self.out.append(&mut self.partial);
            self.state = State::Done;
        }
    }

    /// The bytes still to write.
    pub fn pending(&self) -> &[u8] {
        &self.out[self.sent..]
    }

    /// Records that the socket took `n` more bytes of [`pending`].
    ///
    /// [`pending`]: Session::pending
    pub fn wrote(&mut self, n: usize) {
        self.sent = (self.sent + n).min(self.out.len());
        if self.sent == self.out.len() {
            // All sent: reuse the buffer from its start.
            self.out.clear();
            self.sent = 0;
        }
    }

    /// Gives back the memory of buffers that hold nothing, so that a
    /// session that waits between lines holds no allocation at all (the
    /// C10k chapter's lean async sessions call it before each wait; the
    /// loops of this chapter and the next keep the capacity for the next
    /// line instead).
    pub fn release(&mut self) {
        if self.partial.is_empty() {
            self.partial = Vec::new();
        }
        if self.pending().is_empty() {
            self.out = Vec::new();
            self.sent = 0;
        }
    }

    /// Bytes held for this client, both buffers together.
    pub fn buffered(&self) -> usize {
        self.partial.len() + self.out.len()
    }

    /// Drops the echoes already sent from the front of `out`, before more
    /// are added: a server that reads while echoes are still owed (the
    /// event loop does, up to a cap) then holds only what is owed.
    fn compact(&mut self) {
        if self.sent > 0 {
            self.out.drain(..self.sent);
            self.sent = 0;
        }
    }

    fn too_long(&mut self) {
        // The line so far is dropped, never stored whole.
        self.partial = Vec::new();
        self.out.extend_from_slice(&too_long_line(self.max_line));
        self.state = State::Refused;
    }
}
// ANCHOR_END: session

#[cfg(test)]
mod tests;
