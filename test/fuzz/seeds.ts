// Well-formed seed trees for the robustness fuzzer. Each one builds cleanly (fuzz.test.ts checks
// that first), so every failure found is caused by the mutation, not by the seed. Paths are
// relative to the tree's root; `dir` is the folder that is built.

export interface Seed {
  name: string;
  /** Folder to build, relative to the tree root ('' = the root). */
  dir: string;
  files: Record<string, string>;
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.25
        ports:
        - containerPort: 80
        env:
        - name: MODE
          value: plain
        - name: CONFIG_NAME
          value: $(CFG_NAME)
        envFrom:
        - configMapRef:
            name: web-config
        volumeMounts:
        - name: creds
          mountPath: /creds
      volumes:
      - name: creds
        secret:
          secretName: web-secret
`;

const service = `apiVersion: v1
kind: Service
metadata:
  name: web
  labels:
    app: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
`;

const configMap = `apiVersion: v1
kind: ConfigMap
metadata:
  name: source
  annotations:
    note: plain
data:
  replicas: "3"
  host: example.com
`;

/** Everything at once in one root: most of the kustomization fields kustomize knows. */
const full: Seed = {
  name: 'full',
  dir: 'app',
  files: {
    'app/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop
namePrefix: p-
nameSuffix: -s
labels:
- pairs:
    team: blue
  includeSelectors: false
  includeTemplates: true
commonAnnotations:
  owner: platform
resources:
- deployment.yaml
- service.yaml
- configmap.yaml
images:
- name: nginx
  newName: registry.example.com/nginx
  newTag: "1.26"
- name: busybox
  digest: sha256:24a0c4b4a4c0eb97a1aabb8e29f18e917d05abfe1b7a7c07857230879ce7d3d3
replicas:
- name: web
  count: 2
configMapGenerator:
- name: web-config
  literals:
  - A=1
  - B=two
  files:
  - app.properties
  envs:
  - extra.env
secretGenerator:
- name: web-secret
  type: Opaque
  literals:
  - password=s3cret
generatorOptions:
  labels:
    generated: "yes"
patches:
- target:
    kind: Deployment
    name: web
    labelSelector: app=web
  patch: |-
    - op: replace
      path: /spec/template/spec/containers/0/env/0/value
      value: patched
- path: patch-smp.yaml
- path: patch-json.yaml
  target:
    group: apps
    version: v1
    kind: Deployment
    name: w.*
- patch: |-
    apiVersion: v1
    kind: Service
    metadata:
      name: web
    spec:
      type: ClusterIP
patchesStrategicMerge:
- patch-sm-old.yaml
patchesJson6902:
- target:
    version: v1
    kind: Service
    name: web
  path: patch-json-old.yaml
replacements:
- source:
    kind: ConfigMap
    name: source
    fieldPath: data.replicas
  targets:
  - select:
      kind: Deployment
      name: web
    fieldPaths:
    - spec.template.metadata.annotations.replicas
    options:
      create: true
- path: replacement.yaml
vars:
- name: CFG_NAME
  objref:
    kind: ConfigMap
    name: source
    apiVersion: v1
  fieldref:
    fieldpath: metadata.name
`,
    'app/deployment.yaml': deployment,
    'app/service.yaml': service,
    'app/configmap.yaml': configMap,
    'app/app.properties': 'color=blue\nsize=large\n',
    'app/extra.env': 'EXTRA=1\n# comment\nOTHER=two\n',
    'app/patch-smp.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: web
        resources:
          limits:
            memory: 128Mi
      - name: sidecar
        image: busybox:1.36
`,
    'app/patch-json.yaml': `- op: add
  path: /metadata/annotations
  value:
    patched-by: json6902
`,
    'app/patch-sm-old.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: source
data:
  extra: "yes"
`,
    'app/patch-json-old.yaml': `- op: add
  path: /spec/sessionAffinity
  value: None
`,
    'app/replacement.yaml': `source:
  kind: ConfigMap
  name: source
  fieldPath: data.host
targets:
- select:
    kind: Service
  reject:
  - name: nothing
  fieldPaths:
  - metadata.annotations.host
  options:
    create: true
`,
  },
};

/** A base, an overlay over it and a component. */
const layered: Seed = {
  name: 'layered',
  dir: 'overlays/prod',
  files: {
    'base/kustomization.yaml': `resources:
- deployment.yaml
- service.yaml
configMapGenerator:
- name: web-config
  literals:
  - LEVEL=base
secretGenerator:
- name: web-secret
  literals:
  - token=abc
`,
    'base/deployment.yaml': deployment,
    'base/service.yaml': service,
    'components/monitoring/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources:
- monitor.yaml
patches:
- target:
    kind: Deployment
  patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: any
      annotations:
        prometheus.io/scrape: "true"
`,
    'components/monitoring/monitor.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: monitor
data:
  scrape: "30s"
`,
    'overlays/prod/kustomization.yaml': `resources:
- ../../base
components:
- ../../components/monitoring
namespace: prod
namePrefix: prod-
commonLabels:
  env: prod
images:
- name: nginx
  newTag: 1.27-alpine
configMapGenerator:
- name: web-config
  behavior: merge
  literals:
  - LEVEL=prod
patches:
- target:
    kind: Deployment
    name: web
  patch: |-
    - op: replace
      path: /spec/replicas
      value: 5
- target:
    kind: ConfigMap
    labelSelector: env=prod
    annotationSelector: ""
  patch: |-
    - op: add
      path: /data/touched
      value: "1"
replacements:
- source:
    kind: Service
    name: web
    fieldPath: metadata.name
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.containers.[name=web].env.[name=MODE].value
`,
  },
};

/** helmCharts entries (rendered through a fake helm runner in the engine fuzzer), crds, openapi, configurations, transformers, sort options, build metadata. */
const plumbing: Seed = {
  name: 'plumbing',
  dir: '',
  files: {
    'kustomization.yaml': `resources:
- crontab.yaml
- list.yaml
crds:
- crd.json
configurations:
- kustomizeconfig.yaml
transformers:
- labeller.yaml
generators:
- generated-cm.yaml
helmGlobals:
  chartHome: charts
helmCharts:
- name: podinfo
  repo: https://stefanprodan.github.io/podinfo
  version: 6.5.0
  releaseName: pod
  namespace: apps
  valuesInline:
    replicaCount: 2
  includeCRDs: false
sortOptions:
  order: legacy
  legacySortOptions:
    orderFirst:
    - Namespace
    orderLast:
    - CronTab
buildMetadata:
- originAnnotations
- managedByLabel
namePrefix: x-
`,
    'crontab.yaml': `apiVersion: stable.example.com/v1
kind: CronTab
metadata:
  name: tab
spec:
  cronSpec: "* * * * */5"
  configRef: settings
`,
    'list.yaml': `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: settings
  data:
    a: b
- apiVersion: v1
  kind: Namespace
  metadata:
    name: apps
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: robot
`,
    'crd.json': `{
  "stable.example.com.v1.CronTab": {
    "Schema": {
      "properties": {
        "apiVersion": { "type": "string" },
        "kind": { "type": "string" },
        "metadata": { "type": "object" },
        "spec": { "$ref": "stable.example.com.v1.CronTabSpec" }
      }
    }
  },
  "stable.example.com.v1.CronTabSpec": {
    "Schema": {
      "properties": {
        "secret": {
          "x-kubernetes-object-ref-api-version": "v1",
          "x-kubernetes-object-ref-kind": "Secret",
          "type": "object"
        }
      }
    }
  }
}
`,
    'kustomizeconfig.yaml': `nameReference:
- kind: ConfigMap
  fieldSpecs:
  - path: spec/configRef
    kind: CronTab
`,
    'labeller.yaml': `apiVersion: builtin
kind: LabelTransformer
metadata:
  name: labeller
labels:
  via: transformer
fieldSpecs:
- path: metadata/labels
  create: true
`,
    'generated-cm.yaml': `apiVersion: builtin
kind: ConfigMapGenerator
metadata:
  name: from-generator
literals:
- K=V
`,
  },
};

/** A plain root with YAML anchors and aliases, multi-document files and a Secret with data. */
const anchors: Seed = {
  name: 'anchors',
  dir: 'root',
  files: {
    'root/kustomization.yaml': `resources:
- all.yaml
namespace: &ns team-a
commonAnnotations:
  ns: *ns
images:
- name: redis
  newName: mirror.example.com/redis
patches:
- path: strategic.yaml
  target:
    kind: StatefulSet
`,
    'root/all.yaml': `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: cache
  labels: &labels
    app: cache
spec:
  serviceName: cache
  selector:
    matchLabels: *labels
  template:
    metadata:
      labels: *labels
    spec:
      containers:
      - name: redis
        image: redis:7
---
apiVersion: v1
kind: Secret
metadata:
  name: cache-auth
type: Opaque
data:
  password: cGFzc3dvcmQ=
stringData:
  user: admin
`,
    'root/strategic.yaml': `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: cache
spec:
  template:
    spec:
      containers:
      - name: redis
        $patch: replace
        image: redis:7.2
`,
  },
};

export const SEEDS: Seed[] = [full, layered, plumbing, anchors];

/** What the fake helm runner returns for any helmCharts entry. */
export const FAKE_HELM_OUTPUT = `apiVersion: v1
kind: ConfigMap
metadata:
  name: from-chart
data:
  chart: podinfo
`;
