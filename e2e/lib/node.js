// Starts a real ballast-node on free loopback ports and stops it cleanly.
import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, createWriteStream, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const logDir = join(repo, 'e2e', '.logs');

/** The node binary: $BALLAST_NODE, else the release build in the shared target dir. */
export function nodeBinary() {
  const candidates = [
    process.env.BALLAST_NODE,
    process.env.CARGO_TARGET_DIR && join(process.env.CARGO_TARGET_DIR, 'release', 'ballast-node'),
    join(process.env.HOME ?? '', '.cache', 'ballast', 'target', 'release', 'ballast-node'),
  ].filter(Boolean);
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(`ballast-node not found (tried ${candidates.join(', ')}); build it or set BALLAST_NODE`);
  }
  return found;
}

/**
 * Runs a `ballast-node` subcommand (`key …`, `build-spec …`) to its end. Resolves with its
 * standard output; rejects with an error whose `stderr` and `code` are the command's.
 */
export function runNode(args, { timeoutMs = 60_000 } = {}) {
  return new Promise((resolveRun, reject) => {
    // A raw chain spec (the runtime wasm in hex) is megabytes long.
    execFile(nodeBinary(), args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) {
        reject(Object.assign(new Error(`ballast-node ${args.join(' ')} failed (${error.code ?? error.signal}): ${stderr}`), { stderr, code: error.code }));
      } else {
        resolveRun(stdout);
      }
    });
  });
}

/** A cargo example binary built by `cargo test` (`$BALLAST_EXAMPLES_DIR` or the target dir). */
export function exampleBinary(name) {
  const candidates = [
    process.env.BALLAST_EXAMPLES_DIR && join(process.env.BALLAST_EXAMPLES_DIR, name),
    process.env.CARGO_TARGET_DIR && join(process.env.CARGO_TARGET_DIR, 'release', 'examples', name),
    join(process.env.HOME ?? '', '.cache', 'ballast', 'target', 'release', 'examples', name),
  ].filter(Boolean);
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`example ${name} not built (tried ${candidates.join(', ')}); run cargo test --release first`);
  return found;
}

/** A TCP port that is free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts `ballast-node --dev` (plus `extraArgs`) listening on loopback only, and connects
 * @polkadot/api to it. Returns { api, stop, rpcUrl, logFile }.
 */
export function startDevNode({ name, extraArgs = [], timeoutMs = 60_000 } = {}) {
  return startNode({ name, args: ['--dev', '--tmp'], extraArgs, timeoutMs });
}

/**
 * Starts `ballast-node <args>` (the chain and the node's role, e.g. `--chain spec.json
 * --validator --base-path dir`) on free loopback ports, without mDNS or telemetry, then
 * `extraArgs`, and connects @polkadot/api to it. Returns { api, stop, rpcUrl, logFile }.
 */
export async function startNode({ name, args, extraArgs = [], timeoutMs = 60_000 }) {
  const [rpcPort, p2pPort, prometheusPort] = [await freePort(), await freePort(), await freePort()];
  const nodeArgs = [
    ...args,
    '--no-mdns',
    '--no-telemetry',
    '--listen-addr', `/ip4/127.0.0.1/tcp/${p2pPort}`,
    '--rpc-port', String(rpcPort),
    '--prometheus-port', String(prometheusPort),
    ...extraArgs,
  ];
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${name ?? 'node'}-${rpcPort}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(nodeBinary(), nodeArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);

  let exited = null;
  const exit = new Promise((resolveExit) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolveExit(exited);
    });
  });

  const rpcUrl = `ws://127.0.0.1:${rpcPort}`;
  const deadline = Date.now() + timeoutMs;
  // The RPC server answers plain HTTP JSON-RPC on the same port: poll it until the node is up,
  // then connect the WebSocket client once.
  while (!(await rpcAnswers(`http://127.0.0.1:${rpcPort}`))) {
    if (exited) throw new Error(`ballast-node exited early (${JSON.stringify(exited)}); see ${logFile}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`ballast-node RPC not up after ${timeoutMs} ms; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const api = await connect(rpcUrl);

  /** Disconnects the client, sends SIGINT and returns how the node exited. */
  async function stop() {
    await api.disconnect().catch(() => {});
    if (!exited) child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const result = await exit;
    clearTimeout(timer);
    log.end();
    return result;
  }

  return { api, stop, rpcUrl, logFile };
}

/** Connects @polkadot/api to a node's WebSocket RPC. */
export function connect(rpcUrl) {
  return ApiPromise.create({ provider: new WsProvider(rpcUrl), throwOnConnect: true, noInitWarn: true });
}

/** True once the node at `url` (http://…) answers JSON-RPC. */
export async function rpcAnswers(url) {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'system_health', params: [] }),
    });
    return response.ok;
  } catch {
    return false;
  }
}

/** Resolves with the first header from `subscribe` for which `predicate` holds. */
export function waitForHeader(subscribe, predicate, timeoutMs, what) {
  return new Promise((resolveHeader, reject) => {
    let unsub;
    const timer = setTimeout(() => {
      unsub?.();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    subscribe((header) => {
      if (predicate(header)) {
        clearTimeout(timer);
        unsub?.();
        resolveHeader(header);
      }
    }).then((u) => {
      unsub = u;
    }, reject);
  });
}

/**
 * Signs and sends `tx`, resolving when it is finalized (or, with `inBlock`, in a block) with its
 * events. Rejects if the extrinsic failed, with the decoded module error.
 */
export function sendAndFinalize(api, tx, signer, { expectFailure = false, inBlock = false } = {}) {
  return new Promise((resolveTx, reject) => {
    let unsub;
    tx.signAndSend(signer, (result) => {
      const { status, events, dispatchError } = result;
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        unsub?.();
        reject(new Error(`transaction ${status.type}`));
        return;
      }
      const done = status.isFinalized || (inBlock && status.isInBlock);
      if (!done) return;
      unsub?.();
      const failed = dispatchError ? describeError(api, dispatchError) : null;
      const blockHash = status.isFinalized ? status.asFinalized : status.asInBlock;
      if (failed && !expectFailure) reject(new Error(`extrinsic failed: ${failed}`));
      else resolveTx({ events, blockHash, error: failed });
    }).then((u) => {
      unsub = u;
    }, reject);
  });
}

/** A `DispatchError`'s name: `section.Name` for a module error, else its variant (`BadOrigin`, …). */
export function describeError(api, dispatchError) {
  if (dispatchError.isModule) {
    const { section, name } = api.registry.findMetaError(dispatchError.asModule);
    return `${section}.${name}`;
  }
  // Non-module errors (BadOrigin, Token, Arithmetic, …) are named by their variant.
  return dispatchError.type;
}

/** The endowed development accounts (Alice holds the sudo key), with Ballast's SS58 prefix. */
export function devAccounts() {
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 7771 });
  return {
    alice: keyring.addFromUri('//Alice'),
    bob: keyring.addFromUri('//Bob'),
    charlie: keyring.addFromUri('//Charlie'),
    dave: keyring.addFromUri('//Dave'),
    eve: keyring.addFromUri('//Eve'),
    ferdie: keyring.addFromUri('//Ferdie'),
  };
}

/** The events of `section.method` among `events`. */
export function eventsOf(events, section, method) {
  return events.filter(({ event }) => event.section === section && event.method === method);
}
