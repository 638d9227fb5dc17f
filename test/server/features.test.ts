// Completion, hover, definition, references, links, quick fixes, environments and renders over a
// real JSON-RPC connection. Each case: a fixture workspace with a `|` cursor and the expected result.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { before, describe, it } from 'node:test';
import type { CodeAction, CompletionList, Hover, Location, DocumentLink } from 'vscode-languageserver-protocol';
import type { EnvironmentsForFileResult, EnvironmentsResult, RenderResult } from '../../server/src/protocol';
import { BUILTIN_SOURCE } from '../../server/src/schema/index';
import { Client, ensureBuilt, fixture, formatDiagnostics, type Fixture } from './lsp';

before(() => ensureBuilt());

const DEPLOY = (name: string, replicas = 1) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    spec:
      containers:
      - name: app
        image: nginx:1.25
      - name: sidecar
        image: envoyproxy/envoy:v1.30
`;

const APP = `
//- /ws/apps/web/base/kustomization.yaml
resources:
- deploy.yaml
- svc.yaml
//- /ws/apps/web/base/deploy.yaml
${DEPLOY('web')}
//- /ws/apps/web/base/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: web-svc
spec:
  selector:
    app: web
//- /ws/apps/web/components/monitoring/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
commonAnnotations:
  monitored: "true"
//- /ws/apps/web/overlays/prod/kustomization.yaml
resources:
- ../../base
components:
- ../../components/monitoring
namePrefix: prod-
patches:
- path: replicas.yaml
//- /ws/apps/web/overlays/prod/replicas.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 5
//- /ws/apps/web/overlays/dev/kustomization.yaml
resources:
- ../../base
//- /ws/clusters/prod/apps.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: web-prod
spec:
  path: ./apps/web/overlays/prod
  sourceRef:
    kind: GitRepository
    name: repo
`;

/** Starts a server on APP with one file replaced by a version holding the cursor. */
async function withCursor(file: string, text: string, run: (c: Client, f: Fixture, pos: { line: number; character: number }, uri: string) => Promise<void>): Promise<void> {
  const f = fixture(APP + `\n//- ${file}\n${text}`);
  const c = await Client.start([f.path('ws')]);
  try {
    assert.ok(f.cursor, 'fixture needs a | cursor');
    const uri = f.uri(file.slice(1));
    await c.open(uri, fs.readFileSync(f.path(file.slice(1)), 'utf8'));
    await c.settled();
    await run(c, f, f.cursor!.position, uri);
  } finally { await c.stop(); }
}

const labels = (l: CompletionList | null) => (l?.items ?? []).map((i) => i.label);

describe('completion', () => {
  const cases: { name: string; file: string; text: string; has: string[]; lacks?: string[]; first?: string }[] = [
    { name: 'top-level fields, deprecated ones tagged', file: '/ws/apps/web/overlays/dev/kustomization.yaml', text: 'resources:\n- ../../base\nnameP|\n', has: ['namePrefix', 'patches', 'commonLabels'], lacks: ['resources'] },
    { name: 'fields of a patch entry', file: '/ws/apps/web/overlays/dev/kustomization.yaml', text: 'resources:\n- ../../base\npatches:\n- path: x.yaml\n  |\n', has: ['target', 'options', 'patch'], lacks: ['path'] },
    { name: 'paths in resources, roots first', file: '/ws/apps/web/overlays/dev/kustomization.yaml', text: 'resources:\n- ../../|\n', has: ['../../base', '../../components', '../../overlays'], first: '../../base' },
    { name: 'patches[].target.name from what the base renders', file: '/ws/apps/web/overlays/dev/kustomization.yaml', text: 'resources:\n- ../../base\npatches:\n- target:\n    kind: Deployment\n    name: |\n  patch: "[]"\n', has: ['web'], lacks: ['web-svc'] },
    { name: 'patches[].target.kind', file: '/ws/apps/web/overlays/dev/kustomization.yaml', text: 'resources:\n- ../../base\npatches:\n- target:\n    kind: |\n', has: ['Deployment', 'Service'] },
    { name: 'images[].name from rendered containers', file: '/ws/apps/web/overlays/dev/kustomization.yaml', text: 'resources:\n- ../../base\nimages:\n- name: |\n', has: ['nginx', 'envoyproxy/envoy'] },
    { name: 'labelSelector from rendered labels', file: '/ws/apps/web/overlays/dev/kustomization.yaml', text: 'resources:\n- ../../base\npatches:\n- target:\n    labelSelector: |\n', has: ['app=web'] },
    { name: 'fields of the patched object in a patch file', file: '/ws/apps/web/overlays/prod/replicas.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 5\n  |\n', has: ['template'], lacks: ['replicas'] },
    { name: 'patch file: fields from the Kubernetes schema, not only the rendered object', file: '/ws/apps/web/overlays/prod/replicas.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 5\n  |\n', has: ['template', 'strategy', 'minReadySeconds', 'revisionHistoryLimit'], lacks: ['replicas', 'status'] },
    { name: 'patch file: enum values from the schema', file: '/ws/apps/web/overlays/prod/replicas.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        imagePullPolicy: |\n', has: ['Always', 'IfNotPresent', 'Never'] },
    { name: 'replacements fieldPath: the next segment from the targeted kind\'s schema', file: '/ws/apps/web/overlays/dev/kustomization.yaml', text: 'resources:\n- ../../base\nreplacements:\n- source:\n    kind: Deployment\n    name: web\n    fieldPath: spec.template.spec.|\n', has: ['spec.template.spec.serviceAccountName', 'spec.template.spec.containers', 'spec.template.spec.containers.[name=app].image'] },
    { name: 'container names to merge by in a patch file', file: '/ws/apps/web/overlays/prod/replicas.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 5\n  template:\n    spec:\n      containers:\n      - name: |\n', has: ['app', 'sidecar'] },
  ];
  for (const k of cases) {
    it(k.name, async () => {
      await withCursor(k.file, k.text, async (c, _f, pos, uri) => {
        const t0 = performance.now();
        const res = await c.request<CompletionList | null>('textDocument/completion', { textDocument: { uri }, position: pos });
        const ms = performance.now() - t0;
        const got = labels(res);
        for (const h of k.has) assert.ok(got.includes(h), `expected ${h} in ${JSON.stringify(got)}`);
        for (const l of k.lacks ?? []) assert.ok(!got.includes(l), `did not expect ${l} in ${JSON.stringify(got)}`);
        if (k.first) {
          const sorted = [...res!.items].sort((a, b) => ((a.sortText ?? a.label) < (b.sortText ?? b.label) ? -1 : 1));
          assert.equal(sorted[0]!.label, k.first);
        }
        if (k.name.startsWith('top-level')) {
          const dep = res!.items.find((i) => i.label === 'commonLabels')!;
          assert.deepEqual(dep.tags, [1]);
        }
        assert.ok(ms < 1000);
      });
    });
  }
});

describe('hover, definition, references, links', () => {
  it('hover on a base field shows the value per environment and who set it', async () => {
    await withCursor('/ws/apps/web/base/deploy.yaml', DEPLOY('web').replace('replicas: 1', 'repl|icas: 1'), async (c, _f, pos, uri) => {
      const h = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: pos });
      const text = (h?.contents as { value: string }).value;
      assert.match(text, /\*\*web-prod\*\*: `5` — apps\/web\/overlays\/prod\/replicas\.yaml:6/);
      // The engine points at the field's own line in the base (not the document's first line).
      assert.match(text, /\*\*dev\*\*: `1` — apps\/web\/base\/deploy\.yaml:8\b/);
    });
  });
  it('hover on a kustomization entry says what it contributes', async () => {
    await withCursor('/ws/apps/web/overlays/dev/kustomization.yaml', 'resources:\n- ../../ba|se\n', async (c, _f, pos, uri) => {
      const h = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: pos });
      const text = (h?.contents as { value: string }).value;
      assert.match(text, /Contributes 2 objects/);
      assert.match(text, /Deployment web/);
    });
  });
  it('definition: a path opens the folder\'s kustomization; a patch goes to the base document', async () => {
    await withCursor('/ws/apps/web/overlays/prod/kustomization.yaml', 'resources:\n- ../../ba|se\npatches:\n- path: replicas.yaml\n', async (c, f, pos, uri) => {
      const d = await c.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: pos });
      assert.equal(d[0]!.uri, f.uri('ws/apps/web/base/kustomization.yaml'));
      const p = await c.request<Location[]>('textDocument/definition', { textDocument: { uri: f.uri('ws/apps/web/overlays/prod/replicas.yaml') }, position: { line: 5, character: 4 } });
      assert.equal(p[0]!.uri, f.uri('ws/apps/web/base/deploy.yaml'));
      const links = await c.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri } });
      assert.deepEqual(links.map((l) => l.target), [f.uri('ws/apps/web/base/kustomization.yaml'), f.uri('ws/apps/web/overlays/prod/replicas.yaml')]);
    });
  });
  it('references on a base document: the patches that change it', async () => {
    await withCursor('/ws/apps/web/base/deploy.yaml', DEPLOY('web').replace('kind: Deployment', 'kind: Deploy|ment'), async (c, f, pos, uri) => {
      const r = await c.request<Location[]>('textDocument/references', { textDocument: { uri }, position: pos });
      const uris = new Set(r.map((l) => l.uri));
      assert.ok(uris.has(f.uri('ws/apps/web/overlays/prod/replicas.yaml')), JSON.stringify([...uris]));
      assert.ok(uris.has(f.uri('ws/apps/web/overlays/prod/kustomization.yaml')));
      assert.ok(uris.has(f.uri('ws/apps/web/base/kustomization.yaml')));
    });
  });
  it('definition on images[].name: the containers that use the image', async () => {
    await withCursor('/ws/apps/web/overlays/dev/kustomization.yaml', 'resources:\n- ../../base\nimages:\n- name: ngi|nx\n  newTag: "1.26"\n', async (c, f, pos, uri) => {
      const d = await c.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: pos });
      assert.deepEqual(d.map((l) => [l.uri, l.range.start.line]), [[f.uri('ws/apps/web/base/deploy.yaml'), 15]]);
    });
  });
});

describe('environments and renders', () => {
  it('lists roots and Flux-pointed folders; environmentsForFile; render with origins', async () => {
    const f = fixture(APP);
    const c = await Client.start([f.path('ws')]);
    try {
      const envs = await c.request<EnvironmentsResult>('gitopsLens/environments', {});
      assert.deepEqual(envs.environments.map((e) => [e.id, e.shortName, e.kind]), [
        ['apps/web/overlays/dev', 'dev', 'root'],
        ['apps/web/overlays/prod', 'web-prod', 'flux'],
      ]);
      assert.match(envs.environments[1]!.foundBy, /Flux Kustomization web-prod in clusters\/prod\/apps\.yaml/);
      const forFile = await c.request<EnvironmentsForFileResult>('gitopsLens/environmentsForFile', { uri: f.uri('ws/apps/web/base/deploy.yaml') });
      assert.deepEqual(forFile.environments.map((e) => e.id), ['apps/web/overlays/dev', 'apps/web/overlays/prod']);
      const r = await c.request<RenderResult>('gitopsLens/render', { environment: 'apps/web/overlays/prod' });
      assert.match(r.yaml, /name: prod-web/);
      assert.match(r.yaml, /replicas: 5/);
      const dep = r.documents.find((d) => d.kind === 'Deployment')!;
      assert.equal(dep.schema, BUILTIN_SOURCE);
      assert.equal(dep.origin.uri, f.uri('ws/apps/web/base/deploy.yaml'));
      const rep = dep.fields.find((x) => x.path === 'spec.replicas')!;
      assert.equal(rep.uri, f.uri('ws/apps/web/overlays/prod/replicas.yaml'));
      assert.equal(r.yaml.split('\n').slice(dep.range.start.line, dep.range.end.line).join('\n').includes('kind: Deployment'), true);
      // A base as rendered within the dev environment (by short name).
      const b = await c.request<RenderResult>('gitopsLens/render', { environment: 'dev', uri: f.uri('ws/apps/web/base/svc.yaml') });
      assert.equal(b.environment.id, 'apps/web/overlays/dev');
      assert.equal(b.documents.length, 2);
      // Unsaved edit: didRender arrives and the render follows the buffer.
      const k = f.uri('ws/apps/web/overlays/dev/kustomization.yaml');
      await c.open(k, 'resources:\n- ../../base\n');
      await c.change(k, 'resources:\n- ../../base\nnameSuffix: -v2\n');
      await c.settled();
      assert.ok(c.notifications.some((n) => n.method === 'gitopsLens/didRender' && (n.params as { environment: { id: string }; changed: boolean }).environment.id === 'apps/web/overlays/dev'));
      const r2 = await c.request<RenderResult>('gitopsLens/render', { environment: 'dev' });
      assert.match(r2.yaml, /name: web-v2/);
      assert.equal(fs.readFileSync(f.path('ws/apps/web/overlays/dev/kustomization.yaml'), 'utf8'), 'resources:\n- ../../base\n');
    } finally { await c.stop(); }
  });

  it('a broken patch: the preview keeps rendering the rest, every error listed; fixed, the errors go', async () => {
    const f = fixture(`
//- /ws/app/kustomization.yaml
resources:
- cm.yaml
patches:
- path: good.yaml
namePrefix: p-
//- /ws/app/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: c
data:
  a: b
//- /ws/app/good.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: c
data:
  q: "2"
`);
    const c = await Client.start([f.path('ws')]);
    try {
      const k = f.uri('ws/app/kustomization.yaml');
      const broken = 'resources:\n- cm.yaml\npatches:\n- path: good.yaml\n- target:\n    kind: ConfigMap\n  patch: |-\n    - op: remove\n      path: /data/nope\n- patch: |-\n    kind: ConfigMap\n    apiVersion: v1\n    metadata:\n      name: ghost\nnamePrefix: p-\n';
      await c.open(k, fs.readFileSync(f.path('ws/app/kustomization.yaml'), 'utf8'));
      await c.change(k, broken);
      await c.settled();
      const r = await c.request<RenderResult>('gitopsLens/render', { environment: 'app' });
      assert.equal(r.stale, undefined);
      assert.match(r.yaml, /name: p-c/);
      assert.match(r.yaml, /q: "2"/);
      assert.deepEqual(r.errors!.map((e) => [e.uri, e.range!.start.line]), [[k, 6], [k, 9]]);
      assert.equal(r.error!.message, r.errors![0]!.message);
      // Reopening a file gives the editor's version 1 again: the render must still follow the text.
      await c.change(k, 'resources:\n- cm.yaml\nnamePrefix: p-\n');
      await c.settled();
      await c.close(k);
      await c.open(k, 'resources:\n- cm.yaml\nnamePrefix: q-\n');
      await c.settled();
      const r2 = await c.request<RenderResult>('gitopsLens/render', { environment: 'app' });
      assert.match(r2.yaml, /name: q-c/);
      assert.equal(r2.errors, undefined);
      assert.deepEqual((c.diagnostics.get(k) ?? []).filter((d) => d.code === 'render'), []);
    } finally { await c.stop(); }
  });

  it('multi-root: environments per workspace folder, Argo CD paths from the Git root', async () => {
    const f = fixture(`
//- /one/app/kustomization.yaml
resources:
- cm.yaml
//- /one/app/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: one
//- /two/deploy/env/kustomization.yaml
resources:
- cm.yaml
//- /two/deploy/env/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: two
//- /two/argo/app.yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: two-env
spec:
  source:
    repoURL: https://example.com/repo.git
    path: deploy/env
`);
    fs.mkdirSync(f.path('two/.git'));
    const c = await Client.start([f.path('one'), f.path('two')]);
    try {
      const envs = await c.request<EnvironmentsResult>('gitopsLens/environments', {});
      assert.deepEqual(envs.environments.map((e) => [e.id, e.kind, e.shortName]).sort(), [['app', 'root', 'app'], ['deploy/env', 'argocd', 'two-env']]);
      const only = await c.request<EnvironmentsResult>('gitopsLens/environments', { workspaceFolder: f.uri('two') });
      assert.equal(only.environments.length, 1);
      const r = await c.request<RenderResult>('gitopsLens/render', { environment: 'two-env' });
      assert.match(r.yaml, /name: two/);
    } finally { await c.stop(); }
  });
});

describe('quick fixes', () => {
  it('commonLabels -> labels with includeSelectors, bases -> resources, add unreferenced file, fix target name, create missing file', async () => {
    const f = fixture(`
//- /ws/base/kustomization.yaml
bases:
- ../lib
commonLabels:
  app: web
resources:
- deploy.yaml
patches:
- target:
    kind: Deployment
    name: wbe
  patch: "[]"
//- /ws/base/deploy.yaml
${DEPLOY('web')}
//- /ws/base/extra.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: extra
//- /ws/other/kustomization.yaml
resources:
- gone.yaml
//- /ws/lib/kustomization.yaml
resources: []
metadata:
  name: lib
`);
    const c = await Client.start([f.path('ws')]);
    try {
      const k = f.uri('ws/base/kustomization.yaml');
      const diags = c.diagnostics.get(k) ?? [];
      const actions = async (uri: string, code: string) => {
        const ds = (c.diagnostics.get(uri) ?? []).filter((d) => d.code === code);
        return c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: ds[0]!.range, context: { diagnostics: ds } });
      };
      assert.ok(diags.length > 0, formatDiagnostics(f, c.diagnostics).join('\n'));
      const dep = await actions(k, 'deprecated');
      const texts = dep.map((a) => a.edit!.changes![k]![0]!.newText);
      assert.ok(texts.some((t) => /labels:\n- pairs:\n    app: web\n  includeSelectors: true/.test(t) && !t.includes('commonLabels')), texts.join('\n----\n'));
      assert.ok(texts.some((t) => /resources:\n- deploy.yaml\n- ..\/lib/.test(t) && !t.includes('bases')), texts.join('\n----\n'));
      const fix = await actions(k, 'selects-nothing');
      assert.equal(fix[0]!.title, "Change target name to 'web'");
      const create = await actions(f.uri('ws/other/kustomization.yaml'), 'missing-file');
      assert.deepEqual(create[0]!.edit!.documentChanges![0], { kind: 'create', uri: f.uri('ws/other/gone.yaml'), options: { ignoreIfExists: true } });
      const extra = f.uri('ws/base/extra.yaml');
      const add = await actions(extra, 'unreferenced');
      assert.match(add[0]!.edit!.changes![k]![0]!.newText, /- deploy.yaml\n- extra.yaml\n/);
    } finally { await c.stop(); }
  });
});

describe('vars -> replacements', () => {
  const SVC = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  ports:\n  - name: pg\n    port: 5432\n';
  const POD = (value: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - name: main\n    image: app:1\n    env:\n    - name: DB_HOST\n      value: ${value}\n    - name: DB_PORT\n      value: "$(DB_PORT)"\n`;
  const K = 'resources:\n- svc.yaml\n- pod.yaml\nnamePrefix: x-\nvars:\n- name: DB_HOST\n  objref:\n    kind: Service\n    name: db\n    apiVersion: v1\n- name: DB_PORT\n  objref:\n    kind: Service\n    name: db\n    apiVersion: v1\n  fieldref:\n    fieldpath: spec.ports[0].name\n';

  it('rewrites whole-field uses faithfully (same render), and refuses, with the reason, what replacements cannot say', async () => {
    const f = fixture(`
//- /ws/top/kustomization.yaml
${K}
//- /ws/top/svc.yaml
${SVC}
//- /ws/top/pod.yaml
${POD('$(DB_HOST)')}
//- /ws/spliced/kustomization.yaml
${K}
//- /ws/spliced/svc.yaml
${SVC}
//- /ws/spliced/pod.yaml
${POD('tcp://$(DB_HOST)')}
`);
    const c = await Client.start([f.path('ws')]);
    try {
      const fix = async (dir: string) => {
        const uri = f.uri(`ws/${dir}/kustomization.yaml`);
        const ds = (c.diagnostics.get(uri) ?? []).filter((d) => d.code === 'deprecated');
        const actions = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: ds[0]!.range, context: { diagnostics: ds } });
        return { uri, action: actions.find((a) => a.title === "Rewrite 'vars' as 'replacements'")! };
      };
      const before = (await c.request<RenderResult>('gitopsLens/render', { environment: 'top' })).yaml;
      assert.match(before, /value: x-db/);
      const top = await fix('top');
      assert.equal(top.action.disabled, undefined);
      const newText = top.action.edit!.changes![top.uri]![0]!.newText;
      assert.ok(!newText.includes('vars:'), newText);
      assert.match(newText, /fieldPath: spec.ports.0.name/);
      assert.match(newText, /spec.containers.\[name=main\].env.\[name=DB_HOST\].value/);
      await c.open(top.uri, fs.readFileSync(f.path('ws/top/kustomization.yaml'), 'utf8'));
      await c.change(top.uri, newText);
      await c.settled();
      const after = await c.request<RenderResult>('gitopsLens/render', { environment: 'top' });
      assert.equal(after.errors, undefined, JSON.stringify(after.errors));
      assert.equal(after.yaml, before);
      const spliced = await fix('spliced');
      assert.match(spliced.action.disabled!.reason, /inside a larger string/);
    } finally { await c.stop(); }
  });
});
