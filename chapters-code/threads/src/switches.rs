//! Context switches: each time the kernel takes a core from one thread and
//! gives it to another.
//!
//! A switch is *voluntary* when the thread gave the core up itself, because
//! it had to wait (for a lock, a channel, a sleep, a read). It is
//! *involuntary* when the kernel took the core away because the thread's
//! time slice was over and another thread was ready: that is preemption.
//!
//! Linux counts both for every thread, in `/proc/thread-self/status`. Other
//! systems do not offer a per-thread count in the same way; there
//! [`current`] returns `None` and the programs say so.

/// How many times the calling thread has been switched out so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Switches {
    /// The thread gave the core up (it waited).
    pub voluntary: u64,
    /// The kernel took the core away (preemption).
    pub involuntary: u64,
}

impl std::ops::Sub for Switches {
    type Output = Switches;
    fn sub(self, earlier: Switches) -> Switches {
        Switches {
            voluntary: self.voluntary.saturating_sub(earlier.voluntary),
            involuntary: self.involuntary.saturating_sub(earlier.involuntary),
        }
    }
}

// ANCHOR: current
/// The calling thread's context switches so far (Linux only).
pub fn current() -> Option<Switches> {
    let status = std::fs::read_to_string("/proc/thread-self/status").ok()?;
    parse(&status)
}

/// Reads the two counters out of a `/proc/.../status` text.
pub fn parse(status: &str) -> Option<Switches> {
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line[name.len()..].trim().parse().ok()
    };
    Some(Switches {
        voluntary: field("voluntary_ctxt_switches:")?,
        involuntary: field("nonvoluntary_ctxt_switches:")?,
    })
}
// ANCHOR_END: current

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_counters_are_read_from_a_status_text() {
        let text = "Name:\tx\nvoluntary_ctxt_switches:\t12\nnonvoluntary_ctxt_switches:\t3\n";
        assert_eq!(
            parse(text),
            Some(Switches {
                voluntary: 12,
                involuntary: 3
            })
        );
        assert_eq!(parse("Name:\tx\n"), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn sleeping_is_a_voluntary_switch() {
        let before = current().expect("Linux has /proc/thread-self/status");
        for _ in 0..5 {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let after = current().unwrap();
        assert!((after - before).voluntary >= 5, "{before:?} -> {after:?}");
    }
}
