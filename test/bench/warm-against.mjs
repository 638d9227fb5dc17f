#!/usr/bin/env node
// The in-process re-render benchmark (warm.ts) of this tree against another commit's, in one run:
// the other commit is checked out into a temporary git worktree, each side's warm.ts is bundled
// from its own sources, and the two are run alternately, PROCS processes each. Prints the medians
// of the re-render times (total and engine.build) and their ratio (this / that).
//
//   node test/bench/warm-against.mjs REF [--procs N] [--iterations N]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const ref = argv.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
const opt = (name, def) => { const i = argv.indexOf(name); return i >= 0 ? Number(argv[i + 1]) : def; };
const PROCS = opt('--procs', 5);
const ITERATIONS = opt('--iterations', 50);
if (!ref) { console.error('usage: node test/bench/warm-against.mjs REF [--procs N] [--iterations N]'); process.exit(2); }

const git = (...args) => {
  const r = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout.trim();
};
const commit = git('rev-parse', '--verify', `${ref}^{commit}`);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-lens-warm-against-'));
const other = path.join(work, 'tree');
git('worktree', 'add', '--detach', other, commit);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
try {
  // The other side resolves its packages from this checkout's node_modules.
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(other, 'node_modules'));
  const bundle = (tree, name) => {
    const out = path.join(work, `${name}.js`);
    buildSync({ entryPoints: [path.join(tree, 'test/bench/warm.ts')], outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' });
    return out;
  };
  const sides = { this: { js: bundle(ROOT, 'this'), total: [], build: [] }, that: { js: bundle(other, 'that'), total: [], build: [] } };
  for (let i = 0; i < PROCS; i++) {
    for (const side of i % 2 ? ['that', 'this'] : ['this', 'that']) {
      const r = spawnSync(process.execPath, [sides[side].js, '--iterations', String(ITERATIONS)], { encoding: 'utf8', maxBuffer: 64 << 20 });
      if (r.status !== 0) throw new Error(`${side}: warm.ts failed:\n${r.stderr}`);
      const out = JSON.parse(r.stdout);
      sides[side].total.push(...out.total);
      sides[side].build.push(...out.build);
    }
  }
  const row = (side) => ({ total: median(sides[side].total), build: median(sides[side].build) });
  const a = row('this'), b = row('that');
  console.log(`warm re-render, ${PROCS} processes x ${ITERATIONS} edits each side, alternating:`);
  console.log(`  this tree (${git('rev-parse', '--short', 'HEAD')} + working tree): median ${a.total.toFixed(2)} ms (engine.build ${a.build.toFixed(2)} ms)`);
  console.log(`  ${ref} (${commit.slice(0, 7)}): median ${b.total.toFixed(2)} ms (engine.build ${b.build.toFixed(2)} ms)`);
  console.log(`  ratio ${(a.total / b.total).toFixed(3)} (engine.build ${(a.build / b.build).toFixed(3)})`);
} finally {
  git('worktree', 'remove', '--force', other);
  fs.rmSync(work, { recursive: true, force: true });
}
