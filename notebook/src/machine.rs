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
    /// What `rustc --version` printed where the cell was built, e.g.
    /// `rustc 1.95.0 (59807616e 2026-04-14)`; empty when unknown. Panic
    /// messages and compiler errors in outputs change between releases, so a
    /// caption names the compiler.
    #[serde(default)]
    pub rustc: String,
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
            rustc: rustc_version(),
        }
    }

    /// "2 cores, linux x86_64 (AMD EPYC 7B13), rustc 1.95.0"
    pub fn describe(&self) -> String {
        let cores = if self.cores == 1 { "1 core".to_string() } else { format!("{} cores", self.cores) };
        let mut text = format!("{cores}, {} {} ({})", self.os, self.arch, self.cpu);
        // "rustc 1.95.0 (59807616e 2026-04-14)": the release is enough.
        let release: Vec<&str> = self.rustc.split_whitespace().take(2).collect();
        if release.len() == 2 {
            text.push_str(&format!(", {}", release.join(" ")));
        }
        text
    }
}

/// What `rustc --version` prints: `RUSTC` if set, else the `rustc` on `PATH`
/// (rustup's proxy, which honours a toolchain file in the current folder, as
/// the cargo that builds the cells does). Empty if it cannot be run.
fn rustc_version() -> String {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    std::process::Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .filter(|output| output.status.success())
        .and_then(|output| String::from_utf8(output.stdout).ok())
        .map(|version| version.trim().to_string())
        .unwrap_or_default()
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
        assert!(m.rustc.starts_with("rustc "), "{:?}", m.rustc);
    }

    #[test]
    fn the_description_names_the_compiler_release_when_known() {
        let mut m = Machine {
            cores: 2,
            os: "linux".into(),
            os_version: "6".into(),
            arch: "x86_64".into(),
            cpu: "AMD EPYC".into(),
            rustc: "rustc 1.95.0 (59807616e 2026-04-14)".into(),
        };
        assert_eq!(m.describe(), "2 cores, linux x86_64 (AMD EPYC), rustc 1.95.0");
        m.rustc.clear();
        assert_eq!(m.describe(), "2 cores, linux x86_64 (AMD EPYC)");
    }
}
