// kustomize v5.5.0's default field specs, as tables (api/internal/konfig/builtinpluginconsts/*.go:
// which paths, for which group/version/kind, with or without create). A row is
// [path, kind, group, version, create]; '' = any. transformer-config.ts sorts and copies them.

import type { FieldSpec, NameBackReference, TransformerConfig } from './field-spec';

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

/** The default configuration, in table order (transformer-config.ts sorts it as kustomize does). */
export function defaultTables(): TransformerConfig {
  return {
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
  };
}
