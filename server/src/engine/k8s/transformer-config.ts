// Field specs: which fields of which kinds each builtin transformer touches, as kustomize v5.5
// configures them by default, plus the `configurations:` file format that lets a kustomization add
// its own, and the merge rules kustomize applies when it combines the two.
//
// The default tables below restate the facts of kustomize v5.5.0's
// api/internal/konfig/builtinpluginconsts/*.go (which paths, for which group/version/kind, with
// or without create). The merge and ordering rules follow api/types/fieldspec.go and
// api/internal/plugins/builtinconfig/{transformerconfig,namebackreferences}.go.

import { isObject, KustomizeError, type JsonValue, type SourceRef } from '../resource';

/** One field a transformer reads or writes: a `/`-separated path, limited to a group/version/kind (empty = any). */
export interface FieldSpec {
  group?: string;
  version?: string;
  kind?: string;
  /** kustomize path syntax: `spec/template/spec/containers[]/image`, `\/` escapes a slash in a key. */
  path: string;
  /** Create the field (and missing maps on the way) when absent. */
  create?: boolean;
}

/** A kind that can be referred to by name, and the fields (in other kinds) that hold such references. */
export interface NameBackReference {
  group?: string;
  version?: string;
  kind: string;
  fieldSpecs: FieldSpec[];
}

export interface TransformerConfig {
  namePrefix: FieldSpec[];
  nameSuffix: FieldSpec[];
  namespace: FieldSpec[];
  commonLabels: FieldSpec[];
  /** Extra field specs for every `labels:` entry (empty by default; settable through configurations). */
  labels: FieldSpec[];
  templateLabels: FieldSpec[];
  commonAnnotations: FieldSpec[];
  nameReference: NameBackReference[];
  varReference: FieldSpec[];
  images: FieldSpec[];
  replicas: FieldSpec[];
}

type FsListKey = Exclude<keyof TransformerConfig, 'nameReference'>;
const FS_LIST_KEYS: FsListKey[] = [
  'namePrefix', 'nameSuffix', 'namespace', 'commonLabels', 'labels', 'templateLabels',
  'commonAnnotations', 'varReference', 'images', 'replicas',
];
/** kustomize's Go field names, used in its merge error messages. */
const GO_FIELD_NAME: Record<keyof TransformerConfig, string> = {
  namePrefix: 'NamePrefix', nameSuffix: 'NameSuffix', namespace: 'NameSpace', commonLabels: 'CommonLabels',
  labels: 'Labels', templateLabels: 'TemplateLabels', commonAnnotations: 'CommonAnnotations',
  nameReference: 'NameReference', varReference: 'VarReference', images: 'Images', replicas: 'Replicas',
};

// ---------------------------------------------------------------------------------------------
// Default tables. A row is [path, kind, group, version, create]; '' = any.

type Row = [path: string, kind: string, group?: string, version?: string, create?: boolean];

function fromRows(rows: Row[]): FieldSpec[] {
  return rows.map(([path, kind, group, version, create]) => {
    const fs: FieldSpec = { path };
    if (group) fs.group = group;
    if (version) fs.version = version;
    if (kind) fs.kind = kind;
    if (create) fs.create = true;
    return fs;
  });
}

/** Where each workload kind keeps its pod spec (with the selector it is listed under in the defaults). */
const POD_TEMPLATE_ROWS: { kind: string; group?: string; version?: string; templateMeta?: string }[] = [
  { kind: 'ReplicationController', version: 'v1', templateMeta: 'spec/template/metadata' },
  { kind: 'Deployment', templateMeta: 'spec/template/metadata' },
  { kind: 'ReplicaSet', templateMeta: 'spec/template/metadata' },
  { kind: 'DaemonSet', templateMeta: 'spec/template/metadata' },
  { kind: 'StatefulSet', group: 'apps', templateMeta: 'spec/template/metadata' },
  { kind: 'Job', group: 'batch', templateMeta: 'spec/template/metadata' },
];

/** metadata labels of an object and of the pod templates it carries (builtinpluginconsts/metadatalabels.go). */
function metadataLabelRows(): Row[] {
  const rows: Row[] = [['metadata/labels', '', '', '', true]];
  for (const w of POD_TEMPLATE_ROWS) {
    rows.push([`${w.templateMeta}/labels`, w.kind, w.group, w.version, true]);
    if (w.kind === 'StatefulSet') rows.push(['spec/volumeClaimTemplates[]/metadata/labels', 'StatefulSet', 'apps', '', true]);
  }
  rows.push(['spec/jobTemplate/metadata/labels', 'CronJob', 'batch', '', true]);
  rows.push(['spec/jobTemplate/spec/template/metadata/labels', 'CronJob', 'batch', '', true]);
  return rows;
}

const AFFINITY_SELECTORS = [
  'spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels',
  'spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels',
];

/** Selectors that commonLabels also write (builtinpluginconsts/commonlabels.go), then the metadata labels. */
function commonLabelRows(): Row[] {
  return [
    ['spec/selector', 'Service', '', 'v1', true],
    ['spec/selector', 'ReplicationController', '', 'v1', true],
    ['spec/selector/matchLabels', 'Deployment', '', '', true],
    ...AFFINITY_SELECTORS.map((p): Row => [p, 'Deployment', 'apps', '', false]),
    ['spec/selector/matchLabels', 'ReplicaSet', '', '', true],
    ['spec/selector/matchLabels', 'DaemonSet', '', '', true],
    ['spec/selector/matchLabels', 'StatefulSet', 'apps', '', true],
    ...AFFINITY_SELECTORS.map((p): Row => [p, 'StatefulSet', 'apps', '', false]),
    ['spec/selector/matchLabels', 'Job', 'batch', '', false],
    ['spec/jobTemplate/spec/selector/matchLabels', 'CronJob', 'batch', '', false],
    ['spec/selector/matchLabels', 'PodDisruptionBudget', 'policy', '', false],
    ['spec/podSelector/matchLabels', 'NetworkPolicy', 'networking.k8s.io', '', false],
    ['spec/ingress/from/podSelector/matchLabels', 'NetworkPolicy', 'networking.k8s.io', '', false],
    ['spec/egress/to/podSelector/matchLabels', 'NetworkPolicy', 'networking.k8s.io', '', false],
    ...metadataLabelRows(),
  ];
}

/** builtinpluginconsts/commonannotations.go */
function commonAnnotationRows(): Row[] {
  const rows: Row[] = [['metadata/annotations', '', '', '', true]];
  for (const w of POD_TEMPLATE_ROWS) {
    // annotations list StatefulSet without a group, unlike labels
    rows.push([`${w.templateMeta}/annotations`, w.kind, w.kind === 'StatefulSet' ? '' : w.group, w.version, true]);
  }
  rows.push(['spec/jobTemplate/metadata/annotations', 'CronJob', 'batch', '', true]);
  rows.push(['spec/jobTemplate/spec/template/metadata/annotations', 'CronJob', 'batch', '', true]);
  return rows;
}

/** builtinpluginconsts/namespace.go */
const NAMESPACE_ROWS: Row[] = [
  ['metadata/name', 'Namespace', '', '', true],
  ['spec/service/namespace', 'APIService', 'apiregistration.k8s.io', '', true],
  ['spec/conversion/webhook/clientConfig/service/namespace', 'CustomResourceDefinition', 'apiextensions.k8s.io', '', false],
];

/** builtinpluginconsts/images.go */
const IMAGE_ROWS: Row[] = [
  ['spec/containers[]/image', '', '', '', true],
  ['spec/initContainers[]/image', '', '', '', true],
  ['spec/template/spec/containers[]/image', '', '', '', true],
  ['spec/template/spec/initContainers[]/image', '', '', '', true],
];

/** builtinpluginconsts/replicas.go */
const REPLICA_ROWS: Row[] = ['Deployment', 'ReplicationController', 'ReplicaSet', 'StatefulSet']
  .map((k): Row => ['spec/replicas', k, '', '', true]);

/** builtinpluginconsts/varreference.go: fields where $(VAR) is expanded. */
function varReferenceRows(): Row[] {
  const containerFields = (pre: string): string[] => ['containers', 'initContainers'].flatMap((c) =>
    ['args', 'command', 'env/value', 'volumeMounts/mountPath'].map((f) => `${pre}${c}/${f}`));
  const rows: Row[] = [];
  const add = (kind: string, paths: string[]): void => { for (const p of paths) rows.push([p, kind]); };
  add('CronJob', [...containerFields('spec/jobTemplate/spec/template/spec/'), 'spec/jobTemplate/spec/template/volumes/nfs/server']);
  add('DaemonSet', [...containerFields('spec/template/spec/'), 'spec/template/spec/volumes/nfs/server']);
  add('Deployment', [...containerFields('spec/template/spec/'), 'spec/template/spec/volumes/nfs/server', 'spec/template/metadata/annotations']);
  add('Ingress', ['spec/rules/host', 'spec/tls/hosts', 'spec/tls/secretName']);
  add('Job', [...containerFields('spec/template/spec/'), 'spec/template/spec/volumes/nfs/server']);
  add('Pod', [...containerFields('spec/'), 'spec/volumes/nfs/server']);
  add('ReplicaSet', [...containerFields('spec/template/spec/'), 'spec/template/spec/volumes/nfs/server']);
  add('Service', ['spec/ports/port', 'spec/ports/targetPort']);
  add('StatefulSet', [...containerFields('spec/template/spec/'), 'spec/volumeClaimTemplates/spec/nfs/server']);
  add('PersistentVolume', ['spec/nfs/server']);
  add('', ['metadata/labels', 'metadata/annotations']);
  return rows;
}

/** Kinds with a pod spec and the path prefix to it, for the name reference table. */
const POD_SPEC_PREFIX: [kind: string, prefix: string, version: string][] = [
  ['Pod', 'spec/', 'v1'],
  ['PodTemplate', 'template/spec/', ''],
  ['Deployment', 'spec/template/spec/', ''],
  ['ReplicaSet', 'spec/template/spec/', ''],
  ['DaemonSet', 'spec/template/spec/', ''],
  ['StatefulSet', 'spec/template/spec/', ''],
  ['Job', 'spec/template/spec/', ''],
  ['CronJob', 'spec/jobTemplate/spec/template/spec/', ''],
];

function podSpecRows(suffixes: string[]): Row[] {
  return POD_SPEC_PREFIX.flatMap(([kind, prefix, version]) => suffixes.map((s): Row => [prefix + s, kind, '', version]));
}

/** The kinds (ServiceAccount, PVC, PriorityClass) referenced from a pod spec field, per workload kind. */
function podFieldRows(field: string, kinds: string[]): Row[] {
  return kinds.map((k): Row => {
    const prefix = POD_SPEC_PREFIX.find(([kind]) => kind === k)?.[1] ?? 'spec/template/spec/';
    return [prefix + field, k];
  });
}
const POD_OWNER_KINDS = ['Pod', 'StatefulSet', 'Deployment', 'ReplicationController', 'CronJob', 'Job', 'DaemonSet'];

/** builtinpluginconsts/namereference.go */
function nameReferenceTable(): NameBackReference[] {
  const nbr = (kind: string, group: string, version: string, rows: Row[]): NameBackReference => {
    const r: NameBackReference = { kind, fieldSpecs: fromRows(rows) };
    if (group) r.group = group;
    if (version) r.version = version;
    return r;
  };
  const hpa = (): Row[] => [['spec/scaleTargetRef/name', 'HorizontalPodAutoscaler']];
  const rbac = 'rbac.authorization.k8s.io';
  return [
    nbr('Deployment', '', '', hpa()),
    nbr('ReplicationController', '', '', hpa()),
    nbr('ReplicaSet', '', '', hpa()),
    nbr('StatefulSet', '', '', hpa()),
    nbr('ConfigMap', '', 'v1', [
      ...podSpecRows([
        'volumes/configMap/name',
        'containers/env/valueFrom/configMapKeyRef/name',
        'initContainers/env/valueFrom/configMapKeyRef/name',
        'containers/envFrom/configMapRef/name',
        'initContainers/envFrom/configMapRef/name',
        'volumes/projected/sources/configMap/name',
      ]),
      ['spec/configSource/configMap', 'Node'],
      ['rules/resourceNames', 'Role'],
      ['rules/resourceNames', 'ClusterRole'],
      ['metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap', 'Ingress'],
    ]),
    nbr('Secret', '', 'v1', [
      ...podSpecRows([
        'volumes/secret/secretName',
        'containers/env/valueFrom/secretKeyRef/name',
        'initContainers/env/valueFrom/secretKeyRef/name',
        'containers/envFrom/secretRef/name',
        'initContainers/envFrom/secretRef/name',
        'imagePullSecrets/name',
        'volumes/projected/sources/secret/name',
      ]),
      ['spec/tls/secretName', 'Ingress'],
      ['metadata/annotations/ingress.kubernetes.io\\/auth-secret', 'Ingress'],
      ['metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret', 'Ingress'],
      ['metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret', 'Ingress'],
      ['spec/tls/secretName', 'Ingress'], // listed twice in v5.5's defaults
      ['imagePullSecrets/name', 'ServiceAccount'],
      ['parameters/secretName', 'StorageClass'],
      ['parameters/adminSecretName', 'StorageClass'],
      ['parameters/userSecretName', 'StorageClass'],
      ['parameters/secretRef', 'StorageClass'],
      ['rules/resourceNames', 'Role'],
      ['rules/resourceNames', 'ClusterRole'],
      ['spec/template/spec/containers/env/valueFrom/secretKeyRef/name', 'Service', 'serving.knative.dev', 'v1'],
      ['spec/azureFile/secretName', 'PersistentVolume'],
    ]),
    nbr('Service', '', 'v1', [
      ['spec/serviceName', 'StatefulSet', 'apps'],
      ['spec/rules/http/paths/backend/serviceName', 'Ingress'],
      ['spec/backend/serviceName', 'Ingress'],
      ['spec/rules/http/paths/backend/service/name', 'Ingress'],
      ['spec/defaultBackend/service/name', 'Ingress'],
      ['spec/service/name', 'APIService', 'apiregistration.k8s.io'],
      ['webhooks/clientConfig/service', 'ValidatingWebhookConfiguration', 'admissionregistration.k8s.io'],
      ['webhooks/clientConfig/service', 'MutatingWebhookConfiguration', 'admissionregistration.k8s.io'],
    ]),
    nbr('Role', rbac, '', [['roleRef/name', 'RoleBinding', rbac]]),
    nbr('ClusterRole', rbac, '', [['roleRef/name', 'RoleBinding', rbac], ['roleRef/name', 'ClusterRoleBinding', rbac]]),
    nbr('ServiceAccount', '', 'v1', [
      ['subjects', 'RoleBinding', rbac],
      ['subjects', 'ClusterRoleBinding', rbac],
      ...podFieldRows('serviceAccountName', POD_OWNER_KINDS),
    ]),
    nbr('PersistentVolumeClaim', '', 'v1', podFieldRows('volumes/persistentVolumeClaim/claimName', POD_OWNER_KINDS)),
    nbr('PersistentVolume', '', 'v1', [['spec/volumeName', 'PersistentVolumeClaim'], ['rules/resourceNames', 'ClusterRole']]),
    nbr('StorageClass', 'storage.k8s.io', 'v1', [
      ['spec/storageClassName', 'PersistentVolume'],
      ['spec/storageClassName', 'PersistentVolumeClaim'],
      ['spec/volumeClaimTemplates/spec/storageClassName', 'StatefulSet'],
    ]),
    nbr('PriorityClass', 'scheduling.k8s.io', 'v1', podFieldRows('priorityClassName', POD_OWNER_KINDS)),
    // v5.5 really lists the group as "networking.k8s.io/v1" here; kept as is.
    nbr('IngressClass', 'networking.k8s.io/v1', 'v1', [['spec/ingressClassName', 'Ingress']]),
    nbr('ValidatingAdmissionPolicy', 'admissionregistration.k8s.io', '', [
      ['spec/policyName', 'ValidatingAdmissionPolicyBinding', 'admissionregistration.k8s.io'],
    ]),
  ];
}

let defaultCache: TransformerConfig | undefined;

/** A fresh (mutable) copy of kustomize v5.5's default transformer configuration, in kustomize's order. */
export function defaultTransformerConfig(): TransformerConfig {
  if (!defaultCache) {
    defaultCache = sortConfig({
      namePrefix: fromRows([['metadata/name', '']]),
      nameSuffix: fromRows([['metadata/name', '']]),
      namespace: fromRows(NAMESPACE_ROWS),
      commonLabels: fromRows(commonLabelRows()),
      labels: [],
      templateLabels: fromRows(metadataLabelRows()),
      commonAnnotations: fromRows(commonAnnotationRows()),
      nameReference: nameReferenceTable(),
      varReference: fromRows(varReferenceRows()),
      images: fromRows(IMAGE_ROWS),
      replicas: fromRows(REPLICA_ROWS),
    });
  }
  return copyConfig(defaultCache);
}

export function emptyTransformerConfig(): TransformerConfig {
  return {
    namePrefix: [], nameSuffix: [], namespace: [], commonLabels: [], labels: [], templateLabels: [],
    commonAnnotations: [], nameReference: [], varReference: [], images: [], replicas: [],
  };
}

function copyConfig(c: TransformerConfig): TransformerConfig {
  const out = emptyTransformerConfig();
  for (const k of FS_LIST_KEYS) out[k] = c[k].map((f) => ({ ...f }));
  out.nameReference = c.nameReference.map((n) => ({ ...n, fieldSpecs: n.fieldSpecs.map((f) => ({ ...f })) }));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Ordering (kyaml/resid/gvk.go IsLessThan): some kinds first, webhook configurations last, the rest
// by "group_version_kind" with empty parts spelled ~G, ~V, ~K.

const ORDER_FIRST = [
  'Namespace', 'ResourceQuota', 'StorageClass', 'CustomResourceDefinition', 'ServiceAccount',
  'PodSecurityPolicy', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ConfigMap',
  'Secret', 'Endpoints', 'Service', 'LimitRange', 'PriorityClass', 'PersistentVolume',
  'PersistentVolumeClaim', 'Deployment', 'StatefulSet', 'CronJob', 'PodDisruptionBudget',
];
const ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

function kindRank(kind: string): number {
  const f = ORDER_FIRST.indexOf(kind);
  if (f >= 0) return f - ORDER_FIRST.length;
  const l = ORDER_LAST.indexOf(kind);
  return l >= 0 ? l + 1 : 0;
}

/** kustomize's ordering of group/version/kinds (used to sort field specs after loading and merging). */
export function compareGvk(a: { group?: string; version?: string; kind?: string }, b: { group?: string; version?: string; kind?: string }): number {
  const ra = kindRank(a.kind ?? '');
  const rb = kindRank(b.kind ?? '');
  if (ra !== rb) return ra - rb;
  const key = (x: { group?: string; version?: string; kind?: string }): string =>
    `${x.group || '~G'}_${x.version || '~V'}_${x.kind || '~K'}`;
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function sortConfig(c: TransformerConfig): TransformerConfig {
  // Array.prototype.sort is stable; kustomize's sort.Sort is not, but ties only differ in the order
  // of specs for the same kind, which does not change what the transformers produce.
  for (const k of FS_LIST_KEYS) c[k].sort(compareGvk);
  c.nameReference.sort(compareGvk);
  return c;
}

// ---------------------------------------------------------------------------------------------
// Merging (api/types/fieldspec.go): a spec is already present when an existing spec has the same
// path and its gvk is selected by the incoming spec's gvk; a present spec with a different
// `create` is an error.

/** True when `gvk` is selected by `selector` (empty selector parts match anything). */
export function gvkSelected(gvk: { group?: string; version?: string; kind?: string }, selector: { group?: string; version?: string; kind?: string }): boolean {
  if (selector.group && gvk.group !== selector.group) return false;
  if (selector.version && gvk.version !== selector.version) return false;
  if (selector.kind && gvk.kind !== selector.kind) return false;
  return true;
}

function mergeFieldSpecs(into: FieldSpec[], incoming: FieldSpec[], what: string): FieldSpec[] {
  const out = [...into];
  for (const x of incoming) {
    const existing = out.find((e) => e.path === x.path && gvkSelected(e, x));
    if (existing) {
      if (!!existing.create !== !!x.create) throw new KustomizeError(`failed to merge ${what} fieldSpec: conflicting fieldspecs`);
      continue;
    }
    out.push({ ...x });
  }
  return out;
}

/** Add field specs to a list with kustomize's dedupe rule (used e.g. for `labels:` entries' fields). */
export function mergeFieldSpecList(into: FieldSpec[], incoming: FieldSpec[]): FieldSpec[] {
  const out = [...into];
  for (const x of incoming) {
    const existing = out.find((e) => e.path === x.path && gvkSelected(e, x));
    if (existing) {
      if (!!existing.create !== !!x.create) throw new KustomizeError('conflicting fieldspecs');
      continue;
    }
    out.push({ ...x });
  }
  return out;
}

function sameGvk(a: { group?: string; version?: string; kind?: string }, b: { group?: string; version?: string; kind?: string }): boolean {
  return (a.group ?? '') === (b.group ?? '') && (a.version ?? '') === (b.version ?? '') && (a.kind ?? '') === (b.kind ?? '');
}

/** `a` merged with `b`, as kustomize merges a kustomization's configurations into the defaults. Neither input is changed. */
const mergeMemo = new WeakMap<TransformerConfig, WeakMap<TransformerConfig, TransformerConfig>>();

/** Merges two configs (inputs are not changed; equal inputs give the same, shared result — treat it as read-only). */
export function mergeTransformerConfig(a: TransformerConfig, b: TransformerConfig): TransformerConfig {
  let inner = mergeMemo.get(a);
  const hit = inner?.get(b);
  if (hit) return hit;
  const out = mergeTransformerConfigUncached(a, b);
  if (!inner) { inner = new WeakMap(); mergeMemo.set(a, inner); }
  inner.set(b, out);
  return out;
}

function mergeTransformerConfigUncached(a: TransformerConfig, b: TransformerConfig): TransformerConfig {
  const out = emptyTransformerConfig();
  for (const k of FS_LIST_KEYS) out[k] = mergeFieldSpecs(a[k].map((f) => ({ ...f })), b[k], GO_FIELD_NAME[k]);
  const refs = a.nameReference.map((n) => ({ ...n, fieldSpecs: n.fieldSpecs.map((f) => ({ ...f })) }));
  for (const other of b.nameReference) {
    const same = refs.filter((r) => sameGvk(r, other));
    for (const r of same) r.fieldSpecs = mergeFieldSpecs(r.fieldSpecs, other.fieldSpecs, GO_FIELD_NAME.nameReference);
    if (same.length === 0) refs.push({ ...other, fieldSpecs: other.fieldSpecs.map((f) => ({ ...f })) });
  }
  out.nameReference = refs;
  return sortConfig(out);
}

// ---------------------------------------------------------------------------------------------
// Parsing a `configurations:` file (already read as YAML into plain data). kustomize reads it
// strictly: unknown keys are errors.

const FS_KEYS = new Set(['group', 'version', 'kind', 'path', 'create']);

function str(v: JsonValue | undefined, where: string, source?: SourceRef): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new KustomizeError(`${where}: expected a string`, source);
}

export function parseFieldSpec(v: JsonValue | undefined, where: string, source?: SourceRef): FieldSpec {
  if (!isObject(v)) throw new KustomizeError(`${where}: expected a field spec (a map with path, kind, ...)`, source);
  for (const k of Object.keys(v)) {
    if (!FS_KEYS.has(k)) throw new KustomizeError(`${where}: unknown field "${k}"`, source);
  }
  const fs: FieldSpec = { path: str(v.path, `${where}.path`, source) ?? '' };
  const group = str(v.group, `${where}.group`, source);
  const version = str(v.version, `${where}.version`, source);
  const kind = str(v.kind, `${where}.kind`, source);
  if (group) fs.group = group;
  if (version) fs.version = version;
  if (kind) fs.kind = kind;
  if (v.create !== undefined && v.create !== null) {
    if (typeof v.create !== 'boolean') throw new KustomizeError(`${where}.create: expected true or false`, source);
    if (v.create) fs.create = true;
  }
  return fs;
}

export function parseFieldSpecList(v: JsonValue | undefined, where: string, source?: SourceRef): FieldSpec[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new KustomizeError(`${where}: expected a list of field specs`, source);
  return v.map((x, i) => parseFieldSpec(x, `${where}[${i}]`, source));
}

/**
 * Parse one `configurations:` file. The result holds only what the file lists (sorted as kustomize
 * sorts it); merge it into `defaultTransformerConfig()` with `mergeTransformerConfig`.
 */
export function parseTransformerConfig(obj: JsonValue | undefined, source?: SourceRef): TransformerConfig {
  const out = emptyTransformerConfig();
  if (obj === undefined || obj === null) return out;
  if (!isObject(obj)) throw new KustomizeError('transformer configuration must be a map', source);
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'nameReference') {
      if (value === null) continue;
      if (!Array.isArray(value)) throw new KustomizeError('nameReference: expected a list', source);
      out.nameReference = value.map((e, i): NameBackReference => {
        const where = `nameReference[${i}]`;
        if (!isObject(e)) throw new KustomizeError(`${where}: expected a map with kind and fieldSpecs`, source);
        for (const k of Object.keys(e)) {
          if (!['group', 'version', 'kind', 'fieldSpecs'].includes(k)) throw new KustomizeError(`${where}: unknown field "${k}"`, source);
        }
        const r: NameBackReference = { kind: str(e.kind, `${where}.kind`, source) ?? '', fieldSpecs: parseFieldSpecList(e.fieldSpecs, `${where}.fieldSpecs`, source) };
        const group = str(e.group, `${where}.group`, source);
        const version = str(e.version, `${where}.version`, source);
        if (group) r.group = group;
        if (version) r.version = version;
        return r;
      });
      continue;
    }
    if (!(FS_LIST_KEYS as string[]).includes(key)) {
      throw new KustomizeError(`unknown field "${key}" in transformer configuration`, source);
    }
    out[key as FsListKey] = parseFieldSpecList(value, key, source);
  }
  return sortConfig(out);
}
