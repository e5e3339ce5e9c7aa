// Compiles contracts/ with solc (solcjs, pinned in package.json) and writes artifacts/<Name>.json
// ({ abi, bytecode, deployedBytecode }, bytecode as 0x-hex) for every deployable contract under
// contracts/ (interfaces, abstract contracts and imported libraries get none). Imports of npm
// packages (`@openzeppelin/contracts/...`, `@snowbridge/contracts/...`) are read from node_modules/. `--check` compares
// instead of writing and fails when the committed artifacts are not what the sources compile to,
// or when artifacts/ holds one that no source compiles to.
import solc from 'solc';
import { readFileSync, writeFileSync, mkdirSync, readdirSync, existsSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const check = process.argv.includes('--check');

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.sol') ? [path] : [];
  });
}

const input = {
  language: 'Solidity',
  sources: Object.fromEntries(
    sources(join(here, 'contracts')).map((path) => [
      relative(here, path),
      { content: readFileSync(path, 'utf8') },
    ]),
  ),
  settings: {
    evmVersion: 'cancun',
    optimizer: { enabled: true, runs: 200 },
    // No metadata hash: the bytecode then depends only on the sources and settings.
    metadata: { bytecodeHash: 'none', appendCBOR: false },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
  },
};

// solc asks for every import it does not have among the sources: packages from node_modules/.
function findImports(path) {
  const file = join(here, 'node_modules', path);
  if (!path.startsWith('@') || !existsSync(file)) return { error: `${path}: not found in node_modules` };
  return { contents: readFileSync(file, 'utf8') };
}

const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
// Warnings about dependencies' sources (node_modules) are theirs to fix, not ours: not shown.
for (const message of output.errors ?? []) {
  const file = message.sourceLocation?.file ?? '';
  if (message.severity === 'error' || !file.startsWith('@')) console.error(message.formattedMessage);
}
if (errors.length > 0) process.exit(1);

const outDir = join(here, 'artifacts');
mkdirSync(outDir, { recursive: true });
let stale = 0;
const written = new Set();
for (const [file, contracts] of Object.entries(output.contracts)) {
  if (!file.startsWith('contracts/')) continue; // dependencies (node_modules)
  for (const [name, contract] of Object.entries(contracts)) {
    if (contract.evm.bytecode.object.length === 0) continue; // interfaces, abstract contracts
    if (written.has(name)) {
      console.error(`two contracts are named ${name}: artifacts are named by contract`);
      process.exit(1);
    }
    written.add(name);
    const artifact = JSON.stringify(
      {
        source: file,
        compiler: `solc ${solc.version()}`,
        abi: contract.abi,
        bytecode: `0x${contract.evm.bytecode.object}`,
        deployedBytecode: `0x${contract.evm.deployedBytecode.object}`,
      },
      null,
      2,
    ) + '\n';
    const path = join(outDir, `${name}.json`);
    if (check) {
      if (!existsSync(path) || readFileSync(path, 'utf8') !== artifact) {
        console.error(`${relative(here, path)} is not what ${file} compiles to: run npm run build in ethereum/`);
        stale += 1;
      }
    } else {
      writeFileSync(path, artifact);
      console.log(`${relative(here, path)} (${(contract.evm.deployedBytecode.object.length / 2)} bytes deployed)`);
    }
  }
}
for (const entry of readdirSync(outDir)) {
  if (entry.endsWith('.json') && !written.has(entry.slice(0, -'.json'.length))) {
    console.error(`artifacts/${entry} is compiled from no source: ${check ? 'run npm run build in ethereum/' : 'removed'}`);
    if (check) stale += 1;
    else rmSync(join(outDir, entry));
  }
}
process.exit(stale > 0 ? 1 : 0);
