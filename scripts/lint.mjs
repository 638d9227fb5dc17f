#!/usr/bin/env node
// Architecture lint: the import rules that keep the layers apart (ARCHITECTURE.md, "Invariants").
//  - server/src/engine is pure: no node: modules, no vscode, no LSP, no network, no processes.
//  - client/ never imports the engine or the cluster code (it talks to the server through the protocol).
//  - only server/src/cluster imports @kubernetes/client-node, and it never imports vscode.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const problems = [];

function* files(dir) {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (/\.(ts|mts|js|mjs)$/.test(e.name)) yield p;
  }
}

function imports(file) {
  const text = fs.readFileSync(file, 'utf8');
  const out = [];
  const re = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;
  let m;
  while ((m = re.exec(text))) out.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  return out;
}

const NODE_BUILTINS = new Set(['fs', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'url', 'stream', 'worker_threads', 'dns', 'tls', 'zlib', 'process']);
const rel = (p) => path.relative(root, p);

for (const f of files(path.join(root, 'server/src/engine'))) {
  for (const spec of imports(f)) {
    if (spec.startsWith('node:') || NODE_BUILTINS.has(spec)) problems.push(`${rel(f)}: the engine must stay pure, but imports '${spec}'`);
    if (spec === 'vscode' || spec.startsWith('vscode-languageserver') || spec.startsWith('@kubernetes/')) problems.push(`${rel(f)}: the engine must not import '${spec}'`);
    if (spec.startsWith('.')) {
      const target = path.resolve(path.dirname(f), spec);
      if (!target.startsWith(path.join(root, 'server/src/engine'))) problems.push(`${rel(f)}: the engine imports '${spec}' from outside the engine`);
    }
  }
}
for (const f of files(path.join(root, 'client/src'))) {
  for (const spec of imports(f)) {
    if (spec.startsWith('.')) {
      const target = path.resolve(path.dirname(f), spec);
      for (const banned of ['server/src/engine', 'server/src/cluster', 'server/src/workspace', 'server/src/features']) {
        if (target.startsWith(path.join(root, banned))) problems.push(`${rel(f)}: the client must talk to the server through the protocol, not import '${spec}'`);
      }
    }
    if (spec.startsWith('@kubernetes/')) problems.push(`${rel(f)}: only server/src/cluster may import '${spec}'`);
  }
}
for (const dir of ['server/src', 'client/src', 'test']) {
  for (const f of files(path.join(root, dir))) {
    const inCluster = f.startsWith(path.join(root, 'server/src/cluster'));
    for (const spec of imports(f)) {
      if (spec.startsWith('@kubernetes/client-node') && !inCluster) problems.push(`${rel(f)}: only server/src/cluster may import '${spec}'`);
      if (inCluster && spec === 'vscode') problems.push(`${rel(f)}: the cluster code must not import vscode`);
    }
  }
}

if (problems.length) {
  for (const p of problems) console.error(p);
  console.error(`lint: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log('lint: import rules hold');
