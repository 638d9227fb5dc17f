// Fixture cases, compared byte for byte: test/engine/fixtures/<case>/in/ is a kustomization tree
// (its root is in/, or the folder below in/ that a `root` file beside it names: an overlay with its
// bases beside it), and beside it expected.yaml is what `kubectl kustomize` prints for the root, or
// expected-error.txt is `file:line: message` of the engine's error (paths relative to the case) for a
// tree kubectl refuses too. A `flags` file beside in/ holds kubectl's flags for the case (only
// `--load-restrictor LoadRestrictionsNone`, the engine's loadRestrictor 'none'). Every case is built
// by the engine from a MemoryHost and re-checked against kubectl on disk: the expectation is
// kubectl's, never the engine's own.
//
//   UPDATE_EXPECT=1 node --import tsx --test test/engine/fixtures.test.ts   rewrites expected.yaml from
//   kubectl (and expected-error.txt where kubectl fails) for review in the diff.
//
// Without kubectl on PATH the kubectl half fails (it never skips).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { Engine, KustomizeError, MemoryHost, renderYaml, type BuildOptions } from '../../server/src/engine/index';

const DIR = path.join(__dirname, 'fixtures');
const UPDATE = !!process.env.UPDATE_EXPECT;

function files(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? files(dir, r) : [r];
  });
}

function kubectl(dir: string, flags: string[] = []): Promise<{ ok: boolean; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', ['kustomize', dir, ...flags], { encoding: 'utf8', maxBuffer: 64 << 20 }, (e, out, err) => resolve({ ok: !e, out, err: e && !err ? String(e) : err }));
  });
}

/** The folder a case builds, relative to the case: in/, or in/<the `root` file's path>. */
function buildDir(name: string): string {
  const rootFile = path.join(DIR, name, 'root');
  return fs.existsSync(rootFile) ? `in/${fs.readFileSync(rootFile, 'utf8').trim()}` : 'in';
}

/** kubectl's flags for a case (its `flags` file), and the build options they stand for. */
function flagsOf(name: string): { args: string[]; options: BuildOptions } {
  const file = path.join(DIR, name, 'flags');
  const args = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split(/\s+/).filter(Boolean) : [];
  if (args.length && args.join(' ') !== '--load-restrictor LoadRestrictionsNone') throw new Error(`${name}/flags: only --load-restrictor LoadRestrictionsNone is known, not ${args.join(' ')}`);
  return { args, options: args.length ? { loadRestrictor: 'none' } : {} };
}

/** The engine's answer for a case: the YAML it prints, or its error as `file:line: message`. */
function engine(name: string): { yaml?: string; error?: string } {
  const root = `/fx/${name}`;
  const host = new MemoryHost();
  for (const f of files(path.join(DIR, name, 'in'))) host.write(`${root}/in/${f}`, fs.readFileSync(path.join(DIR, name, 'in', f), 'utf8'));
  try {
    return { yaml: renderYaml(new Engine(host).build(`${root}/${buildDir(name)}`, flagsOf(name).options).resources) };
  } catch (e) {
    if (!(e instanceof KustomizeError)) throw e;
    const file = e.source?.file ? e.source.file.replace(`${root}/`, '') : '';
    const line = e.source?.range ? `:${e.source.range.start.line + 1}` : '';
    return { error: `${file}${line}: ${e.message.split(`${root}/`).join('')}\n` };
  }
}

const cases = fs.existsSync(DIR) ? fs.readdirSync(DIR).filter((n) => fs.existsSync(path.join(DIR, n, 'in'))).sort() : [];

describe('engine fixtures (byte for byte, expectations from kubectl kustomize)', () => {
  test('there are fixture cases', () => assert.ok(cases.length > 0));
  for (const name of cases) {
    test(name, async () => {
      const caseDir = path.join(DIR, name);
      const expectedYaml = path.join(caseDir, 'expected.yaml');
      const expectedError = path.join(caseDir, 'expected-error.txt');
      const ours = engine(name);
      const k = await kubectl(path.join(caseDir, buildDir(name)), flagsOf(name).args);
      if (UPDATE) {
        fs.rmSync(expectedYaml, { force: true });
        fs.rmSync(expectedError, { force: true });
        if (k.ok) fs.writeFileSync(expectedYaml, k.out);
        else if (ours.error) fs.writeFileSync(expectedError, ours.error);
        else assert.fail(`kubectl fails but the engine builds:\n${k.err}`);
        return;
      }
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
