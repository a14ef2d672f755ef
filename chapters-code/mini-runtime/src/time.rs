//! Timers: `sleep`, and `timeout` around any future.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use crate::future::{Either, select};
use crate::reactor::TimerRegistration;

// ANCHOR: sleep
/// A future that is ready at `deadline`.
#[derive(Debug)]
pub struct Sleep {
    deadline: Instant,
    /// Our timer, once registered: in the reactor of the runtime that
    /// first polled us, which must be the one that polls us again.
    timer: Option<TimerRegistration>,
}

/// Ready after `duration`.
pub fn sleep(duration: Duration) -> Sleep {
    sleep_until(Instant::now() + duration)
}

/// Ready at `deadline`.
pub fn sleep_until(deadline: Instant) -> Sleep {
    Sleep {
        deadline,
        timer: None,
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if Instant::now() >= self.deadline {
            if let Some(timer) = self.timer.take() {
                timer.cancel();
            }
            return Poll::Ready(());
        }
        match &self.timer {
            Some(timer) => timer.update(cx.waker()),
            None => {
                let timer = TimerRegistration::new(self.deadline, cx.waker());
                self.timer = Some(timer);
            }
        }
        Poll::Pending
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        // A sleep dropped before its deadline cancels its timer.
        if let Some(timer) = &self.timer {
            timer.cancel();
        }
    }
}
// ANCHOR_END: sleep

// ANCHOR: timeout
/// Runs `future` for at most `duration`: its output, or an error of kind
/// `TimedOut`, and then `future` is dropped (cancelled) where it stood.
pub async fn timeout<F: Future>(
    duration: Duration,
    future: F,
) -> io::Result<F::Output> {
    match select(future, sleep(duration)).await {
        Either::Left(output) => Ok(output),
        Either::Right(()) => Err(io::ErrorKind::TimedOut.into()),
    }
}
// ANCHOR_END: timeout
