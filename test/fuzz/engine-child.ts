// The engine fuzzer's worker process (forked by engine.test.ts with tsx), so that an input that
// makes the engine loop forever or exhaust memory fails the test instead of hanging it.
// Protocol (IPC): parent → { seed, indices, reduce } ; child → { at: i } before each case,
// { fail: Failure } for each failure as soon as it is found, then { done: true } after the batch.

import { checkCase, reduce, type Failure } from './engine-check';
import { makeCase } from './mutate';

const reducedKeys = new Set<string>();
// Reduction is best effort: bounded per class and per process (FUZZ_REDUCE_MS=0 turns it off).
const PER_CLASS_MS = Number(process.env.FUZZ_REDUCE_MS ?? 1500);
let reduceBudgetMs = PER_CLASS_MS * 4;
/** A build that takes longer than this is reported as slow (a pattern backtracking, a quadratic loop...). */
// A hang guard for runaway inputs (backtracking, blow-ups), not a speed target.
const SLOW_MS = Number(process.env.FUZZ_SLOW_MS ?? 10_000);

process.on('message', (msg: { seed: number; indices: number[]; reduce: boolean }) => {
  for (const i of msg.indices) {
    process.send!({ at: i });
    const c = makeCase(msg.seed, i);
    const failures = checkCase(c, SLOW_MS);
    for (const f of failures) {
      if (f.name !== 'Slow' && msg.reduce && !reducedKeys.has(f.key) && reduceBudgetMs > 0 && PER_CLASS_MS > 0) {
        reducedKeys.add(f.key);
        const r0 = Date.now();
        try { f.reduced = reduce(c.files, c.dir, f.mode, f.key, Math.min(PER_CLASS_MS, reduceBudgetMs)); } catch { /* keep the unreduced case */ }
        reduceBudgetMs -= Date.now() - r0;
      }
      process.send!({ fail: f as Failure });
    }
  }
  process.send!({ done: true });
});
process.send!({ ready: true });
