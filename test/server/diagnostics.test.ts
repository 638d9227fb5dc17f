// Diagnostics over a real JSON-RPC connection: each fixture is a workspace, the expected diagnostics
// (file:line: severity code: message prefix) beside it.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, ensureBuilt, fixture, formatDiagnostics } from './lsp';

before(() => ensureBuilt());

const DEPLOY = (name: string, replicas = 1) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
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
`;

/** A CRD of kind Runtime whose spec knows `image` and whatever `extra` adds. */
const RUNTIME_CRD = (extra: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: runtimes.example.com
spec:
  group: example.com
  names:
    kind: Runtime
    plural: runtimes
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
              image:
                type: string${extra}`;

interface Case { name: string; ws: string; expect: string[] }

const cases: Case[] = [
  {
    name: 'unknown field, deprecated field, missing file',
    ws: `
//- /ws/base/kustomization.yaml
resources:
- deploy.yaml
- missing.yaml
commonLabels:
  app: web
nameprefixes: x-
vars:
# - name: SERVICE_NAME   (commented out: vars is empty, kustomize does not warn)
//- /ws/base/deploy.yaml
${DEPLOY('web')}`,
    expect: [
      "ws/base/kustomization.yaml:3: error missing-file: accumulating resources from 'missing.yaml': open",
      "ws/base/kustomization.yaml:4: warning deprecated: Warning: 'commonLabels' is deprecated. Please use 'labels' instead.",
      'ws/base/kustomization.yaml:6: error unknown-field: invalid Kustomization: json: unknown field "nameprefixes"',
    ],
  },
  {
    name: 'YAML syntax error in a kustomization and in a resource',
    ws: `
//- /ws/app/kustomization.yaml
resources:
- deploy.yaml
  - bad: [
//- /ws/other/kustomization.yaml
resources:
- cm.yaml
//- /ws/other/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: x
data: {a: 1
`,
    expect: [
      'ws/app/kustomization.yaml:2: error yaml:',
      'ws/other/cm.yaml:6: error render:',
    ],
  },
  {
    name: 'cycle between two roots',
    ws: `
//- /ws/a/kustomization.yaml
resources:
- ../b
//- /ws/b/kustomization.yaml
resources:
- ../a
`,
    expect: [
      'ws/a/kustomization.yaml:2: error cycle: cycle detected: a -> b -> a',
      'ws/b/kustomization.yaml:2: error cycle: cycle detected: b -> a -> b',
    ],
  },
  {
    name: 'patch target that selects nothing, unreferenced file, render error mapped to an overlay line',
    ws: `
//- /ws/base/kustomization.yaml
resources:
- deploy.yaml
//- /ws/base/deploy.yaml
${DEPLOY('web')}
//- /ws/base/stray.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: stray
//- /ws/overlays/prod/kustomization.yaml
resources:
- ../../base
patches:
- target:
    kind: Deployment
    name: wbe
  patch: |
    - op: replace
      path: /spec/replicas
      value: 3
`,
    expect: [
      'ws/base/stray.yaml:1: hint unreferenced: stray.yaml is not referenced by kustomization.yaml',
      'ws/overlays/prod/kustomization.yaml:4: warning selects-nothing: patch selects nothing (kind=Deployment, name=wbe) in environment prod',
    ],
  },
  {
    name: 'duplicate resource ids (kustomize wording, at the entry)',
    ws: `
//- /ws/app/kustomization.yaml
resources:
- a.yaml
- b.yaml
//- /ws/app/a.yaml
${DEPLOY('web')}
//- /ws/app/b.yaml
${DEPLOY('web')}
`,
    expect: ["ws/app/kustomization.yaml:3: error render: accumulating resources: merging resources from 'b.yaml': may not add resource with an already registered id: Deployment.v1.apps/web.[noNs] (rendering app)"],
  },
  {
    name: 'several render errors in one file, each at its line, in one pass',
    ws: `
//- /ws/app/kustomization.yaml
resources:
- cm.yaml
patches:
- target:
    kind: ConfigMap
  patch: |-
    - op: remove
      path: /data/missing
- path: smp.yaml
- patch: |-
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: other
namePrefix: p-
//- /ws/app/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: c
data:
  a: b
//- /ws/app/smp.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: c
data:
  q: "2"
`,
    expect: [
      "ws/app/kustomization.yaml:6: error render: error in remove for path: '/data/missing'",
      'ws/app/kustomization.yaml:10: error render: no resource matches strategic merge patch "ConfigMap.v1.[noGrp]/other.[noNs]"',
    ],
  },
  {
    name: 'schema: a wrong type set by a patch is reported at the patch line, an unknown field at its base line',
    ws: `
//- /ws/base/kustomization.yaml
resources:
- deploy.yaml
//- /ws/base/deploy.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    spec:
      containers:
      - name: app
        image: nginx
        imagePullPolicy: Sometimes
        port: 80
//- /ws/prod/kustomization.yaml
resources:
- ../base
patches:
- path: replicas.yaml
//- /ws/prod/replicas.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: three
`,
    expect: [
      'ws/prod/replicas.yaml:6: error schema-type: Deployment web: spec.replicas: must be integer, not string (rendering prod)',
      'ws/base/deploy.yaml:15: error schema-enum: Deployment web: spec.template.spec.containers[0].imagePullPolicy: must be one of "Always", "IfNotPresent", "Never" (rendering prod)',
      'ws/base/deploy.yaml:16: warning schema-unknown: Deployment web: spec.template.spec.containers[0].port: unknown field "port" (rendering prod)',
    ],
  },
  {
    name: 'schema: custom resources against the CRDs in the workspace; Flux kinds against their schema; unknown kinds unchecked',
    ws: `
//- /ws/crds/widget.yaml
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
            required: [size]
            properties:
              size:
                type: integer
              color:
                type: string
                enum: [red, blue]
//- /ws/app/kustomization.yaml
resources:
- widget.yaml
- flux.yaml
- gadget.yaml
//- /ws/app/widget.yaml
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  color: green
  shape: round
//- /ws/app/flux.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
spec:
  interval: 10m
  prune: "yes"
  sourceRef:
    kind: GitRepository
    name: repo
//- /ws/app/gadget.yaml
apiVersion: example.com/v1
kind: Gadget
metadata:
  name: g
`,
    expect: [
      // The engine places a map field at its value (the first line inside spec).
      'ws/app/widget.yaml:6: error schema-required: Widget w: spec: missing required field "size" (rendering app)',
      'ws/app/widget.yaml:6: error schema-enum: Widget w: spec.color: must be one of "red", "blue" (rendering app)',
      'ws/app/widget.yaml:7: warning schema-unknown: Widget w: spec.shape: unknown field "shape" (rendering app)',
      'ws/app/flux.yaml:7: error schema-type: Kustomization apps: spec.prune: must be boolean, not string (rendering app)',
      'ws/app/gadget.yaml:1: hint schema-unchecked: Gadget g is not schema-checked: no schema known for example.com/v1 Gadget',
    ],
  },
  {
    name: 'schema: current Flux and Argo CD kinds are checked; base64 wrapped at 70 columns and null values are no problems (the API server takes them)',
    ws: `
//- /ws/app/kustomization.yaml
resources:
- secret.yaml
- flux.yaml
- argo.yaml
//- /ws/app/secret.yaml
apiVersion: v1
kind: Secret
metadata:
  name: s
  labels: null
data:
  key: |
    eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eH
    h4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4
    eHh4eHh4eHh4eHh4eHh4
  empty: null
type: null
//- /ws/app/flux.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
spec:
  interval: 10m
  chartRef:
    kind: OCIRepository
    name: podinfo
  values:
    replicaCount: 2
  timeout: null
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: podinfo
spec:
  interval: 10m
  url: oci://ghcr.io/stefanprodan/charts/podinfo
  ref:
    semver: '>=6.0.0'
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: charts
spec:
  type: oci
  interval: 10m
  url: oci://ghcr.io/stefanprodan/charts
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
spec:
  interval: 10m
  prune: true
  sourceRef:
    kind: GitRepository
    name: repo
  healthCheckExprs:
  - apiVersion: example.com/v1
    kind: Widget
    current: status.ready == true
  healthChecks: null
//- /ws/app/argo.yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: guestbook
spec:
  project: default
  source:
    repoURL: https://github.com/argoproj/argocd-example-apps
    path: guestbook
    targetRevision: HEAD
  destination:
    server: https://kubernetes.default.svc
    namespace: guestbook
  syncPolicy:
    automated:
      prune: true
    retry:
      limit: 2
      backof: {}
---
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: guestbook
spec:
  generators:
  - list:
      elements:
      - cluster: dev
  template:
    metadata:
      name: '{{.cluster}}-guestbook'
    spec:
      project: default
      source:
        repoURL: https://github.com/argoproj/argocd-example-apps
        path: guestbook
      destination:
        server: https://kubernetes.default.svc
`,
    expect: [
      'ws/app/argo.yaml:19: warning schema-unknown: Application guestbook: spec.syncPolicy.retry.backof: unknown field "backof" (rendering app)',
    ],
  },
  {
    name: 'name conflict after a prefix: reported at the entry (as kustomize) and at the namePrefix that caused it',
    ws: `
//- /ws/env/kustomization.yaml
resources:
- ../b
- ../c
//- /ws/b/kustomization.yaml
resources:
- cm.yaml
namePrefix: x-
//- /ws/b/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
//- /ws/c/kustomization.yaml
resources:
- cm.yaml
//- /ws/c/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: x-a
`,
    expect: [
      "ws/env/kustomization.yaml:3: error render: accumulating resources: recursed merging from path",
      'ws/b/kustomization.yaml:3: error render: name conflict after namePrefix: ConfigMap a from cm.yaml becomes x-a, the name of another ConfigMap',
    ],
  },
  {
    name: 'an incomplete render (remote base, helm off, a plugin) is said once at the entry, quietly; nothing is concluded from what is missing',
    ws: `
//- /ws/env/kustomization.yaml
resources:
- https://github.com/example/platform//base?ref=v1.0.0
- deploy.yaml
helmCharts:
- name: podinfo
  repo: https://stefanprodan.github.io/podinfo
  version: 6.5.0
patches:
- target:
    kind: Deployment
    name: from-the-remote-base
  patch: |
    - op: add
      path: /metadata/labels/x
      value: y
- path: remote-patch.yaml
//- /ws/env/remote-patch.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: also-from-the-remote-base
spec:
  replicas: 2
//- /ws/env/deploy.yaml
${DEPLOY('web')}
//- /ws/plug/kustomization.yaml
resources:
- deploy.yaml
transformers:
- sops.yaml
//- /ws/plug/sops.yaml
apiVersion: viaduct.ai/v1
kind: ksops
metadata:
  name: secrets
//- /ws/plug/deploy.yaml
${DEPLOY('api')}
//- /ws/oa/kustomization.yaml
resources:
- deploy.yaml
openapi:
  path: https://example.com/schemas/rollouts.json
//- /ws/oa/deploy.yaml
${DEPLOY('oa')}
`,
    expect: [
      'ws/oa/kustomization.yaml:4: info incomplete: https://example.com/schemas/rollouts.json is not fetched',
      'ws/env/kustomization.yaml:2: info incomplete: https://github.com/example/platform//base?ref=v1.0.0 is not fetched (GitOps Lens renders local files only): the render of env is incomplete',
      'ws/env/kustomization.yaml:5: info incomplete: helm chart podinfo is not inflated: set gitopsLens.helm.path',
      'ws/plug/kustomization.yaml:4: info incomplete: ksops is not run',
    ],
  },
  {
    name: 'schema: SOPS metadata and ${VAR} placeholders are replaced before anything reaches the API server',
    ws: `
//- /ws/app/kustomization.yaml
resources:
- secret.sops.yaml
- pvc.yaml
//- /ws/app/secret.sops.yaml
apiVersion: v1
kind: Secret
metadata:
  name: creds
stringData:
  token: ENC[AES256_GCM,data:abc=,iv:x=,tag:y=,type:str]
data:
  config.json: ENC[AES256_GCM,data:not/base64!,iv:x=,tag:y=,type:str]
sops:
  version: 3.9.0
  age:
  - recipient: age1xyz
//- /ws/app/pvc.yaml
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: \${APP}
spec:
  accessModes:
  - "\${VOLSYNC_ACCESSMODES:-ReadWriteOnce}"
  resources:
    requests:
      storage: "\${VOLSYNC_CAPACITY:-1Gi}"
  replicas: 3
`,
    expect: ['ws/app/pvc.yaml:11: warning schema-unknown: PersistentVolumeClaim ${APP}: spec.replicas: unknown field "replicas"'],
  },
  {
    name: 'a JSON 6902 patch that changes the kind it selected by still selected it; one that selects nothing is said',
    ws: `
//- /ws/app/kustomization.yaml
resources:
- role.yaml
patchesJson6902:
- target:
    group: rbac.authorization.k8s.io
    version: v1
    kind: ClusterRole
    name: reader
  patch: |
    - op: replace
      path: /kind
      value: Role
- target:
    kind: ClusterRole
    name: writer
  patch: |
    - op: add
      path: /metadata/labels
      value: {a: b}
//- /ws/app/role.yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader
rules: []
`,
    expect: [
      "ws/app/kustomization.yaml:3: warning deprecated: Warning: 'patchesJson6902' is deprecated.",
      'ws/app/kustomization.yaml:13: warning selects-nothing: patch selects nothing (kind=ClusterRole, name=writer) in environment app',
    ],
  },
  {
    name: 'a folder a kustomization includes is a root even when .gitignore matches it (it only hides untracked files)',
    ws: `
//- /ws/.gitignore
manager
//- /ws/config/default/kustomization.yaml
resources:
- ../manager
- missing
//- /ws/config/manager/kustomization.yaml
resources:
- deploy.yaml
//- /ws/config/manager/deploy.yaml
${DEPLOY('manager')}`,
    expect: ['ws/config/default/kustomization.yaml:3: error missing-file:'],
  },
  {
    name: 'nothing is concluded about patch targets in an environment whose render failed somewhere',
    ws: `
//- /ws/app/kustomization.yaml
resources:
- cluster.yaml
patches:
- path: scale.yaml
  target:
    kind: Cluster
//- /ws/app/scale.yaml
- op: add
  path: /spec/replicas
  value: 3
`,
    expect: ["ws/app/kustomization.yaml:2: error missing-file: accumulating resources from 'cluster.yaml'"],
  },
  {
    name: 'several CRDs of one kind in the workspace (an old release bundle beside the current ones): a problem only when every definition has it',
    ws: `
//- /ws/install/v0.1/bundle.yaml
${RUNTIME_CRD('')}
//- /ws/config/crd/runtimes.yaml
${RUNTIME_CRD('\n              priority:\n                type: integer')}
//- /ws/app/kustomization.yaml
resources:
- runtime.yaml
//- /ws/app/runtime.yaml
apiVersion: example.com/v1
kind: Runtime
metadata:
  name: r
spec:
  image: x
  priority: 2
  colour: red
`,
    expect: ['ws/app/runtime.yaml:8: warning schema-unknown: Runtime r: spec.colour: unknown field "colour"'],
  },
  {
    name: 'bases listing a file builds, as in kustomize',
    ws: `
//- /ws/app/kustomization.yaml
bases:
- deploy.yaml
//- /ws/app/deploy.yaml
${DEPLOY('web')}`,
    expect: ["ws/app/kustomization.yaml:1: warning deprecated: Warning: 'bases' is deprecated."],
  },
  {
    name: 'one "not schema-checked" notice per kind in the workspace, at its first object',
    ws: `
//- /ws/a/kustomization.yaml
resources:
- gadgets.yaml
//- /ws/a/gadgets.yaml
apiVersion: example.com/v1
kind: Gadget
metadata:
  name: one
---
apiVersion: example.com/v1
kind: Gadget
metadata:
  name: two
//- /ws/b/kustomization.yaml
resources:
- gadget.yaml
//- /ws/b/gadget.yaml
apiVersion: example.com/v1
kind: Gadget
metadata:
  name: three
`,
    expect: ['ws/a/gadgets.yaml:1: hint schema-unchecked: Gadget one is not schema-checked (nor 2 more Gadget objects in this workspace)'],
  },
  {
    name: 'unreferenced: only files of objects that no other tool reads',
    ws: `
//- /ws/app/kustomization.yaml
resources:
- deploy.yaml
//- /ws/app/deploy.yaml
${DEPLOY('web')}
//- /ws/app/forgotten.yaml
${DEPLOY('old')}
//- /ws/app/values.yaml
replicaCount: 2
//- /ws/app/debug-pod.yaml
apiVersion: v1
kind: Pod
metadata:
  name: debug
//- /ws/app/Makefile
debug:
	kubectl apply -f debug-pod.yaml
//- /ws/app/chart/Chart.yaml
apiVersion: v2
name: app
version: 0.1.0
//- /ws/app/chart/kustomization.yaml
resources: []
//- /ws/app/chart/templates.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: x
`,
    expect: ['ws/app/forgotten.yaml:1: hint unreferenced: forgotten.yaml is not referenced by kustomization.yaml'],
  },
];

describe('server diagnostics', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const f = fixture(c.ws);
      const client = await Client.start([f.path('ws')]);
      try {
        const got = formatDiagnostics(f, client.diagnostics);
        for (const e of c.expect) assert.ok(got.some((g) => g.startsWith(e)), `expected a diagnostic starting with\n  ${e}\ngot:\n  ${got.join('\n  ')}`);
        const unexpected = got.filter((g) => !c.expect.some((e) => g.startsWith(e)));
        assert.deepEqual(unexpected, [], 'unexpected diagnostics');
      } finally { await client.stop(); }
    });
  }
});
