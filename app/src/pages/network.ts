// Network: the light client's finalized slot and its lag behind the chain's clock, the oldest
// validator proof per LRT, the risk epoch and which reporters reported.
import { encodeAddress } from '@polkadot/util-crypto';
import { h, facts, section, table, value, fill } from '../dom';
import type { Page } from '../context';
import { network, SS58_PREFIX } from '../chain';
import { duration } from '../format';

let body: HTMLElement;

export const networkPage: Page = {
  title: 'Network',
  mount(root) {
    body = h('div', {}, 'loading…');
    root.append(section('Network', body));
  },
  async update(ctx) {
    const n = await network(ctx.api);
    const lag = n.slotTime === null ? null : n.chainTime - n.slotTime;
    fill(body,
      h('h4', {}, 'Ballast'),
      facts([
        ['Best block', value(String(n.bestBlock), 'network-best', n.bestBlock)],
        ['Finalized block', value(String(n.finalizedBlock), 'network-finalized', n.finalizedBlock)],
        ["Chain's clock", value(new Date(n.chainTime * 1000).toISOString(), 'network-chain-time', n.chainTime)],
      ]),
      h('h4', {}, 'Ethereum light client'),
      facts([
        ['Follows', value(n.ethereum, 'network-ethereum')],
        ['Operating mode', value(n.operatingMode, 'network-mode')],
        ['Finalized slot', value(n.finalizedSlot === null ? 'no checkpoint yet' : String(n.finalizedSlot), 'network-slot', n.finalizedSlot)],
        ["Slot's time", value(n.slotTime === null ? '–' : new Date(n.slotTime * 1000).toISOString(), 'network-slot-time', n.slotTime)],
        ["Lag behind the chain's clock", value(lag === null ? '–' : duration(lag), 'network-lag', lag === null ? null : Math.round(lag))],
      ]),
      h('h4', {}, 'Validator proofs'),
      n.lrts.length === 0 ? h('p', {}, 'No LRT yet.') : table(['LRT', 'validators', 'oldest proof (slot)', 'behind the light client', 'limit'], n.lrts.map((l) => {
        const behind = n.finalizedSlot === null || !l.validators ? null : n.finalizedSlot - l.oldestProofSlot;
        return [
          String(l.id), String(l.validators),
          value(l.validators ? String(l.oldestProofSlot) : '–', `network-oldest-proof-${l.id}`, l.oldestProofSlot),
          behind === null ? '–' : `${behind} slots (${duration(behind * 12)})`,
          l.maxProofAgeSlots === null ? '–' : `${l.maxProofAgeSlots} slots`,
        ];
      })),
      h('h4', {}, 'Risk reporting'),
      facts([
        ['Open epoch', value(String(n.risk.epoch), 'network-risk-epoch', n.risk.epoch)],
        ['Epoch length', value(n.risk.epochBlocks === null ? '–' : `${n.risk.epochBlocks} blocks`, 'network-risk-epoch-blocks')],
        ['Last accepted epoch', value(n.risk.lastAccepted === null ? 'none yet' : String(n.risk.lastAccepted), 'network-risk-last')],
      ]),
      n.risk.reporters.length === 0 ? h('p', {}, 'No reporters.') : table(['reporter (risk key)', 'reported this epoch'], n.risk.reporters.map((r) => [
        value(encodeAddress(r.key, SS58_PREFIX), 'network-reporter', r.key), value(r.reported ? 'yes' : 'not yet', 'network-reported'),
      ])),
    );
  },
};
