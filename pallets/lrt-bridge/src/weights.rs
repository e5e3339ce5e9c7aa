//! Weights of the LRT bridge.
//!
//! The runtime uses the weights `scripts/benchmark.sh` measures in its wasm
//! (`runtime/src/weights/pallet_lrt_bridge.rs`: `submit_deposit` 199 µs, `withdraw` 55 µs,
//! committing 6.7 µs + 4.8 µs per withdrawal). `()` is for unit tests: every storage access at
//! RocksDB cost plus those figures rounded up.
//!
//! A deposit's weight grows with its proof: `submit_deposit()` (the recorded ~1.7 KiB proof)
//! plus `proof_bytes(n)` for its `n` encoded bytes, measured on a synthetic receipt proof of
//! `n` bytes ([`synthetic`]) going through what the verifier does with every byte (hash each
//! trie node, decode the receipt, compare the log).

use frame_support::weights::{constants::RocksDbWeight, Weight};

/// The weight of each call and of the block's commitment.
pub trait WeightInfo {
	/// `register_lrt`.
	fn register_lrt() -> Weight;
	/// `set_exposure`.
	fn set_exposure() -> Weight;
	/// `set_mint_limit`.
	fn set_mint_limit() -> Weight;
	/// `set_state`: the profile read and written, by either origin (the emergency origin's
	/// path, where the benchmark can take it, also refuses governance's origin first and
	/// compares the states).
	fn set_state() -> Weight;
	/// `submit_deposit`, with the verifier's proof check, for the benchmark's proof.
	fn submit_deposit() -> Weight;
	/// What `n` bytes of a deposit proof add to `submit_deposit` (hashing the receipt trie's
	/// nodes, decoding the receipt, comparing the log).
	fn proof_bytes(n: u32) -> Weight;
	/// `withdraw` (its leaf in the commitment is added by the call's weight).
	fn withdraw() -> Weight;
	/// Committing `n` withdrawals in `on_finalize`.
	fn commit_withdrawals(n: u32) -> Weight;
	/// Looking for an expired commitment in `on_initialize` and pruning it with its `n`
	/// withdrawals (`n = 0`: the look finding none).
	fn prune_commitment(n: u32) -> Weight;
}

impl WeightInfo for () {
	fn register_lrt() -> Weight {
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads_writes(4, 5))
	}
	fn set_exposure() -> Weight {
		Weight::from_parts(20_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads_writes(1, 1))
	}
	fn set_mint_limit() -> Weight {
		Weight::from_parts(15_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads_writes(1, 1))
	}
	fn set_state() -> Weight {
		Weight::from_parts(15_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads_writes(1, 1))
	}
	fn submit_deposit() -> Weight {
		// Snowbridge's `Verifier::verify` is benchmarked at about 100 µs plus 3 reads; the length
		// fee adds the submitter's account (1 read, 1 write).
		Weight::from_parts(160_000_000, 12_000)
			.saturating_add(RocksDbWeight::get().reads_writes(10, 7))
	}
	fn proof_bytes(n: u32) -> Weight {
		// 60 ns a byte: 13× the native measurement (4.6 ns, `synthetic::tests`), for the wasm
		// executor's overhead and a margin.
		Weight::from_parts(60_000, 1).saturating_mul(n.into())
	}
	fn withdraw() -> Weight {
		Weight::from_parts(60_000_000, 6_000)
			.saturating_add(RocksDbWeight::get().reads_writes(6, 6))
	}
	fn commit_withdrawals(n: u32) -> Weight {
		Weight::from_parts(5_000_000, 1_000)
			.saturating_add(Weight::from_parts(15_000_000, 300).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(1 + n as u64, 2))
	}
	fn prune_commitment(n: u32) -> Weight {
		Weight::from_parts(10_000_000, 5_000)
			.saturating_add(Weight::from_parts(5_000_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(3, 2 + n as u64))
	}
}

/// A receipt proof of a chosen size that the verifier's receipt check accepts: one receipt
/// holding one log whose data fills the size, alone in its receipts trie (a single leaf). What
/// `proof_bytes(n)` is measured on, and tested against Snowbridge's receipt code here.
#[cfg(any(test, feature = "runtime-benchmarks"))]
pub mod synthetic {
	use alloc::{vec, vec::Vec};
	use snowbridge_verification_primitives::{receipt::verify_receipt_proof, Log};
	use sp_core::{H160, H256};

	/// Bytes of the trie node around the log's data (336 with RLP's shortest headers, up to 16
	/// more as the data's length grows the headers).
	const OVERHEAD: u32 = 352;

	fn length_prefix(length: usize, short: u8, long: u8) -> Vec<u8> {
		if length <= 55 {
			return vec![short + length as u8];
		}
		let bytes = (length as u64).to_be_bytes();
		let skip = bytes.iter().take_while(|byte| **byte == 0).count();
		let mut out = vec![long + (bytes.len() - skip) as u8];
		out.extend_from_slice(&bytes[skip..]);
		out
	}

	fn rlp_string(bytes: &[u8]) -> Vec<u8> {
		if bytes.len() == 1 && bytes[0] < 0x80 {
			return bytes.to_vec();
		}
		let mut out = length_prefix(bytes.len(), 0x80, 0xb7);
		out.extend_from_slice(bytes);
		out
	}

	fn rlp_list(items: &[Vec<u8>]) -> Vec<u8> {
		let payload = items.concat();
		let mut out = length_prefix(payload.len(), 0xc0, 0xf7);
		out.extend(payload);
		out
	}

	/// A log with `bytes − OVERHEAD` bytes of data, and the receipts root and receipt proof
	/// (one node of `bytes`, up to 16 fewer) of transaction 0's receipt holding it.
	pub fn receipt_proof(bytes: u32) -> (H256, Vec<Vec<u8>>, Log) {
		let log = Log {
			address: H160::repeat_byte(0x6a),
			topics: vec![H256::repeat_byte(0x70)],
			data: vec![0x5d; bytes.saturating_sub(OVERHEAD) as usize],
			tx_index: 0,
		};
		let encoded_log = rlp_list(&[
			rlp_string(log.address.as_bytes()),
			rlp_list(
				&log.topics.iter().map(|topic| rlp_string(topic.as_bytes())).collect::<Vec<_>>(),
			),
			rlp_string(&log.data),
		]);
		// An EIP-1559 receipt: status 1, 21,000 gas, an empty bloom, the log.
		let mut receipt = vec![0x02];
		receipt.extend(rlp_list(&[
			rlp_string(&[1]),
			rlp_string(&[0x52, 0x08]),
			rlp_string(&[0; 256]),
			rlp_list(&[encoded_log]),
		]));
		// The trie's only node: a leaf at key rlp(0) = 0x80 (nibbles 8, 0; even: prefix 0x20).
		let leaf = rlp_list(&[rlp_string(&[0x20, 0x80]), rlp_string(&receipt)]);
		(H256(sp_io::hashing::keccak_256(&leaf)), vec![leaf], log)
	}

	/// What the verifier does with the proof's bytes: proves the receipt against the root and
	/// finds the log in it.
	pub fn verify(root: H256, proof: &[Vec<u8>], log: &Log) -> bool {
		let Some(receipt) = verify_receipt_proof(root, log.tx_index, proof) else {
			return false;
		};
		receipt.logs().iter().any(|found| {
			found.address.0 .0 == log.address.0
				&& found.data.data.as_ref() == log.data.as_slice()
				&& found.topics().iter().map(|topic| topic.0).eq(log.topics.iter().map(|t| t.0))
		})
	}

	#[cfg(test)]
	mod tests {
		use super::*;

		#[test]
		fn synthetic_receipt_proofs_verify_at_every_size() {
			for bytes in [0, 100, 421, 1_000, 16 * 1024, 64 * 1024, 1024 * 1024] {
				let (root, proof, log) = receipt_proof(bytes);
				assert!(verify(root, &proof, &log), "{bytes} bytes");
				// The trie node is about the `bytes` asked for (at least its fixed part).
				let node = proof.iter().map(Vec::len).sum::<usize>();
				let asked = bytes.max(OVERHEAD) as usize;
				assert!(node <= asked && node + 16 >= asked, "{bytes} bytes: {node}");
				// A changed byte breaks it.
				let mut forged = log.clone();
				forged.data.push(0);
				assert!(!verify(root, &proof, &forged));
			}
		}

		/// Native time per proof byte (`cargo test --release -p pallet-lrt-bridge -- --ignored
		/// --nocapture synthetic`): the basis of `proof_bytes` in `()` and the runtime.
		#[test]
		#[ignore]
		fn synthetic_receipt_proof_time_per_byte() {
			let small = receipt_proof(1_024);
			let large = receipt_proof(1024 * 1024);
			let time = |(root, proof, log): &(H256, Vec<Vec<u8>>, Log)| {
				let start = std::time::Instant::now();
				for _ in 0..20 {
					assert!(verify(*root, proof, log));
				}
				start.elapsed().as_nanos() as f64 / 20.0
			};
			let per_byte = (time(&large) - time(&small)) / (1023.0 * 1024.0);
			println!("native: {per_byte:.2} ns per proof byte");
		}
	}
}
