#!/usr/bin/env node
// npm run parity [-- REPO...] [--jobs N] [--timeout S] [--record FILE] [--show N] [--cli PATH]
//
// Real-world parity: every kustomization root of every pinned repository (test/realworld/repos.json,
// imported into the realworld cache) is built by `gitops-lens build` and by `kubectl kustomize`,
// both with --enable-helm and the helm the project builds (test/helm/build-helm.mjs), and the outputs
// compared byte for byte. Printed per repository and in total: identical, differ, ours fails only,
// kubectl fails only, both fail; roots that need the network (remote bases, remote charts) apart,
// left out of the percentage. The first difference of each root that differs or fails on one side
// follows. kubectl's answers are cached per pinned commit and kubectl version (the oracle does not
// change while they do); ours are run every time.
import fs from 'node:fs';
import path from 'node:path';
import { available, cacheDir, checkoutDir, kustomizationRoots, ROOT } from './repos.mjs';
import { NETWORK, oracle, run as runCommand } from './oracle.mjs';

const args = process.argv.slice(2);
const opt = { jobs: 2, timeout: 60, show: 400, record: undefined, cli: path.join(ROOT, 'dist/cli.js'), only: [] };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--jobs') opt.jobs = Number(args[++i]);
  else if (a === '--timeout') opt.timeout = Number(args[++i]);
  else if (a === '--show') opt.show = Number(args[++i]);
  else if (a === '--record') opt.record = path.resolve(args[++i]);
  else if (a === '--cli') opt.cli = path.resolve(args[++i]); // another build of the CLI (e.g. an older commit's, for a baseline)
  else opt.only.push(a);
}

const repos = available({ only: opt.only });
if (!repos.length) process.exit(2);

const cli = opt.cli;
if (!fs.existsSync(cli)) { process.stderr.write(`${cli} is missing: npm run build first\n`); process.exit(2); }
const { name: oracleName, helm, helmArgs, build: kubectl } = await oracle({ timeout: opt.timeout });
const run = (cmd, argv, cwd) => runCommand(cmd, argv, { cwd, timeout: opt.timeout });

function classify(k, o) {
  if (!k.ok && NETWORK.test(k.stderr)) return 'network';
  if (k.ok && o.ok) return k.stdout === o.stdout ? 'identical' : 'differ';
  if (k.ok) return 'oursFails';
  if (o.ok) return 'kubectlFails';
  return 'bothFail';
}

function firstDifference(k, o) {
  if (k.ok && !o.ok) return `ours fails: ${o.stderr.trim().split('\n').slice(0, 3).join(' | ')}`;
  if (!k.ok && o.ok) return `kubectl fails: ${k.stderr.trim().split('\n').slice(0, 3).join(' | ')}`;
  const a = k.stdout.split('\n');
  const b = o.stdout.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const clip = (s) => (s === undefined ? '<end>' : JSON.stringify(s.length > 160 ? `${s.slice(0, 160)}…` : s));
  return `line ${i + 1}: kubectl ${clip(a[i])} · ours ${clip(b[i])}`;
}

const KINDS = ['identical', 'differ', 'oursFails', 'kubectlFails', 'bothFail', 'network'];
const totals = Object.fromEntries(KINDS.map((k) => [k, 0]));
const perRepo = [];
const details = [];
const started = Date.now();

for (const repo of repos) {
  const dir = checkoutDir(repo);
  const roots = kustomizationRoots(dir);
  const counts = Object.fromEntries(KINDS.map((k) => [k, 0]));
  let next = 0;
  const worker = async () => {
    while (next < roots.length) {
      const root = roots[next++];
      const k = await kubectl(repo, root);
      const o = await run(process.execPath, [cli, 'build', root, ...helmArgs], dir);
      const c = classify(k, o);
      counts[c]++;
      if (c !== 'identical' && c !== 'network' && c !== 'bothFail') details.push({ repo: repo.repo, root, class: c, first: firstDifference(k, o) });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opt.jobs) }, worker));
  for (const k of KINDS) totals[k] += counts[k];
  perRepo.push({ repo: repo.repo, commit: repo.commit, roots: roots.length, ...counts });
  process.stderr.write(`${repo.repo}: ${roots.length} roots, ${counts.identical} identical\n`);
}

const buildable = (c) => c.identical + c.differ + c.oursFails;
const pct = (c) => (buildable(c) ? ((100 * c.identical) / buildable(c)).toFixed(1) : '-');
const lines = [];
lines.push(`Real-world parity: gitops-lens build vs ${oracleName}, helm ${path.basename(path.dirname(helm))}, ${new Date().toISOString().slice(0, 10)}`);
lines.push('');
lines.push('| repository | roots | identical | differ | ours fails only | kubectl fails only | both fail | needs network | identical / kubectl builds |');
lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of perRepo) lines.push(`| ${r.repo} | ${r.roots} | ${r.identical} | ${r.differ} | ${r.oursFails} | ${r.kubectlFails} | ${r.bothFail} | ${r.network} | ${pct(r)}% of ${buildable(r)} |`);
const allRoots = perRepo.reduce((s, r) => s + r.roots, 0);
lines.push(`| **total** (${perRepo.length} repositories) | ${allRoots} | ${totals.identical} | ${totals.differ} | ${totals.oursFails} | ${totals.kubectlFails} | ${totals.bothFail} | ${totals.network} | **${pct(totals)}%** of ${buildable(totals)} |`);
lines.push('');
lines.push(`First difference of each root that differs or fails on one side (${details.length}):`);
details.sort((a, b) => a.repo.localeCompare(b.repo) || a.root.localeCompare(b.root));
for (const d of details.slice(0, opt.show)) lines.push(`- [${d.class}] ${d.repo} ${d.root}: ${d.first}`);
if (details.length > opt.show) lines.push(`- … ${details.length - opt.show} more`);
const text = `${lines.join('\n')}\n`;
process.stdout.write(text);
process.stderr.write(`parity: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
fs.mkdirSync(path.join(cacheDir(), 'results'), { recursive: true });
fs.writeFileSync(path.join(cacheDir(), 'results', 'parity-latest.json'), JSON.stringify({ oracle: oracleName, perRepo, totals, details }, null, 1));
if (opt.record) fs.writeFileSync(opt.record, text);
