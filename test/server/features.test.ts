// Completion, hover, definition, references, links, quick fixes, environments and renders in
// process (check.ts): a fixture workspace on memoryIO with a `$0` cursor, the feature's answer
// printed as text and compared whole with the inline expectation (UPDATE_EXPECT=1 rewrites them).

import { describe, it } from 'node:test';
import type { CodeAction, CompletionList, Diagnostic, Location } from 'vscode-languageserver';
import { codeActions } from '../../server/src/features/code-actions';
import { completion } from '../../server/src/features/completion';
import { definition, references } from '../../server/src/features/definition';
import { diagnosticsFor } from '../../server/src/features/diagnostics';
import { environmentsForFile, listEnvironments } from '../../server/src/features/environments';
import { hover } from '../../server/src/features/hover';
import { documentLinks } from '../../server/src/features/links';
import { renderEnvironment } from '../../server/src/features/render';
import type { RenderResult } from '../../server/src/protocol';
import type { Workspace } from '../../server/src/workspace/workspace';
import { check, expect, parseFixture, workspaceOf, type Fixture } from './check';

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

/** APP with `file` replaced by `text` (holding the `$0` cursor), rendered, with that file open. */
async function atCursor(file: string, text: string): Promise<{ ws: Workspace; f: Fixture; file: string; pos: { line: number; character: number } }> {
  const f = parseFixture(`${APP}\n//- ${file}\n${text}`);
  const ws = await workspaceOf(f);
  ws.host.setBuffer(file, f.files[file]!);
  return { ws, f, file, pos: f.cursor!.position };
}

const DEV = '/ws/apps/web/overlays/dev/kustomization.yaml';
const PROD = '/ws/apps/web/overlays/prod/kustomization.yaml';
const PATCH = '/ws/apps/web/overlays/prod/replicas.yaml';

/** Labels in the order the editor sorts them, deprecated ones marked. */
function completionText(l: CompletionList | null): string {
  const items = [...(l?.items ?? [])].sort((a, b) => ((a.sortText ?? a.label) < (b.sortText ?? b.label) ? -1 : (a.sortText ?? a.label) > (b.sortText ?? b.label) ? 1 : 0));
  return items.map((i) => `${i.label}${i.tags?.includes(1) ? ' (deprecated)' : ''}`).join('\n');
}

const at = (uri: string, line: number) => `${decodeURIComponent(new URL(uri).pathname).replace(/^\//, '')}:${line + 1}`;
const locationsText = (l: Location[] | null) => (l ?? []).map((x) => at(x.uri, x.range.start.line)).join('\n');

describe('completion', () => {
  const complete = async (file: string, text: string) => { const c = await atCursor(file, text); return completionText(completion(c.ws, c.file, c.pos)); };

  it('top-level fields, deprecated ones tagged', async () => {
    check(await complete(DEV, 'resources:\n- ../../base\nnameP$0\n'), expect`
      apiVersion
      buildMetadata
      commonAnnotations
      components
      configMapGenerator
      configurations
      crds
      generatorOptions
      generators
      helmCharts
      helmGlobals
      images
      kind
      labels
      metadata
      namePrefix
      nameSuffix
      namespace
      openapi
      patches
      replacements
      replicas
      secretGenerator
      sortOptions
      transformers
      validators
      bases (deprecated)
      commonLabels (deprecated)
      helmChartInflationGenerator (deprecated)
      imageTags (deprecated)
      patchesJson6902 (deprecated)
      patchesStrategicMerge (deprecated)
      vars (deprecated)
    `);
  });
  it('fields of a patch entry', async () => {
    check(await complete(DEV, 'resources:\n- ../../base\npatches:\n- path: x.yaml\n  $0\n'), expect`
      options
      patch
      target
    `);
  });
  it('paths in resources, roots first', async () => {
    check(await complete(DEV, 'resources:\n- ../../$0\n'), expect`
      ../../base
      ../../components
      ../../overlays
      ../../../
    `);
  });
  it('patches[].target.name from what the base renders', async () => {
    check(await complete(DEV, 'resources:\n- ../../base\npatches:\n- target:\n    kind: Deployment\n    name: $0\n  patch: "[]"\n'), expect`
      web
    `);
  });
  it('patches[].target.kind', async () => {
    check(await complete(DEV, 'resources:\n- ../../base\npatches:\n- target:\n    kind: $0\n'), expect`
      Deployment
      Service
    `);
  });
  it('images[].name from rendered containers', async () => {
    check(await complete(DEV, 'resources:\n- ../../base\nimages:\n- name: $0\n'), expect`
      envoyproxy/envoy
      nginx
    `);
  });
  it('labelSelector from rendered labels', async () => {
    check(await complete(DEV, 'resources:\n- ../../base\npatches:\n- target:\n    labelSelector: $0\n'), expect`
      app=web
    `);
  });
  it('patch file: fields of the patched object, from the Kubernetes schema', async () => {
    check(await complete(PATCH, 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 5\n  $0\n'), expect`
      selector
      template
      minReadySeconds
      paused
      progressDeadlineSeconds
      revisionHistoryLimit
      strategy
    `);
  });
  it('patch file: enum values from the schema', async () => {
    check(await complete(PATCH, 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        imagePullPolicy: $0\n'), expect`
      Always
      IfNotPresent
      Never
    `);
  });
  it("replacements fieldPath: the next segment from the targeted kind's schema", async () => {
    check(await complete(DEV, 'resources:\n- ../../base\nreplacements:\n- source:\n    kind: Deployment\n    name: web\n    fieldPath: spec.template.spec.$0\n'), expect`
      spec.template.spec.activeDeadlineSeconds
      spec.template.spec.affinity
      spec.template.spec.automountServiceAccountToken
      spec.template.spec.containers
      spec.template.spec.dnsConfig
      spec.template.spec.dnsPolicy
      spec.template.spec.enableServiceLinks
      spec.template.spec.ephemeralContainers
      spec.template.spec.evictionResponders
      spec.template.spec.hostAliases
      spec.template.spec.hostIPC
      spec.template.spec.hostNetwork
      spec.template.spec.hostPID
      spec.template.spec.hostUsers
      spec.template.spec.hostname
      spec.template.spec.hostnameOverride
      spec.template.spec.imagePullSecrets
      spec.template.spec.initContainers
      spec.template.spec.nodeName
      spec.template.spec.nodeSelector
      spec.template.spec.os
      spec.template.spec.overhead
      spec.template.spec.preemptionPolicy
      spec.template.spec.priority
      spec.template.spec.priorityClassName
      spec.template.spec.readinessGates
      spec.template.spec.resourceClaims
      spec.template.spec.resources
      spec.template.spec.restartPolicy
      spec.template.spec.runtimeClassName
      spec.template.spec.schedulerName
      spec.template.spec.schedulingGates
      spec.template.spec.schedulingGroup
      spec.template.spec.securityContext
      spec.template.spec.serviceAccount
      spec.template.spec.serviceAccountName
      spec.template.spec.setHostnameAsFQDN
      spec.template.spec.shareProcessNamespace
      spec.template.spec.subdomain
      spec.template.spec.terminationGracePeriodSeconds
      spec.template.spec.tolerations
      spec.template.spec.topologySpreadConstraints
      spec.template.spec.volumes
      apiVersion
      kind
      metadata.labels.app
      metadata.name
      spec.replicas
      spec.selector.matchLabels.app
      spec.template.spec.containers.[name=app].image
      spec.template.spec.containers.[name=app].name
      spec.template.spec.containers.[name=sidecar].image
      spec.template.spec.containers.[name=sidecar].name
    `);
  });
  it('container names to merge by in a patch file', async () => {
    check(await complete(PATCH, 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 5\n  template:\n    spec:\n      containers:\n      - name: $0\n'), expect`
      app
      sidecar
    `);
  });
});

describe('hover, definition, references, links', () => {
  const hoverText = async (file: string, text: string) => {
    const c = await atCursor(file, text);
    const h = hover(c.ws, c.file, c.pos);
    return (h?.contents as { value: string } | undefined)?.value ?? '(no hover)';
  };
  it('hover on a base field shows the value per environment and who set it', async () => {
    check(await hoverText('/ws/apps/web/base/deploy.yaml', DEPLOY('web').replace('replicas: 1', 'repl$0icas: 1')), expect`
      \`spec.replicas\` in each environment:

      - **dev**: \`1\` — apps/web/base/deploy.yaml:8
      - **web-prod**: \`5\` — apps/web/overlays/prod/replicas.yaml:6
    `);
  });
  it('hover on a kustomization entry says what it contributes', async () => {
    check(await hoverText(DEV, 'resources:\n- ../../ba$0se\n'), expect`
      **resources** — Resource files, directories and kustomization roots.

      Contributes 2 objects:
      - Service web-svc
      - Deployment web
    `);
  });
  it("definition: a path opens the folder's kustomization; a patch goes to the base document; the links", async () => {
    const c = await atCursor(PROD, 'resources:\n- ../../ba$0se\npatches:\n- path: replicas.yaml\n');
    const out = [
      `definition of the path: ${locationsText(definition(c.ws, c.file, c.pos))}`,
      `definition of the patch: ${locationsText(definition(c.ws, PATCH, { line: 5, character: 4 }))}`,
      ...(documentLinks(c.ws, PROD) ?? []).map((l) => `link ${l.range.start.line + 1}:${l.range.start.character} -> ${at(l.target!, 0).replace(/:1$/, '')}`),
    ];
    check(out.join('\n'), expect`
      definition of the path: ws/apps/web/base/kustomization.yaml:1
      definition of the patch: ws/apps/web/base/deploy.yaml:1
      link 2:2 -> ws/apps/web/base/kustomization.yaml
      link 4:8 -> ws/apps/web/overlays/prod/replicas.yaml
    `);
  });
  it('references on a base document: the patches that change it', async () => {
    const c = await atCursor('/ws/apps/web/base/deploy.yaml', DEPLOY('web').replace('kind: Deployment', 'kind: Deploy$0ment'));
    check(locationsText(references(c.ws, c.file, c.pos)), expect`
      ws/apps/web/components/monitoring/kustomization.yaml:4
      ws/apps/web/overlays/prod/replicas.yaml:6
      ws/apps/web/overlays/prod/kustomization.yaml:5
      ws/apps/web/base/kustomization.yaml:2
    `);
  });
  it('definition on images[].name: the containers that use the image', async () => {
    const c = await atCursor(DEV, 'resources:\n- ../../base\nimages:\n- name: ngi$0nx\n  newTag: "1.26"\n');
    check(locationsText(definition(c.ws, c.file, c.pos)), expect`
      ws/apps/web/base/deploy.yaml:16
    `);
  });
});

/** A render as the preview gets it: the YAML, then each document's origin and field origins, then the errors. */
function renderText(r: RenderResult | null): string {
  if (!r) return '(no render)';
  const rel = (uri: string) => decodeURIComponent(new URL(uri).pathname).replace(/^\//, '');
  const docs = r.documents.map((d) => [
    `# ${d.kind} ${d.name} (lines ${d.range.start.line + 1}-${d.range.end.line}) from ${rel(d.origin.uri)}:${(d.origin.range?.start.line ?? 0) + 1}; schema ${d.schema ?? '-'}`,
    ...d.fields.map((x) => `;  ${x.path} <- ${rel(x.uri)}:${(x.range?.start.line ?? 0) + 1}`),
  ].join('\n'));
  const errors = (r.errors ?? []).map((e) => `! ${e.uri ? rel(e.uri) : ''}:${(e.range?.start.line ?? 0) + 1}: ${e.message}`);
  return [`environment ${r.environment.id}`, r.yaml.trimEnd(), ...docs, ...errors].join('\n');
}

describe('environments and renders', () => {
  it('lists roots and Flux-pointed folders; environmentsForFile; render with origins', async () => {
    const rendered: string[] = [];
    const f = parseFixture(APP);
    const ws = await workspaceOf(f, { options: { onRendered: (env, _st, changed) => rendered.push(`${env.id}${changed ? ' changed' : ''}`) } });
    const envs = listEnvironments(ws, undefined).environments.map((e) => `${e.id} ${e.kind} ${e.shortName}: ${e.foundBy}`);
    const forFile = environmentsForFile(ws, 'file:///ws/apps/web/base/deploy.yaml').environments.map((e) => `for base/deploy.yaml: ${e.id}`);
    check([...envs, ...forFile].join('\n'), expect`
      apps/web/overlays/dev root dev: not included by any other kustomization
      apps/web/overlays/prod flux web-prod: Flux Kustomization web-prod in clusters/prod/apps.yaml
      for base/deploy.yaml: apps/web/overlays/dev
      for base/deploy.yaml: apps/web/overlays/prod
    `);
    check(renderText(renderEnvironment(ws, { environment: 'apps/web/overlays/prod' })), expect`
      environment apps/web/overlays/prod
      apiVersion: v1
      kind: Service
      metadata:
        annotations:
          monitored: "true"
        name: prod-web-svc
      spec:
        selector:
          app: web
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        annotations:
          monitored: "true"
        labels:
          app: web
        name: prod-web
      spec:
        replicas: 5
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            annotations:
              monitored: "true"
          spec:
            containers:
            - image: nginx:1.25
              name: app
            - image: envoyproxy/envoy:v1.30
              name: sidecar
      # Service prod-web-svc (lines 1-9) from ws/apps/web/base/svc.yaml:1; schema Kubernetes v1.37.2 (API server OpenAPI)
      ;  metadata.annotations.monitored <- ws/apps/web/components/monitoring/kustomization.yaml:4
      ;  metadata.name <- ws/apps/web/overlays/prod/kustomization.yaml:5
      # Deployment prod-web (lines 11-33) from ws/apps/web/base/deploy.yaml:1; schema Kubernetes v1.37.2 (API server OpenAPI)
      ;  spec.template.metadata.annotations.monitored <- ws/apps/web/components/monitoring/kustomization.yaml:4
      ;  metadata.annotations.monitored <- ws/apps/web/components/monitoring/kustomization.yaml:4
      ;  spec.replicas <- ws/apps/web/overlays/prod/replicas.yaml:6
      ;  metadata.name <- ws/apps/web/overlays/prod/kustomization.yaml:5
    `);
    // A base as rendered within the dev environment (by short name): the documents it contributes.
    check(renderText(renderEnvironment(ws, { environment: 'dev', uri: 'file:///ws/apps/web/base/svc.yaml' })), expect`
      environment apps/web/overlays/dev
      apiVersion: v1
      kind: Service
      metadata:
        name: web-svc
      spec:
        selector:
          app: web
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        labels:
          app: web
        name: web
      spec:
        replicas: 1
        selector:
          matchLabels:
            app: web
        template:
          spec:
            containers:
            - image: nginx:1.25
              name: app
            - image: envoyproxy/envoy:v1.30
              name: sidecar
      # Service web-svc (lines 1-7) from ws/apps/web/base/svc.yaml:1; schema Kubernetes v1.37.2 (API server OpenAPI)
      # Deployment web (lines 9-26) from ws/apps/web/base/deploy.yaml:1; schema Kubernetes v1.37.2 (API server OpenAPI)
    `);
    // An unsaved edit: the environment renders again from the buffer; the file is unchanged.
    rendered.length = 0;
    ws.host.setBuffer(DEV, 'resources:\n- ../../base\nnameSuffix: -v2\n');
    ws.fileChanged(DEV);
    await ws.idle();
    check([...rendered, ws.io.files.readFile(DEV), renderText(renderEnvironment(ws, { environment: 'dev' }))].join('\n'), expect`
      apps/web/overlays/dev changed
      resources:
      - ../../base

      environment apps/web/overlays/dev
      apiVersion: v1
      kind: Service
      metadata:
        name: web-svc-v2
      spec:
        selector:
          app: web
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        labels:
          app: web
        name: web-v2
      spec:
        replicas: 1
        selector:
          matchLabels:
            app: web
        template:
          spec:
            containers:
            - image: nginx:1.25
              name: app
            - image: envoyproxy/envoy:v1.30
              name: sidecar
      # Service web-svc-v2 (lines 1-7) from ws/apps/web/base/svc.yaml:1; schema Kubernetes v1.37.2 (API server OpenAPI)
      ;  metadata.name <- ws/apps/web/overlays/dev/kustomization.yaml:3
      # Deployment web-v2 (lines 9-26) from ws/apps/web/base/deploy.yaml:1; schema Kubernetes v1.37.2 (API server OpenAPI)
      ;  metadata.name <- ws/apps/web/overlays/dev/kustomization.yaml:3
    `);
  });

  it('a broken patch: the preview keeps rendering the rest, every error listed; fixed, the errors go', async () => {
    const K = '/ws/app/kustomization.yaml';
    const f = parseFixture(`
//- ${K}
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
    const ws = await workspaceOf(f);
    const edit = async (text: string) => { ws.host.setBuffer(K, text); ws.fileChanged(K); await ws.idle(); };
    await edit('resources:\n- cm.yaml\npatches:\n- path: good.yaml\n- target:\n    kind: ConfigMap\n  patch: |-\n    - op: remove\n      path: /data/nope\n- patch: |-\n    kind: ConfigMap\n    apiVersion: v1\n    metadata:\n      name: ghost\nnamePrefix: p-\n');
    check(renderText(renderEnvironment(ws, { environment: 'app' })), expect`
      environment app
      apiVersion: v1
      data:
        a: b
        q: "2"
      kind: ConfigMap
      metadata:
        name: p-c
      # ConfigMap p-c (lines 1-7) from ws/app/cm.yaml:1; schema Kubernetes v1.37.2 (API server OpenAPI)
      ;  data.q <- ws/app/good.yaml:6
      ;  metadata.name <- ws/app/kustomization.yaml:15
      ! ws/app/kustomization.yaml:7: error in remove for path: '/data/nope': Unable to remove nonexistent key: nope: missing value
      ! ws/app/kustomization.yaml:10: no resource matches strategic merge patch "ConfigMap.v1.[noGrp]/ghost.[noNs]": no matches for Id ConfigMap.v1.[noGrp]/ghost.[noNs]; failed to find unique target for patch ConfigMap.v1.[noGrp]/ghost.[noNs]
    `);
    // Closed and opened again with other text: the render follows the text.
    await edit('resources:\n- cm.yaml\nnamePrefix: p-\n');
    ws.host.deleteBuffer(K);
    ws.fileChanged(K);
    await edit('resources:\n- cm.yaml\nnamePrefix: q-\n');
    check([renderText(renderEnvironment(ws, { environment: 'app' })), ...diagnosticsFor(ws, K).map((d) => d.message)].join('\n'), expect`
      environment app
      apiVersion: v1
      data:
        a: b
      kind: ConfigMap
      metadata:
        name: q-c
      # ConfigMap q-c (lines 1-6) from ws/app/cm.yaml:1; schema Kubernetes v1.37.2 (API server OpenAPI)
      ;  metadata.name <- ws/app/kustomization.yaml:3
    `);
  });

  it('multi-root: environments per workspace folder, Argo CD paths from the Git root', async () => {
    const f = parseFixture(`
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
    const ws = await workspaceOf(f, { folders: ['/one', '/two'], files: (t) => { t.mkdir('/two/.git'); } });
    const list = (folder?: string) => listEnvironments(ws, folder).environments.map((e) => `${e.workspaceFolder} ${e.id} ${e.kind} ${e.shortName}`);
    check([...list(), '-- folder two only:', ...list('file:///two'), renderText(renderEnvironment(ws, { environment: 'two-env' }))].join('\n'), expect`
      file:///one app root app
      file:///two deploy/env argocd two-env
      -- folder two only:
      file:///two deploy/env argocd two-env
      environment deploy/env
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: two
      # ConfigMap two (lines 1-4) from two/deploy/env/cm.yaml:1; schema Kubernetes v1.37.2 (API server OpenAPI)
    `);
  });
});

/** The code actions for the diagnostics of `code` in `file`: titles, and each edit's new text. */
function actionsText(ws: Workspace, file: string, code: string): string {
  const ds: Diagnostic[] = diagnosticsFor(ws, file).filter((d) => d.code === code);
  if (!ds.length) return `(no ${code} diagnostic in ${file})`;
  const out: string[] = [];
  for (const a of codeActions(ws, file, ds[0]!.range, ds) as CodeAction[]) {
    out.push(`== ${a.title}${a.disabled ? ` (disabled: ${a.disabled.reason})` : ''}`);
    for (const [uri, edits] of Object.entries(a.edit?.changes ?? {})) for (const e of edits) out.push(`-- ${at(uri, e.range.start.line)}-${e.range.end.line + 1}\n${e.newText.trimEnd()}`);
    for (const c of a.edit?.documentChanges ?? []) out.push(`-- ${JSON.stringify(c)}`);
  }
  return out.join('\n');
}

describe('quick fixes', () => {
  it('commonLabels -> labels with includeSelectors, bases -> resources, add unreferenced file, fix target name, create missing file', async () => {
    const f = parseFixture(`
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
    const ws = await workspaceOf(f);
    check(actionsText(ws, '/ws/base/kustomization.yaml', 'deprecated'), expect`
      == Rewrite 'bases' as kustomize edit fix does
      -- ws/base/kustomization.yaml:1-12
      commonLabels:
        app: web
      resources:
      - deploy.yaml
      - ../lib
      patches:
      - target:
          kind: Deployment
          name: wbe
        patch: "[]"
      == Rewrite 'commonLabels' as kustomize edit fix does
      -- ws/base/kustomization.yaml:1-12
      bases:
      - ../lib
      resources:
      - deploy.yaml
      patches:
      - target:
          kind: Deployment
          name: wbe
        patch: "[]"
      labels:
      - pairs:
          app: web
        includeSelectors: true
    `);
    check(actionsText(ws, '/ws/base/kustomization.yaml', 'selects-nothing'), expect`
      == Change target name to 'web'
      -- ws/base/kustomization.yaml:1-12
      bases:
      - ../lib
      commonLabels:
        app: web
      resources:
      - deploy.yaml
      patches:
      - target:
          kind: Deployment
          name: web
        patch: "[]"
    `);
    check(actionsText(ws, '/ws/other/kustomization.yaml', 'missing-file'), expect`
      == Create gone.yaml
      -- {"kind":"create","uri":"file:///ws/other/gone.yaml","options":{"ignoreIfExists":true}}
    `);
    check(actionsText(ws, '/ws/base/extra.yaml', 'unreferenced'), expect`
      == Add extra.yaml to resources of kustomization.yaml
      -- ws/base/kustomization.yaml:1-12
      bases:
      - ../lib
      commonLabels:
        app: web
      resources:
      - deploy.yaml
      - extra.yaml
      patches:
      - target:
          kind: Deployment
          name: wbe
        patch: "[]"
    `);
  });
});

describe('vars -> replacements', () => {
  const SVC = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  ports:\n  - name: pg\n    port: 5432\n';
  const POD = (value: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - name: main\n    image: app:1\n    env:\n    - name: DB_HOST\n      value: ${value}\n    - name: DB_PORT\n      value: "$(DB_PORT)"\n`;
  const K = 'resources:\n- svc.yaml\n- pod.yaml\nnamePrefix: x-\nvars:\n- name: DB_HOST\n  objref:\n    kind: Service\n    name: db\n    apiVersion: v1\n- name: DB_PORT\n  objref:\n    kind: Service\n    name: db\n    apiVersion: v1\n  fieldref:\n    fieldpath: spec.ports[0].name\n';

  it('rewrites whole-field uses faithfully (same render), and refuses, with the reason, what replacements cannot say', async () => {
    const f = parseFixture(`
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
    const ws = await workspaceOf(f);
    const rewrite = (dir: string) => {
      const file = `/ws/${dir}/kustomization.yaml`;
      const ds = diagnosticsFor(ws, file).filter((d) => d.code === 'deprecated');
      return (codeActions(ws, file, ds[0]!.range, ds) as CodeAction[]).find((a) => a.title === "Rewrite 'vars' as 'replacements'")!;
    };
    const before = renderEnvironment(ws, { environment: 'top' })!.yaml;
    const top = rewrite('top');
    const newText = top.edit!.changes!['file:///ws/top/kustomization.yaml']![0]!.newText;
    check(newText.trimEnd(), expect`
      resources:
      - svc.yaml
      - pod.yaml
      namePrefix: x-
      replacements:
      - source:
          kind: Service
          name: db
          version: v1
          fieldPath: metadata.name
        targets:
        - select:
            kind: Pod
            name: app
          fieldPaths:
          - spec.containers.[name=main].env.[name=DB_HOST].value
      - source:
          kind: Service
          name: db
          version: v1
          fieldPath: spec.ports.0.name
        targets:
        - select:
            kind: Pod
            name: app
          fieldPaths:
          - spec.containers.[name=main].env.[name=DB_PORT].value
    `);
    ws.host.setBuffer('/ws/top/kustomization.yaml', newText);
    ws.fileChanged('/ws/top/kustomization.yaml');
    await ws.idle();
    const after = renderEnvironment(ws, { environment: 'top' })!;
    check([`errors: ${JSON.stringify(after.errors ?? [])}`, `same render: ${after.yaml === before}`, after.yaml.trimEnd()].join('\n'), expect`
      errors: []
      same render: true
      apiVersion: v1
      kind: Service
      metadata:
        name: x-db
      spec:
        ports:
        - name: pg
          port: 5432
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: x-app
      spec:
        containers:
        - env:
          - name: DB_HOST
            value: x-db
          - name: DB_PORT
            value: pg
          image: app:1
          name: main
    `);
    check(`disabled: ${rewrite('spliced').disabled?.reason}`, expect`
      disabled: var DB_HOST is used inside a larger string in Pod x-app (spec.containers[0].env[0].value); replacements set whole fields
    `);
  });
});
