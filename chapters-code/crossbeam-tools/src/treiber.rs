//! A Treiber stack (R. K. Treiber, 1986): a lock-free stack, a linked list
//! whose head is swapped with compare-and-swap. Pushing and popping are
//! easy; *freeing* a popped node is the hard part. Another thread may have
//! read the same head a moment ago and be about to read its `next` field:
//! free the node now and that read is a use-after-free. Reuse the memory
//! for a new node and that thread's compare-and-swap may even succeed on a
//! pointer that only looks the same: the ABA problem.
//!
//! crossbeam-epoch solves it. A thread *pins* itself before touching the
//! stack; a popped node is not freed but *retired* (`defer_destroy`), and
//! freed only once every thread that was pinned at that time has unpinned.
//! No pinned thread can then still hold a pointer to it.

use std::mem::ManuallyDrop;
use std::ptr;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering::{Acquire, Relaxed, Release, SeqCst};
use std::thread;
use std::time::{Duration, Instant};

use crossbeam_epoch::{self as epoch, Atomic, Owned};

// ANCHOR: stack
/// A lock-free stack of `T`.
pub struct TreiberStack<T> {
    head: Atomic<Node<T>>,
}

struct Node<T> {
    /// Moved out by the thread whose `pop` removed the node; the node's
    /// memory is freed later, without dropping the value a second time.
    value: ManuallyDrop<T>,
    next: Atomic<Node<T>>,
}
// ANCHOR_END: stack

impl<T> Default for TreiberStack<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> TreiberStack<T> {
    /// An empty stack.
    pub fn new() -> Self {
        TreiberStack {
            head: Atomic::null(),
        }
    }

    // ANCHOR: push
    /// Puts `value` on top.
    pub fn push(&self, value: T) {
        let mut node = Owned::new(Node {
            value: ManuallyDrop::new(value),
            next: Atomic::null(),
        });
        // Pinned while we read `head`: the node it points to cannot be
        // freed under us (we only compare its address, but still).
        let guard = epoch::pin();
        loop {
            let head = self.head.load(Acquire, &guard);
            node.next.store(head, Relaxed);
            // Swing `head` from the top we saw to our node. `Release`
            // publishes the node's contents to whoever loads it next.
            match self
                .head
                .compare_exchange(head, node, Release, Relaxed, &guard)
            {
                Ok(_) => return,
                // Someone else changed the top: we get our node back, and
                // try again on the new top.
                Err(e) => node = e.new,
            }
        }
    }
    // ANCHOR_END: push

    // ANCHOR: pop
    /// Takes the top value off, if there is one.
    pub fn pop(&self) -> Option<T> {
        let guard = epoch::pin();
        loop {
            let head = self.head.load(Acquire, &guard);
            // SAFETY: `head` was loaded while we are pinned, so the node it
            // points to (if any) has not been freed: a popped node is only
            // freed after every thread pinned when it was popped, us
            // included, has unpinned. Null gives `None`.
            let node = unsafe { head.as_ref() }?;
            let next = node.next.load(Acquire, &guard);
            if self
                .head
                .compare_exchange(head, next, Release, Relaxed, &guard)
                .is_ok()
            {
                // We unlinked `node`: no new reader can reach it, but old
                // readers may still hold `head`.
                // SAFETY: the node was unlinked by our successful
                // compare-and-swap, so it is retired exactly once, by us,
                // and freed only when no pinned thread can still see it.
                unsafe { guard.defer_destroy(head) };
                // SAFETY: only the thread that unlinked the node moves the
                // value out, once; the node's later destruction frees the
                // memory without dropping the `ManuallyDrop` value again.
                // Other threads may still read the node's `next`, never its
                // value.
                return Some(unsafe { ptr::read(&*node.value) });
            }
            // Lost the race: another thread changed the top; retry.
        }
    }
    // ANCHOR_END: pop

    /// Whether the stack is empty right now.
    pub fn is_empty(&self) -> bool {
        let guard = epoch::pin();
        self.head.load(Acquire, &guard).is_null()
    }
}

// ANCHOR: drop
impl<T> Drop for TreiberStack<T> {
    /// Frees the nodes still on the stack, and drops their values.
    fn drop(&mut self) {
        // SAFETY: `&mut self` means no other thread can use the stack any
        // more, so nothing can be freed or read concurrently: the
        // unprotected guard is enough.
        let guard = unsafe { epoch::unprotected() };
        let mut current = self.head.load(Relaxed, guard);
        while !current.is_null() {
            // SAFETY: `current` is not null, and every node still linked is
            // owned by the stack alone (popped nodes were unlinked first),
            // so we may take it back as an `Owned` and free it, once.
            let mut node = unsafe { current.into_owned() };
            current = node.next.load(Relaxed, guard);
            // SAFETY: a node still on the stack was never popped, so its
            // value was never moved out: drop it exactly once, here.
            unsafe { ManuallyDrop::drop(&mut node.value) };
        }
    }
}
// ANCHOR_END: drop

// SAFETY: the stack hands each value from the pushing thread to exactly one
// popping thread, like a channel: `T: Send` is all that is needed.
unsafe impl<T: Send> Send for TreiberStack<T> {}
// SAFETY: as above; `&TreiberStack` only moves whole values in and out.
unsafe impl<T: Send> Sync for TreiberStack<T> {}

/// What [`deferred_free`] saw: how many times the retired function had run
/// while this thread was still pinned, and after it unpinned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deferred {
    pub freed_while_pinned: usize,
    pub freed_after_unpin: usize,
}

/// Deferred freeing, seen directly. This thread pins itself; another
/// thread retires a "node" (a function that counts when it runs, which is
/// when its memory would be freed) and then tries `collections` times to
/// collect garbage. Nothing may be freed: this thread might still see it.
/// Then this thread unpins, and collects until the function has run, for
/// up to `patience` (other pinned threads, such as tests running at the
/// same time, only delay it).
pub fn deferred_free(collections: usize, patience: Duration) -> Deferred {
    let freed = Arc::new(AtomicUsize::new(0));
    let pinned = epoch::pin();
    thread::scope(|s| {
        s.spawn(|| {
            let guard = epoch::pin();
            let counter = Arc::clone(&freed);
            guard.defer(move || counter.fetch_add(1, SeqCst));
            // Hand it to the global queue of garbage, then unpin.
            guard.flush();
            drop(guard);
            for _ in 0..collections {
                epoch::pin().flush();
            }
        });
    });
    // We were pinned all along: the global epoch cannot have moved two
    // steps past the retirement, so the function cannot have run.
    let freed_while_pinned = freed.load(SeqCst);
    drop(pinned);
    let start = Instant::now();
    while freed.load(SeqCst) == 0 && start.elapsed() < patience {
        epoch::pin().flush();
        thread::yield_now();
    }
    Deferred {
        freed_while_pinned,
        freed_after_unpin: freed.load(SeqCst),
    }
}
