// An LRT valued from proven Ethereum data, ready for a lending market: shared by the single-node
// lending test and the four-validator network test (zombienet/).
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { sendAndFinalize, eventsOf, exampleBinary } from './node.js';

export const LRT = 1000;
export const ETH_ASSET = 1;
export const ETH = 10n ** 18n;
export const FIXED = 10n ** 18n;
export const PERBILL = 1_000_000_000n;

/** A call argument decoded from the SCALE hex the Rust examples print. */
export function scaleArg(api, method, index, hex) {
  return api.createType(method.meta.args[index].type.toString(), hexToU8a(hex));
}

/** `sudo(call)` signed by Alice; fails the test unless the inner call succeeded. */
export async function sudo(api, alice, call, options) {
  const { events, blockHash } = await sendAndFinalize(api, api.tx.sudo.sudo(call), alice, options);
  assertSudid(events, call);
  return { events, blockHash };
}

/** Asserts that `events` hold the `sudo.Sudid` of `call`, and that it dispatched without error. */
export function assertSudid(events, call) {
  const [sudid] = eventsOf(events, 'sudo', 'Sudid');
  assert.equal(sudid.event.data.sudoResult.isOk, true, `${call.method.section}.${call.method.method} failed`);
}

/** Market parameters: LTV and liquidation threshold in percent, the rest fixed. */
export function marketParams({ ltv = 90, threshold = 93 } = {}) {
  return {
    ltv: ltv * 10_000_000,
    liquidationThreshold: threshold * 10_000_000,
    baseDiscount: 10_000_000,
    maxDiscount: 200_000_000,
    targetHealth: 125n * FIXED / 100n,
    closeFactor: 500_000_000,
    fullLiquidationHealth: 95n * FIXED / 100n,
    minDebt: ETH / 100n,
    reserveFactor: 100_000_000,
    protocolFee: 100_000_000,
    supplyCap: 1_000_000n * ETH,
    borrowCap: 1_000_000n * ETH,
    interest: { base: 2n * FIXED / 100n, slopeLow: 4n * FIXED / 100n, slopeHigh: FIXED, kink: 900_000_000 },
  };
}

/**
 * The valuation parameters of the LRTs the e2e tests and the dev chain value from the harness's
 * proven Ethereum blocks and the Sepolia validator proofs.
 */
export function backingParams() {
  return {
    maxYearlyGrowth: 100_000_000,
    // The harness's examples date their Ethereum blocks an hour before now.
    maxSnapshotAge: 7 * 24 * 3600,
    // The Sepolia proofs (slot 4,570,752) against the story's head (slot 4,600,000).
    maxProofAgeSlots: 50_000,
    totalActiveBalanceGwei: 34_000_000n * 10n ** 9n,
    exitPenalty: 3_000_000,
    recognitionDelay: 40 * 24 * 3600,
    maxUnprovenFall: 10_000_000, // 1 % per snapshot; the rest waits for confirmation
    fallConfirmationDelay: 24 * 3600,
    circuitBreakerFall: 100_000_000, // 10 % within the window pauses borrowing
    circuitBreakerWindow: 24 * 3600,
  };
}

/**
 * Registers LRT 1000 backed by 200 real Sepolia validators whose proofs keep it fresh, mints Alice
 * `deposit` LRT through a proven gateway deposit and sets its rate (1.03) from the gateway's
 * proven backing report. Registers bridged ETH against the gateway's WETH and mints `ether` whole
 * ETH to `etherTo` (Ferdie unless given) through a proven `depositEth` of the same Ethereum block:
 * ETH enters Ballast only through the bridge. `options` go to every `sendAndFinalize` (e.g.
 * `{ inBlock: true }`).
 *
 * Governance acts twice, each time with one `utility.batchAll`: the Sepolia checkpoint and the
 * credentials (before the validators' proofs, which it anchors), then the gateway block's
 * checkpoint, the LRT, bridged ETH and their valuation settings, followed by `withRegistration`
 * (e.g. a market lending against the LRT). `govern(call)` dispatches each batch as root and
 * resolves, once it succeeded, with `{ events, blockHash }` of the block it ran in: sudo by Alice
 * unless given (the test presets' key); a network without sudo passes a root change
 * (`governRoot` of ./governance.js). The checkpoints need root; the rest takes the parameters
 * origin, which root satisfies.
 *
 * Returns the proven EigenLayer slashing (SCALE hex) the story also contains, and `registration`,
 * what `govern` returned for the second batch.
 */
export async function setUpValuedLrt(api, accounts, { deposit = 401, ether = 1_001, etherTo, options = {}, govern, withRegistration = [] } = {}) {
  const { alice, bob, charlie, ferdie } = accounts;
  const lender = etherTo ?? ferdie;
  const sepolia = JSON.parse(execFileSync(exampleBinary('sepolia_calls'), { maxBuffer: 64 * 1024 * 1024 }).toString());
  const story = JSON.parse(execFileSync(exampleBinary('bridge_calls'), [
    u8aToHex(alice.publicKey), String(deposit), u8aToHex(lender.publicKey), String(ether),
  ]).toString());
  const arg = (method, index, hex) => scaleArg(api, method, index, hex);
  const asRoot = govern ?? ((call) => sudo(api, alice, call, options));

  // Real Sepolia validators back the LRT: their proofs keep its valuation fresh.
  const submitProofs = api.tx.validatorHealth.submitValidatorProofs;
  await asRoot(api.tx.utility.batchAll([
    api.tx.ethereumBeaconClient.forceCheckpoint(arg(api.tx.ethereumBeaconClient.forceCheckpoint, 0, sepolia.checkpoint)),
    ...sepolia.credentials.map(({ credentials }) => api.tx.validatorHealth.registerCredentials(LRT, credentials)),
  ]));
  await sendAndFinalize(api, submitProofs(arg(submitProofs, 0, sepolia.anchor), arg(submitProofs, 1, sepolia.proofs)), charlie, options);

  // The gateway's block: Alice's deposit, the backing report (1,030 ETH for 1,000 LRT).
  const registration = await asRoot(api.tx.utility.batchAll([
    api.tx.ethereumBeaconClient.forceCheckpoint(arg(api.tx.ethereumBeaconClient.forceCheckpoint, 0, story.checkpoint)),
    api.tx.lrtBridge.registerLrt(LRT, story.token, story.gateway, 1_000n * ETH, 100),
    api.tx.lrtBridge.registerEther(ETH_ASSET, story.weth, story.gateway, 10_000n * ETH, 100),
    api.tx.lrtBacking.setParams(LRT, backingParams()),
    api.tx.lrtBacking.setAllocationManager(story.allocationManager),
    ...withRegistration,
  ]));
  await sendAndFinalize(api, api.tx.lrtBridge.submitDeposit(arg(api.tx.lrtBridge.submitDeposit, 0, story.deposit)), bob, options);
  await sendAndFinalize(api, api.tx.lrtBridge.submitDeposit(arg(api.tx.lrtBridge.submitDeposit, 0, story.ethDeposit)), bob, options);
  await sendAndFinalize(api, api.tx.lrtBacking.submitBackingReport(arg(api.tx.lrtBacking.submitBackingReport, 0, story.report)), bob, options);
  return { slashing: story.slashing, registration };
}
