#!/usr/bin/env node
// How many of the conformance cases that kustomize builds does `gitops-lens build` print
// byte-for-byte as kubectl kustomize did? (The runner compares documents; this is the stricter aim.)
// Usage: node scripts/conformance-bytes.mjs [CASES_DIR]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const cases = path.resolve(process.argv[2] ?? path.join(root, '..', 'shared', 'conformance', 'cases'));
let same = 0;
let total = 0;
for (const name of fs.readdirSync(cases).sort()) {
  const dir = path.join(cases, name);
  const expected = path.join(dir, 'expected.yaml');
  if (!fs.existsSync(expected)) continue;
  const c = JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8'));
  total++;
  const r = spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), 'build', path.join(dir, 'input', c.dir)], { encoding: 'utf8' });
  if (r.status === 0 && r.stdout === fs.readFileSync(expected, 'utf8')) same++;
  else console.log(`differs: ${name}`);
}
console.log(`byte-identical: ${same}/${total}`);
