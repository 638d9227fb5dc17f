// Grouping fuzz failures into classes and printing them so a case can be reproduced:
// the run seed, the case index (FUZZ_SEED=… FUZZ_CASE=…), the mutations, the (reduced) tree,
// and a copy of the full input on disk.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeTree, makeCase } from './mutate';

export interface Finding {
  key: string;
  index: number;
  mode: string;
  name: string;
  message: string;
  stack: string;
  reduced?: Record<string, string>;
  /** Extra lines (stderr of the CLI, server log, ...). */
  detail?: string;
}

export function reproDir(seed: number, suite: string): string {
  return path.join(os.tmpdir(), `gitops-lens-fuzz-${seed}`, suite);
}

/** Writes a tree under `dir` (binary-ish text as UTF-8). */
export function writeTree(dir: string, files: Record<string, string>): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const [p, t] of Object.entries(files)) {
    const abs = path.join(dir, p);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, t);
  }
}

/** A readable report of every class of failure (first case of each in full), empty when none. */
export function report(suite: string, seed: number, total: number, findings: Finding[], rerun: string, treeLines = 60): string {
  if (!findings.length) return '';
  const byKey = new Map<string, Finding[]>();
  for (const f of findings) {
    let l = byKey.get(f.key);
    if (!l) byKey.set(f.key, (l = []));
    l.push(f);
  }
  const out: string[] = [
    `${suite} fuzz: ${findings.length} failing build(s) in ${new Set(findings.map((f) => f.index)).size} of ${total} inputs, ${byKey.size} distinct class(es); seed ${seed}`,
    `reproduce: FUZZ_SEED=${seed} FUZZ_CASE=<case> ${rerun}`,
  ];
  let n = 0;
  for (const [key, list] of byKey) {
    const first = list[0]!;
    const c = makeCase(seed, first.index);
    const dir = path.join(reproDir(seed, suite), `class-${++n}-case-${first.index}`);
    try {
      writeTree(path.join(dir, 'input'), c.files);
      if (first.reduced) writeTree(path.join(dir, 'reduced'), first.reduced);
    } catch { /* reporting only */ }
    out.push('',
      `[${n}] ${key} — ${list.length} build(s); cases ${[...new Set(list.map((f) => f.index))].slice(0, 12).join(', ')}${list.length > 12 ? ', …' : ''}; modes ${[...new Set(list.map((f) => f.mode))].join(', ')}`,
      `    message: ${first.message.split('\n')[0]!.slice(0, 300)}`,
      ...(first.stack ? first.stack.split('\n').map((l) => `      ${l}`) : []),
      ...(first.detail ? first.detail.split('\n').slice(0, 12).map((l) => `    | ${l.slice(0, 300)}`) : []),
      `    case ${first.index} (FUZZ_SEED=${seed} FUZZ_CASE=${first.index}): seed tree '${c.seedName}', build '${c.dir || '.'}', mode ${first.mode}`,
      ...c.mutations.map((m) => `      - ${m}`),
      `    input on disk: ${path.join(dir, 'input')}`,
      ...(first.reduced
        ? [`    reduced tree (build '${c.dir || '.'}'):`, ...describeTree(first.reduced, 800).split('\n').map((l) => `      ${l}`)]
        : [`    input:`, ...describeTree(c.files, 600).split('\n').slice(0, treeLines).map((l) => `      ${l}`)]),
    );
  }
  return out.join('\n');
}
