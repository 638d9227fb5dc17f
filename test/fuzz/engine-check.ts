// One fuzz case through the engine, in process: every build must return a result or throw a
// KustomizeError; renderYaml must print the result, and what it prints must parse again. Anything
// else (TypeError, SyntaxError from new RegExp, RangeError, ...) is a failure, classified by the
// exception's name and the first stack frame in server/src, and reduced to a small tree.

import { parseAllDocuments } from 'yaml';
import { Engine, KustomizeError, MemoryHost, renderYaml, type BuildOptions } from '../../server/src/engine/index';
import type { Case } from './mutate';
import { FAKE_HELM_OUTPUT } from './seeds';

export const ROOT = '/fuzz';

export interface Failure {
  index: number;
  /** Which build: 'build', 'collectErrors' or 'helm'. */
  mode: string;
  name: string;
  message: string;
  /** The first frames, ours first. */
  stack: string;
  /** Class of the failure: exception name + first frame in server/src. */
  key: string;
  /** A smaller tree that fails the same way (when reduction ran). */
  reduced?: Record<string, string>;
}

export const MODES: Record<string, BuildOptions> = {
  build: {},
  collectErrors: { collectErrors: true },
  helm: { collectErrors: true, enableHelm: true, helm: () => FAKE_HELM_OUTPUT },
};

function frameOf(stack: string): string {
  const lines = stack.split('\n').filter((l) => /^\s+at /.test(l));
  const ours = lines.find((l) => /server\/src\//.test(l));
  const line = (ours ?? lines[0] ?? '').trim().replace(/\/.*?\/(server\/src|node_modules)\//, '$1/');
  const m = /([^\s(]+:\d+):\d+\)?$/.exec(line);
  return m ? m[1]! : line;
}

function topFrames(stack: string, n = 6): string {
  return stack.split('\n').filter((l) => /^\s+at /.test(l)).slice(0, n).map((l) => l.trim().replace(/\(\/.*?\/(server\/src|node_modules)\//, '($1/')).join('\n');
}

function failure(index: number, mode: string, e: unknown, kind?: string): Failure {
  const err = e instanceof Error ? e : new Error(`non-Error thrown: ${String(e)}`);
  const name = kind ?? err.name ?? 'Error';
  const stack = err.stack ?? '';
  return { index, mode, name, message: (err.message ?? '').slice(0, 500), stack: topFrames(stack), key: `${name} at ${frameOf(stack)}` };
}

/** An engine over a fresh in-memory copy of the tree. */
export function engineFor(files: Record<string, string>): Engine {
  const host = new MemoryHost();
  host.mkdir(ROOT);
  for (const [p, t] of Object.entries(files)) host.write(`${ROOT}/${p}`, t);
  return new Engine(host);
}

/** Runs one tree through one build mode; undefined when it behaves. */
export function checkTree(files: Record<string, string>, dir: string, mode: string, index = -1, engine = engineFor(files)): Failure | undefined {
  let result;
  try {
    result = engine.build(dir ? `${ROOT}/${dir}` : ROOT, MODES[mode]);
  } catch (e) {
    if (e instanceof KustomizeError) {
      if (typeof e.message !== 'string' || !e.message) return failure(index, mode, e, 'EmptyKustomizeError');
      return undefined;
    }
    return failure(index, mode, e);
  }
  for (const e of result.errors) if (!(e instanceof KustomizeError)) return failure(index, mode, e, 'NonKustomizeErrorCollected');
  let yaml: string;
  try {
    yaml = renderYaml(result.resources);
  } catch (e) {
    return failure(index, mode, e, `renderYaml:${e instanceof Error ? e.name : 'throw'}`);
  }
  try {
    for (const d of parseAllDocuments(yaml) as ReturnType<typeof parseAllDocuments> & unknown[]) {
      const err = d.errors[0];
      if (err) {
        const at = err.pos[0];
        const e = new Error(`${err.message.split('\n')[0]} near ${JSON.stringify(yaml.slice(Math.max(0, at - 60), at + 60))}`);
        e.stack = `Error\n    at renderYaml (server/src/engine/index.ts:0:0)`;
        return failure(index, mode, e, 'RenderedYamlDoesNotParse');
      }
    }
  } catch (e) {
    return failure(index, mode, e, 'RenderedYamlDoesNotParse');
  }
  return undefined;
}

/**
 * Every build mode of a case; the first failure of each mode. A build slower than `slowMs` is a
 * failure too (a backtracking pattern, a quadratic loop), and the case's other builds are skipped.
 */
export function checkCase(c: Case, slowMs = Infinity): Failure[] {
  const out: Failure[] = [];
  // One engine for the case's builds: its parse cache lives across them, as in the language server.
  const engine = engineFor(c.files);
  for (const mode of c.helm ? ['build', 'collectErrors', 'helm'] : ['build', 'collectErrors']) {
    const t0 = Date.now();
    const f = checkTree(c.files, c.dir, mode, c.index, engine);
    const ms = Date.now() - t0;
    if (f) out.push(f);
    if (ms > slowMs) {
      out.push({ index: c.index, mode, name: 'Slow', message: `one build of this case took ${ms} ms (FUZZ_SLOW_MS=${slowMs})`, stack: '', key: 'Slow input (one build took more than FUZZ_SLOW_MS)' });
      break;
    }
  }
  return out;
}

/**
 * Shrinks a failing tree while it still fails with the same key: drop files, drop line chunks
 * (ddmin-style), shorten long runs of one character. Bounded by `budgetMs`.
 */
export function reduce(files: Record<string, string>, dir: string, mode: string, key: string, budgetMs = 4000): Record<string, string> {
  const t0 = Date.now();
  const fails = (f: Record<string, string>): boolean => Date.now() - t0 < budgetMs && checkTree(f, dir, mode)?.key === key;
  let cur = { ...files };
  // 1. Whole files.
  for (const p of Object.keys(cur)) {
    const next = { ...cur };
    delete next[p];
    if (fails(next)) cur = next;
  }
  // 2. Line chunks, per file.
  for (const p of Object.keys(cur)) {
    let lines = cur[p]!.split('\n');
    let chunk = Math.max(1, Math.floor(lines.length / 2));
    while (chunk >= 1 && Date.now() - t0 < budgetMs) {
      let removed = false;
      for (let at = 0; at < lines.length && Date.now() - t0 < budgetMs;) {
        const cand = [...lines.slice(0, at), ...lines.slice(at + chunk)];
        if (fails({ ...cur, [p]: cand.join('\n') })) { lines = cand; cur = { ...cur, [p]: lines.join('\n') }; removed = true; } else at += chunk;
      }
      if (!removed) chunk = Math.floor(chunk / 2);
    }
    // 3. Long runs of one character: halve each while it still fails.
    let text = cur[p]!;
    const re = /(.)\1{15,}/gs;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) && Date.now() - t0 < budgetMs) {
      let run = m[0].length;
      while (run > 8) {
        const half = Math.floor(run / 2);
        const cand = text.slice(0, m.index) + m[1]!.repeat(half) + text.slice(m.index + run);
        if (!fails({ ...cur, [p]: cand })) break;
        text = cand;
        cur = { ...cur, [p]: text };
        run = half;
      }
      re.lastIndex = m.index + run;
    }
  }
  return cur;
}
