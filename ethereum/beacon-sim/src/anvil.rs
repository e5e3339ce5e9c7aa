//! A local anvil (Foundry's Ethereum node, npm `@foundry-rs/anvil`, installed by `npm ci` in
//! `ethereum/`) on a free loopback port, for tests and examples that need an execution layer.

use std::{
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	sync::atomic::{AtomicU32, Ordering},
	time::{Duration, Instant},
};

/// The anvil binary npm installed under `ethereum/node_modules`, if any.
pub fn binary() -> Option<PathBuf> {
	let modules = Path::new(env!("CARGO_MANIFEST_DIR")).join("../node_modules");
	let arch = match std::env::consts::ARCH {
		"x86_64" => "amd64",
		"aarch64" => "arm64",
		other => other,
	};
	let os = if std::env::consts::OS == "macos" { "darwin" } else { std::env::consts::OS };
	[modules.join(format!("@foundry-rs/anvil-{os}-{arch}/bin/anvil")), modules.join(".bin/anvil")]
		.into_iter()
		.find(|path| path.exists())
}

/// A running anvil on 127.0.0.1, killed when dropped.
pub struct Anvil {
	child: Child,
	/// Its JSON-RPC endpoint.
	pub url: String,
	/// Its output.
	pub log: PathBuf,
}

impl Anvil {
	/// Starts anvil on a free loopback port and waits (up to 30 s) until it listens.
	pub fn start() -> Result<Self, String> {
		let binary = binary().ok_or("anvil is missing: run `npm ci` in ethereum/")?;
		static STARTED: AtomicU32 = AtomicU32::new(0);
		let n = STARTED.fetch_add(1, Ordering::Relaxed);
		let log = std::env::temp_dir()
			.join(format!("ballast-beacon-sim-anvil-{}-{n}.log", std::process::id()));
		let output = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
		let child = Command::new(binary)
			.args(["--host", "127.0.0.1", "--port", "0", "--order", "fifo"])
			.stdout(output.try_clone().map_err(|e| e.to_string())?)
			.stderr(output)
			.stdin(Stdio::null())
			.spawn()
			.map_err(|e| format!("anvil does not start: {e}"))?;
		let mut anvil = Anvil { child, url: String::new(), log };
		let deadline = Instant::now() + Duration::from_secs(30);
		loop {
			let text = std::fs::read_to_string(&anvil.log).unwrap_or_default();
			if let Some(port) = text
				.lines()
				.find_map(|line| line.strip_prefix("Listening on 127.0.0.1:"))
				.and_then(|port| port.trim().parse::<u16>().ok())
			{
				anvil.url = format!("http://127.0.0.1:{port}");
				return Ok(anvil);
			}
			if let Ok(Some(status)) = anvil.child.try_wait() {
				return Err(format!("anvil exited ({status}); see {}", anvil.log.display()));
			}
			if Instant::now() > deadline {
				return Err(format!("anvil not listening after 30 s; see {}", anvil.log.display()));
			}
			std::thread::sleep(Duration::from_millis(50));
		}
	}
}

impl Drop for Anvil {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}
