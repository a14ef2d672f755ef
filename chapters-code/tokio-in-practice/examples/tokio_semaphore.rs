//! The Tokio chapter's cell `tokio_semaphore`: ten jobs start at once; a semaphore
//! with three permits lets three work at a time. Each job works 100 ms.
//@ [[vary]]
//@ what = "time"
//@ pattern = '(\d+) ms'
// HIDE_START
use std::time::Duration;

use support::timeline::Timeline;
use tokio_in_practice::backpressure::capped;
// HIDE_END

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let run = capped(10, 3, Duration::from_millis(100)).await;
    let timeline = Timeline::new();
    for job in &run.ran {
        println!(
            "job {}: worked from {} ms to {} ms",
            job.item,
            job.start.as_millis(),
            job.end.as_millis()
        );
        timeline.add(
            format!("job {}", job.item),
            "working",
            job.start,
            job.end,
        );
    }
    println!("most jobs working at once: {}", run.max_in_flight);
    timeline.show("jobs", "Ten jobs, three permits")
}
