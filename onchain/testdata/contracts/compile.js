#!/usr/bin/env node
// Compiles every *.sol in this folder with solc-js in standard-JSON mode
// and writes build/<Name>.abi (JSON ABI), build/<Name>.bin (creation
// bytecode, hex, no 0x, no newline) and build/<Name>.bin-runtime (deployed
// bytecode, same format) for every contract that has bytecode.
//
// Usage: node compile.js <path to the solc npm package> <expected solc version>
// (build.sh installs solc and calls this; run that instead.)
'use strict';

const fs = require('fs');
const path = require('path');

const [solcPath, wantVersion] = process.argv.slice(2);
if (!solcPath || !wantVersion) {
  console.error('usage: node compile.js <solc package dir> <solc version>');
  process.exit(2);
}
const solc = require(path.resolve(solcPath));
const gotVersion = solc.version();
if (!gotVersion.startsWith(wantVersion + '+')) {
  console.error(`solc ${gotVersion} found, ${wantVersion} wanted`);
  process.exit(1);
}

const EVM_VERSION = 'cancun';
const here = __dirname;
const outDir = path.join(here, 'build');

// Source unit names are bare file names, so the output (including the
// metadata hash at the end of the bytecode) does not depend on where the
// repository is checked out.
const files = fs.readdirSync(here).filter((f) => f.endsWith('.sol')).sort();
const sources = {};
for (const f of files) {
  sources[f] = { content: fs.readFileSync(path.join(here, f), 'utf8') };
}

const input = {
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: EVM_VERSION,
    outputSelection: {
      '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] },
    },
  },
};

const output = JSON.parse(solc.compile(JSON.stringify(input)));
let failed = false;
for (const e of output.errors || []) {
  console.error(e.formattedMessage || e.message);
  if (e.severity === 'error') failed = true;
}
if (failed) process.exit(1);

fs.mkdirSync(outDir, { recursive: true });
for (const f of fs.readdirSync(outDir)) {
  if (/\.(abi|bin|bin-runtime)$/.test(f)) fs.unlinkSync(path.join(outDir, f));
}

const seen = new Map();
let count = 0;
for (const file of Object.keys(output.contracts || {}).sort()) {
  for (const name of Object.keys(output.contracts[file]).sort()) {
    const c = output.contracts[file][name];
    if (!c.evm.bytecode.object) continue; // interfaces, abstract contracts
    if (seen.has(name)) {
      console.error(`contract name ${name} is in both ${seen.get(name)} and ${file}`);
      process.exit(1);
    }
    seen.set(name, file);
    fs.writeFileSync(path.join(outDir, name + '.abi'), JSON.stringify(c.abi, null, 2) + '\n');
    fs.writeFileSync(path.join(outDir, name + '.bin'), c.evm.bytecode.object);
    fs.writeFileSync(path.join(outDir, name + '.bin-runtime'), c.evm.deployedBytecode.object);
    count++;
  }
}
console.log(`solc ${gotVersion}, evmVersion ${EVM_VERSION}: wrote ${count} contracts to ${path.relative(process.cwd(), outDir) || '.'}`);
