//! The book's solution to the exercise in `src/exercises/pump.rs`.

use std::io::{self, ErrorKind, Read, Write};

/// What a call of [`Pump::pump`] ended with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pumped {
    /// Nothing more can move now: call again when a socket is ready.
    Waiting,
    /// The source has ended and everything it sent has been written.
    Done,
}

/// A one-way copy from a non-blocking reader to a non-blocking writer,
/// through a buffer of at most `capacity` bytes.
#[derive(Debug)]
pub struct Pump {
    /// `buf[start..end]` is read and not yet written.
    buf: Vec<u8>,
    start: usize,
    end: usize,
    /// The source has said end of input.
    ended: bool,
}

impl Pump {
    /// An empty pump that holds at most `capacity` bytes (more than 0).
    pub fn new(capacity: usize) -> Pump {
        assert!(capacity > 0, "a pump needs room for at least one byte");
        Pump {
            buf: vec![0; capacity],
            start: 0,
            end: 0,
            ended: false,
        }
    }

    /// The bytes read from the source and not yet written.
    pub fn buffered(&self) -> usize {
        self.end - self.start
    }

    /// Moves bytes from `from` to `to` until neither can go on without
    /// waiting; `Done` once the source has ended and all is written.
    pub fn pump(
        &mut self,
        from: &mut impl Read,
        to: &mut impl Write,
    ) -> io::Result<Pumped> {
        loop {
            let wrote = self.write_some(to)?;
            if self.ended {
                // Nothing more will come: done once all is written. If
                // bytes are left, the writer said `WouldBlock`.
                return Ok(if self.buffered() == 0 {
                    Pumped::Done
                } else {
                    Pumped::Waiting
                });
            }
            let read = self.read_some(from)?;
            if !wrote && !read {
                return Ok(Pumped::Waiting);
            }
        }
    }

    /// Writes until the buffer is empty or the writer says `WouldBlock`;
    /// whether any byte was written.
    fn write_some(&mut self, to: &mut impl Write) -> io::Result<bool> {
        let mut any = false;
        while self.start < self.end {
            match to.write(&self.buf[self.start..self.end]) {
                Ok(0) => {
                    return Err(io::Error::new(
                        ErrorKind::WriteZero,
                        "the destination takes no more bytes",
                    ));
                }
                // Maybe fewer bytes than offered: the rest stay.
                Ok(n) => {
                    self.start += n;
                    any = true;
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) => return Err(e),
            }
        }
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
        }
        Ok(any)
    }

    /// Reads until the buffer is full, the reader says `WouldBlock` or
    /// input ends; whether anything happened (end of input counts).
    fn read_some(&mut self, from: &mut impl Read) -> io::Result<bool> {
        if self.start > 0 {
            // Unsent bytes to the front: the room is in one piece.
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        let mut any = false;
        while !self.ended && self.end < self.buf.len() {
            match from.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.ended = true;
                    any = true;
                }
                Ok(n) => {
                    self.end += n;
                    any = true;
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) => return Err(e),
            }
        }
        Ok(any)
    }
}
