//! The supervisor on tokio tasks: restarts with fresh state, one address
//! across restarts, a limit, and a clean stop when every client is gone.

use mixing_models::supervisor::{Msg, Report, start};
use tokio::sync::{mpsc, oneshot};

async fn get(counter: &mpsc::Sender<Msg>) -> Option<u64> {
    let (reply, answer) = oneshot::channel();
    counter.send(Msg::Get(reply)).await.ok()?;
    answer.await.ok()
}

fn quiet() {
    std::panic::set_hook(Box::new(|_| {}));
}

#[tokio::test]
async fn a_crash_restarts_the_process_with_fresh_state() {
    quiet();
    let (counter, supervisor) = start(5);
    counter.send(Msg::Add(5)).await.unwrap();
    assert_eq!(get(&counter).await, Some(5));
    counter.send(Msg::Poison).await.unwrap();
    // Same address; the new incarnation starts from zero.
    counter.send(Msg::Add(2)).await.unwrap();
    assert_eq!(get(&counter).await, Some(2));
    drop(counter);
    let report = supervisor.await.unwrap();
    assert_eq!(
        report,
        Report {
            restarts: 1,
            gave_up: false
        }
    );
}

#[tokio::test]
async fn the_supervisor_gives_up_after_its_limit() {
    quiet();
    let (counter, supervisor) = start(2);
    for _ in 0..3 {
        counter.send(Msg::Poison).await.unwrap();
    }
    let report = supervisor.await.unwrap();
    assert_eq!(
        report,
        Report {
            restarts: 2,
            gave_up: true
        }
    );
    // The mailbox went with the supervisor: sends fail now.
    assert!(counter.send(Msg::Add(1)).await.is_err());
}

#[tokio::test]
async fn without_crashes_it_stops_when_the_clients_are_gone() {
    let (counter, supervisor) = start(1);
    counter.send(Msg::Add(1)).await.unwrap();
    assert_eq!(get(&counter).await, Some(1));
    drop(counter);
    assert_eq!(
        supervisor.await.unwrap(),
        Report {
            restarts: 0,
            gave_up: false
        }
    );
}
