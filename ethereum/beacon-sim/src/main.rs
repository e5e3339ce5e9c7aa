//! `ballast-beacon-sim`: runs the beacon-chain simulator live over an anvil, building each slot's
//! block at its time and serving the beacon API on 127.0.0.1 until killed. Test keys only.

use ballast_beacon_sim::{chain::DEFAULT_FIRST_SLOT, execution_credentials, BeaconSim, Config};
use std::process::ExitCode;

const USAGE: &str = "usage: ballast-beacon-sim --execution-url <url> [--port <p>] \
	[--seconds-per-slot <s>] [--validators <n>] [--first-slot <slot>] [--kept-epochs <n>] \
	[--credentials <0x 20-byte address or 32-byte credentials>:<count>]...

Runs a simulated Deneb beacon chain (Sepolia's fork versions and genesis validators root) over the
anvil at --execution-url, which it takes over mining for: one execution block per slot. Serves the
standard beacon API on 127.0.0.1:<port> (default: a free port, printed). --credentials gives the
next <count> validators (from index 0) those withdrawal credentials (an address: 0x01 ones).
--kept-epochs: how many epochs back epoch-boundary states stay downloadable (default 16).";

fn credentials(text: &str) -> Result<([u8; 32], usize), String> {
	let (key, count) = text.rsplit_once(':').ok_or("expected <0x..>:<count>")?;
	let count = count.parse().map_err(|_| format!("bad count {count:?}"))?;
	let bytes = alloy_primitives::hex::decode(key).map_err(|e| format!("{key}: {e}"))?;
	match bytes.len() {
		20 => Ok((execution_credentials(1, bytes.try_into().expect("20 bytes")), count)),
		32 => Ok((bytes.try_into().expect("32 bytes"), count)),
		n => Err(format!("{key}: {n} bytes, expected an address (20) or credentials (32)")),
	}
}

fn parse(args: &[String]) -> Result<(Config, String, u16), String> {
	let mut config = Config::default();
	let (mut execution_url, mut port) = (None, 0u16);
	let mut args = args.iter();
	while let Some(flag) = args.next() {
		let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
		let number = |text: &String| text.parse::<u64>().map_err(|_| format!("{flag}: {text:?}"));
		match flag.as_str() {
			"--execution-url" => execution_url = Some(value()?.clone()),
			"--port" => port = value()?.parse().map_err(|_| format!("{flag}: not a port"))?,
			"--seconds-per-slot" => config.seconds_per_slot = number(value()?)?,
			"--validators" => config.validators = number(value()?)? as usize,
			"--first-slot" => config.first_slot = number(value()?)?,
			"--kept-epochs" => config.kept_epochs = number(value()?)?,
			"--credentials" => config.credentials.push(credentials(value()?)?),
			"--help" | "-h" => return Err(String::new()),
			other => return Err(format!("unknown argument {other:?}")),
		}
	}
	let execution_url = execution_url.ok_or("--execution-url is required")?;
	Ok((config, execution_url, port))
}

fn main() -> ExitCode {
	let args: Vec<String> = std::env::args().skip(1).collect();
	let (config, execution_url, port) = match parse(&args) {
		Ok(parsed) => parsed,
		Err(message) => {
			if !message.is_empty() {
				eprintln!("ballast-beacon-sim: {message}");
			}
			eprintln!("{USAGE}\n(default first slot: {DEFAULT_FIRST_SLOT})");
			return ExitCode::from(2);
		},
	};
	let sim = match BeaconSim::start_live(config, &execution_url, port) {
		Ok(sim) => sim,
		Err(error) => {
			eprintln!("ballast-beacon-sim: {error}");
			return ExitCode::FAILURE;
		},
	};
	{
		let chain = sim.chain();
		println!(
			"ballast-beacon-sim: beacon API on {} (first slot {}, genesis time {}, {} validators)",
			sim.url(),
			chain.anchor().header.slot,
			chain.genesis_time(),
			chain.keys().len()
		);
	}
	loop {
		std::thread::park();
	}
}
