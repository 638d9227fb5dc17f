#!/usr/bin/env node
// Architecture lint: the import rules that keep the layers apart (ARCHITECTURE.md, "Invariants").
//  - server/src/engine is pure: no node: modules, no vscode, no LSP, no network, no processes.
//  - client/ never imports the engine or the cluster code (it talks to the server through the protocol).
//  - only server/src/cluster imports @kubernetes/client-node, and it never imports vscode.
//  - outside server/src/engine, server code imports the engine through engine/index.ts only.
//  - features/ and cluster-lens/ import the workspace's view and types, never workspace/workspace.ts.
//  - each command and view id is spelled once in client/src and server/src: in the generated contributes.ts.
//  - no import cycle anywhere in server/src (type-only imports count: a cycle of types is still a
//    knot no module of it can be understood or tested without the others).
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

// Features read the workspace through its view (workspace/view.ts), never the Workspace class that changes it.
for (const dir of ['server/src/features', 'server/src/cluster-lens']) {
  for (const f of files(path.join(root, dir))) {
    for (const spec of imports(f)) {
      if (spec.startsWith('.') && path.resolve(path.dirname(f), spec) === path.join(root, 'server/src/workspace/workspace')) problems.push(`${rel(f)}: features read the workspace through WorkspaceView (workspace/view.ts), not '${spec}'`);
    }
  }
}

// One home for each command and view id: in client/src and server/src they are spelled only in the
// module generated from package.json (server/src/contributes.ts, scripts/gen-contributes.mjs).
{
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const ids = [...pkg.contributes.commands.map((c) => c.command), ...Object.values(pkg.contributes.views).flat().map((v) => v.id)];
  const home = path.join(root, 'server/src/contributes.ts');
  for (const dir of ['client/src', 'server/src']) {
    for (const f of files(path.join(root, dir))) {
      if (f === home) continue;
      const text = fs.readFileSync(f, 'utf8');
      for (const id of ids) if (new RegExp(`['"\`]${id.replace(/\./g, '\\.')}['"\`]`).test(text)) problems.push(`${rel(f)}: spells the id '${id}'; use COMMANDS / VIEWS from server/src/contributes.ts (generated from package.json)`);
    }
  }
}

// The engine's front door, and cycles: the graph of relative imports between server/src's modules.
const serverSrc = path.join(root, 'server/src');
const engineDir = path.join(serverSrc, 'engine');
const resolveImport = (from, spec) => {
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [`${base}.ts`, path.join(base, 'index.ts'), base]) if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  return undefined;
};
const graph = new Map();
for (const f of files(serverSrc)) {
  const deps = new Set();
  for (const spec of imports(f)) {
    if (!spec.startsWith('.')) continue;
    const target = resolveImport(f, spec);
    if (!target) continue;
    deps.add(target);
    if (!f.startsWith(engineDir + path.sep) && target.startsWith(engineDir + path.sep) && target !== path.join(engineDir, 'index.ts')) {
      problems.push(`${rel(f)}: imports the engine's '${spec}'; code outside the engine imports server/src/engine/index only`);
    }
  }
  graph.set(f, deps);
}
for (const cycle of importCycles(graph)) problems.push(`import cycle: ${cycle.map(rel).join(' -> ')} -> ${rel(cycle[0])}`);

/** The strongly connected components with more than one module (Tarjan), each as one cycle through it. */
function importCycles(g) {
  let next = 0;
  const index = new Map(), low = new Map(), stack = [], onStack = new Set(), out = [];
  const visit = (v) => {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); onStack.add(v);
    for (const w of g.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc = new Set();
    let w;
    do { w = stack.pop(); onStack.delete(w); scc.add(w); } while (w !== v);
    if (scc.size > 1 || g.get(v)?.has(v)) out.push(cycleIn(g, scc, v));
  };
  for (const v of g.keys()) if (!index.has(v)) visit(v);
  return out;
}

/** One cycle inside a strongly connected component, from `start` (breadth-first back to it). */
function cycleIn(g, scc, start) {
  const prev = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length) {
    const v = queue.shift();
    for (const w of g.get(v) ?? []) {
      if (!scc.has(w)) continue;
      if (w === start) { const path = []; for (let x = v; x !== undefined; x = prev.get(x)) path.unshift(x); return path; }
      if (!prev.has(w)) { prev.set(w, v); queue.push(w); }
    }
  }
  return [start];
}

if (problems.length) {
  for (const p of problems) console.error(p);
  console.error(`lint: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log('lint: import rules hold (no import cycle in server/src; the engine entered through engine/index)');
