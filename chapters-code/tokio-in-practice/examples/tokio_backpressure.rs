//! The Tokio chapter's cell `tokio_backpressure`: a producer that could send 20
//! items at once, into a channel of 4 places, to a consumer that takes
//! 10 ms per item. Each send waits for room: the producer is held to the
//! consumer's pace and the queue never holds more than 4.
//@ [[vary]]
//@ what = "time"
//@ pattern = '(\d+) ms'
// HIDE_START
use std::time::Duration;
use support::timeline::Timeline;
use tokio_in_practice::backpressure::pipeline;
// HIDE_END

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let bound = 4;
    let run = pipeline(20, bound, Duration::from_millis(10)).await;
    println!("item  send returned at  queue length after it");
    for (send, queued) in run.sends.iter().zip(&run.queued) {
        println!(
            "{:>4}  {:>13} ms  {queued}",
            send.item,
            send.end.as_millis()
        );
    }
    let most = run.queued.iter().max().copied().unwrap_or(0);
    println!("longest queue: {most} (the bound is {bound})");
    let last = run.handled.last().map(|s| s.end.as_millis()).unwrap_or(0);
    println!("consumer done at {last} ms");
    let timeline = Timeline::new();
    for send in &run.sends {
        // A send that waited is a bar, labelled with its item (the same
        // colour as the item's handling); one that did not, a sliver.
        let waited = send.end - send.start > Duration::from_millis(1);
        let label = if waited {
            send.item.to_string()
        } else {
            String::new()
        };
        let end = send.end.max(send.start + Duration::from_micros(500));
        timeline.add("producer: waiting to send", label, send.start, end);
    }
    for item in &run.handled {
        timeline.add(
            "consumer",
            format!("{}", item.item),
            item.start,
            item.end,
        );
    }
    timeline.show("pipeline", "A bounded channel: the producer waits for room")
}
