//! Exercise: a pump between two non-blocking sockets.
//!
//! A proxy copies what one socket sends to another. With blocking sockets
//! that is `io::copy`, and a thread per direction. On one thread serving
//! many connections, each copy must be a value that the loop calls when
//! it comes by: it moves what it can, remembers what it holds, and
//! returns without ever waiting. That is the chapter's skill in its
//! smallest form: `WouldBlock` means "not yet" on both sides, a `write`
//! may take part of what it is given, and the bytes between a read and
//! the write that sends them live in a buffer of the pump's own.
//!
//! Write `Pump::pump`. Each call moves as many bytes as it can from `from`
//! to `to` without waiting: it writes what it holds, and reads into its
//! buffer while the buffer has room, over and over, until neither side can
//! go on. Then it returns:
//!
//! - `Pumped::Done` once `from` has reached end of input (a `read`
//!   returned 0) and every byte it gave has been written. Later calls
//!   return `Done` at once, and never read from `from` again.
//! - `Pumped::Waiting` otherwise: the writer said `WouldBlock` (or the pump
//!   holds nothing), and the reader said `WouldBlock` (or the buffer is
//!   full, or input has ended). Come back when a socket is ready.
//!
//! The pump never holds more than `capacity` bytes: it reads only into the
//! room it has, and stops reading while the writer is stuck. A slow
//! destination then slows the source, through the kernel's buffers, as a
//! client that never reads did in the chapter's server, instead of making
//! the pump's memory grow. A call that meets `Interrupted` tries again. A
//! `write` that takes 0 bytes of a non-empty buffer will never take any:
//! return an error of kind `WriteZero`. Any other error is returned as it
//! is.
//!
//! Hints: one `Vec<u8>` of `capacity` bytes, with the range that holds
//! unsent bytes (a start and an end), is enough; move the unsent bytes to
//! the front before reading, so the room is all in one piece
//! (`copy_within`). Loop "write what you hold, read into the room" until a
//! whole round moved nothing. (A real loop would also cap the bytes moved
//! per call, for fairness, as the server's `TURNS` does; the tests do not
//! need it.)

use std::io::{self, Read, Write};

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
    // Your fields here: what must the pump remember between two calls?
}

impl Pump {
    /// An empty pump that holds at most `capacity` bytes (more than 0).
    pub fn new(capacity: usize) -> Pump {
        let _ = capacity;
        todo!("a buffer of `capacity` bytes, and where its unsent bytes are")
    }

    /// The bytes read from the source and not yet written.
    pub fn buffered(&self) -> usize {
        todo!("how many bytes the pump holds")
    }

    /// Moves bytes from `from` to `to` until neither can go on without
    /// waiting; `Done` once the source has ended and all is written.
    pub fn pump(
        &mut self,
        from: &mut impl Read,
        to: &mut impl Write,
    ) -> io::Result<Pumped> {
        let _ = (from, to);
        todo!("write what you hold, read into the room, until stuck")
    }
}
