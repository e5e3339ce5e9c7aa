//! A `ballast-relayer` command running as its own process, its log in a file (the end-to-end
//! tests start the relayer as an operator would).

use std::{
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	sync::atomic::{AtomicU32, Ordering},
};

/// A relayer command running as its own process; stopped when dropped.
pub struct Process {
	child: Child,
	/// Its stdout and stderr.
	pub log: PathBuf,
}

/// CPU seconds and peak resident memory (KiB) of a process, from /proc.
#[derive(Clone, Copy, Debug, Default)]
pub struct Usage {
	pub cpu_secs: f64,
	pub peak_kib: u64,
}

impl Process {
	/// Starts `ballast-relayer args…` with only `env` of the relayer's secrets (none inherited),
	/// logging to `dir/<name>-<n>.log`.
	pub fn spawn(dir: &Path, name: &str, args: &[&str], env: &[(&str, &str)]) -> Self {
		static STARTED: AtomicU32 = AtomicU32::new(0);
		let n = STARTED.fetch_add(1, Ordering::Relaxed);
		let log = dir.join(format!("{name}-{n}.log"));
		let file = std::fs::File::create(&log).expect("log file");
		let child = Command::new(env!("CARGO_BIN_EXE_ballast-relayer"))
			.args(args)
			.env_remove("BALLAST_RELAYER_SURI")
			.env_remove("BALLAST_RELAYER_ETH_KEY")
			.env("RUST_LOG", "info")
			.envs(env.iter().copied())
			.stdout(file.try_clone().expect("log file"))
			.stderr(file)
			.stdin(Stdio::null())
			.spawn()
			.expect("ballast-relayer starts");
		Process { child, log }
	}

	/// Its CPU time and peak memory so far.
	pub fn usage(&self) -> Usage {
		let pid = self.child.id();
		let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
		// Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
		let fields: Vec<&str> = stat
			.rsplit_once(')')
			.map(|(_, rest)| rest.split_whitespace().collect())
			.unwrap_or_default();
		let ticks: u64 = [11, 12].iter().filter_map(|&i| fields.get(i)?.parse::<u64>().ok()).sum();
		let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
		let peak_kib = status
			.lines()
			.find_map(|line| line.strip_prefix("VmHWM:"))
			.and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
			.unwrap_or(0);
		// USER_HZ is 100 on Linux.
		Usage { cpu_secs: ticks as f64 / 100.0, peak_kib }
	}

	/// SIGKILL, as abrupt as a crash; its usage just before.
	pub fn kill(&mut self) -> Usage {
		let usage = self.usage();
		self.stop();
		usage
	}

	/// Stops it (SIGKILL) and waits for it.
	pub fn stop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}

	/// Its exit status, once it has exited.
	pub fn try_wait(&mut self) -> Option<std::process::ExitStatus> {
		self.child.try_wait().expect("waits")
	}

	/// What it logged so far.
	pub fn output(&self) -> String {
		std::fs::read_to_string(&self.log).unwrap_or_default()
	}
}

impl Drop for Process {
	fn drop(&mut self) {
		self.stop();
	}
}
