#!/usr/bin/env node
// Real trees in `npm run bench` (after the generated ones): whole-process `gitops-lens build` against
// `kubectl kustomize` on the pinned roots of test/bench/real-trees.json, alternating, median of
// --reps runs each (outputs compared first); then the language server opened on the pinned repository
// with the most kustomization roots: time until every environment is rendered and diagnosed, and its
// peak RSS, and on the pinned repositories with the largest renders (`servers`). The CLI keeps no
// cache between processes, so every run is cold; warm figures (a second render in one language
// server, after an edit) are the server bench's (test/bench/server.ts). A tree with `without` is
// its kustomization less those entries (ones that need the network), written beside it for the run.
// When the realworld cache is empty it says so and measures nothing (npm run realworld:import).
//
//   node test/bench/realworld.mjs [--reps N] [--no-server] [--json FILE]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { available, checkoutDir } from '../realworld/repos.mjs';
import { openServer } from '../realworld/lsp.mjs';
import { oracle, run } from '../realworld/oracle.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const REPS = argv.includes('--reps') ? Number(argv[argv.indexOf('--reps') + 1]) : 5;
const jsonOut = argv.includes('--json') ? argv[argv.indexOf('--json') + 1] : undefined;
const cli = path.join(ROOT, 'dist/cli.js');
const serverJs = path.join(ROOT, 'dist/server.js');

const { trees } = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/bench/real-trees.json'), 'utf8'));
const have = new Map(available({ only: [...new Set(trees.map((t) => t.repo))] }).map((r) => [r.repo, r]));
console.log('\n== real trees (test/bench/real-trees.json) ==');
if (!have.size) {
  console.log('  the realworld cache is empty: no real tree measured (npm run realworld:import -- --from DIR imports the pinned repositories)');
  process.exit(0);
}
const kubectl = await oracle({ timeout: 300 });
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const results = [];
for (const t of trees) {
  const repo = have.get(t.repo);
  if (!repo) { console.log(`  ${t.repo} ${t.root}: not in the cache, skipped`); continue; }
  const cwd = checkoutDir(repo);
  const root = t.without ? offlineCopy(cwd, t) : t.root;
  const ours = [], theirs = [];
  let same = true, bytes = 0, docs = 0;
  for (let i = 0; i < REPS; i++) {
    const k = await run('kubectl', ['kustomize', root, ...kubectl.helmArgs], { cwd, timeout: 300 });
    const o = await run(process.execPath, [cli, 'build', root, ...kubectl.helmArgs], { cwd, timeout: 300 });
    if (!k.ok || !o.ok) { same = false; console.log(`  ${t.repo} ${t.root}: ${!k.ok ? 'kubectl' : 'gitops-lens'} failed: ${(k.ok ? o : k).stderr.trim().split('\n')[0]}`); break; }
    if (o.stdout !== k.stdout) same = false;
    bytes = k.stdout.length; docs = k.stdout.split(/^---$/m).length;
    theirs.push(k.ms); ours.push(o.ms);
  }
  if (t.without) fs.rmSync(path.join(cwd, root), { recursive: true, force: true });
  if (!ours.length) continue;
  const r = { repo: t.repo, root: t.without ? `${t.root} without ${t.without.length} network entries` : t.root, bytes, docs, identical: same, oursMs: median(ours), kubectlMs: median(theirs) };
  r.ratio = r.oursMs / r.kubectlMs;
  results.push(r);
  console.log(`  ${t.repo} ${r.root} (${(bytes / 1048576).toFixed(1)} MB, ${docs} documents${same ? '' : ', OUTPUTS DIFFER'}): build ${(r.oursMs / 1000).toFixed(2)} s, kubectl ${(r.kubectlMs / 1000).toFixed(2)} s, ratio ${r.ratio.toFixed(2)} (median of ${ours.length})`);
}

const servers = [];
if (!argv.includes('--no-server')) {
  const all = available({ log: () => {} });
  const most = [...all].sort((a, b) => b.roots - a.roots)[0];
  const pinnedServers = (JSON.parse(fs.readFileSync(path.join(ROOT, 'test/bench/real-trees.json'), 'utf8')).servers ?? [])
    .map((p) => ({ ...all.find((r) => r.repo === p.repo), why: p.why })).filter((r) => r.repo);
  for (const repo of [...(most ? [{ ...most, why: 'the most kustomization roots' }] : []), ...pinnedServers.filter((r) => r.repo !== most?.repo)]) {
    const s = await openServer(serverJs, checkoutDir(repo));
    const ms = await s.settled();
    const envs = (await s.conn.sendRequest('gitopsLens/environments', {})).environments.length;
    const rss = s.peakRssMb();
    await s.close();
    servers.push({ repo: repo.repo, why: repo.why, roots: repo.roots, environments: envs, settleMs: ms, peakRssMb: rss });
    console.log(`  language server on ${repo.repo} (${repo.why}: ${repo.roots} roots, ${envs} environments): every environment rendered and diagnosed in ${(ms / 1000).toFixed(1)} s (target <= 10 s), peak RSS ${rss?.toFixed(0)} MB (target <= 300 MB)`);
  }
}
if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify({ kubectl: kubectl.name, trees: results, servers }, null, 1));

/** The tree's kustomization less its `without` entries, written beside it (same depth, so its relative paths hold); its folder, relative to the checkout. */
function offlineCopy(cwd, t) {
  const src = path.join(cwd, t.root);
  const name = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].find((n) => fs.existsSync(path.join(src, n)));
  const drop = new Set(t.without);
  const lines = fs.readFileSync(path.join(src, name), 'utf8').split('\n');
  const kept = lines.filter((l) => { const m = /^\s*-\s*(\S+)/.exec(l); return !(m && drop.has(m[1])); });
  if (lines.length - kept.length !== drop.size) throw new Error(`${t.repo} ${t.root}: not every entry of "without" was found in ${name}`);
  const rel = `${t.root}.bench-offline`;
  fs.mkdirSync(path.join(cwd, rel), { recursive: true });
  fs.writeFileSync(path.join(cwd, rel, 'kustomization.yaml'), kept.join('\n'));
  return rel;
}
