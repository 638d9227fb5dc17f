#!/usr/bin/env node
// `npm run bench` after the build: the generated trees and the language server (test/bench/run.ts),
// the live diff (test/bench/diff.ts), the real trees and the language server on real repositories
// (test/bench/realworld.mjs). Every stage runs even when an earlier one misses a target; the exit
// status says whether any missed (or failed).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stages = [
  ['generated trees and the language server', ['--import', 'tsx', 'test/bench/run.ts']],
  ['live diff', ['--import', 'tsx', 'test/bench/diff.ts']],
  ['real trees', ['test/bench/realworld.mjs']],
];
const missed = [];
for (const [name, args] of stages) {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) missed.push(`${name} (exit ${r.status ?? r.signal})`);
}
if (missed.length) { console.log(`\nbench: missed a target or failed in: ${missed.join(', ')}`); process.exit(1); }
console.log('\nbench: every stage met its targets');
