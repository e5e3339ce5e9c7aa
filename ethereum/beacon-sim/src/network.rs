//! The network the simulated chain claims to be: fork versions and genesis validators root (both
//! mixed into every signature), and the signing roots of the consensus specs.

use crate::sha256 as sha2_256;
use ballast_ethereum_proofs::fork::{ForkSchedule, ForkVersion, SEPOLIA_GENESIS_VALIDATORS_ROOT};

/// `DOMAIN_BEACON_PROPOSER`.
pub const DOMAIN_BEACON_PROPOSER: [u8; 4] = [0, 0, 0, 0];
/// `DOMAIN_SYNC_COMMITTEE`.
pub const DOMAIN_SYNC_COMMITTEE: [u8; 4] = [7, 0, 0, 0];

/// Fork versions and the genesis validators root of the network simulated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Network {
	/// The fork schedule (versions and activation epochs).
	pub forks: ForkSchedule,
	/// The genesis validators root.
	pub genesis_validators_root: [u8; 32],
}

fn chunk(bytes: &[u8]) -> [u8; 32] {
	let mut chunk = [0u8; 32];
	chunk[..bytes.len()].copy_from_slice(bytes);
	chunk
}

fn hash_pair(left: &[u8; 32], right: &[u8; 32]) -> [u8; 32] {
	let mut both = [0u8; 64];
	both[..32].copy_from_slice(left);
	both[32..].copy_from_slice(right);
	sha2_256(&both)
}

impl Network {
	/// Sepolia's fork schedule and genesis validators root: what today's dev chain spec of
	/// Ballast accepts.
	pub const fn sepolia() -> Self {
		Network {
			forks: ForkSchedule::sepolia(),
			genesis_validators_root: SEPOLIA_GENESIS_VALIDATORS_ROOT,
		}
	}

	/// A network of its own, known to no preset: fork versions `0xba11a5 ‖ n`, every fork up to
	/// Deneb from genesis (the only one simulated), Electra and Fulu never, and a genesis
	/// validators root of its own. Ballast follows it only with a chain spec built from its
	/// parameters (`ballast-relayer network`).
	pub fn devnet() -> Self {
		let fork = |n: u8, epoch: u64| ForkVersion { version: [0xba, 0x11, 0xa5, n], epoch };
		let never = u64::MAX;
		Network {
			forks: ForkSchedule {
				genesis: fork(0, 0),
				altair: fork(1, 0),
				bellatrix: fork(2, 0),
				capella: fork(3, 0),
				deneb: fork(4, 0),
				electra: fork(5, never),
				fulu: fork(6, never),
				next_unknown_fork_epoch: never,
			},
			genesis_validators_root: sha2_256(b"ballast-beacon-sim devnet"),
		}
	}

	/// The fork version in force at `epoch`.
	pub fn fork_version_at(&self, epoch: u64) -> [u8; 4] {
		let f = &self.forks;
		[f.fulu, f.electra, f.deneb, f.capella, f.bellatrix, f.altair, f.genesis]
			.into_iter()
			.find(|fork| epoch >= fork.epoch)
			.map_or(f.genesis.version, |fork| fork.version)
	}

	/// `compute_domain(domain_type, fork_version_at(epoch), genesis_validators_root)`.
	pub fn domain(&self, domain_type: [u8; 4], epoch: u64) -> [u8; 32] {
		// hash_tree_root(ForkData { current_version, genesis_validators_root })
		let fork_data_root =
			hash_pair(&chunk(&self.fork_version_at(epoch)), &self.genesis_validators_root);
		let mut domain = [0u8; 32];
		domain[..4].copy_from_slice(&domain_type);
		domain[4..].copy_from_slice(&fork_data_root[..28]);
		domain
	}

	/// `compute_signing_root`: `hash_tree_root(SigningData { object_root, domain })`.
	pub fn signing_root(object_root: &[u8; 32], domain: &[u8; 32]) -> [u8; 32] {
		hash_pair(object_root, domain)
	}
}
