// Seeded robustness fuzzing of the engine: FUZZ_ITERATIONS (default 1000) mutated kustomize trees
// (mutate.ts), each built with `new Engine(host).build(dir)` and with `{ collectErrors: true }`
// (and a fake helm runner where the seed has helmCharts). Every build must return a result or
// throw a KustomizeError, and renderYaml must print the result. The builds run in a child process
// (engine-child.ts) with a 20 s timeout per batch, so an input that hangs the engine fails the test.
//
//   FUZZ_SEED=123 FUZZ_ITERATIONS=20000 node --import tsx --test test/fuzz/engine.test.ts
//   FUZZ_SEED=123 FUZZ_CASE=417 node --import tsx --test test/fuzz/engine.test.ts   # one case

import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Engine, MemoryHost } from '../../server/src/engine/index';
import { checkTree, MODES, ROOT, type Failure } from './engine-check';
import { iterations, makeCase, onlyCases, runSeed } from './mutate';
import { report, type Finding } from './report';
import { SEEDS } from './seeds';

const SEED = runSeed();
const N = iterations(1000);
const BATCH = 50;
const WORKERS = Math.max(1, Number(process.env.FUZZ_WORKERS) || Math.min(2, os.availableParallelism()));
const BATCH_TIMEOUT_MS = Number(process.env.FUZZ_BATCH_TIMEOUT_MS ?? 20_000);

interface Child { proc: ChildProcess; at: number }

function startChild(): Promise<Child> {
  const proc = fork(path.join(__dirname, 'engine-child.ts'), [], {
    execArgv: ['--import', 'tsx', '--max-old-space-size=2048'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    proc.once('message', () => resolve({ proc, at: -1 }));
    proc.once('exit', (code) => reject(new Error(`engine child exited (${code}) before it was ready`)));
  });
}

/** Runs `indices` in the child; resolves with the failures, or with `hung`/`died` at the case in flight. */
function runBatch(child: Child, indices: number[]): Promise<{ failures: Failure[]; stopped?: { index: number; why: string } }> {
  return new Promise((resolve) => {
    let stderr = '';
    const onErr = (d: Buffer) => { stderr += String(d); };
    const cleanup = () => { clearTimeout(timer); child.proc.off('message', onMsg); child.proc.off('exit', onExit); child.proc.stderr?.off('data', onErr); };
    const failures: Failure[] = [];
    const onMsg = (m: { at?: number; fail?: Failure; done?: boolean }) => {
      if (m.at !== undefined) child.at = m.at;
      if (m.fail) failures.push(m.fail);
      if (m.done) { cleanup(); resolve({ failures }); }
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      resolve({ failures, stopped: { index: child.at, why: `engine process died (code ${code}, signal ${signal}) ${stderr.slice(-2000)}` } });
    };
    const timer = setTimeout(() => {
      cleanup();
      child.proc.kill('SIGKILL');
      resolve({ failures, stopped: { index: child.at, why: `no result after ${BATCH_TIMEOUT_MS / 1000}s (batch of ${indices.length}); hung on this case` } });
    }, BATCH_TIMEOUT_MS);
    child.proc.on('message', onMsg);
    child.proc.on('exit', onExit);
    child.proc.stderr?.on('data', onErr);
    child.proc.send({ seed: SEED, indices, reduce: true });
  });
}

describe(`engine fuzz (seed ${SEED})`, () => {
  it('every seed tree builds cleanly (failures are the mutations\' doing)', () => {
    for (const s of SEEDS) {
      const host = new MemoryHost();
      for (const [p, t] of Object.entries(s.files)) host.write(`${ROOT}/${p}`, t);
      const r = new Engine(host).build(s.dir ? `${ROOT}/${s.dir}` : ROOT, MODES.helm);
      assert.deepEqual(r.errors.map((e) => e.message), [], `seed ${s.name}`);
      assert.ok(r.resources.length > 1, `seed ${s.name} renders resources`);
      assert.equal(checkTree(s.files, s.dir, 'build'), undefined);
    }
  });

  it(`${N} mutated trees: a result or a KustomizeError, never another exception`, { timeout: 20 * 60_000 }, async () => {
    const indices = onlyCases() ?? Array.from({ length: N }, (_, i) => i);
    const findings: Finding[] = [];
    // A small pool of engine processes pulling batches from one queue.
    const queue: number[][] = [];
    for (let b = 0; b < indices.length; b += BATCH) queue.push(indices.slice(b, b + BATCH));
    const worker = async (): Promise<void> => {
      let child = await startChild();
      try {
        for (let batch = queue.shift(); batch; batch = queue.shift()) {
          const r = await runBatch(child, batch);
          findings.push(...r.failures);
          if (r.stopped) {
            const at = r.stopped.index;
            findings.push({ key: 'Hang or crash of the engine process', index: at, mode: 'build', name: 'Hang', message: r.stopped.why, stack: '' });
            child.proc.kill('SIGKILL');
            child = await startChild();
            const rest = batch.slice(batch.indexOf(at) + 1);
            if (rest.length) queue.unshift(rest);
          }
        }
      } finally {
        child.proc.kill();
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    findings.sort((a, b) => a.index - b.index);
    const text = report('engine', SEED, indices.length, findings, 'node --import tsx --test test/fuzz/engine.test.ts');
    if (text) assert.fail(text);
    // A run that passes says which inputs it covered.
    console.log(`engine fuzz: seed ${SEED}, ${indices.length} inputs, no failures (first: ${makeCase(SEED, indices[0] ?? 0).mutations.join('; ')})`);
  });
});
