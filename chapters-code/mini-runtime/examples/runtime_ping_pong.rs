//! Cell `runtime_ping_pong`: two tasks exchange one message over a
//! loopback connection, on the chapter's runtime, while a sequence records
//! what its parts say to each other. It prints the messages in order and
//! draws them as a sequence diagram, which the page steps through.
// HIDE_START
use mini_runtime::ping_pong::ping_pong;
// HIDE_END

fn main() -> std::io::Result<()> {
    let exchange = ping_pong()?;
    println!(
        "task 1 (server) read {:?}; task 2 (client) read {:?}",
        exchange.heard, exchange.reply
    );
    let events = exchange.sequence.events();
    println!("{} messages, in the order they happened:", events.len());
    for (i, event) in events.iter().enumerate() {
        println!(
            "{:>2}. {} → {}: {}",
            i + 1,
            event.from,
            event.to,
            event.label
        );
    }
    exchange.sequence.show(
        "messages",
        "Two tasks exchange ping and pong: the runtime's messages",
    )?;
    Ok(())
}
