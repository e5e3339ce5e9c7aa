// The development chain's story, told through the extrinsics and proofs a real relayer and real
// users would submit (no storage written by hand): used by scripts/seed-dev.mjs (what
// `scripts/dev.sh` serves) and by the app's browser tests (app/tests/).
//
// Four blocks: the steps of a block are independent of each other, so they are sent together
// (different signers) or batched (`utility.batchAll`, one signer); each block waits for the last.
// Under instant sealing each signer's extrinsic is a block of its own (about 2 s in all); under
// Aura (6 s blocks) the four blocks take 19–25 s, by where in its slot the seed starts.
//
// 1. Governance (sudo, one batch): the light client at the Sepolia checkpoint; the two EigenPod
//    credentials of the 200 real Sepolia validators, 100 for LRT 1000 and 100 for LRT 1001; the
//    checkpoints of the two Ethereum blocks below; LRT 1000 (the gateway story's token), LRT 1001
//    (Kelp's rsETH through its real adapter), bridged ETH; their valuation parameters; a market
//    lending ETH against each LRT.
// 2. Relayers and users: Charlie proves the 200 validators' balances; Bob proves the two backing
//    reports (1.03 ETH per LRT 1000, Kelp's own 1.027 per rsETH); Alice proves her deposits of 401
//    LRT 1000 and 201 rsETH, hands 100 LRT 1000 to each borrower of market 0 and withdraws 0.5 to
//    Ethereum; Ferdie proves the `depositEth` of 1,501 ETH and lends 1,000 ETH to market 0 and
//    500 to market 1. Each proof's beacon block is a finalized header the light client keeps (a
//    later checkpoint does not drop it).
// 3. Bob, Charlie, Dave and Eve post 100 LRT 1000 each and borrow 89.9 %, 89 %, 87 % and 80 % of
//    its backing; Alice posts 150 rsETH and borrows 100 ETH; Ferdie withdraws 10 ETH.
// 4. A proven EigenLayer slash lowers LRT 1000's rate by 6 %: market 0 liquidates Bob and
//    Charlie in the same block, back to the target health (rsETH's operators are not slashed).
import { execFileSync } from 'node:child_process';
import { u8aToHex } from '@polkadot/util';
import { sendAndFinalize, eventsOf, exampleBinary } from './node.js';
import { LRT, ETH_ASSET, ETH, backingParams, marketParams, scaleArg } from './lending.js';

/** The second LRT: Kelp's rsETH, valued through its real adapter (KelpBackingSource). */
export const SECOND_LRT = 1001;
export const SECOND_LRT_SYMBOL = 'rsETH';

/** Borrowers of market 0 and the share of their collateral's backing (per mille) they borrow. */
export const SEEDED_BORROWERS = [['bob', 899n], ['charlie', 890n], ['dave', 870n], ['eve', 800n]];

/** Market 1's borrower, the rsETH they post and the ETH they borrow (whole units). */
export const SEEDED_SECOND_BORROWER = { name: 'alice', collateral: 150n, debt: 100n };

/** What Ferdie lends to market 0 and to market 1 (whole ETH); one more pays ETH's minimum balance. */
export const SEEDED_LENDING = [1_000n, 500n];

/** The Ethereum address the seeded LRT withdrawal pays out to. */
export const SEEDED_WITHDRAWAL_RECIPIENT = '0x000000000000000000000000000000000000dEaD';

/**
 * Seeds `api`'s chain (a fresh `--dev` node) with the story above. `options` go to every
 * `sendAndFinalize` (`{ inBlock: true }` under Aura: a block is final a few blocks later).
 * `log(step)` reports progress. Returns `{ market, markets, slashBlock, liquidated, blocks }`:
 * market 0 (LRT 1000's), both markets by LRT, the slash's block and who it liquidated, and the
 * blocks the seed's extrinsics went into.
 */
export async function seedDevChain(api, accounts, { options = {}, log = () => {} } = {}) {
  const { alice, bob, charlie, ferdie } = accounts;
  const blocks = new Set();
  const send = async (tx, who) => {
    const result = await sendAndFinalize(api, tx, who, options);
    blocks.add(result.blockHash.toHex());
    return result;
  };
  const arg = (method, index, hex) => scaleArg(api, method, index, hex);
  const run = (binary, args = []) =>
    JSON.parse(execFileSync(exampleBinary(binary), args, { maxBuffer: 64 * 1024 * 1024 }).toString());
  const lending = SEEDED_LENDING.reduce((sum, whole) => sum + whole, 0n) + 1n;
  const sepolia = run('sepolia_calls');
  const story = run('bridge_calls', [u8aToHex(alice.publicKey), '401', u8aToHex(ferdie.publicKey), String(lending)]);
  const second = run('adapter_calls', [SECOND_LRT_SYMBOL, u8aToHex(alice.publicKey), '201']);
  // sepolia_calls gives two EigenPod credentials with 100 validators each: one per LRT.
  const [firstPod, secondPod] = sepolia.credentials.map(({ credentials }) => credentials);
  const checkpoint = (hex) => api.tx.ethereumBeaconClient.forceCheckpoint(arg(api.tx.ethereumBeaconClient.forceCheckpoint, 0, hex));
  const lrtParams = backingParams();

  log('governance: light client checkpoints, validator credentials, LRT 1000, rsETH (LRT 1001), bridged ETH, two markets');
  const governance = await sudoChecked(api, alice, api.tx.utility.batchAll([
    checkpoint(sepolia.checkpoint),
    api.tx.validatorHealth.registerCredentials(LRT, firstPod),
    api.tx.validatorHealth.registerCredentials(SECOND_LRT, secondPod),
    // Two Ethereum blocks (each its own checkpoint): rsETH's, then the gateway story's, which is
    // the latest finalized header from here on (the slash is proven against it).
    checkpoint(second.checkpoint),
    api.tx.lrtBridge.registerLrt(SECOND_LRT, second.token, second.gateway, 1_000n * ETH, 100),
    api.tx.assets.forceSetMetadata(SECOND_LRT, 'Kelp rsETH', SECOND_LRT_SYMBOL, 18, false),
    api.tx.lrtBacking.setParams(SECOND_LRT, lrtParams),
    checkpoint(story.checkpoint),
    api.tx.lrtBridge.registerLrt(LRT, story.token, story.gateway, 1_000n * ETH, 100),
    api.tx.lrtBridge.registerEther(ETH_ASSET, story.weth, story.gateway, 10_000n * ETH, 100),
    api.tx.lrtBacking.setParams(LRT, lrtParams),
    api.tx.lrtBacking.setAllocationManager(story.allocationManager),
    api.tx.lending.createMarket(LRT, ETH_ASSET, marketParams()),
    api.tx.lending.createMarket(SECOND_LRT, ETH_ASSET, marketParams({ ltv: 80, threshold: 85 })),
  ]), options);
  blocks.add(governance.blockHash.toHex());
  const [market, secondMarket] = eventsOf(governance.events, 'lending', 'MarketCreated')
    .map(({ event }) => event.data.market.toNumber());

  log('proofs: Charlie relays the validators, Bob the backing reports, Alice and Ferdie their own deposits; Ferdie lends, Alice hands LRT 1000 to the borrowers');
  const submitProofs = api.tx.validatorHealth.submitValidatorProofs;
  const submitDeposit = (hex) => api.tx.lrtBridge.submitDeposit(arg(api.tx.lrtBridge.submitDeposit, 0, hex));
  const submitReport = (hex) => api.tx.lrtBacking.submitBackingReport(arg(api.tx.lrtBacking.submitBackingReport, 0, hex));
  await Promise.all([
    send(submitProofs(arg(submitProofs, 0, sepolia.anchor), arg(submitProofs, 1, sepolia.proofs)), charlie),
    send(api.tx.utility.batchAll([submitReport(story.report), submitReport(second.report)]), bob),
    // The first payment of ETH into the markets' account also pays ETH's minimum balance
    // (`lending.AccountEndowed`): Ferdie bridged one ETH more for that.
    send(api.tx.utility.batchAll([
      submitDeposit(story.ethDeposit),
      api.tx.lending.supply(market, SEEDED_LENDING[0] * ETH),
      api.tx.lending.supply(secondMarket, SEEDED_LENDING[1] * ETH),
    ]), ferdie),
    send(api.tx.utility.batchAll([
      submitDeposit(story.deposit),
      submitDeposit(second.deposit),
      // One planck more each: the LRT's minimum balance, paid by the first depositor of collateral.
      ...SEEDED_BORROWERS.map(([name]) => api.tx.assets.transfer(LRT, accounts[name].address, 100n * ETH + 1n)),
      api.tx.lrtBridge.withdraw(LRT, ETH / 2n, SEEDED_WITHDRAWAL_RECIPIENT),
    ]), alice),
  ]);

  log('borrowers: Bob 89.9 %, Charlie 89 %, Dave 87 %, Eve 80 % of their LRT 1000\'s backing; Alice 100 ETH against 150 rsETH; Ferdie withdraws 10 ETH');
  const { name: secondBorrower, collateral, debt } = SEEDED_SECOND_BORROWER;
  await Promise.all([
    ...SEEDED_BORROWERS.map(([name, permille]) => send(api.tx.utility.batchAll([
      api.tx.lending.depositCollateral(market, 100n * ETH),
      api.tx.lending.borrow(market, 103n * ETH * permille / 1000n),
    ]), accounts[name])),
    send(api.tx.utility.batchAll([
      api.tx.lending.depositCollateral(secondMarket, collateral * ETH),
      api.tx.lending.borrow(secondMarket, debt * ETH),
    ]), accounts[secondBorrower]),
    send(api.tx.lending.withdraw(market, 10n * ETH), ferdie),
  ]);

  log('a proven EigenLayer slash: market 0 liquidates the positions under the threshold');
  const slash = await send(api.tx.lrtBacking.submitAvsSlashing(arg(api.tx.lrtBacking.submitAvsSlashing, 0, story.slashing)), bob);
  const slashEvents = await (await api.at(slash.blockHash)).query.system.events();
  const liquidated = eventsOf(slashEvents, 'lending', 'Liquidated').map(({ event }) => event.data.borrower.toString());
  return {
    market,
    markets: { [LRT]: market, [SECOND_LRT]: secondMarket },
    slashBlock: slash.blockHash.toHex(),
    liquidated,
    blocks: blocks.size,
  };
}

/** `sudo(call)` signed by Alice; throws with the inner call's error unless it dispatched. */
async function sudoChecked(api, alice, call, options) {
  const { events, blockHash } = await sendAndFinalize(api, api.tx.sudo.sudo(call), alice, options);
  const [sudid] = eventsOf(events, 'sudo', 'Sudid');
  const result = sudid.event.data.sudoResult;
  if (result.isErr) {
    const error = result.asErr;
    const name = error.isModule ? (({ section, name: n }) => `${section}.${n}`)(api.registry.findMetaError(error.asModule)) : error.type;
    throw new Error(`governance's batch failed: ${name}`);
  }
  return { events, blockHash };
}
