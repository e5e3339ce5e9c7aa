// Accounts to sign with: the polkadot{.js} extension's (or any injected wallet's), and on a
// development chain the well-known dev accounts (//Alice …), whose keys are public.
import { Keyring } from '@polkadot/keyring';
import { decodeAddress, encodeAddress, cryptoWaitReady } from '@polkadot/util-crypto';
import { web3Accounts, web3Enable, web3FromAddress } from '@polkadot/extension-dapp';
import { SS58_PREFIX, type SigningAccount } from './chain';

export const DEV_NAMES = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'];

/** The dev accounts, addressed in Ballast's format. */
export async function devAccounts(): Promise<SigningAccount[]> {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: SS58_PREFIX });
  return DEV_NAMES.map((name) => {
    const pair = keyring.addFromUri(`//${name}`, { name });
    return { address: pair.address, name: `${name} (dev)`, source: 'dev' as const, pair };
  });
}

/** The extension's accounts (none when no extension is installed or the user refuses). */
export async function extensionAccounts(): Promise<SigningAccount[]> {
  const extensions = await web3Enable('Ballast');
  if (extensions.length === 0) return [];
  const accounts = await web3Accounts({ ss58Format: SS58_PREFIX });
  return Promise.all(accounts.map(async (account) => {
    const injector = await web3FromAddress(account.address);
    return {
      address: encodeAddress(decodeAddress(account.address), SS58_PREFIX),
      name: `${account.meta.name ?? 'account'} (${account.meta.source})`,
      source: 'extension' as const,
      signer: injector.signer,
    };
  }));
}
