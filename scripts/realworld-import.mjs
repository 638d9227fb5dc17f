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

/** Writes every file of `commit` that the clone has; returns the paths it lacks. */
function checkoutFileByFile(gitDir, commit, dir) {
  const list = execFileSync('git', ['--git-dir', gitDir, 'ls-tree', '-r', '-z', '--full-tree', commit], { encoding: 'buffer', maxBuffer: 1 << 30 }).toString('utf8');
  const lacking = [];
  for (const entry of list.split('\0').filter(Boolean)) {
    const [meta, file] = [entry.slice(0, entry.indexOf('\t')), entry.slice(entry.indexOf('\t') + 1)];
    const [mode, type, sha] = meta.split(' ');
    if (type !== 'blob') continue;
    const dest = path.join(dir, file);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    let content;
    try {
      content = execFileSync('git', ['--git-dir', gitDir, 'cat-file', 'blob', sha], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
    } catch { lacking.push(file); continue; }
    if (mode === '120000') fs.symlinkSync(content.toString('utf8'), dest);
    else fs.writeFileSync(dest, content, { mode: mode === '100755' ? 0o755 : 0o644 });
  }
  return lacking;
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
  // git archive gives the tree at the commit (symlinks kept as links) without touching the clone. A
  // clone that lacks some blobs (a partial or size-limited copy) is checked out file by file instead,
  // and the files it lacks are listed in the stamp.
  const lacking = [];
  try {
    execFileSync('bash', ['-c', 'set -o pipefail; git --git-dir="$1" archive --format=tar "$2" | tar -x -C "$3"', 'import', gitDir, r.commit, tmp], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    lacking.push(...checkoutFileByFile(gitDir, r.commit, tmp));
  }
  fs.writeFileSync(path.join(tmp, '.gitops-lens-import'), `${r.repo} ${r.commit}\n${lacking.map((f) => `lacks ${f}\n`).join('')}`);
  if (lacking.length) process.stderr.write(`  ${r.repo}: ${lacking.length} files are not in the clone (left out)\n`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  imported++;
  process.stderr.write(`imported ${r.repo}@${r.commit.slice(0, 12)}\n`);
}
process.stderr.write(`realworld cache ${cacheDir()}: ${imported} imported, ${present} already there, ${missing.length} missing\n`);
for (const m of missing) process.stderr.write(`  missing ${m}\n`);
process.exit(missing.length ? 1 : 0);
