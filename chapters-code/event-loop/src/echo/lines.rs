//! A session's line handling, given to the protocol's session: it splits
//! new bytes into lines and queues each complete one for echo (`bye` and
//! over-long lines end it); here each line also meets the hook and the
//! counters.

use std::sync::atomic::Ordering;

use super::Session;
use super::stats::bump;

impl Session {
    /// Counts what this session owes and holds, for [`EchoStats`].
    ///
    /// [`EchoStats`]: super::EchoStats
    fn note_sizes(&self) {
        let stats = &self.shared.stats;
        let owed = self.owed() as u64;
        let buffered = self.protocol.buffered() as u64;
        stats.max_owed.fetch_max(owed, Ordering::Relaxed);
        stats.max_buffered.fetch_max(buffered, Ordering::Relaxed);
    }

    /// Splits new bytes into lines; echoes each complete one, after the
    /// hook, if any, has seen it.
    pub(super) fn take_bytes(&mut self, bytes: &[u8]) {
        let shared = &self.shared;
        self.protocol.received_each(bytes, |line| {
            if let Some(hook) = &shared.options.on_line {
                hook(line);
            }
            bump(&shared.stats.lines);
        });
        self.note_sizes();
    }

    /// The client closed its side: echo the part line, then close.
    pub(super) fn end_of_input(&mut self) {
        self.protocol.end_of_input();
        self.note_sizes();
    }
}
