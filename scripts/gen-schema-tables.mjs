// Generates the schema tables of the language server's schema checks and completion
// (server/src/schema/) from what the cluster itself would judge by:
//   - built-in kinds: the OpenAPI v3 of a real kube-apiserver (/openapi/v3 and each group-version
//     document); every top-level resource kind its discovery lists, in the group-versions it serves
//     itself (not those of CRDs or aggregated API servers);
//   - Flux and Argo CD kinds: the CRDs their Go modules ship, downloaded with `go mod download` at
//     generation time (nothing downloaded is committed). The Flux controllers are those of the Flux
//     distribution's go.mod; a controller module the Go module proxy does not serve has its CRDs made
//     from its api module by controller-gen, as its Makefile does (`cd api; controller-gen
//     crd:crdVersions=v1 paths=./...`), after checking that this reproduces a served controller's
//     shipped CRDs byte for byte.
// `required` of built-in kinds: the API server validates built-in objects with Go code, not with the
// OpenAPI, and a few fields the OpenAPI marks required take their zero value (a sysctl's value, a
// LimitRange's limits). Each required field of a set of valid objects (PROBES below) is removed in
// turn and the object is sent as a server-side dry-run; the fields the API server accepts missing are
// dropped from the tables.
//
// Writes
//   server/src/schema/generated/shapes.json  apiVersion/Kind → compact Shape (server/src/schema/shape.ts),
//                                            and the shared definitions (defs[0] is ObjectMeta)
//   server/src/schema/generated/versions.ts  the versions the tables come from (the one place the
//                                            code reads them)
//
//   node scripts/gen-schema-tables.mjs                      starts (or reuses) the test cluster
//   node scripts/gen-schema-tables.mjs --kubeconfig FILE    any API server (its current context)
//   ... --out DIR                                           writes the two files into DIR instead
//
// Needs go and kubectl on PATH.

import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import YAML from 'yaml';
import { agentCrdFiles } from './agent-crds.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const outAt = process.argv.indexOf('--out');
const outDir = outAt >= 0 ? path.resolve(process.argv[outAt + 1]) : path.join(root, 'server/src/schema/generated');
const { fromOpenApiV3, crdShape, OBJECT_META } = await tsImport(pathToFileURL(path.join(root, 'server/src/schema/shape.ts')).href, import.meta.url);

const log = (m) => process.stderr.write(`${m}\n`);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-lens-schemas-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

// ---- the API server -------------------------------------------------------------------------

const argKc = process.argv.indexOf('--kubeconfig');
let kubeconfig;
let cluster;
if (argKc >= 0) kubeconfig = process.argv[argKc + 1];
else {
  const { ensureCluster } = await import('../test/cluster/harness.mjs');
  cluster = await ensureCluster();
  kubeconfig = cluster.kubeconfig;
}
if (!kubeconfig) throw new Error('--kubeconfig needs a file');

const kubectl = (args) => execFileSync('kubectl', [`--kubeconfig=${kubeconfig}`, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
const raw = (p) => JSON.parse(kubectl(['get', '--raw', p]));
/** A server-side dry-run create: undefined if accepted, else what the API server said. */
const dryRun = (obj) => new Promise((resolve) => {
  const child = execFile('kubectl', [`--kubeconfig=${kubeconfig}`, 'create', '--dry-run=server', '--validate=strict', '-o', 'name', '-f', '-'], { encoding: 'utf8' }, (err, _out, stderr) => resolve(err ? stderr.trim() || String(err) : undefined));
  child.stdin.end(JSON.stringify(obj));
});

const kubeVersion = raw('/version').gitVersion;
log(`API server ${kubeVersion}`);

// Group-versions that are not the API server's own: CRDs and aggregated API servers.
const foreign = new Set();
for (const c of raw('/apis/apiextensions.k8s.io/v1/customresourcedefinitions').items) for (const v of c.spec.versions) foreign.add(`${c.spec.group}/${v.name}`);
for (const a of raw('/apis/apiregistration.k8s.io/v1/apiservices').items) if (a.spec.service) foreign.add(`${a.spec.group}/${a.spec.version}`);

const components = new Map(); // name → schema (the same name in several documents is one schema)
const kindComponent = new Map(); // apiVersion/Kind → component name
for (const p of Object.keys(raw('/openapi/v3').paths).sort()) {
  const m = /^(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(p);
  if (!m) continue;
  const [group, version] = m[1] ? ['', m[1]] : [m[2], m[3]];
  if (foreign.has(`${group}/${version}`)) continue;
  const apiVersion = group ? `${group}/${version}` : version;
  const top = new Set(raw(`/${p}`).resources.filter((r) => !r.name.includes('/')).map((r) => r.kind));
  const doc = raw(`/openapi/v3/${p}`);
  for (const [name, s] of Object.entries(doc.components?.schemas ?? {})) {
    const had = components.get(name);
    const same = (a, b) => JSON.stringify({ ...a, 'x-kubernetes-group-version-kind': 0 }) === JSON.stringify({ ...b, 'x-kubernetes-group-version-kind': 0 });
    if (had && !same(had, s)) log(`warning: ${name} differs between group-versions; keeping the first`);
    if (!had) components.set(name, s);
    for (const g of s['x-kubernetes-group-version-kind'] ?? []) {
      if (g.group === group && g.version === version && top.has(g.kind)) kindComponent.set(`${apiVersion}/${g.kind}`, name);
    }
  }
}
log(`${kindComponent.size} built-in kinds, ${components.size} OpenAPI components`);

// ---- required fields the API server accepts missing ------------------------------------------

const PROBES = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: gitops-lens-schema-probe, namespace: default, ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: x, uid: 6b5b7a1c-0000-4000-8000-000000000001}]}
spec:
  selector: {matchLabels: {app: d}, matchExpressions: [{key: app, operator: In, values: [d]}]}
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 25%}}
  template:
    metadata: {labels: {app: d}}
    spec:
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms: [{matchExpressions: [{key: k, operator: In, values: [v]}]}]
          preferredDuringSchedulingIgnoredDuringExecution: [{weight: 1, preference: {matchExpressions: [{key: k, operator: Exists}]}}]
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution: [{weight: 1, podAffinityTerm: {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: d}}}}]
      tolerations: [{key: k, operator: Equal, value: v, effect: NoSchedule}]
      topologySpreadConstraints: [{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: d}}}]
      imagePullSecrets: [{name: reg}]
      securityContext: {sysctls: [{name: net.core.somaxconn, value: "1024"}], seccompProfile: {type: RuntimeDefault}}
      hostAliases: [{ip: 127.0.0.1, hostnames: [a]}]
      readinessGates: [{conditionType: x.example.com/ready}]
      initContainers: [{name: init, image: busybox}]
      containers:
      - name: app
        image: nginx
        ports: [{containerPort: 80, name: http}]
        env:
        - {name: A, value: a}
        - {name: B, valueFrom: {configMapKeyRef: {name: c, key: k}}}
        - {name: C, valueFrom: {secretKeyRef: {name: s, key: k}}}
        - {name: D, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
        - {name: E, valueFrom: {resourceFieldRef: {resource: limits.cpu, containerName: app}}}
        envFrom: [{configMapRef: {name: c}}]
        volumeMounts: [{name: v, mountPath: /v}, {name: s, mountPath: /s}, {name: p, mountPath: /p}]
        livenessProbe: {httpGet: {path: /, port: http, httpHeaders: [{name: X, value: "z"}]}}
        readinessProbe: {tcpSocket: {port: 80}}
        startupProbe: {exec: {command: ["true"]}}
        lifecycle: {preStop: {sleep: {seconds: 1}}}
        securityContext: {capabilities: {drop: [ALL]}, seLinuxOptions: {level: "s0"}}
        resources: {limits: {cpu: 1}}
      volumes:
      - {name: v, configMap: {name: c, items: [{key: k, path: p}]}}
      - {name: s, secret: {secretName: s, items: [{key: k, path: p}]}}
      - name: p
        projected:
          sources:
          - serviceAccountToken: {path: token, expirationSeconds: 3600}
          - downwardAPI: {items: [{path: podname, fieldRef: {fieldPath: metadata.name}}]}
      - {name: pvc, persistentVolumeClaim: {claimName: x}}
      - {name: hp, hostPath: {path: /tmp}}
      - name: e
        ephemeral: {volumeClaimTemplate: {spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}}
---
apiVersion: v1
kind: Service
metadata: {name: gitops-lens-schema-probe, namespace: default}
spec: {selector: {app: d}, ports: [{port: 80, targetPort: http, name: http}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: gitops-lens-schema-probe, namespace: default}
spec:
  tls: [{hosts: [a.example.com], secretName: s}]
  rules:
  - host: a.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: s1, port: {number: 80}}}}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: gitops-lens-schema-probe, namespace: default}
spec:
  podSelector: {matchLabels: {app: d}}
  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}}], ports: [{port: 80}]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: gitops-lens-schema-probe, namespace: default}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
subjects: [{kind: ServiceAccount, name: sa, namespace: default}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: gitops-lens-schema-probe, namespace: default}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: gitops-lens-schema-probe, namespace: default}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: d1}
  maxReplicas: 3
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: gitops-lens-schema-probe, namespace: default}
spec:
  schedule: "* * * * *"
  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: gitops-lens-schema-probe, namespace: default}
spec: {maxUnavailable: 1, selector: {matchLabels: {app: d}}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: gitops-lens-schema-probe, namespace: default}
spec:
  serviceName: s1
  selector: {matchLabels: {app: d}}
  template: {metadata: {labels: {app: d}}, spec: {containers: [{name: c, image: busybox}]}}
  volumeClaimTemplates: [{metadata: {name: data}, spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: gitops-lens-schema-probe}
webhooks:
- name: a.example.com
  admissionReviewVersions: [v1]
  sideEffects: None
  clientConfig: {service: {name: s, namespace: default}}
  rules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}]
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: gitops-lens-schema-probe, namespace: default}
spec:
  hard: {pods: "10"}
  scopeSelector: {matchExpressions: [{scopeName: PriorityClass, operator: In, values: [high]}]}
---
apiVersion: v1
kind: LimitRange
metadata: {name: gitops-lens-schema-probe, namespace: default}
spec: {limits: [{type: Container, max: {cpu: 2}}]}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: gitops-lens-schema-probe}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  csi: {driver: x.example.com, volumeHandle: h}
  nodeAffinity: {required: {nodeSelectorTerms: [{matchExpressions: [{key: k, operator: In, values: [v]}]}]}}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: gitops-lens-schema-probe}
provisioner: x.example.com
allowedTopologies: [{matchLabelExpressions: [{key: k, values: [v]}]}]
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: schemaprobes.gitops-lens.example.com}
spec:
  group: gitops-lens.example.com
  names: {kind: SchemaProbe, plural: schemaprobes}
  scope: Namespaced
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
`;

const refName = (s) => (typeof s?.$ref === 'string' ? s.$ref : s?.allOf?.length === 1 ? s.allOf[0].$ref : undefined)?.split('/').pop();
/** The component (and its schema) a property's schema stands for. */
function deref(s) {
  const n = refName(s);
  return n ? { name: n, schema: components.get(n) ?? {} } : { name: undefined, schema: s ?? {} };
}

/** `component.field` of every required field the API server accepts missing from the probes. */
async function optionalRequired() {
  const cases = [];
  const walk = (root, node, s, name, at) => {
    const d = refName(s) ? deref(s) : { name, schema: s ?? {} };
    if (Array.isArray(node)) { node.forEach((x, i) => walk(root, x, d.schema.items, undefined, [...at, i])); return; }
    if (!node || typeof node !== 'object') return;
    const props = d.schema.properties;
    if (!props) {
      if (d.schema.additionalProperties && typeof d.schema.additionalProperties === 'object') for (const [k, x] of Object.entries(node)) walk(root, x, d.schema.additionalProperties, undefined, [...at, k]);
      return;
    }
    for (const q of d.schema.required ?? []) if (q in node && d.name) cases.push({ root, at, field: q, id: `${d.name}.${q}` });
    for (const [k, x] of Object.entries(node)) if (props[k]) walk(root, x, props[k], undefined, [...at, k]);
  };
  const docs = YAML.parseAllDocuments(PROBES).map((d) => d.toJS());
  for (const doc of docs) {
    const name = kindComponent.get(`${doc.apiVersion}/${doc.kind}`);
    if (!name) { log(`probe: ${doc.apiVersion} ${doc.kind} is not served; skipped`); continue; }
    const bad = await dryRun(doc);
    if (bad) throw new Error(`probe ${doc.kind} is not valid on this API server: ${bad}`);
    walk(doc, doc, components.get(name), name, []);
  }
  const accepted = new Map(); // id → [rejected count, accepted count]
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const c = cases[next++];
      const obj = structuredClone(c.root);
      let cur = obj;
      for (const k of c.at) cur = cur[k];
      delete cur[c.field];
      const said = await dryRun(obj);
      const n = accepted.get(c.id) ?? [0, 0];
      n[said ? 0 : 1]++;
      accepted.set(c.id, n);
    }
  };
  await Promise.all([worker(), worker()]);
  const out = new Set([...accepted].filter(([, [rej, acc]]) => acc > 0 && rej === 0).map(([id]) => id));
  const mixed = [...accepted].filter(([, [rej, acc]]) => acc > 0 && rej > 0).map(([id]) => id);
  if (mixed.length) log(`probe: accepted missing in some places only (kept required): ${mixed.join(', ')}`);
  log(`probe: ${cases.length} dry-runs; required fields the API server accepts missing: ${[...out].sort().join(', ') || 'none'}`);
  return out;
}
const notRequired = await optionalRequired();

// ---- the built-in tables ---------------------------------------------------------------------

const defs = [];
const defIndex = new Map();
const queue = [];
const OBJECT_META_NAME = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
function ref(name) {
  let i = defIndex.get(name);
  if (i === undefined) {
    i = defs.length;
    defIndex.set(name, i);
    defs.push(null);
    queue.push(name);
  }
  return i;
}
const builtinOpts = { builtin: true, ref };
function convert(name) {
  const s = fromOpenApiV3(components.get(name), builtinOpts);
  if (s.q) {
    s.q = s.q.filter((q) => !notRequired.has(`${name}.${q}`));
    if (!s.q.length) delete s.q;
  }
  return s;
}
if (ref(OBJECT_META_NAME) !== OBJECT_META) throw new Error('ObjectMeta must be defs[0]');
const kinds = {};
for (const [key, name] of [...kindComponent].sort(([a], [b]) => (a < b ? -1 : 1))) kinds[key] = convert(name);
while (queue.length) {
  const name = queue.shift();
  defs[defIndex.get(name)] = convert(name);
}
const builtinDefs = defs.length;

// ---- Flux and Argo CD CRDs ---------------------------------------------------------------------

const { files: crdFiles, fluxProvenance, FLUX, ARGOCD } = agentCrdFiles({ tmp, log });

const crdKinds = {};
const kindSource = {}; // group/Kind → flux:<controller> | argocd
for (const { file, source } of crdFiles) {
  for (const d of YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
    const crd = d.toJS();
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    const { group, names, versions } = crd.spec;
    kindSource[`${group}/${names.kind}`] = source;
    for (const v of versions) {
      if (!v.served || !v.schema?.openAPIV3Schema) continue;
      crdKinds[`${group}/${v.name}/${names.kind}`] = crdShape(v.schema.openAPIV3Schema);
    }
  }
}

// Subtrees a CRD repeats (Argo CD's ApplicationSource in spec, operation, status and history; the
// Application template in an ApplicationSet) become shared definitions.
const keyOf = (s) => JSON.stringify({ ...s, d: undefined }); // a shared subtree keeps its own description at the reference
const counts = new Map();
function count(s) {
  for (const c of children(s)) count(c);
  const k = keyOf(s);
  if (k.length >= 300) counts.set(k, (counts.get(k) ?? 0) + 1);
}
function children(s) {
  return [...Object.values(s.p ?? {}), ...(s.ap ? [s.ap] : []), ...(s.i ? [s.i] : [])];
}
const shared = new Map();
function share(s) {
  const swap = (c) => {
    const k = keyOf(c);
    if ((counts.get(k) ?? 0) < 2) { share(c); return c; }
    let i = shared.get(k);
    if (i === undefined) {
      i = defs.length;
      shared.set(k, i);
      const def = { ...c };
      delete def.d;
      defs.push(def);
      share(def);
    }
    return c.d ? { r: i, d: c.d } : { r: i };
  };
  if (s.p) for (const k of Object.keys(s.p)) s.p[k] = swap(s.p[k]);
  if (s.ap) s.ap = swap(s.ap);
  if (s.i) s.i = swap(s.i);
}
const crdKeys = Object.keys(crdKinds).sort();
for (const k of crdKeys) count(crdKinds[k]);
for (const k of crdKeys) { share(crdKinds[k]); kinds[k] = crdKinds[k]; }

// ---- output ----------------------------------------------------------------------------------

const argoVersion = ARGOCD.version;
const crdKindsBy = Object.fromEntries(Object.entries(kindSource).sort().map(([k, s]) => [k, s === 'argocd' ? 'argo-cd' : s.slice(5)]));
const header = [
  'GENERATED by scripts/gen-schema-tables.mjs — do not edit by hand.',
  `Built-in kinds: Kubernetes ${kubeVersion}, the OpenAPI v3 of its kube-apiserver.`,
  `Flux ${FLUX.version} (${FLUX.module} go.mod): ${Object.entries(fluxProvenance).map(([n, p]) => `${n} ${p.version}${p.crds.startsWith('controller-gen') ? ` (${p.crds})` : ''}`).join(', ')}.`,
  `Argo CD ${argoVersion}: ${ARGOCD.module} ${ARGOCD.crds}.`,
];
fs.mkdirSync(outDir, { recursive: true });
for (const f of ['validators.ts']) fs.rmSync(path.join(outDir, f), { force: true });
const kindKeys = Object.keys(kinds).sort();
const json = `{"//": ${JSON.stringify(header.join(' '))},\n"kinds": {\n${kindKeys.map((k) => `${JSON.stringify(k)}: ${JSON.stringify(kinds[k])}`).join(',\n')}\n},\n"defs": [\n${defs.map((d) => JSON.stringify(d)).join(',\n')}\n]}\n`;
fs.writeFileSync(path.join(outDir, 'shapes.json'), json);
const versions = {
  kubernetes: kubeVersion,
  flux: FLUX.version,
  fluxControllers: Object.fromEntries(Object.entries(fluxProvenance).map(([n, p]) => [n, p.version])),
  argoCd: argoVersion,
  crds: crdKindsBy,
};
const notes = {
  kubernetes: 'The API server the built-in kinds come from.',
  flux: 'The Flux distribution; its go.mod names the controller versions.',
  crds: 'group/Kind of each bundled CRD → the Flux controller (or argo-cd) that ships it.',
};
const ts = (v, ind = '') => (typeof v === 'string' ? `'${v}'` : `{\n${Object.entries(v).map(([k, x]) => `${notes[k] && !ind ? `${ind}  /** ${notes[k]} */\n` : ''}${ind}  ${/^\w+$/.test(k) ? k : `'${k}'`}: ${ts(x, `${ind}  `)},`).join('\n')}\n${ind}}`);
fs.writeFileSync(path.join(outDir, 'versions.ts'), `${header.map((l) => `// ${l}`).join('\n')}\n\n/** The versions the bundled schemas (shapes.json) come from. */\nexport const VERSIONS = ${ts(versions)} as const;\n`);

const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
log(`${kindKeys.length} kinds (${kindComponent.size} built-in, ${crdKeys.length} Flux and Argo CD), ${defs.length} definitions (${builtinDefs} built-in); shapes.json ${kb(Buffer.byteLength(json))}`);
cluster?.release();
