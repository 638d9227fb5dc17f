// Fixture cases, compared byte for byte: test/engine/fixtures/<case>/in/ is a kustomization tree
// (its root is in/, or the folder below in/ that a `root` file beside it names: an overlay with its
// bases beside it), and beside it expected.yaml is what `kubectl kustomize` prints for the root, or
// expected-error.txt is `file:line: message` of the engine's error (paths relative to the case) for a
// tree kubectl refuses too, and expected-warnings.txt the engine's warnings (`file:line: message`),
// whose words must be the ones kubectl prints; an expected-origins.txt beside them is the engine's origins as a readable
// dump (origins-dump.ts). A `flags` file beside in/ holds kubectl's flags for the case (only
// `--load-restrictor LoadRestrictionsNone`, the engine's loadRestrictor 'none'). Every case is built
// by the engine from a MemoryHost and re-checked against kubectl on disk: the expectation is
// kubectl's, never the engine's own.
//
//   UPDATE_EXPECT=1 node --import tsx --test test/engine/fixtures.test.ts   rewrites expected.yaml from
//   kubectl (expected-error.txt where kubectl fails, and the engine's expected-origins.txt where there
//   is one) for review in the diff.
//
// Without kubectl on PATH the kubectl half fails (it never skips).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { buildDir, DIR, engine, flagsOf, kubectl, kubectlWarnings } from './fixture-case';

const UPDATE = !!process.env.UPDATE_EXPECT;
const cases = fs.existsSync(DIR) ? fs.readdirSync(DIR).filter((n) => fs.existsSync(path.join(DIR, n, 'in'))).sort() : [];

describe('engine fixtures (byte for byte, expectations from kubectl kustomize)', () => {
  test('there are fixture cases', () => assert.ok(cases.length > 0));
  for (const name of cases) {
    test(name, async () => {
      const caseDir = path.join(DIR, name);
      const expectedYaml = path.join(caseDir, 'expected.yaml');
      const expectedError = path.join(caseDir, 'expected-error.txt');
      const expectedOrigins = path.join(caseDir, 'expected-origins.txt');
      const expectedWarnings = path.join(caseDir, 'expected-warnings.txt');
      const ours = engine(name);
      const k = await kubectl(path.join(caseDir, buildDir(name)), flagsOf(name).args);
      if (UPDATE) {
        fs.rmSync(expectedYaml, { force: true });
        fs.rmSync(expectedError, { force: true });
        if (k.ok) fs.writeFileSync(expectedYaml, k.out);
        else if (ours.error) fs.writeFileSync(expectedError, ours.error);
        else assert.fail(`kubectl fails but the engine builds:\n${k.err}`);
        if (fs.existsSync(expectedOrigins) && ours.origins) fs.writeFileSync(expectedOrigins, ours.origins);
        fs.rmSync(expectedWarnings, { force: true });
        if (ours.warnings) fs.writeFileSync(expectedWarnings, ours.warnings);
        return;
      }
      // Warnings: the engine's (with where they point) as the case holds them, and their words kubectl's.
      const warnings = fs.existsSync(expectedWarnings) ? fs.readFileSync(expectedWarnings, 'utf8') : '';
      if (ours.warnings !== undefined) assert.equal(ours.warnings, warnings, 'warnings (UPDATE_EXPECT=1 writes the engine\'s for review)');
      if (k.ok) assert.deepEqual(warnings.split('\n').filter(Boolean).map((l) => l.slice(l.indexOf('Warning:'))), kubectlWarnings(k.err), 'the warnings are not the ones kubectl prints');
      if (fs.existsSync(expectedOrigins)) assert.equal(ours.origins, fs.readFileSync(expectedOrigins, 'utf8'), 'origins (UPDATE_EXPECT=1 writes the engine\'s for review)');
      if (fs.existsSync(expectedYaml)) {
        const want = fs.readFileSync(expectedYaml, 'utf8');
        assert.ok(k.ok, `kubectl kustomize fails on a case that expects output: ${k.err}`);
        assert.equal(k.out, want, 'expected.yaml is not what kubectl kustomize prints (UPDATE_EXPECT=1 to review)');
        assert.equal(ours.error, undefined, `the engine fails: ${ours.error}`);
        assert.equal(ours.yaml, want);
      } else {
        assert.ok(fs.existsSync(expectedError), `${name} has neither expected.yaml nor expected-error.txt`);
        assert.ok(!k.ok, `kubectl kustomize builds a case that expects an error:\n${k.out}`);
        assert.equal(ours.error, fs.readFileSync(expectedError, 'utf8'), `the engine ${ours.yaml !== undefined ? `builds:\n${ours.yaml}` : 'fails otherwise'}`);
      }
    });
  }
});
