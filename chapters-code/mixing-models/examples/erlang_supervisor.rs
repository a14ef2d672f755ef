//! The chapter's cell `erlang_supervisor`: a counter process on a tokio
//! task, under a supervisor that restarts it when it crashes.
// HIDE_START
use std::time::Duration;

use mixing_models::supervisor::{Msg, start};
use tokio::sync::{mpsc, oneshot};
// HIDE_END

/// Asks the counter for its count; `None` if it crashed before answering.
async fn get(counter: &mpsc::Sender<Msg>) -> Option<u64> {
    let (reply, answer) = oneshot::channel();
    counter.send(Msg::Get(reply)).await.ok()?;
    answer.await.ok()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // The panic message goes to stderr; keep it short and in order.
    std::panic::set_hook(Box::new(|info| {
        let message = info.payload().downcast_ref::<&str>().unwrap_or(&"?");
        eprintln!("  (crash: {message})");
    }));
    let (counter, supervisor) = start(2);
    for n in [1, 2, 3] {
        // The supervisor is alive while we hold the address: sends succeed.
        counter
            .send(Msg::Add(n))
            .await
            .expect("the counter is supervised");
    }
    println!("count after adding 1, 2, 3: {:?}", get(&counter).await);
    for round in 1..=3 {
        println!("poison {round}");
        // If the supervisor has given up, the send fails: say so.
        if counter.send(Msg::Poison).await.is_err() {
            println!("  the counter is gone");
        }
        counter.send(Msg::Add(10)).await.ok();
        println!("  count after adding 10: {:?}", get(&counter).await);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    drop(counter);
    // The supervisor's task only returns a report; it does not panic.
    let report = supervisor.await.expect("the supervisor does not panic");
    println!("{report:?}");
}
