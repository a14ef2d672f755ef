//! The chapter's cell `models_compared`: one burst of requests (some wait
//! on a slow service, some compute) under five models rebuilt on tokio.
//@ timeout = 30
//@ [[vary]]
//@ what = "cores"
//@ pattern = '; (\d+) cores'
//@ [[vary]]
//@ what = "time"
//@ pattern = '(?m)(\d+) ms +(\d+) ms +(\d+) ms +(\d+) ms +(\d+\.\d\d)$'
// HIDE_START
use mixing_models::models::{Model, Workload, cores, run};
use mixing_models::ms;
use mixing_models::service::SlowService;
use support::bars::BarChart;
// HIDE_END

fn main() -> std::io::Result<()> {
    let service = SlowService::start()?;
    let workload = Workload::default();
    println!(
        "{} requests wait {} ms each, {} compute {} ms each; {} cores",
        workload.waits,
        workload.wait.as_millis(),
        workload.computes,
        workload.compute.as_millis(),
        cores()
    );
    println!(
        "{:<12} {:<38} {:>10} {:>8} {:>10} {:>8} {:>8}",
        "model",
        "on tokio",
        "worst wait",
        "median",
        "last asked",
        "total",
        "CPU/wall"
    );
    let mut bars = Vec::new();
    for model in Model::ALL {
        let outcome = run(model, &workload, service.addr())?;
        // When the last waiting request got to send its question.
        let last_asked = outcome.of(false).map(|w| w.start).max();
        println!(
            "{:<12} {:<38} {:>7} ms {:>5} ms {:>7} ms {:>5} ms {:>8.2}",
            model.name(),
            model.how(),
            ms(outcome.worst_wait()),
            ms(outcome.median_wait()),
            ms(last_asked.unwrap_or_default()),
            ms(outcome.total),
            outcome.usage.cpu_per_wall()
        );
        bars.push((
            model.name().to_string(),
            outcome.worst_wait().as_secs_f64() * 1e3,
        ));
    }
    // The base case last, so the line's label sits on a tall bar.
    bars.rotate_left(1);
    BarChart {
        title: "The slowest waiting request, under each model".into(),
        y_desc: "milliseconds".into(),
        bars,
        line: Some((
            "the wait alone".into(),
            workload.wait.as_secs_f64() * 1e3,
        )),
        decimals: 0,
    }
    .show("latency")
}
