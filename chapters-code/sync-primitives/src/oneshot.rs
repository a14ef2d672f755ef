//! A one-shot channel: one value, sent once, from one thread to another.
//!
//! Built from an atomic flag, a cell for the value, and thread parking: the
//! receiver *parks* (sleeps until woken) while the flag is down; the sender
//! puts the value in the cell, raises the flag with `Release`, and *unparks*
//! the receiver. The receiver reads the flag with `Acquire`, so seeing it up
//! means seeing the value the sender wrote before raising it.
//!
//! The receiver must be the thread that called [`channel`]: that is the
//! thread the sender wakes.

use std::marker::PhantomData;
use std::sync::Arc;

use crate::sync::{AtomicBool, Ordering, Thread, UnsafeCell, thread};

// ANCHOR: oneshot
struct Slot<T> {
    ready: AtomicBool,
    value: UnsafeCell<Option<T>>,
    receiver: Thread,
}

// SAFETY: the value is written once, by the sender, before `ready` is set
// with Release, and read once, by the receiver, after it sees `ready` with
// Acquire: the two never touch it at the same time. It moves between
// threads, so `T: Send` is required.
unsafe impl<T: Send> Sync for Slot<T> {}

/// The sending half.
pub struct Sender<T>(Arc<Slot<T>>);
/// The receiving half; it belongs to the thread that made the channel, the
/// thread the sender wakes: it cannot be sent to another (the raw-pointer
/// `PhantomData` makes it `!Send`, so the compiler enforces that).
pub struct Receiver<T>(Arc<Slot<T>>, PhantomData<*const ()>);

/// A one-shot channel whose receiver is the calling thread.
///
/// The receiver cannot move to another thread; this does not compile:
///
/// ```compile_fail
/// let (sender, receiver) = sync_primitives::oneshot::channel::<u32>();
/// std::thread::spawn(move || receiver.recv());
/// sender.send(1);
/// ```
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let slot = Arc::new(Slot {
        ready: AtomicBool::new(false),
        value: UnsafeCell::new(None),
        receiver: thread::current(),
    });
    (Sender(Arc::clone(&slot)), Receiver(slot, PhantomData))
}

impl<T> Sender<T> {
    /// Sends the value and wakes the receiver. Takes `self`: once only.
    pub fn send(self, value: T) {
        // SAFETY: only this sender writes, once (send takes self), and the
        // receiver does not read before `ready` is set below.
        self.0.value.with_mut(|cell| unsafe { *cell = Some(value) });
        self.0.ready.store(true, Ordering::Release);
        self.0.receiver.unpark();
    }
}

impl<T> Receiver<T> {
    /// Waits for the value. Takes `self`: once only.
    pub fn recv(self) -> T {
        while !self.0.ready.load(Ordering::Acquire) {
            // Park may also return spuriously; the loop checks again.
            thread::park();
        }
        // SAFETY: `ready` was set with Release after the value was written,
        // and we saw it with Acquire; the sender writes nothing more.
        let value = self.0.value.with_mut(|cell| unsafe { (*cell).take() });
        // The flag is raised only after the value is stored.
        value.expect("a ready slot holds a value")
    }
}
// ANCHOR_END: oneshot
