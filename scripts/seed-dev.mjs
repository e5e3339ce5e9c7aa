#!/usr/bin/env node
// Seeds a fresh development chain (`ballast-node --dev`) with real data through extrinsics and
// proofs: see e2e/lib/seed.js for the story. Usage: node scripts/seed-dev.mjs [ws://127.0.0.1:9944]
// Needs e2e/node_modules (scripts/setup.sh) and the example binaries `sepolia_calls`,
// `bridge_calls` and `adapter_calls` (built by `cargo test --release`, or by scripts/dev.sh).
import { connect, devAccounts } from '../e2e/lib/node.js';
import { seedDevChain } from '../e2e/lib/seed.js';

const url = process.argv[2] ?? process.env.BALLAST_RPC ?? 'ws://127.0.0.1:9944';
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const api = await connect(url);
try {
  // Wait for inclusion only: under Aura a block is final a few blocks after it is made (6 s each),
  // under instant sealing at once.
  const options = { inBlock: true };
  console.log(`[seed] ${url}`);
  const { markets, liquidated, blocks } = await seedDevChain(api, devAccounts(), {
    options,
    log: (step) => console.log(`[seed] ${elapsed()} ${step}`),
  });
  const byLrt = Object.entries(markets).map(([lrt, market]) => `${market} (LRT ${lrt})`).join(', ');
  console.log(`[seed] done in ${elapsed()} over ${blocks} blocks: markets ${byLrt}; liquidated by the slash: ${liquidated.join(', ')}`);
} finally {
  await api.disconnect();
}
