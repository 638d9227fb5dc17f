// Generative differential testing, part 2: build each generated tree (generate.ts) with
// `kubectl kustomize` (on disk, at most `jobs` processes at once) and with the engine (in process, from a
// MemoryHost), and compare: identical bytes, both fail (they agree), or a difference. Used by run.ts
// (the command line) and diff.test.ts (a short seeded run in `npm test`).

import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine, KustomizeError, MemoryHost, renderYaml } from '../../server/src/engine/index';
import { ALL_TAGS, generateTree, type GeneratedTree } from './generate';

export const DEFAULT_SEED = 20250101;
export const SAVE_ROOT = path.join(os.tmpdir(), 'gitops-lens-diff');

export type Outcome = 'identical' | 'both-fail' | 'bytes-differ' | 'kubectl-ok-ours-fails' | 'ours-ok-kubectl-fails' | 'ours-crashes';
export const DIFFERENCES: Outcome[] = ['bytes-differ', 'kubectl-ok-ours-fails', 'ours-ok-kubectl-fails', 'ours-crashes'];

export interface TreeResult {
  index: number;
  tags: string[];
  outcome: Outcome;
  kubectl: { ok: boolean; out: string; err: string; ms: number };
  ours: { ok: boolean; out: string; err: string; ms: number };
  /** for a difference: the first differing line, or the failing side's error */
  detail?: string;
  saved?: string;
  /** kubectl printed different bytes when run again on the same tree */
  kubectlFlaky?: boolean;
}

export interface RunOptions {
  seed: number;
  count: number;
  /** only these tree indexes (default: 0..count-1) */
  only?: number[];
  /** concurrent kubectl processes (default 2) */
  jobs?: number;
  /** per-tree kubectl timeout in ms (default 60 s) */
  timeoutMs?: number;
  /** where differing trees are saved (default /tmp/gitops-lens-diff); '' to not save */
  saveRoot?: string;
  progress?: (done: number, total: number) => void;
}

export interface RunSummary {
  seed: number;
  results: TreeResult[];
  ms: number;
  /** tag -> [trees exercising it, of which differing] */
  tagCounts: Map<string, [number, number]>;
  missingTags: string[];
  differences: TreeResult[];
}

/** Fails (throws) when kubectl is not on PATH or has no kustomize. */
export function kubectlVersion(): string {
  const out = execFileSync('kubectl', ['version', '--client'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const m = /Kustomize Version:\s*(\S+)/.exec(out);
  if (!m) throw new Error(`kubectl has no kustomize:\n${out}`);
  return m[1]!;
}

function kubectl(dir: string, timeoutMs: number): Promise<TreeResult['kubectl']> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    execFile('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 << 20, timeout: timeoutMs, killSignal: 'SIGKILL' }, (e, out, err) => {
      const timedOut = !!e && (e as NodeJS.ErrnoException & { killed?: boolean }).killed;
      resolve({ ok: !e, out, err: timedOut ? `timed out after ${timeoutMs} ms` : e && !err ? String(e) : err, ms: Date.now() - t0 });
    });
  });
}

function ours(tree: GeneratedTree): TreeResult['ours'] & { crash: boolean } {
  const t0 = Date.now();
  const host = new MemoryHost();
  for (const [p, text] of Object.entries(tree.files)) host.write(`/t/${p}`, text);
  try {
    const out = renderYaml(new Engine(host).build('/t/root').resources);
    return { ok: true, out, err: '', ms: Date.now() - t0, crash: false };
  } catch (e) {
    const crash = !(e instanceof KustomizeError);
    const msg = e instanceof Error ? (crash ? e.stack ?? e.message : e.message) : String(e);
    return { ok: false, out: '', err: msg.split('/t/').join(''), ms: Date.now() - t0, crash };
  }
}

/** `line N: kubectl <a> | ours <b>` for the first line where two outputs differ. */
export function firstDifference(a: string, b: string): string {
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) {
      const show = (s: string | undefined) => (s === undefined ? '<end of output>' : JSON.stringify(s));
      return `line ${i + 1}: kubectl ${show(x[i])} | ours ${show(y[i])}`;
    }
  }
  return 'identical';
}

function writeTree(dir: string, tree: GeneratedTree): void {
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [p, text] of Object.entries(tree.files)) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), text);
  }
  fs.mkdirSync(path.join(dir, 'root'), { recursive: true });
}

function save(root: string, seed: number, res: TreeResult, tree: GeneratedTree): string {
  const dir = path.join(root, `${seed}-${res.index}`);
  writeTree(dir, tree);
  const w = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);
  w('kubectl.out', res.kubectl.ok ? res.kubectl.out : `ERROR\n${res.kubectl.err}`);
  w('ours.out', res.ours.ok ? res.ours.out : `ERROR\n${res.ours.err}`);
  w('INFO.txt', `seed ${seed}, tree ${res.index}: ${res.outcome}\n${res.detail ?? ''}\ntags: ${res.tags.join(' ')}\n\n` +
    `re-run:  kubectl kustomize ${path.join(dir, 'root')}\n` +
    `         node --import tsx test/diff/run.ts --seed ${seed} --only ${res.index}\n`);
  return dir;
}

export async function runDifferential(opts: RunOptions): Promise<RunSummary> {
  const t0 = Date.now();
  const jobs = Math.max(1, opts.jobs ?? 2);
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const saveRoot = opts.saveRoot ?? SAVE_ROOT;
  const indexes = opts.only ?? Array.from({ length: opts.count }, (_, i) => i);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-lens-diff-work-'));
  const results: TreeResult[] = new Array(indexes.length);
  let next = 0;
  let done = 0;
  async function worker(): Promise<void> {
    while (next < indexes.length) {
      const slot = next++;
      const index = indexes[slot]!;
      const tree = generateTree(opts.seed, index);
      const dir = path.join(work, String(index));
      writeTree(dir, tree);
      const k = kubectl(path.join(dir, 'root'), timeoutMs); // runs while the engine builds
      const o = ours(tree);
      const kr = await k;
      // kubectl's own output is not always the same from run to run (the order of some map keys): when
      // the bytes differ, ask it twice more; ours agrees if it equals any of kubectl's outputs
      let flaky = false;
      if (kr.ok && o.ok && kr.out !== o.out) {
        for (let again = 0; again < 2; again++) {
          const k2 = await kubectl(path.join(dir, 'root'), timeoutMs);
          if (k2.ok && k2.out !== kr.out) flaky = true;
          if (k2.ok && k2.out === o.out) { kr.out = k2.out; break; }
        }
      }
      fs.rmSync(dir, { recursive: true, force: true });
      let outcome: Outcome;
      let detail: string | undefined;
      if (o.crash) { outcome = 'ours-crashes'; detail = `engine crashed: ${o.err.split('\n').slice(0, 3).join(' | ')}`; } else if (kr.ok && o.ok) {
        outcome = kr.out === o.out ? 'identical' : 'bytes-differ';
        if (outcome === 'bytes-differ') detail = firstDifference(kr.out, o.out) + (flaky ? ' (kubectl itself printed different outputs on re-runs)' : '');
      } else if (!kr.ok && !o.ok) outcome = 'both-fail';
      else if (kr.ok) { outcome = 'kubectl-ok-ours-fails'; detail = `ours: ${o.err.trim().split('\n')[0]}`; } else { outcome = 'ours-ok-kubectl-fails'; detail = `kubectl: ${kubectlError(kr.err)}`; }
      const res: TreeResult = { index, tags: tree.tags, outcome, kubectl: kr, ours: { ok: o.ok, out: o.out, err: o.err, ms: o.ms }, detail, kubectlFlaky: flaky };
      if (saveRoot && DIFFERENCES.includes(outcome)) res.saved = save(saveRoot, opts.seed, res, tree);
      results[slot] = res;
      opts.progress?.(++done, indexes.length);
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.min(jobs, indexes.length) }, worker));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const tagCounts = new Map<string, [number, number]>(ALL_TAGS.map((t) => [t, [0, 0]]));
  for (const r of results) {
    for (const t of r.tags) {
      const c = tagCounts.get(t) ?? [0, 0];
      c[0]++;
      if (DIFFERENCES.includes(r.outcome)) c[1]++;
      tagCounts.set(t, c);
    }
  }
  return {
    seed: opts.seed,
    results,
    ms: Date.now() - t0,
    tagCounts,
    missingTags: [...tagCounts].filter(([, [n]]) => n === 0).map(([t]) => t),
    differences: results.filter((r) => DIFFERENCES.includes(r.outcome)),
  };
}

/** kubectl's error without its log prefix and temp paths. */
export function kubectlError(err: string): string {
  const last = err.trim().split('\n').slice(-1)[0] ?? '';
  const m = /err="(.*)"$/.exec(last);
  return (m ? m[1]!.replace(/\\"/g, '"') : last).replace(/\/tmp\/[^\s'"]*?\/\d+\//g, '');
}

function table(rows: (string | number)[][], head: string[]): string {
  const all = [head, ...rows].map((r) => r.map(String));
  const w = head.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
  const line = (r: string[]) => '| ' + r.map((x, c) => (c ? x.padStart(w[c]!) : x.padEnd(w[c]!))).join(' | ') + ' |';
  return [line(all[0]!), '|' + w.map((n, c) => (c ? '-'.repeat(n + 1) + ':' : '-'.repeat(n + 2))).join('|') + '|', ...all.slice(1).map(line)].join('\n');
}

/** The report: summary table, per-tag table, kubectl's own failures, and up to `maxDiffs` differences. */
export function formatReport(s: RunSummary, maxDiffs = 20): string {
  const n = s.results.length;
  const count = (o: Outcome) => s.results.filter((r) => r.outcome === o).length;
  const kubectlOk = s.results.filter((r) => r.kubectl.ok).length;
  const out: string[] = [];
  out.push(`seed ${s.seed}: ${n} trees in ${(s.ms / 1000).toFixed(1)} s (kubectl ${(s.results.reduce((a, r) => a + r.kubectl.ms, 0) / 1000).toFixed(1)} s total, engine ${(s.results.reduce((a, r) => a + r.ours.ms, 0) / 1000).toFixed(1)} s total)`);
  out.push('');
  out.push(table([[n, `${kubectlOk} (${((100 * kubectlOk) / Math.max(1, n)).toFixed(1)}%)`, count('identical'), count('both-fail'), s.differences.length, s.results.filter((r) => r.kubectlFlaky).length]],
    ['trees', 'kubectl ok', 'identical', 'both fail', 'differences', 'kubectl not deterministic']));
  out.push('');
  out.push(table(DIFFERENCES.map((o) => [o, count(o)]), ['difference kind', 'trees']));
  out.push('');
  out.push(table([...s.tagCounts].map(([t, [a, d]]) => [t + (a === 0 ? '   <-- never exercised' : ''), a, d, a ? `${((100 * d) / a).toFixed(0)}%` : '-']), ['feature tag', 'trees', 'differ', '%']));
  const fails = new Map<string, number>();
  for (const r of s.results) {
    if (r.kubectl.ok) continue;
    const msg = kubectlError(r.kubectl.err).slice(0, 220);
    fails.set(msg, (fails.get(msg) ?? 0) + 1);
  }
  if (fails.size) {
    out.push('');
    out.push('kubectl failures (its last error line):');
    for (const [msg, c] of [...fails].sort((a, b) => b[1] - a[1]).slice(0, 15)) out.push(`  ${String(c).padStart(4)}  ${msg}`);
  }
  if (s.differences.length) {
    out.push('');
    out.push(`differences (${Math.min(maxDiffs, s.differences.length)} of ${s.differences.length}):`);
    for (const r of s.differences.slice(0, maxDiffs)) {
      out.push(`- ${s.seed}/${r.index} ${r.outcome}: ${r.detail ?? ''}`);
      out.push(`    tags: ${r.tags.join(' ')}`);
      if (r.saved) out.push(`    saved: ${r.saved}  (kubectl kustomize ${path.join(r.saved, 'root')})`);
    }
  }
  if (s.missingTags.length) {
    out.push('');
    out.push(`feature tags never exercised: ${s.missingTags.join(' ')}`);
  }
  return out.join('\n');
}
