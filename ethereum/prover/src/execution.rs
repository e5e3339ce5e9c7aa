//! Execution-layer proofs for Snowbridge's `Verifier`: a receipt's Merkle-Patricia proof in its
//! block's receipts trie, and the branch from an execution payload header to its beacon block's
//! `body_root`. Built with alloy's trie and receipt encodings, the ones the runtime decodes.

use alloy_consensus::ReceiptEnvelope;
use alloy_eips::eip2718::Encodable2718;
use alloy_primitives::B256;
use alloy_trie::{proof::ProofRetainer, root::adjust_index_for_rlp, HashBuilder, Nibbles};
use ballast_ethereum_proofs::{merkle::merkleize, tree::container_branch, Root};
use snowbridge_beacon_primitives::VersionedExecutionPayloadHeader;

/// Field number of `execution_payload` in a `BeaconBlockBody` (Deneb to Fulu), whose 12 to 13
/// fields make a 4-level tree: generalized index 16 + 9 = 25.
pub const EXECUTION_PAYLOAD_FIELD: usize = 9;
/// Depth of the `BeaconBlockBody` container tree (Deneb to Fulu).
pub const BODY_DEPTH: u32 = 4;

/// A block's receipts trie: its root, and the proof of any receipt in it.
pub struct ReceiptsTrie {
	/// The trie's root: the block header's `receipts_root`.
	pub root: Root,
	proofs: Vec<Vec<Vec<u8>>>,
}

fn key_of(index: usize) -> Nibbles {
	Nibbles::unpack(alloy_rlp::encode_fixed_size(&index))
}

impl ReceiptsTrie {
	/// Builds the trie of `receipts` (in transaction order), keeping every receipt's proof.
	pub fn new(receipts: &[ReceiptEnvelope]) -> Self {
		let keys: Vec<Nibbles> = (0..receipts.len()).map(key_of).collect();
		let mut builder =
			HashBuilder::default().with_proof_retainer(ProofRetainer::new(keys.clone()));
		let mut value = Vec::new();
		// Leaves must come in key order: RLP puts index 0 (0x80) after 1..=127.
		for i in 0..receipts.len() {
			let index = adjust_index_for_rlp(i, receipts.len());
			value.clear();
			receipts[index].encode_2718(&mut value);
			builder.add_leaf(keys[index], &value);
		}
		let root: B256 = builder.root();
		let nodes = builder.take_proof_nodes();
		let proofs = keys
			.iter()
			.map(|key| {
				nodes
					.matching_nodes_sorted(key)
					.into_iter()
					.map(|(_, node)| node.to_vec())
					.collect()
			})
			.collect();
		ReceiptsTrie { root: Root::from(root.0), proofs }
	}

	/// The proof of receipt `index` (the nodes from the root down), `None` past the end.
	pub fn proof(&self, index: usize) -> Option<&Vec<Vec<u8>>> {
		self.proofs.get(index)
	}
}

/// A beacon block body's field roots: the execution payload header at field 9 and its branch to
/// the body root.
pub struct BodyProof {
	/// Hash-tree-root of the body: the beacon block header's `body_root`.
	pub body_root: Root,
	/// The execution payload header's branch to `body_root` (4 hashes, leaf level first).
	pub execution_branch: Vec<Root>,
}

/// The body root of a block whose body fields hash to `field_roots` (field 9 replaced by the
/// payload header's root), and the payload header's branch to it.
pub fn body_proof(
	field_roots: &[Root],
	execution_header: &VersionedExecutionPayloadHeader,
) -> Result<BodyProof, &'static str> {
	if field_roots.len() <= EXECUTION_PAYLOAD_FIELD || field_roots.len() > 1 << BODY_DEPTH {
		return Err("a beacon block body has 12 or 13 fields");
	}
	let mut roots = field_roots.to_vec();
	roots[EXECUTION_PAYLOAD_FIELD] =
		execution_header.hash_tree_root().map_err(|_| "execution header does not hash")?;
	Ok(BodyProof {
		body_root: merkleize(&roots, BODY_DEPTH),
		execution_branch: container_branch(&roots, BODY_DEPTH, EXECUTION_PAYLOAD_FIELD),
	})
}
