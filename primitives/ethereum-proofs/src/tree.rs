//! Merkle trees of SSZ lists (for provers and benchmarks; the verifier needs none of this), built over the list's real items only: levels above the last item
//! are zero subtrees, whose hashes are computed once, so a `List[_, 2^40]` with 2 million items
//! costs 2 × 2 million nodes, not 2^41.

use crate::merkle::{hash_pair, u64_chunk, Root};
use alloc::{vec, vec::Vec};

/// `zero_hashes()[h]` is the root of a depth-`h` tree of zero chunks.
fn zero_hashes(depth: u32) -> Vec<Root> {
	let mut zeros = vec![Root::zero()];
	for h in 0..depth as usize {
		zeros.push(hash_pair(&zeros[h], &zeros[h]));
	}
	zeros
}

/// The tree of an SSZ `List` (data tree of `depth` levels plus the length mix-in).
pub struct ListTree {
	/// `layers[0]` are the leaves; `layers[h]` the nodes `h` levels up, as far as they are not
	/// entirely zero subtrees.
	layers: Vec<Vec<Root>>,
	zeros: Vec<Root>,
	depth: u32,
	length: u64,
}

impl ListTree {
	/// Builds the tree of a list of `length` items packed into `leaves` chunks.
	pub fn new(leaves: Vec<Root>, depth: u32, length: u64) -> Self {
		let zeros = zero_hashes(depth);
		let mut layers = vec![leaves];
		for h in 0..depth as usize {
			let below = &layers[h];
			let above: Vec<Root> = below
				.chunks(2)
				.map(|pair| hash_pair(&pair[0], pair.get(1).unwrap_or(&zeros[h])))
				.collect();
			layers.push(above);
		}
		ListTree { layers, zeros, depth, length }
	}

	/// Root of the data tree (before the length mix-in).
	pub fn data_root(&self) -> Root {
		self.layers[self.depth as usize].first().copied().unwrap_or(self.zeros[self.depth as usize])
	}

	/// `hash_tree_root` of the list: `hash(data_root, length)`.
	pub fn root(&self) -> Root {
		hash_pair(&self.data_root(), &u64_chunk(self.length))
	}

	/// The leaf at `position` and its branch up to the list root (`depth + 1` hashes, the last
	/// being the length chunk).
	pub fn branch(&self, position: u64) -> Option<(Root, Vec<Root>)> {
		let leaf = *self.layers[0].get(usize::try_from(position).ok()?)?;
		let mut branch = Vec::with_capacity(self.depth as usize + 1);
		for h in 0..self.depth as usize {
			let sibling = (position >> h) ^ 1;
			let node = usize::try_from(sibling).ok().and_then(|i| self.layers[h].get(i));
			branch.push(node.copied().unwrap_or(self.zeros[h]));
		}
		branch.push(u64_chunk(self.length));
		Some((leaf, branch))
	}

	/// Bytes held by the tree's nodes.
	pub fn memory_bytes(&self) -> usize {
		self.layers.iter().map(|layer| layer.len() * 32).sum()
	}
}

/// Branch of leaf `index` in a fully materialised tree of `2^depth` `leaves`: for containers.
pub fn container_branch(leaves: &[Root], depth: u32, index: usize) -> Vec<Root> {
	let mut layer: Vec<Root> = leaves.to_vec();
	layer.resize(1usize << depth, Root::zero());
	let mut branch = Vec::with_capacity(depth as usize);
	let mut position = index;
	for _ in 0..depth {
		branch.push(layer[position ^ 1]);
		layer = layer.chunks(2).map(|pair| hash_pair(&pair[0], &pair[1])).collect();
		position /= 2;
	}
	branch
}
