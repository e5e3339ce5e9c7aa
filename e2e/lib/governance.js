// Ballast's governance driven as its members drive it (docs/governance.md): motions of the council
// and the technical committee (pallet-collective), and the two tracks of `pallets/governance` on
// top of them. A parameters change is a council majority's `governance.scheduleParameters(call)`,
// run `parametersDelay` blocks later with the `Parameters` origin; a root change is a council
// supermajority's `governance.proposeRoot(call)`, approved by a committee majority's
// `governance.approveRoot(callHash)` and run as root `rootDelay` blocks after approval. Shared by
// the e2e tests and the zombienet network, whose `staging` chain has no sudo.
//
// `options` go to every `sendAndFinalize` as elsewhere: finalized by default, `{ inBlock: true }`
// to go on once a transaction is in a block; the enactment block is then awaited in the best
// chain rather than finalized.
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { sendAndFinalize, eventsOf, describeError, waitForHeader } from './node.js';

/** The fewest ayes of `seats` members that are more than half (`EnsureProportionMoreThan<_, 1, 2>`). */
export function majority(seats) {
  return Math.floor(seats / 2) + 1;
}

/** The fewest ayes of `seats` members that are at least two thirds (`EnsureProportionAtLeast<_, 2, 3>`). */
export function supermajority(seats) {
  return Math.ceil((2 * seats) / 3);
}

/** The hash `system.authorizeUpgrade` takes for runtime `code`: blake2-256, the runtime's hashing. */
export function codeHash(code) {
  return blake2AsHex(code, 256);
}

/** The `Call` of a submittable extrinsic (or the call itself). */
function callOf(call) {
  return typeof call.method === 'string' ? call : call.method;
}

const isCall = (value) => typeof value?.section === 'string' && typeof value?.method === 'string' && Array.isArray(value?.args);

/**
 * A call's name for messages, with the calls it carries: `governance.proposeRoot(utility.batchAll(
 * ethereumBeaconClient.forceCheckpoint, validatorHealth.registerCredentials ×2))`.
 */
export function callName(call) {
  const { section, method, args } = callOf(call);
  const inner = [];
  for (const arg of args) {
    if (isCall(arg)) inner.push(callName(arg));
    else if (Array.isArray(arg) && arg.length > 0 && arg.every(isCall)) {
      const runs = [];
      for (const name of arg.map(callName)) {
        const last = runs[runs.length - 1];
        if (last?.name === name) last.count += 1;
        else runs.push({ name, count: 1 });
      }
      inner.push(...runs.map(({ name, count }) => (count > 1 ? `${name} ×${count}` : name)));
    }
  }
  return inner.length > 0 ? `${section}.${method}(${inner.join(', ')})` : `${section}.${method}`;
}

/** Runs `send`; a failure is rethrown with `what` in front of it. */
async function step(what, send) {
  try {
    return await send();
  } catch (error) {
    throw new Error(`${what}: ${error.message}`, { cause: error });
  }
}

/**
 * A motion of `collective` (`council` or `technicalCommittee`) that executes `call`: `members[0]`
 * proposes it with `threshold`; with a threshold of 1 it executes at once (origin `Members(1, n)`);
 * otherwise the first `threshold` members vote aye (the proposer too: pallet-collective counts no
 * vote for proposing), together, and the proposer closes it, which executes it (origin
 * `Members(threshold, n)`). The close's weight bound is the call's own weight
 * (`transactionPaymentCallApi.queryCallInfo`, what `close` compares the stored proposal with) and
 * its length bound the call's encoded length.
 *
 * Returns `{ blockHash, number, events, error }`: the block of the executing extrinsic, that
 * extrinsic's events and the call's error name from `Executed` (null when it succeeded). Throws,
 * naming the motion and the step, if a step fails or the motion is not executed.
 */
export async function collectiveMotion(api, collective, members, call, threshold, options = {}) {
  const what = `${collective} motion ${callName(call)}`;
  if (!Number.isInteger(threshold) || threshold < 1) throw new Error(`${what}: threshold ${threshold}`);
  if (members.length < threshold) {
    throw new Error(`${what}: ${threshold} ayes needed, only ${members.length} members given`);
  }
  const seats = (await api.query[collective].members()).map((member) => member.toHex());
  const voters = members.slice(0, threshold);
  for (const voter of voters) {
    if (!seats.includes(u8aToHex(voter.publicKey))) throw new Error(`${what}: ${voter.address} is not a ${collective} member`);
  }
  const [proposer] = voters;
  const length = callOf(call).encodedLength;

  const proposed = await step(`${what}: propose (threshold ${threshold}) by ${proposer.address}`,
    () => sendAndFinalize(api, api.tx[collective].propose(threshold, call, length), proposer, options));
  if (threshold < 2) return executed(api, collective, what, proposed);

  const [event] = eventsOf(proposed.events, collective, 'Proposed');
  if (!event) throw new Error(`${what}: no ${collective}.Proposed`);
  const { proposalHash, proposalIndex } = event.event.data;
  await Promise.all(voters.map((voter) => step(`${what}: aye of ${voter.address}`,
    () => sendAndFinalize(api, api.tx[collective].vote(proposalHash, proposalIndex, true), voter, options))));

  const { weight } = await api.call.transactionPaymentCallApi.queryCallInfo(callOf(call), length);
  const bound = { refTime: weight.refTime.toBigInt(), proofSize: weight.proofSize.toBigInt() };
  const closed = await step(`${what}: close (${threshold} ayes) by ${proposer.address}`,
    () => sendAndFinalize(api, api.tx[collective].close(proposalHash, proposalIndex, bound, length), proposer, options));
  return executed(api, collective, what, closed);
}

/** The outcome of the extrinsic that executed a motion (see `collectiveMotion`). */
async function executed(api, collective, what, { events, blockHash }) {
  const found = eventsOf(events, collective, 'Executed');
  if (found.length !== 1) {
    const seen = events.map(({ event }) => `${event.section}.${event.method}`).join(', ');
    throw new Error(`${what}: not executed (events: ${seen})`);
  }
  const { result } = found[0].event.data;
  const number = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
  return { blockHash, number, events, error: result.isErr ? describeError(api, result.asErr) : null };
}

/** A council motion (see `collectiveMotion`). */
export function councilMotion(api, members, call, threshold, options = {}) {
  return collectiveMotion(api, 'council', members, call, threshold, options);
}

/** A technical committee motion (see `collectiveMotion`). */
export function committeeMotion(api, members, call, threshold, options = {}) {
  return collectiveMotion(api, 'technicalCommittee', members, call, threshold, options);
}

/** The `governance.Scheduled` event among `events`: the change's number, track, call hash and block. */
function scheduledIn(events, what) {
  const found = eventsOf(events, 'governance', 'Scheduled');
  if (found.length !== 1) throw new Error(`${what}: ${found.length} governance.Scheduled events, not one`);
  // By position: the event data is an array, whose `at` is Array.prototype.at.
  const [id, track, callHash, at] = found[0].event.data;
  return { id: id.toNumber(), track: track.type, callHash: callHash.toHex(), at: at.toNumber() };
}

/**
 * Waits for block `change.at` (in the best chain with `inBlock`, else finalized) and checks that
 * it enacted `change` with success. Returns `{ id, blockHash, number, events }`, `events` being
 * all of that block's (the call's own among them, in its initialization phase).
 */
async function enactment(api, change, what, options) {
  const label = `${what} (change ${change.id}, ${change.track} track)`;
  const target = `block #${change.at}${options.inBlock ? '' : ' finalized'}`;
  const subscribe = options.inBlock
    ? (callback) => api.rpc.chain.subscribeNewHeads(callback)
    : (callback) => api.rpc.chain.subscribeFinalizedHeads(callback);
  const head = options.inBlock
    ? (await api.rpc.chain.getHeader()).number.toNumber()
    : (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
  if (head < change.at) {
    // Three times the blocks' slots, and a minute for finality and slow machines.
    const slotMs = 2 * api.consts.timestamp.minimumPeriod.toNumber();
    const timeoutMs = 3 * (change.at - head) * slotMs + 60_000;
    await step(label, () => waitForHeader(subscribe, (header) => header.number.toNumber() >= change.at, timeoutMs, target));
  }
  const blockHash = await api.rpc.chain.getBlockHash(change.at);
  const at = await api.at(blockHash);
  const events = await at.query.system.events();
  const enacted = eventsOf(events, 'governance', 'Enacted').filter(({ event }) => event.data.id.toNumber() === change.id);
  if (enacted.length !== 1) {
    const seen = events
      .filter(({ event }) => ['governance', 'scheduler'].includes(event.section))
      .map(({ event }) => `${event.section}.${event.method}`);
    const pending = (await at.query.governance.pending(change.id)).isSome;
    throw new Error(`${label}: not enacted in ${target} (governance and scheduler events there: ${seen.join(', ') || 'none'}; ${pending ? 'still' : 'no longer'} pending)`);
  }
  const { track, result } = enacted[0].event.data;
  if (track.type !== change.track) throw new Error(`${label}: enacted on the ${track.type} track`);
  if (result.isErr) throw new Error(`${label}: enacted at #${change.at}, and the call failed: ${describeError(api, result.asErr)}`);
  return { id: change.id, blockHash, number: change.at, events };
}

/**
 * A parameters change: a council motion of the smallest majority of the council's seats
 * (members[0..n] vote) calls `governance.scheduleParameters(call)`; waits for its enactment
 * block and checks `governance.Enacted` there with success. Returns `{ id, blockHash, number,
 * events }` of the enactment block (see `enactment`).
 */
export async function governParameters(api, { council }, call, options = {}) {
  const what = `parameters change ${callName(call)}`;
  const seats = (await api.query.council.members()).length;
  const scheduling = await councilMotion(api, council, api.tx.governance.scheduleParameters(call), majority(seats), options);
  if (scheduling.error) throw new Error(`${what}: the council's motion executed with an error: ${scheduling.error}`);
  const change = scheduledIn(scheduling.events, what);
  if (change.track !== 'Parameters') throw new Error(`${what}: scheduled on the ${change.track} track`);
  return enactment(api, change, what, options);
}

/**
 * A root change: a council motion of the smallest supermajority (two thirds) of its seats calls
 * `governance.proposeRoot(call)`; a committee motion of the smallest majority of its seats calls
 * `governance.approveRoot(callHash)` with the hash of `governance.RootProposed`; waits for the
 * enactment block (`rootDelay` blocks after approval) and checks `governance.Enacted` there with
 * success. Returns `{ id, blockHash, number, events }` of the enactment block (see `enactment`).
 */
export async function governRoot(api, { council, committee }, call, options = {}) {
  const what = `root change ${callName(call)}`;
  const councilSeats = (await api.query.council.members()).length;
  const proposing = await councilMotion(api, council, api.tx.governance.proposeRoot(call), supermajority(councilSeats), options);
  if (proposing.error) throw new Error(`${what}: the council's motion to propose it executed with an error: ${proposing.error}`);
  const [proposed] = eventsOf(proposing.events, 'governance', 'RootProposed');
  if (!proposed) throw new Error(`${what}: no governance.RootProposed after the council's motion`);
  const { id, callHash } = proposed.event.data;

  const committeeSeats = (await api.query.technicalCommittee.members()).length;
  const approving = await committeeMotion(api, committee, api.tx.governance.approveRoot(callHash), majority(committeeSeats), options);
  if (approving.error) throw new Error(`${what}: the committee's motion to approve it executed with an error: ${approving.error}`);
  const change = scheduledIn(approving.events, what);
  if (change.id !== id.toNumber() || change.track !== 'Root') {
    throw new Error(`${what}: approval scheduled change ${change.id} on the ${change.track} track, not proposal ${id.toNumber()} on the Root track`);
  }
  return enactment(api, change, what, options);
}
