// The gitops-lens CLI as a user runs it: `node dist/cli.js ...` on trees written to a temp folder.
// dist/cli.js is (re)built first when it is missing or older than the sources bundled into it. Expected outputs were
// produced by `kubectl kustomize` (kustomize v5.5.0) on the same trees.
//
// Run: node --import tsx --test test/cli/cli.test.ts

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { dedent, yamlDocs } from '../engine/harness';

import { CLI, ensureCli } from '../support/dist';

let tmp = '';

function write(files: Record<string, string>): void {
  for (const [p, text] of Object.entries(files)) {
    const f = path.join(tmp, p);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, text);
  }
}

/** Runs the CLI; `PATH` is limited to node's own folder unless given, so no helm is found by accident. */
function cli(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    cwd: tmp,
    env: { PATH: path.dirname(process.execPath), ...env },
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  ensureCli();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-lens-cli-'));
  write({
    'base/kustomization.yaml': 'resources:\n- deploy.yaml\n',
    'base/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n        envFrom:\n        - configMapRef:\n            name: settings\n',
    'prod/kustomization.yaml': 'namePrefix: prod-\nnamespace: prod\nresources:\n- ../base\nconfigMapGenerator:\n- name: settings\n  literals:\n  - MODE=prod\nimages:\n- name: nginx\n  newTag: "1.27"\n',
    'shared/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n',
    'outside/kustomization.yaml': 'resources:\n- ../shared/cm.yaml\n',
    'broken/kustomization.yaml': 'resources:\n- cm.yaml\nnamePrefx: p-\n',
    'broken/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
    'helm/kustomization.yaml': 'helmCharts:\n- name: podinfo\n  repo: https://stefanprodan.github.io/podinfo\n  version: 6.5.0\n',
  });
});

after(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('gitops-lens CLI', () => {
  test('--help documents build and its flags', () => {
    const r = cli(['--help']);
    assert.equal(r.status, 0);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /gitops-lens build DIR/);
    for (const flag of ['--load-restrictor', '--enable-helm', '--helm-command']) assert.match(r.stdout, new RegExp(flag));
    assert.match(r.stdout, /LoadRestrictionsNone/);
  });

  test('build prints the documents kubectl kustomize prints, in the same order', () => {
    const r = cli(['build', 'prod']);
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    // kubectl kustomize prod
    assert.deepStrictEqual(yamlDocs(r.stdout), yamlDocs(dedent(`
      apiVersion: v1
      data:
        MODE: prod
      kind: ConfigMap
      metadata:
        name: prod-settings-2h42td9ggm
        namespace: prod
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: prod-web
        namespace: prod
      spec:
        replicas: 1
        template:
          spec:
            containers:
            - envFrom:
              - configMapRef:
                  name: prod-settings-2h42td9ggm
              image: nginx:1.27
              name: web
    `)));
  });

  test('build with an absolute DIR, and the --flag=value form', () => {
    const r = cli(['build', path.join(tmp, 'outside'), '--load-restrictor=LoadRestrictionsNone']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepStrictEqual(yamlDocs(r.stdout), [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared' } }]);
  });

  test('an error exits 1 with file:line: and the message on stderr, nothing on stdout', () => {
    const r = cli(['build', 'broken']);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    // kustomize: invalid Kustomization: json: unknown field "namePrefx"
    const file = path.join(tmp, 'broken', 'kustomization.yaml');
    assert.ok(r.stderr.includes(`${file}:3:`), r.stderr);
    assert.match(r.stderr, /^Error: .*kustomization\.yaml:3:\d+: invalid Kustomization: json: unknown field "namePrefx"\n$/);
  });

  test('a file outside the root is refused by default and allowed with --load-restrictor none', () => {
    const refused = cli(['build', 'outside']);
    assert.equal(refused.status, 1);
    assert.equal(refused.stdout, '');
    assert.match(refused.stderr, /outside[/\\]kustomization\.yaml:2:\d+: .*security; file '.*shared[/\\]cm\.yaml' is not in or below/);

    const allowed = cli(['build', 'outside', '--load-restrictor', 'none']);
    assert.equal(allowed.status, 0, allowed.stderr);
    // kubectl kustomize --load-restrictor LoadRestrictionsNone outside
    assert.deepStrictEqual(yamlDocs(allowed.stdout), yamlDocs('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n'));
  });

  test('helmCharts without --enable-helm fail as kustomize does', () => {
    const r = cli(['build', 'helm']);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /helm[/\\]kustomization\.yaml:2:\d+: must specify --enable-helm/);
  });

  test('--enable-helm without a helm binary gives a clear error naming helm', () => {
    const r = cli(['build', 'helm', '--enable-helm']);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /kustomization\.yaml:2:\d+: .*helm (v3 )?binary/);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');
  });

  test('--enable-helm with a --helm-command that does not exist names it', () => {
    const missing = path.join(tmp, 'no-such-helm');
    const r = cli(['build', 'helm', '--enable-helm', '--helm-command', missing]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^Error: .*helm.*no-such-helm/);
  });

  test('unknown flags exit 2', () => {
    const r = cli(['build', 'prod', '--no-such-flag']);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /unknown option --no-such-flag/);
  });

  test('a bad --load-restrictor value and an unknown command exit 2', () => {
    assert.equal(cli(['build', 'prod', '--load-restrictor', 'sometimes']).status, 2);
    const r = cli(['frobnicate']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown command 'frobnicate'/);
  });

  test('a folder that does not exist exits 1', () => {
    const r = cli(['build', 'nowhere']);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /nowhere/);
  });

  test('a symlink that leads outside the root is refused, as kubectl refuses it; --load-restrictor none follows it', () => {
    write({
      'links/outside/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: outside\n',
      'links/root/kustomization.yaml': 'resources:\n- link.yaml\n',
    });
    fs.rmSync(path.join(tmp, 'links/root/link.yaml'), { force: true });
    fs.symlinkSync('../outside/cm.yaml', path.join(tmp, 'links/root/link.yaml'));
    const root = path.join(tmp, 'links/root');
    const r = cli(['build', 'links/root']);
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stderr, new RegExp(`security; file '${root}/link\\.yaml' is not in or below '${root}'`));
    const k = spawnSync('kubectl', ['kustomize', root], { encoding: 'utf8' });
    assert.notEqual(k.status, 0, 'kubectl refuses it too');
    assert.match(k.stderr, /is not in or below/);
    const none = cli(['build', 'links/root', '--load-restrictor', 'none']);
    assert.equal(none.status, 0, none.stderr);
    assert.match(none.stdout, /name: outside/);
  });
});
