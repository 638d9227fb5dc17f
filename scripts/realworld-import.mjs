#!/usr/bin/env node
// npm run realworld:import -- --from DIR [--from DIR2] [REPO...]
// Checks each commit pinned in test/realworld/repos.json out of a local git clone (found under a
// --from folder as owner+name, owner+name/repo, owner/name) into the realworld cache
// (test/realworld/repos.mjs says where). Nothing is fetched from the network; nothing lands in the
// project. Already imported commits are left as they are.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir, checkoutDir, findClone, isImported, pinned } from '../test/realworld/repos.mjs';

const args = process.argv.slice(2);
const sources = [];
const only = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--from') sources.push(path.resolve(args[++i]));
  else if (args[i].startsWith('--from=')) sources.push(path.resolve(args[i].slice(7)));
  else only.push(args[i]);
}
if (process.env.GITOPS_LENS_REALWORLD_SOURCES) sources.push(...process.env.GITOPS_LENS_REALWORLD_SOURCES.split(':').filter(Boolean));
if (!sources.length) {
  process.stderr.write('usage: npm run realworld:import -- --from DIR [REPO...]\n  DIR holds git clones of the repositories in test/realworld/repos.json\n');
  process.exit(2);
}

let imported = 0;
let present = 0;
const missing = [];
for (const r of pinned().filter((x) => !only.length || only.some((o) => x.repo.includes(o)))) {
  if (isImported(r)) { present++; continue; }
  const gitDir = findClone(r.repo, sources);
  const why = !gitDir ? 'no clone under the --from folders'
    : (() => { try { execFileSync('git', ['--git-dir', gitDir, 'cat-file', '-e', `${r.commit}^{commit}`], { stdio: 'ignore' }); return ''; } catch { return `the clone at ${gitDir} lacks commit ${r.commit}`; } })();
  if (why) { missing.push(`${r.repo}: ${why}`); continue; }
  const dir = checkoutDir(r);
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  // git archive gives the tree at the commit (symlinks kept as links) without touching the clone.
  execFileSync('bash', ['-c', 'git --git-dir="$1" archive --format=tar "$2" | tar -x -C "$3"', 'import', gitDir, r.commit, tmp], { stdio: ['ignore', 'inherit', 'inherit'] });
  fs.writeFileSync(path.join(tmp, '.gitops-lens-import'), `${r.repo} ${r.commit}\n`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  imported++;
  process.stderr.write(`imported ${r.repo}@${r.commit.slice(0, 12)}\n`);
}
process.stderr.write(`realworld cache ${cacheDir()}: ${imported} imported, ${present} already there, ${missing.length} missing\n`);
for (const m of missing) process.stderr.write(`  missing ${m}\n`);
process.exit(missing.length ? 1 : 0);
