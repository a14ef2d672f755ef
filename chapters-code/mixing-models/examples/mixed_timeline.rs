//! The chapter's cell `mixed_timeline`: three waits (round trips to a
//! slow service on loopback) and three computations start together on one
//! current-thread runtime, first with the computations on a rayon pool,
//! then with the computations inside their tasks.
//@ timeout = 30
//@ [[vary]]
//@ what = "cores"
//@ pattern = '/ (\d+)\) = (\d+) ms'
//@ [[vary]]
//@ what = "time"
//@ pattern = 'from +(\d+) ms to +(\d+) ms'
//@ [[vary]]
//@ what = "total"
//@ pattern = 'after (\d+) ms'
//@ [[vary]]
//@ what = "thread"
//@ pattern = 'on (rayon-\d+)'
// HIDE_START
use std::sync::Arc;
use std::time::Duration;

use mixing_models::mixed::{Kind, MixedRun, Placement, Plan, run};
use mixing_models::ms;
use mixing_models::service::SlowService;
// HIDE_END

fn main() -> std::io::Result<()> {
    let service = SlowService::start()?;
    let pool = Arc::new(mixing_models::mixed::cpu_pool()?);
    let plan = Plan::default();
    let cpu: Duration = plan.computes.iter().sum();
    let cores = pool.current_num_threads() as u32;
    let longest_wait = plan.waits.iter().max().copied().unwrap_or_default();
    println!(
        "max(longest wait, CPU / cores) = max({} ms, {} ms / {cores}) = {} ms",
        longest_wait.as_millis(),
        cpu.as_millis(),
        longest_wait.max(cpu / cores).as_millis()
    );
    for placement in [Placement::Offloaded, Placement::Inline] {
        let run = run(placement, &plan, service.addr(), Arc::clone(&pool))?;
        report(&run);
        let (name, title) = match placement {
            Placement::Offloaded => {
                ("right", "Computations on a rayon pool: waits overlap")
            }
            Placement::Inline => (
                "wrong",
                "Computations inside their tasks: waits end after them",
            ),
        };
        run.timeline().show(name, title)?;
    }
    Ok(())
}

/// Prints each job's start and end, and the run's total.
fn report(run: &MixedRun) {
    println!();
    println!(
        "{:?}: the computations {}",
        run.placement,
        match run.placement {
            Placement::Offloaded => "go to a rayon pool",
            Placement::Inline => "run inside their tasks",
        }
    );
    for job in &run.jobs {
        let on = match job.kind {
            Kind::Wait => String::new(),
            Kind::Compute => format!(" on {}", job.thread),
        };
        println!(
            "  {:<16} from {:>4} ms to {:>4} ms{on}",
            job.name(),
            ms(job.start),
            ms(job.end)
        );
    }
    println!("  all done after {} ms", ms(run.total));
}
