// The settings the language server applies, in process: each one given to Workspace.applySettings
// as the server gives it (VS Code's nested `gitopsLens` section, read by readSettings) takes effect
// without a restart; outputs compared whole (check.ts). One test at the end speaks JSON-RPC to the
// server process: initializationOptions at startup, workspace/didChangeConfiguration, and the
// diagnostics and notifications that follow.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { renderRequest } from '../../server/src/features/render';
import { listEnvironments } from '../../server/src/features/environments';
import type { DidRenderParams, RenderResult } from '../../server/src/protocol';
import { diskIO } from '../../server/src/workspace/disk-io';
import { readSettings } from '../../server/src/workspace/settings';
import { Workspace } from '../../server/src/workspace/workspace';
import { allDiagnostics, check, expect, parseFixture, workspaceOf } from './check';
import { Client, fixture, formatDiagnostics, repo } from './lsp';

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

/** Applies settings as the server does on workspace/didChangeConfiguration (VS Code's nested section), and waits for the renders. */
async function configure(ws: Workspace, s: Record<string, unknown>): Promise<void> {
  const { crdProblems } = ws.applySettings(readSettings({ gitopsLens: s }, ws.settings));
  const problems = await crdProblems;
  assert.deepEqual(problems, []);
  await ws.idle();
}

const render = async (ws: Workspace, environment: string, extra: Record<string, unknown> = {}): Promise<RenderResult> => (await renderRequest(ws, { environment, ...extra }))!;

const WORKSPACE = `
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
`;

describe('settings: diagnostics toggles, exclude, schema, CRD locations', () => {
  const f = parseFixture(WORKSPACE);
  const files = Object.keys(f.files);
  /** The environments, then every diagnostic of the workspace. */
  const state = (ws: Workspace) => [`environments: ${listEnvironments(ws, undefined).environments.map((e) => e.id).join(', ')}`, allDiagnostics(ws, files) || '(no diagnostics)'].join('\n');

  it('everything is reported by default', async () => {
    check(state(await workspaceOf(f)), expect`
      environments: apps/widget, vendor/lib
      ws/apps/web/deploy.yaml:15: warning schema-unknown: Deployment web: spec.template.spec.containers[0].port: unknown field "port" (rendering lib)
      ws/apps/web/kustomization.yaml:3: warning deprecated: Warning: 'commonLabels' is deprecated. Please use 'labels' instead.
      ws/apps/web/kustomization.yaml:6: warning selects-nothing: patch selects nothing (kind=Deployment, name=nope) in environment lib; kustomize ignores it silently
      ws/apps/web/notes.yaml:1: hint unreferenced: notes.yaml is not referenced by kustomization.yaml (nor by any other kustomization); it is not part of any render
      ws/apps/widget/widget.yaml:1: hint schema-unchecked: Widget w is not schema-checked: no schema known for example.com/v1 Widget (add its CustomResourceDefinition to the workspace, or name it in gitopsLens.schema.crdLocations)
      ws/vendor/lib/kustomization.yaml:1: warning deprecated: Warning: 'bases' is deprecated. Please use 'resources' instead.
    `);
  });

  it('diagnostics.deprecatedFields / unreferencedFiles / targetsSelectingNothing turn their own kind off, and back on', async () => {
    const ws = await workspaceOf(f);
    await configure(ws, { diagnostics: { deprecatedFields: false } });
    check(state(ws), expect`
      environments: apps/widget, vendor/lib
      ws/apps/web/deploy.yaml:15: warning schema-unknown: Deployment web: spec.template.spec.containers[0].port: unknown field "port" (rendering lib)
      ws/apps/web/kustomization.yaml:6: warning selects-nothing: patch selects nothing (kind=Deployment, name=nope) in environment lib; kustomize ignores it silently
      ws/apps/web/notes.yaml:1: hint unreferenced: notes.yaml is not referenced by kustomization.yaml (nor by any other kustomization); it is not part of any render
      ws/apps/widget/widget.yaml:1: hint schema-unchecked: Widget w is not schema-checked: no schema known for example.com/v1 Widget (add its CustomResourceDefinition to the workspace, or name it in gitopsLens.schema.crdLocations)
    `);
    await configure(ws, { diagnostics: { deprecatedFields: false, targetsSelectingNothing: false, unreferencedFiles: false } });
    check(state(ws), expect`
      environments: apps/widget, vendor/lib
      ws/apps/web/deploy.yaml:15: warning schema-unknown: Deployment web: spec.template.spec.containers[0].port: unknown field "port" (rendering lib)
      ws/apps/widget/widget.yaml:1: hint schema-unchecked: Widget w is not schema-checked: no schema known for example.com/v1 Widget (add its CustomResourceDefinition to the workspace, or name it in gitopsLens.schema.crdLocations)
    `);
    await configure(ws, { diagnostics: { deprecatedFields: true, targetsSelectingNothing: true, unreferencedFiles: true } });
    assert.equal(state(ws), state(await workspaceOf(f)), 'as at first');
  });

  it('diagnostics.enabled off clears every file, on brings them back', async () => {
    const ws = await workspaceOf(f);
    await configure(ws, { diagnostics: { enabled: false } });
    check(state(ws), expect`
      environments: apps/widget, vendor/lib
      (no diagnostics)
    `);
    await configure(ws, { diagnostics: { enabled: true } });
    assert.equal(state(ws), state(await workspaceOf(f)));
  });

  it('schema.enabled off drops schema problems and hints; on checks again', async () => {
    const ws = await workspaceOf(f);
    await configure(ws, { schema: { enabled: false } });
    check([state(ws), `widget schema: ${(await render(ws, 'apps/widget')).documents[0]!.schema ?? '(none)'}`].join('\n'), expect`
      environments: apps/widget, vendor/lib
      ws/apps/web/kustomization.yaml:3: warning deprecated: Warning: 'commonLabels' is deprecated. Please use 'labels' instead.
      ws/apps/web/kustomization.yaml:6: warning selects-nothing: patch selects nothing (kind=Deployment, name=nope) in environment lib; kustomize ignores it silently
      ws/apps/web/notes.yaml:1: hint unreferenced: notes.yaml is not referenced by kustomization.yaml (nor by any other kustomization); it is not part of any render
      ws/vendor/lib/kustomization.yaml:1: warning deprecated: Warning: 'bases' is deprecated. Please use 'resources' instead.
      widget schema: (none)
    `);
    await configure(ws, { schema: { enabled: true } });
    assert.equal(state(ws), state(await workspaceOf(f)));
  });

  it('schema.crdLocations: a CRD outside the workspace (relative to the folder) checks the custom resource; removing it unchecks it', async () => {
    const ws = await workspaceOf(f);
    await configure(ws, { schema: { enabled: true, crdLocations: ['../crds'] } });
    check([state(ws), `widget schema: ${(await render(ws, 'apps/widget')).documents[0]!.schema}`].join('\n'), expect`
      environments: apps/widget, vendor/lib
      ws/apps/web/deploy.yaml:15: warning schema-unknown: Deployment web: spec.template.spec.containers[0].port: unknown field "port" (rendering lib)
      ws/apps/web/kustomization.yaml:3: warning deprecated: Warning: 'commonLabels' is deprecated. Please use 'labels' instead.
      ws/apps/web/kustomization.yaml:6: warning selects-nothing: patch selects nothing (kind=Deployment, name=nope) in environment lib; kustomize ignores it silently
      ws/apps/web/notes.yaml:1: hint unreferenced: notes.yaml is not referenced by kustomization.yaml (nor by any other kustomization); it is not part of any render
      ws/apps/widget/widget.yaml:6: error schema-type: Widget w: spec.size: must be integer, not string (rendering widget)
      ws/vendor/lib/kustomization.yaml:1: warning deprecated: Warning: 'bases' is deprecated. Please use 'resources' instead.
      widget schema: CRD widgets.example.com in widget.yaml
    `);
    await configure(ws, { schema: { enabled: true, crdLocations: [] } });
    assert.equal(state(ws), state(await workspaceOf(f)));
  });

  it('exclude: the folder is no longer indexed (no environment, no diagnostics there), and is indexed again', async () => {
    const ws = await workspaceOf(f);
    await configure(ws, { exclude: ['vendor/**'] });
    check(state(ws), expect`
      environments: apps/web, apps/widget
      ws/apps/web/deploy.yaml:15: warning schema-unknown: Deployment web: spec.template.spec.containers[0].port: unknown field "port" (rendering web)
      ws/apps/web/kustomization.yaml:3: warning deprecated: Warning: 'commonLabels' is deprecated. Please use 'labels' instead.
      ws/apps/web/kustomization.yaml:6: warning selects-nothing: patch selects nothing (kind=Deployment, name=nope) in environment web; kustomize ignores it silently
      ws/apps/web/notes.yaml:1: hint unreferenced: notes.yaml is not referenced by kustomization.yaml (nor by any other kustomization); it is not part of any render
      ws/apps/widget/widget.yaml:1: hint schema-unchecked: Widget w is not schema-checked: no schema known for example.com/v1 Widget (add its CustomResourceDefinition to the workspace, or name it in gitopsLens.schema.crdLocations)
    `);
    await configure(ws, { exclude: ['vendor', 'apps/widget'] });
    check(state(ws), expect`
      environments: apps/web
      ws/apps/web/deploy.yaml:15: warning schema-unknown: Deployment web: spec.template.spec.containers[0].port: unknown field "port" (rendering web)
      ws/apps/web/kustomization.yaml:3: warning deprecated: Warning: 'commonLabels' is deprecated. Please use 'labels' instead.
      ws/apps/web/kustomization.yaml:6: warning selects-nothing: patch selects nothing (kind=Deployment, name=nope) in environment web; kustomize ignores it silently
      ws/apps/web/notes.yaml:1: hint unreferenced: notes.yaml is not referenced by kustomization.yaml (nor by any other kustomization); it is not part of any render
    `);
    await configure(ws, { exclude: [] });
    assert.equal(state(ws), state(await workspaceOf(f)));
  });
});

/** A shell script standing in for a binary: logs its arguments, then runs `body`. */
function script(dir: string, name: string, body: string): string {
  const p = path.join(dir, 'bin', name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, `#!/bin/sh\necho "$@" >> "${p}.log"\n${body}\n`, { mode: 0o755 });
  return p;
}

describe('settings: Secret masking, helm path, external renderer (on disk: they run processes)', () => {
  const f = fixture(`
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
  after(() => fs.rmSync(f.dir, { recursive: true, force: true }));
  const open = async () => {
    const ws = new Workspace(diskIO(), { debounceMs: 0 });
    ws.addFolder(pathToFileURL(f.path('ws')).href, f.path('ws'));
    ws.renderAll();
    await ws.idle();
    return ws;
  };
  /** A render's data lines and its first error, with the temporary folder written as <tmp>. */
  const brief = (r: RenderResult) => [...r.yaml.split('\n').filter((l) => /^\s+(password|v|replicas):|^ {2}name:/.test(l)), `error: ${r.error?.message ?? '-'}`].join('\n').split(f.dir).join('<tmp>');

  it('Secret values are masked unless the request asks for them', async () => {
    const ws = await open();
    check([brief(await render(ws, 'app')), '--', brief(await render(ws, 'app', { maskSecrets: false }))].join('\n'), expect`
        password: <masked>
        name: creds-cf85kd65mm
        name: web
        replicas: 1
      error: -
      --
        password: aHVudGVyMg==
        name: creds-cf85kd65mm
        name: web
        replicas: 1
      error: -
    `);
  });

  it('helm.path: empty fails helmCharts as kustomize without --enable-helm; set, that binary inflates them; another binary re-renders', async () => {
    const ws = await open();
    const body = (data: string) => `case "$1" in\n  version) echo v3.15.0;;\n  template) printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: from-helm\\ndata:\\n  v: ${data}\\n';;\nesac`;
    const helm1 = script(f.dir, 'helm1', body('one'));
    const helm2 = script(f.dir, 'helm2', body('two'));
    const out = [brief(await render(ws, 'charts'))];
    await configure(ws, { helm: { path: helm1 } });
    out.push('-- helm1', brief(await render(ws, 'charts')));
    out.push(`helm1 ran: ${fs.readFileSync(`${helm1}.log`, 'utf8').split(f.dir).join('<tmp>').replace(/\/\S*gitops-lens-helm-[^/]+/g, '<helm-tmp>').trimEnd()}`);
    await configure(ws, { helm: { path: helm2 } });
    out.push('-- helm2', brief(await render(ws, 'charts')));
    await configure(ws, { helm: { path: '' } });
    out.push('-- none', brief(await render(ws, 'charts')));
    check(out.join('\n'), expect`
      error: must specify --enable-helm (kustomize's flag: set gitopsLens.helm.path to a helm v3 binary to inflate helmCharts)
      -- helm1
        v: one
        name: from-helm
      error: -
      helm1 ran: version -c --short
      template web <tmp>/ws/charts/charts/web -f <helm-tmp>/web-kustomize-values.yaml
      -- helm2
        v: two
        name: from-helm
      error: -
      -- none
        v: two
        name: from-helm
      error: must specify --enable-helm (kustomize's flag: set gitopsLens.helm.path to a helm v3 binary to inflate helmCharts)
    `);
  });

  it('renderer kustomize: the binary renders the saved files (unsaved edits not included), Secrets masked, origins kept; back to builtin', async () => {
    const ws = await open();
    // A stand-in kustomize: this project's CLI, which prints what `kustomize build DIR` prints.
    const kustomize = script(f.dir, 'kustomize', `[ "$1" = build ] || exit 3\nexec "${process.execPath}" "${path.join(repo, 'dist/cli.js')}" build "$2"`);
    const deploy = f.path('ws/app/deploy.yaml');
    const edit = async (text: string) => { ws.host.setBuffer(deploy, text); ws.fileChanged(deploy); await ws.idle(); };
    await edit(DEPLOY('web').replace('replicas: 1', 'replicas: 5'));
    const out = ['-- builtin, unsaved replicas 5', brief(await render(ws, 'app'))];
    await configure(ws, { renderer: 'kustomize', kustomizePath: kustomize });
    const r = await render(ws, 'app');
    const d = r.documents.find((x) => x.kind === 'Deployment')!;
    out.push('-- kustomize', brief(r), `renderer: ${JSON.stringify(r.renderer).split(f.dir).join('<tmp>')}`, `Deployment from ${d.origin.uri.split(pathToFileURL(f.dir).href).join('<tmp>')}, its line: ${r.yaml.split('\n')[d.range.start.line + 1]}`);
    // Cached while the saved files are the same: an unsaved edit does not run it again.
    await edit(DEPLOY('web').replace('replicas: 1', 'replicas: 6'));
    await render(ws, 'app');
    out.push(`kustomize ran: ${fs.readFileSync(`${kustomize}.log`, 'utf8').split(f.dir).join('<tmp>').trimEnd()}`);
    await configure(ws, { renderer: 'kustomize', kustomizePath: path.join(f.dir, 'bin/nothing-here') });
    out.push('-- missing binary', brief(await render(ws, 'app')).split('\n').at(-1)!);
    await configure(ws, { renderer: 'builtin' });
    const back = await render(ws, 'app');
    out.push('-- builtin again', `renderer: ${back.renderer ?? '-'}`, brief(back));
    check(out.join('\n'), expect`
      -- builtin, unsaved replicas 5
        password: <masked>
        name: creds-cf85kd65mm
        name: web
        replicas: 5
      error: -
      -- kustomize
        password: <masked>
        name: creds-cf85kd65mm
        name: web
        replicas: 1
      error: -
      renderer: {"name":"kustomize build","command":"<tmp>/bin/kustomize","savedFilesOnly":true}
      Deployment from <tmp>/ws/app/deploy.yaml, its line: kind: Deployment
      kustomize ran: build <tmp>/ws/app
      -- missing binary
      error: kustomize build: '<tmp>/bin/nothing-here' was not found (gitopsLens.kustomizePath, or set gitopsLens.renderer to builtin)
      -- builtin again
      renderer: -
        password: <masked>
        name: creds-cf85kd65mm
        name: web
        replicas: 6
      error: -
    `);
  });

  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  it('renderer kubectl: `kubectl kustomize` on the saved files gives the built-in render of them', { skip: kubectl || process.env.CI ? false : 'no kubectl on PATH' }, async () => {
    const ws = await open();
    await configure(ws, { renderer: 'kubectl', kubectlPath: 'kubectl' });
    const r = await render(ws, 'app', { maskSecrets: false });
    await configure(ws, { renderer: 'builtin' });
    const builtin = await render(ws, 'app', { maskSecrets: false });
    check(`${r.renderer?.name}: ${r.error?.message ?? 'no error'}; same as the built-in render: ${r.yaml === builtin.yaml}`, expect`
      kubectl kustomize: no error; same as the built-in render: true
    `);
  });
});

describe('settings over JSON-RPC', () => {
  it('initializationOptions apply before the first scan; didChangeConfiguration re-publishes diagnostics and tells clients to refresh previews', async () => {
    const f = fixture(WORKSPACE);
    const c = await Client.start([f.path('ws')], {}, { settings: { exclude: ['vendor'], deprecatedFields: false } });
    try {
      const published = () => formatDiagnostics(f, new Map([...c.diagnostics].filter(([, l]) => l.length))).join('\n');
      const envs = async () => (await c.request<{ environments: { id: string }[] }>('gitopsLens/environments', {})).environments.map((e) => e.id).join(', ');
      const out = [`environments: ${await envs()}`, published()];
      await c.configure({ gitopsLens: { diagnostics: { enabled: false } } });
      out.push('-- diagnostics.enabled false', published() || '(none)');
      const notes = c.notifications.length;
      await c.configure({ gitopsLens: { diagnostics: { enabled: true }, renderer: 'kubectl', kubectlPath: path.join(os.tmpdir(), 'no-such-kubectl') } });
      out.push('-- renderer kubectl', ...c.notifications.slice(notes).filter((n) => n.method === 'gitopsLens/didRender').map((n) => { const p = n.params as DidRenderParams; return `didRender ${p.environment.id} changed=${p.changed}`; }).sort());
      check(out.join('\n'), expect`
        environments: apps/web, apps/widget
        ws/apps/web/deploy.yaml:15: warning schema-unknown: Deployment web: spec.template.spec.containers[0].port: unknown field "port" (rendering web)
        ws/apps/web/kustomization.yaml:6: warning selects-nothing: patch selects nothing (kind=Deployment, name=nope) in environment web; kustomize ignores it silently
        ws/apps/web/notes.yaml:1: hint unreferenced: notes.yaml is not referenced by kustomization.yaml (nor by any other kustomization); it is not part of any render
        ws/apps/widget/widget.yaml:1: hint schema-unchecked: Widget w is not schema-checked: no schema known for example.com/v1 Widget (add its CustomResourceDefinition to the workspace, or name it in gitopsLens.schema.crdLocations)
        -- diagnostics.enabled false
        (none)
        -- renderer kubectl
        didRender apps/web changed=true
        didRender apps/widget changed=true
      `);
      assert.ok(c.alive(), c.errors());
    } finally { await c.stop(); fs.rmSync(f.dir, { recursive: true, force: true }); }
  });
});
