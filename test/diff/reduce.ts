// Shrinks a saved differing tree (run.ts saves them under /tmp/gitops-lens-diff/<seed>-<i>/) while the
// difference persists: drops files, then YAML lines together with the lines nested under them.
//
//   node --import tsx test/diff/reduce.ts /tmp/gitops-lens-diff/<seed>-<i> [OUT_DIR]
//
// "Persists" means: the same outcome (kubectl ok & ours fails, ...), and for differing bytes the first
// differing kubectl line and our line (trimmed) still occur in the two outputs. The reduced tree is
// written to OUT_DIR (default <dir>-min) with kubectl.out and ours.out. One kubectl at a time.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Engine, KustomizeError, MemoryHost, renderYaml } from '../../server/src/engine/index';

type Files = Record<string, string>;

function readTree(dir: string, rel = 'root'): Files {
  const out: Files = {};
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = `${rel}/${e.name}`;
    if (e.isDirectory()) Object.assign(out, readTree(dir, r));
    else out[r] = fs.readFileSync(path.join(dir, r), 'utf8');
  }
  return out;
}

function writeTree(dir: string, files: Files): void {
  fs.rmSync(path.join(dir, 'root'), { recursive: true, force: true });
  for (const [p, t] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), t);
  }
}

interface Outcome { kind: string; k: string; o: string }

function evaluate(work: string, files: Files): Outcome {
  writeTree(work, files);
  let k: string | undefined;
  try {
    k = execFileSync('kubectl', ['kustomize', path.join(work, 'root')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  } catch {
    k = undefined;
  }
  const host = new MemoryHost();
  for (const [p, t] of Object.entries(files)) host.write(`/t/${p}`, t);
  let o: string | undefined;
  let err = '';
  try {
    o = renderYaml(new Engine(host).build('/t/root').resources);
  } catch (e) {
    err = e instanceof KustomizeError ? e.message : `crash: ${e}`;
  }
  const kind = k !== undefined && o !== undefined ? (k === o ? 'identical' : 'bytes-differ') : k === undefined && o === undefined ? 'both-fail' : k !== undefined ? 'kubectl-ok-ours-fails' : 'ours-ok-kubectl-fails';
  return { kind, k: k ?? 'ERROR', o: o ?? `ERROR ${err}` };
}

function firstPair(a: string, b: string): [string, string] {
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i] !== y[i]) return [(x[i] ?? '').trim(), (y[i] ?? '').trim()];
  return ['', ''];
}

function main(): void {
  const src = process.argv[2];
  if (!src) throw new Error('usage: reduce.ts DIR [OUT_DIR]');
  const out = process.argv[3] ?? `${src.replace(/\/$/, '')}-min`;
  const work = fs.mkdtempSync(path.join(path.dirname(out), 'reduce-'));
  let files = readTree(src);
  const start = evaluate(work, files);
  if (start.kind === 'identical' || start.kind === 'both-fail') throw new Error(`no difference in ${src} (${start.kind})`);
  const [kl, ol] = start.kind === 'bytes-differ' ? firstPair(start.k, start.o) : ['', ''];
  const errLine = start.kind === 'kubectl-ok-ours-fails' ? start.o.split('\n')[0]!.replace(/\/t\//g, '') : '';
  const same = (r: Outcome) => r.kind === start.kind &&
    (r.kind !== 'bytes-differ' || (r.k.split('\n').some((l) => l.trim() === kl) && r.o.split('\n').some((l) => l.trim() === ol))) &&
    (!errLine || r.o.replace(/\/t\//g, '').split('\n')[0] === errLine);
  let checks = 0;
  const tryFiles = (cand: Files) => { checks++; if (same(evaluate(work, cand))) { files = cand; return true; } return false; };
  // files
  for (const p of Object.keys(files)) {
    if (/(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(p)) continue;
    const c = { ...files };
    delete c[p];
    tryFiles(c);
  }
  // lines, each with the lines nested under it; repeat until nothing more goes
  for (let changed = true; changed;) {
    changed = false;
    for (const p of Object.keys(files)) {
      for (let i = 0; i < files[p]!.split('\n').length; i++) {
        const lines = files[p]!.split('\n');
        const ind = (s: string) => s.length - s.trimStart().length;
        if (!lines[i]!.trim()) continue;
        let j = i + 1;
        const base = ind(lines[i]!) + (lines[i]!.trimStart().startsWith('- ') ? 1 : 0);
        while (j < lines.length && (lines[j]!.trim() === '' || ind(lines[j]!) > base)) j++;
        const cand = { ...files, [p]: [...lines.slice(0, i), ...lines.slice(j)].join('\n') };
        if (tryFiles(cand)) { changed = true; i--; }
      }
    }
  }
  writeTree(out, files);
  const fin = evaluate(work, files);
  fs.rmSync(work, { recursive: true, force: true });
  writeTree(out, files);
  fs.writeFileSync(path.join(out, 'kubectl.out'), fin.k);
  fs.writeFileSync(path.join(out, 'ours.out'), fin.o);
  process.stdout.write(`${out}: ${fin.kind} after ${checks} checks\n`);
  for (const [p, t] of Object.entries(files)) process.stdout.write(`==> ${p} <==\n${t}${t.endsWith('\n') ? '' : '\n'}`);
  process.stdout.write(`--- kubectl\n${fin.k}--- ours\n${fin.o}\n`);
}

main();
