//! The machine a cell ran on, for the caption under its output.

use serde::{Deserialize, Serialize};

/// What a reader needs to judge a figure: how many cores, which OS and CPU.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Machine {
    /// Logical CPUs the program could use.
    pub cores: usize,
    /// `linux`, `macos`, ...
    pub os: String,
    /// The OS release, e.g. a kernel version, when it could be read.
    pub os_version: String,
    /// `x86_64`, `aarch64`, ...
    pub arch: String,
    /// The CPU's brand name, when it could be read.
    pub cpu: String,
}

impl Machine {
    /// This machine.
    pub fn current() -> Machine {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let mut system = sysinfo::System::new();
        system.refresh_cpu_list(sysinfo::CpuRefreshKind::nothing());
        let cpu = system.cpus().first().map(|c| c.brand().trim().to_string()).unwrap_or_default();
        Machine {
            cores,
            os: std::env::consts::OS.to_string(),
            os_version: sysinfo::System::kernel_version().unwrap_or_default(),
            arch: std::env::consts::ARCH.to_string(),
            cpu: if cpu.is_empty() { "unknown CPU".to_string() } else { cpu },
        }
    }

    /// "2 cores, linux x86_64 (AMD EPYC 7B13)"
    pub fn describe(&self) -> String {
        let cores = if self.cores == 1 { "1 core".to_string() } else { format!("{} cores", self.cores) };
        format!("{cores}, {} {} ({})", self.os, self.arch, self.cpu)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_machine_is_described() {
        let m = Machine::current();
        assert!(m.cores >= 1);
        assert_eq!(m.os, std::env::consts::OS);
        assert!(m.describe().contains(&m.arch));
    }
}
