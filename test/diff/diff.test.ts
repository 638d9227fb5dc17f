// Generative differential test (short run): 300 random kustomization trees from the default seed
// (generate.ts), each built by `kubectl kustomize` and by the engine. Every feature tag must be
// exercised, and no more trees may differ from kubectl than floor.json allows (a ratchet, like the
// conformance floor: the classes still open are listed in README.md; more differences fail the run).
// Without kubectl on PATH this fails; it never skips. The long run: npm run fuzz:diff (10,000 trees).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { formatReport, kubectlVersion, runDifferential } from './harness';

const FLOOR = JSON.parse(fs.readFileSync(path.join(__dirname, 'floor.json'), 'utf8')) as { seed: number; count: number; differences: number };
const COUNT = FLOOR.count;
const DEFAULT_SEED = FLOOR.seed;

test(`generated kustomization trees: the engine agrees with kubectl kustomize (seed ${DEFAULT_SEED}, ${COUNT} trees)`, { timeout: 30 * 60_000 }, async () => {
  let version = '';
  assert.doesNotThrow(() => { version = kubectlVersion(); }, 'kubectl (with kustomize) must be on PATH: this test never skips');
  const summary = await runDifferential({ seed: DEFAULT_SEED, count: COUNT, jobs: 2 });
  const report = formatReport(summary, 10);
  process.stdout.write(`kubectl kustomize ${version}\n${report}\n`);
  assert.deepEqual(summary.missingTags, [], `feature tags no tree exercised: ${summary.missingTags.join(' ')}`);
  const ok = summary.results.filter((r) => r.kubectl.ok).length;
  assert.ok(ok >= COUNT * 0.85, `only ${ok} of ${COUNT} generated trees build with kubectl: the generator makes too many invalid trees`);
  if (summary.differences.length < FLOOR.differences) {
    process.stdout.write(`only ${summary.differences.length} trees differ now: lower test/diff/floor.json to that\n`);
  }
  assert.ok(summary.differences.length <= FLOOR.differences,
    `${summary.differences.length} trees differ from kubectl kustomize (the floor allows ${FLOOR.differences}):\n` +
    summary.differences.slice(0, 10).map((r) => `  ${summary.seed}/${r.index} ${r.outcome}: ${r.detail ?? ''}${r.saved ? `\n    saved: ${r.saved}` : ''}`).join('\n'));
});
