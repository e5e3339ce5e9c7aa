//! A real anvil (Foundry's local Ethereum node, npm `@foundry-rs/anvil`, installed by `npm ci` in
//! ethereum/) on a free loopback port, the contracts of ethereum/artifacts deployed from its
//! unlocked default account; and a JSON-RPC proxy in front of it that corrupts answers in one
//! chosen way, as a faulty or lying node would.

use alloy_primitives::{Address, B256};
use serde_json::{json, Value};
use std::{
	io::{BufRead, BufReader, Read, Write},
	net::{TcpListener, TcpStream},
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc, Mutex,
	},
	time::{Duration, Instant},
};

fn ethereum_dir() -> PathBuf {
	Path::new(env!("CARGO_MANIFEST_DIR")).join("../ethereum")
}

/// The anvil binary npm installed: the platform package's own binary (no node needed), else
/// the `.bin` launcher.
fn binary() -> PathBuf {
	let modules = ethereum_dir().join("node_modules");
	let os = match std::env::consts::OS {
		"macos" => "darwin",
		"windows" => "win32",
		other => other,
	};
	let arch = match std::env::consts::ARCH {
		"x86_64" => "amd64",
		"aarch64" => "arm64",
		other => other,
	};
	let exe = if cfg!(windows) { "anvil.exe" } else { "anvil" };
	let candidates = [
		modules.join(format!("@foundry-rs/anvil-{os}-{arch}/bin/{exe}")),
		modules.join(".bin/anvil"),
	];
	candidates.iter().find(|path| path.exists()).cloned().unwrap_or_else(|| {
		panic!(
			"anvil is missing (looked for {} and {}): run `npm ci` in ethereum/ to install \
			 @foundry-rs/anvil",
			candidates[0].display(),
			candidates[1].display()
		)
	})
}

/// 0x-hex, as JSON-RPC writes data.
pub fn hex(bytes: impl AsRef<[u8]>) -> String {
	format!("0x{}", alloy_primitives::hex::encode(bytes))
}

/// One JSON-RPC call to `url`: `Ok(result)` or `Err(error object)`.
pub fn rpc_call(url: &str, method: &str, params: Value) -> Result<Value, Value> {
	let request = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params });
	let answer = post(url, &request).unwrap_or_else(|error| panic!("{method} to {url}: {error}"));
	match answer.get("error") {
		Some(error) => Err(error.clone()),
		None => Ok(answer["result"].clone()),
	}
}

/// POSTs `request` to `url`: the JSON answer (whatever its HTTP status).
fn post(url: &str, request: &Value) -> Result<Value, String> {
	let response = match ureq::post(url)
		.set("Content-Type", "application/json")
		.send_string(&request.to_string())
	{
		Ok(response) | Err(ureq::Error::Status(_, response)) => response,
		Err(error) => return Err(error.to_string()),
	};
	let text = response.into_string().map_err(|e| e.to_string())?;
	serde_json::from_str(&text).map_err(|e| format!("{e}: {text}"))
}

/// A quantity of a JSON-RPC answer.
pub fn quantity(value: &Value) -> u64 {
	let text = value.as_str().unwrap_or_else(|| panic!("{value} is no quantity"));
	u64::from_str_radix(text.trim_start_matches("0x"), 16).expect("hex quantity")
}

/// 32 bytes of a JSON-RPC answer.
pub fn b256(value: &Value) -> B256 {
	value.as_str().and_then(|text| text.parse().ok()).unwrap_or_else(|| panic!("{value}: no hash"))
}

/// A running anvil, killed when dropped.
pub struct Anvil {
	child: Child,
	/// Its JSON-RPC endpoint.
	pub url: String,
	/// The unlocked account everything is sent from.
	pub account: Address,
	/// Its output (every method called).
	pub log: PathBuf,
}

impl Anvil {
	/// Starts anvil on a free loopback port (it picks one: `--port 0`), transactions mined in
	/// the order they arrive (`--order fifo`, so a block can mix transaction types from one
	/// sender), and waits for its endpoint.
	pub fn start() -> Self {
		Self::start_with(&[])
	}

	/// [`Anvil::start`] with more of anvil's flags (e.g. `--block-time 1`: a block every
	/// second, transactions or not, instead of one per transaction).
	pub fn start_with(extra_args: &[&str]) -> Self {
		let dir = super::release_dir().join("relayer-tests");
		std::fs::create_dir_all(&dir).expect("scratch dir");
		static STARTED: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
		let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
		let log = dir.join(format!("anvil-{}-{n}.log", std::process::id()));
		let output = std::fs::File::create(&log).expect("log file");
		let child = Command::new(binary())
			.args(["--host", "127.0.0.1", "--port", "0", "--order", "fifo"])
			.args(extra_args)
			.stdout(output.try_clone().expect("log file"))
			.stderr(output)
			.stdin(Stdio::null())
			.spawn()
			.expect("anvil starts");
		let mut anvil = Anvil { child, url: String::new(), account: Address::ZERO, log };
		let deadline = Instant::now() + Duration::from_secs(30);
		let port = loop {
			let text = std::fs::read_to_string(&anvil.log).unwrap_or_default();
			if let Some(port) = text
				.lines()
				.find_map(|line| line.strip_prefix("Listening on 127.0.0.1:"))
				.and_then(|port| port.trim().parse::<u16>().ok())
			{
				break port;
			}
			if let Ok(Some(status)) = anvil.child.try_wait() {
				panic!("anvil exited ({status}); see {}", anvil.log.display());
			}
			assert!(
				Instant::now() < deadline,
				"anvil not listening after 30 s; see {}",
				anvil.log.display()
			);
			std::thread::sleep(Duration::from_millis(50));
		};
		anvil.url = format!("http://127.0.0.1:{port}");
		let accounts = anvil.rpc("eth_accounts", json!([]));
		anvil.account = accounts[0].as_str().and_then(|a| a.parse().ok()).expect("an account");
		anvil
	}

	/// A JSON-RPC call that must succeed.
	pub fn rpc(&self, method: &str, params: Value) -> Value {
		rpc_call(&self.url, method, params.clone())
			.unwrap_or_else(|error| panic!("{method} {params}: {error}"))
	}

	/// Sends a transaction from the unlocked account (`fields` completes `from`); its hash.
	pub fn send(&self, mut fields: Value) -> B256 {
		fields["from"] = json!(self.account.to_string());
		b256(&self.rpc("eth_sendTransaction", json!([fields])))
	}

	/// Sends `data` to `to` and (automining) returns its receipt, which must be a success.
	pub fn transact(&self, to: Address, data: &[u8]) -> Value {
		let hash = self.send(json!({ "to": to.to_string(), "data": hex(data) }));
		self.successful_receipt(hash)
	}

	/// The receipt of a transaction, which must have succeeded: waits for it to be mined (anvil
	/// answers `eth_sendTransaction` before its automined block is in).
	pub fn successful_receipt(&self, hash: B256) -> Value {
		let deadline = Instant::now() + Duration::from_secs(10);
		loop {
			let receipt = self.rpc("eth_getTransactionReceipt", json!([hash.to_string()]));
			if !receipt.is_null() {
				assert_eq!(receipt["status"], "0x1", "transaction {hash} failed: {receipt}");
				return receipt;
			}
			assert!(Instant::now() < deadline, "transaction {hash} not mined after 10 s");
			std::thread::sleep(Duration::from_millis(20));
		}
	}

	/// Deploys `ethereum/artifacts/<name>.json` (its creation bytecode) with ABI-encoded
	/// constructor arguments; the contract's address.
	pub fn deploy(&self, name: &str, constructor_args: &[u8]) -> Address {
		let path = ethereum_dir().join(format!("artifacts/{name}.json"));
		let artifact: Value =
			serde_json::from_str(&std::fs::read_to_string(&path).expect("artifact")).expect("JSON");
		let code = alloy_primitives::hex::decode(artifact["bytecode"].as_str().expect("bytecode"))
			.expect("hex bytecode");
		self.deploy_code(code, constructor_args)
	}

	/// Deploys creation code `code` with ABI-encoded constructor arguments; the address.
	pub fn deploy_code(&self, mut code: Vec<u8>, constructor_args: &[u8]) -> Address {
		code.extend_from_slice(constructor_args);
		let hash = self.send(json!({ "data": hex(&code) }));
		let receipt = self.successful_receipt(hash);
		receipt["contractAddress"].as_str().and_then(|a| a.parse().ok()).expect("an address")
	}

	/// Turns mining on every transaction on or off.
	pub fn set_automine(&self, on: bool) {
		self.rpc("evm_setAutomine", json!([on]));
	}

	/// Mines one block with the pending transactions.
	pub fn mine(&self) {
		self.rpc("evm_mine", json!([]));
	}

	/// The number of the newest block.
	pub fn head(&self) -> u64 {
		quantity(&self.rpc("eth_blockNumber", json!([])))
	}

	/// A block as anvil serves it (without transactions).
	pub fn block(&self, number: u64) -> Value {
		self.rpc("eth_getBlockByNumber", json!([format!("{number:#x}"), false]))
	}
}

impl Drop for Anvil {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

/// Changes the `result` of a JSON-RPC answer to `method`.
pub type Tamper = dyn Fn(&str, &mut Value) + Send + Sync;

/// A JSON-RPC proxy on 127.0.0.1 in front of `upstream`, passing every request on and
/// corrupting answers with the tamper function set, if any; or, while down, closing every
/// connection unanswered (a node that is restarting).
pub struct Proxy {
	/// The proxy's endpoint.
	pub url: String,
	tamper: Arc<Mutex<Option<Arc<Tamper>>>>,
	down: Arc<AtomicBool>,
}

impl Proxy {
	/// Serves on a fresh loopback port.
	pub fn start(upstream: &str) -> Self {
		let listener = TcpListener::bind("127.0.0.1:0").expect("loopback port");
		let port = listener.local_addr().expect("address").port();
		let tamper: Arc<Mutex<Option<Arc<Tamper>>>> = Arc::new(Mutex::new(None));
		let down = Arc::new(AtomicBool::new(false));
		let (shared, is_down) = (tamper.clone(), down.clone());
		let upstream = upstream.to_string();
		std::thread::spawn(move || {
			for stream in listener.incoming().flatten() {
				if is_down.load(Ordering::Relaxed) {
					drop(stream);
					continue;
				}
				let tamper = shared.lock().expect("tamper").clone();
				let upstream = upstream.clone();
				std::thread::spawn(move || relay(stream, &upstream, tamper.as_deref()));
			}
		});
		Proxy { url: format!("http://127.0.0.1:{port}"), tamper, down }
	}

	/// Closes every connection unanswered (`true`) or serves again (`false`).
	pub fn set_down(&self, down: bool) {
		self.down.store(down, Ordering::Relaxed);
	}

	/// Corrupts every later answer with `tamper(method, result)`.
	pub fn tamper(&self, tamper: impl Fn(&str, &mut Value) + Send + Sync + 'static) {
		*self.tamper.lock().expect("tamper") = Some(Arc::new(tamper));
	}

	/// Passes answers on unchanged again.
	pub fn honest(&self) {
		*self.tamper.lock().expect("tamper") = None;
	}
}

fn relay(stream: TcpStream, upstream: &str, tamper: Option<&Tamper>) {
	let mut reader = BufReader::new(stream.try_clone().expect("stream"));
	let mut line = String::new();
	let mut length = 0usize;
	if reader.read_line(&mut line).is_err() {
		return;
	}
	loop {
		line.clear();
		if reader.read_line(&mut line).map(|n| n <= 2).unwrap_or(true) {
			break;
		}
		if let Some((name, value)) = line.split_once(':') {
			if name.eq_ignore_ascii_case("content-length") {
				length = value.trim().parse().unwrap_or(0);
			}
		}
	}
	let mut body = vec![0u8; length];
	if reader.read_exact(&mut body).is_err() {
		return;
	}
	let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
	let method = request["method"].as_str().unwrap_or_default().to_string();
	let Ok(mut answer) = post(upstream, &request) else { return };
	if let (Some(tamper), Some(result)) = (tamper, answer.get_mut("result")) {
		tamper(&method, result);
	}
	let body = answer.to_string();
	let mut stream = stream;
	let _ = write!(
		stream,
		"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
		body.len()
	);
}
