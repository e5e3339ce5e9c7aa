// The development chain's story, told through the extrinsics and proofs a real relayer and real
// users would submit (no storage written by hand): used by scripts/seed-dev.mjs (what
// `scripts/dev.sh` serves) and by the app's browser tests (app/tests/).
//
// 1. The light client at the Sepolia checkpoint; LRT 1000 backed by 200 real Sepolia validators
//    (proven), minted through a proven gateway deposit and valued at 1.03 ETH by the gateway's
//    proven backing report; bridged ETH minted by a proven `depositEth` (setUpValuedLrt).
// 2. A market lending ETH against LRT 1000; Ferdie lends 1,000 ETH.
// 3. Bob, Charlie, Dave and Eve each post 100 LRT and borrow at 89.9 %, 89 %, 87 % and 80 % of
//    its backing.
// 4. A proven EigenLayer slash lowers the rate by 6 %: the market liquidates Bob and Charlie in
//    the same block, back to the target health.
// 5. A lender withdrawal and an LRT withdrawal to Ethereum, so that every kind of activity shows.
import { sendAndFinalize, eventsOf } from './node.js';
import { LRT, ETH_ASSET, ETH, marketParams, scaleArg, setUpValuedLrt, sudo } from './lending.js';

/** Borrowers and the share of their collateral's backing (per mille) they borrow. */
export const SEEDED_BORROWERS = [['bob', 899n], ['charlie', 890n], ['dave', 870n], ['eve', 800n]];

/** The Ethereum address the seeded LRT withdrawal pays out to. */
export const SEEDED_WITHDRAWAL_RECIPIENT = '0x000000000000000000000000000000000000dEaD';

/**
 * Seeds `api`'s chain (a fresh `--dev` node) with the story above. `options` go to every
 * `sendAndFinalize` (`{ inBlock: true }` under Aura: a block is final a few blocks later).
 * `log(step)` reports progress. Returns `{ market, slashBlock, liquidated }`.
 */
export async function seedDevChain(api, accounts, { options = {}, log = () => {} } = {}) {
  const { alice, ferdie } = accounts;
  const send = (tx, who) => sendAndFinalize(api, tx, who, options);

  log('light client checkpoint, LRT 1000 backed by proven Sepolia validators, bridged ETH');
  const { slashing } = await setUpValuedLrt(api, accounts, { options });

  log('market: ETH against LRT 1000; Ferdie lends 1,000 ETH');
  const { events } = await sudo(api, alice, api.tx.lending.createMarket(LRT, ETH_ASSET, marketParams()), options);
  const market = eventsOf(events, 'lending', 'MarketCreated')[0].event.data.market.toNumber();
  // The first payment of ETH into the markets' account also pays ETH's minimum balance
  // (`lending.AccountEndowed`): Ferdie holds 1,001 ETH for that.
  await Promise.all([
    send(api.tx.lending.supply(market, 1_000n * ETH), ferdie),
    // One planck more each: the LRT's minimum balance, paid by the first depositor of collateral.
    send(api.tx.utility.batchAll(
      SEEDED_BORROWERS.map(([name]) => api.tx.assets.transfer(LRT, accounts[name].address, 100n * ETH + 1n)),
    ), alice),
  ]);

  log('borrowers: Bob 89.9 %, Charlie 89 %, Dave 87 %, Eve 80 % of their collateral\'s backing');
  // Each borrower signs with their own key, so one block can hold all of them.
  await Promise.all(SEEDED_BORROWERS.map(([name]) => send(api.tx.lending.depositCollateral(market, 100n * ETH), accounts[name])));
  await Promise.all(SEEDED_BORROWERS.map(([name, permille]) =>
    send(api.tx.lending.borrow(market, 103n * ETH * permille / 1000n), accounts[name])));

  log('a proven EigenLayer slash: the market liquidates the positions under the threshold');
  const slash = await send(api.tx.lrtBacking.submitAvsSlashing(scaleArg(api, api.tx.lrtBacking.submitAvsSlashing, 0, slashing)), accounts.bob);
  const slashEvents = await (await api.at(slash.blockHash)).query.system.events();
  const liquidated = eventsOf(slashEvents, 'lending', 'Liquidated').map(({ event }) => event.data.borrower.toString());

  log('a lender withdrawal and an LRT withdrawal to Ethereum');
  await Promise.all([
    send(api.tx.lending.withdraw(market, 10n * ETH), ferdie),
    send(api.tx.lrtBridge.withdraw(LRT, ETH / 2n, SEEDED_WITHDRAWAL_RECIPIENT), alice),
  ]);
  return { market, slashBlock: slash.blockHash.toHex(), liquidated };
}
