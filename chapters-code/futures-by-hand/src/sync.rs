//! The lock and thread functions the waking code uses: the standard
//! library's normally, loom's under `--cfg loom`, so that the same code can
//! be model-checked. `Arc` stays the standard one in both: a `Waker` is
//! built from a `std::sync::Arc`.

#[cfg(not(loom))]
pub(crate) use std::sync::Mutex;
#[cfg(not(loom))]
pub(crate) use std::thread::{self, Thread};

#[cfg(loom)]
pub(crate) use loom::sync::Mutex;
#[cfg(loom)]
pub(crate) use loom::thread::{self, Thread};
