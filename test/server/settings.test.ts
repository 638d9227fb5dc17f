// Settings the language server applies, over JSON-RPC: each one sent in workspace/didChangeConfiguration
// (VS Code's nested `gitopsLens` section, as vscode-languageclient's synchronize sends it) takes effect
// without a restart, and initializationOptions.settings (the flat form the client sends) at startup.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import type { DidRenderParams, EnvironmentsResult, RenderResult } from '../../server/src/protocol';
import { Client, ensureBuilt, fixture, formatDiagnostics, repo, type Fixture } from './lsp';

before(() => ensureBuilt());

const DEPLOY = (name: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${name}
  template:
    spec:
      containers:
      - name: app
        image: nginx:1.25${extra}
`;

/** Sends settings as VS Code's nested section (`gitopsLens.helm.path`…). */
const nested = (s: Record<string, unknown>) => ({ gitopsLens: s });

function codes(c: Client, f: Fixture, file: string): string[] {
  return (c.diagnostics.get(f.uri(file)) ?? []).map((d: Diagnostic) => String(d.code)).sort();
}

async function envIds(c: Client): Promise<string[]> {
  const r = await c.request<EnvironmentsResult>('gitopsLens/environments', {});
  return r.environments.map((e) => e.id).sort();
}

const render = (c: Client, environment: string, extra: Record<string, unknown> = {}) => c.request<RenderResult>('gitopsLens/render', { environment, ...extra });

/** A shell script standing in for a binary: logs its arguments, then runs `body`. */
function script(f: Fixture, name: string, body: string): string {
  const p = f.path(`bin/${name}`);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, `#!/bin/sh\necho "$@" >> "${p}.log"\n${body}\n`, { mode: 0o755 });
  return p;
}

describe('settings: diagnostics toggles, exclude, schema, CRD locations', () => {
  let f: Fixture;
  let c: Client;
  before(async () => {
    f = fixture(`
//- /ws/apps/web/kustomization.yaml
resources:
- deploy.yaml
commonLabels:
  team: web
patches:
- target:
    kind: Deployment
    name: nope
  patch: |-
    - op: add
      path: /metadata/labels/x
      value: y
//- /ws/apps/web/deploy.yaml
${DEPLOY('web', '\n        port: 80')}
//- /ws/apps/web/notes.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: notes
//- /ws/apps/widget/kustomization.yaml
resources:
- widget.yaml
//- /ws/apps/widget/widget.yaml
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  size: big
//- /ws/vendor/lib/kustomization.yaml
bases:
- ../../apps/web
//- /crds/widget.yaml
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names:
    kind: Widget
    plural: widgets
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size:
                type: integer
`);
    c = await Client.start([f.path('ws')]);
  });
  after(async () => { await c?.stop(); fs.rmSync(f.dir, { recursive: true, force: true }); });

  it('everything is reported by default', async () => {
    assert.deepEqual(codes(c, f, 'ws/apps/web/kustomization.yaml'), ['deprecated', 'selects-nothing']);
    assert.deepEqual(codes(c, f, 'ws/apps/web/notes.yaml'), ['unreferenced']);
    assert.deepEqual(codes(c, f, 'ws/apps/web/deploy.yaml'), ['schema-unknown']);
    assert.deepEqual(codes(c, f, 'ws/apps/widget/widget.yaml'), ['schema-unchecked']);
    assert.deepEqual(codes(c, f, 'ws/vendor/lib/kustomization.yaml'), ['deprecated']);
    assert.deepEqual(await envIds(c), ['apps/widget', 'vendor/lib']);
  });

  it('diagnostics.deprecatedFields / unreferencedFiles / targetsSelectingNothing turn their own kind off, and back on', async () => {
    await c.configure(nested({ diagnostics: { deprecatedFields: false } }));
    assert.deepEqual(codes(c, f, 'ws/apps/web/kustomization.yaml'), ['selects-nothing']);
    assert.deepEqual(codes(c, f, 'ws/vendor/lib/kustomization.yaml'), []);
    await c.configure(nested({ diagnostics: { deprecatedFields: false, targetsSelectingNothing: false, unreferencedFiles: false } }));
    assert.deepEqual(codes(c, f, 'ws/apps/web/kustomization.yaml'), []);
    assert.deepEqual(codes(c, f, 'ws/apps/web/notes.yaml'), []);
    assert.deepEqual(codes(c, f, 'ws/apps/web/deploy.yaml'), ['schema-unknown'], 'other diagnostics stay');
    await c.configure(nested({ diagnostics: { deprecatedFields: true, targetsSelectingNothing: true, unreferencedFiles: true } }));
    assert.deepEqual(codes(c, f, 'ws/apps/web/kustomization.yaml'), ['deprecated', 'selects-nothing']);
    assert.deepEqual(codes(c, f, 'ws/apps/web/notes.yaml'), ['unreferenced']);
  });

  it('diagnostics.enabled off clears every file, on brings them back', async () => {
    await c.configure(nested({ diagnostics: { enabled: false } }));
    for (const [uri, list] of c.diagnostics) assert.deepEqual(list, [], uri);
    await c.configure(nested({ diagnostics: { enabled: true } }));
    assert.deepEqual(codes(c, f, 'ws/apps/web/deploy.yaml'), ['schema-unknown']);
  });

  it('schema.enabled off drops schema problems and hints; on checks again', async () => {
    await c.configure(nested({ schema: { enabled: false } }));
    assert.deepEqual(codes(c, f, 'ws/apps/web/deploy.yaml'), []);
    assert.deepEqual(codes(c, f, 'ws/apps/widget/widget.yaml'), []);
    const r = await render(c, 'apps/widget');
    assert.equal(r.documents[0]!.schema, undefined);
    await c.configure(nested({ schema: { enabled: true } }));
    assert.deepEqual(codes(c, f, 'ws/apps/web/deploy.yaml'), ['schema-unknown']);
  });

  it('schema.crdLocations: a CRD outside the workspace (relative to the folder) checks the custom resource; removing it unchecks it', async () => {
    await c.configure(nested({ schema: { enabled: true, crdLocations: ['../crds'] } }));
    const line = formatDiagnostics(f, new Map([[f.uri('ws/apps/widget/widget.yaml'), c.diagnostics.get(f.uri('ws/apps/widget/widget.yaml')) ?? []]]));
    assert.deepEqual(line, ['ws/apps/widget/widget.yaml:6: error schema-type: Widget w: spec.size: must be integer, not string (rendering widget)']);
    assert.match((await render(c, 'apps/widget')).documents[0]!.schema ?? '', /CRD widgets\.example\.com in widget\.yaml/);
    await c.configure(nested({ schema: { enabled: true, crdLocations: [] } }));
    assert.deepEqual(codes(c, f, 'ws/apps/widget/widget.yaml'), ['schema-unchecked']);
  });

  it('exclude: the server stops indexing the folder (no environment, no diagnostics there), and indexes it again', async () => {
    await c.configure(nested({ exclude: ['vendor/**'] }));
    assert.deepEqual(await envIds(c), ['apps/web', 'apps/widget'], 'apps/web is an environment now that nothing indexed includes it');
    assert.deepEqual(codes(c, f, 'ws/vendor/lib/kustomization.yaml'), []);
    await c.configure(nested({ exclude: ['vendor', 'apps/widget'] }));
    assert.deepEqual(await envIds(c), ['apps/web']);
    assert.deepEqual(codes(c, f, 'ws/apps/widget/widget.yaml'), []);
    await c.configure(nested({ exclude: [] }));
    assert.deepEqual(await envIds(c), ['apps/widget', 'vendor/lib']);
    assert.deepEqual(codes(c, f, 'ws/vendor/lib/kustomization.yaml'), ['deprecated']);
  });

  it('the flat settings in initializationOptions apply from the start (exclude before the first scan)', async () => {
    const c2 = await Client.start([f.path('ws')], {}, { settings: { exclude: ['vendor'], deprecatedFields: false } });
    try {
      assert.deepEqual(await envIds(c2), ['apps/web', 'apps/widget']);
      assert.deepEqual(codes(c2, f, 'ws/apps/web/kustomization.yaml'), ['selects-nothing']);
      assert.equal(c2.diagnostics.has(f.uri('ws/vendor/lib/kustomization.yaml')), false);
    } finally { await c2.stop(); }
  });
});

describe('settings: Secret masking, helm path, external renderer', () => {
  let f: Fixture;
  let c: Client;
  before(async () => {
    f = fixture(`
//- /ws/app/kustomization.yaml
resources:
- deploy.yaml
secretGenerator:
- name: creds
  literals:
  - password=hunter2
//- /ws/app/deploy.yaml
${DEPLOY('web')}
//- /ws/charts/kustomization.yaml
helmCharts:
- name: web
  releaseName: web
//- /ws/charts/charts/web/Chart.yaml
apiVersion: v2
name: web
version: 0.1.0
//- /ws/charts/charts/web/values.yaml
replicas: 1
`);
    c = await Client.start([f.path('ws')]);
  });
  after(async () => { await c?.stop(); fs.rmSync(f.dir, { recursive: true, force: true }); });

  it('Secret values are masked unless the request asks for them', async () => {
    const masked = await render(c, 'app');
    assert.match(masked.yaml, /password: <masked>/);
    assert.doesNotMatch(masked.yaml, /aHVudGVyMg==/);
    const plain = await render(c, 'app', { maskSecrets: false });
    assert.match(plain.yaml, /password: aHVudGVyMg==/);
  });

  it('helm.path: empty fails helmCharts as kustomize without --enable-helm; set, that binary inflates them; another binary re-renders', async () => {
    const before = await render(c, 'charts');
    assert.match(before.error?.message ?? '', /must specify --enable-helm .*gitopsLens\.helm\.path/);
    const body = (data: string) => `case "$1" in\n  version) echo v3.15.0;;\n  template) printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: from-helm\\ndata:\\n  v: ${data}\\n';;\nesac`;
    const helm1 = script(f, 'helm1', body('one'));
    const helm2 = script(f, 'helm2', body('two'));
    await c.configure(nested({ helm: { path: helm1 } }));
    let r = await render(c, 'charts');
    assert.equal(r.error, undefined, r.error?.message);
    assert.match(r.yaml, /name: from-helm/);
    assert.match(r.yaml, /v: one/);
    assert.match(fs.readFileSync(`${helm1}.log`, 'utf8'), /^template web .*charts\/web/m);
    await c.configure(nested({ helm: { path: helm2 } }));
    r = await render(c, 'charts');
    assert.match(r.yaml, /v: two/);
    await c.configure(nested({ helm: { path: '' } }));
    assert.match((await render(c, 'charts')).error?.message ?? '', /must specify --enable-helm/);
  });

  it('renderer kustomize: the binary renders the saved files (unsaved edits not included), Secrets masked, origins kept; back to builtin', async () => {
    // A stand-in kustomize: this project's CLI, which prints what `kustomize build DIR` prints.
    const kustomize = script(f, 'kustomize', `[ "$1" = build ] || exit 3\nexec "${process.execPath}" "${path.join(repo, 'dist/cli.js')}" build "$2"`);
    const deploy = f.uri('ws/app/deploy.yaml');
    await c.open(deploy, DEPLOY('web').replace('replicas: 1', 'replicas: 5'));
    await c.settled();
    assert.match((await render(c, 'app')).yaml, /replicas: 5/);
    const notes = c.notifications.length;
    await c.configure(nested({ renderer: 'kustomize', kustomizePath: kustomize }));
    const told = c.notifications.slice(notes).filter((n) => n.method === 'gitopsLens/didRender').map((n) => n.params as DidRenderParams);
    assert.ok(told.some((p) => p.environment.id === 'app' && p.changed), 'clients are told to refresh their previews');
    const r = await render(c, 'app');
    assert.deepEqual(r.renderer, { name: 'kustomize build', command: kustomize, savedFilesOnly: true });
    assert.match(r.yaml, /replicas: 1/, 'the saved file, not the buffer');
    assert.match(r.yaml, /password: <masked>/);
    assert.doesNotMatch(r.yaml, /aHVudGVyMg==/);
    const d = r.documents.find((x) => x.kind === 'Deployment')!;
    assert.equal(d.origin.uri, deploy);
    assert.equal(r.yaml.split('\n')[d.range.start.line + 1], 'kind: Deployment');
    assert.match(fs.readFileSync(`${kustomize}.log`, 'utf8'), /^build .*\/ws\/app$/m);
    // Cached while the saved files are the same: an unsaved edit does not run it again.
    const runs = fs.readFileSync(`${kustomize}.log`, 'utf8').split('\n').length;
    await c.change(deploy, DEPLOY('web').replace('replicas: 1', 'replicas: 6'));
    await c.settled();
    await render(c, 'app');
    assert.equal(fs.readFileSync(`${kustomize}.log`, 'utf8').split('\n').length, runs);
    // A missing binary is an error in the result, naming the setting.
    await c.configure(nested({ renderer: 'kustomize', kustomizePath: f.path('bin/nothing-here') }));
    assert.match((await render(c, 'app')).error?.message ?? '', /was not found \(gitopsLens\.kustomizePath/);
    await c.configure(nested({ renderer: 'builtin' }));
    const back = await render(c, 'app');
    assert.equal(back.renderer, undefined);
    assert.match(back.yaml, /replicas: 6/);
    await c.close(deploy);
  });

  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  it('renderer kubectl: `kubectl kustomize` on the saved files gives the built-in render of them', { skip: kubectl || process.env.CI ? false : 'no kubectl on PATH' }, async () => {
    await c.configure(nested({ renderer: 'kubectl', kubectlPath: 'kubectl' }));
    const r = await render(c, 'app', { maskSecrets: false });
    assert.equal(r.error, undefined, r.error?.message);
    assert.equal(r.renderer?.name, 'kubectl kustomize');
    await c.configure(nested({ renderer: 'builtin' }));
    const builtin = await render(c, 'app', { maskSecrets: false });
    assert.equal(r.yaml, builtin.yaml);
  });
});
