//! Cell `supervised_actor`: an actor that averages numbers,
//! crashes twice, and is restarted by its supervisor each time.
//@ [[vary]]
//@ what = "thread id"
//@ pattern = "thread 'averager' \\((\\d+)\\) panicked"
// HIDE_START
use message_passing::actor::{Message, ask_mean, start_supervised};
// HIDE_END

fn main() -> std::io::Result<()> {
    let (averager, supervisor) = start_supervised(3)?;
    // A send fails only once the supervisor has given up (after three
    // restarts); this run crashes the actor twice, so sends cannot fail.
    for sample in [10, 20, 30] {
        averager.send(Message::Record(sample)).unwrap();
    }
    println!("mean of 10, 20, 30: {:?}", ask_mean(&averager));

    // Crash 1: the total would pass u64::MAX.
    averager.send(Message::Record(u64::MAX)).unwrap();
    // Crash 2: the restarted actor starts with no samples, so the mean
    // divides by zero. The reply sender dies with it: the answer is None.
    println!("mean right after the restart: {:?}", ask_mean(&averager));

    for sample in [7, 9] {
        averager.send(Message::Record(sample)).unwrap();
    }
    println!("mean of 7, 9: {:?}", ask_mean(&averager));

    // Dropping the last sender closes the mailbox: the actor returns, and
    // so does its supervisor.
    drop(averager);
    let restarts = supervisor.join().expect("the supervisor never panics");
    println!("the supervisor restarted the actor {restarts} times");
    Ok(())
}
