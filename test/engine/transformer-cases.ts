// Table of transformer cases: resources in, the kustomization fields that drive the builtin
// transformers, and the resources kustomize v5.5 (`kubectl kustomize`) produces. Each case maps
// onto a kustomization.yaml one to one, so it can be checked against the real kustomize.

import type { JsonObject } from '../../server/src/engine/resource';

export interface CaseConfig {
  /** Content of one `configurations:` file (extra field specs). */
  configurations?: JsonObject;
  namespace?: string;
  /** Run the namespace through a NamespaceTransformer plugin entry with these options instead. */
  namespacePlugin?: { unsetOnly?: boolean; setRoleBindingSubjects?: string };
  namePrefix?: string;
  nameSuffix?: string;
  commonLabels?: Record<string, string>;
  labels?: { pairs: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean; fields?: { path: string; kind?: string; group?: string; version?: string; create?: boolean }[] }[];
  commonAnnotations?: Record<string, string>;
  replicas?: { name: string; count: number }[];
  images?: { name: string; newName?: string; newTag?: string; digest?: string; tagSuffix?: string }[];
}

export interface TransformerCase {
  name: string;
  input: JsonObject[];
  config: CaseConfig;
  /** Resources after the build (any order), or the start of the error message. */
  expected: JsonObject[] | { error: string };
}

const deployment = (name: string, extra: JsonObject = {}): JsonObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } } },
  ...extra,
});

export const CASES: TransformerCase[] = [
  // ----------------------------------------------------------------------------- namespace
  {
    name: 'namespace: namespaced kinds get it, cluster-scoped kinds do not, a v1 Namespace is renamed',
    config: { namespace: 'team' },
    input: [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'old' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'old' } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' } },
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
      // an apiVersion kyaml does not know: counts as namespaceable
      { apiVersion: 'rbac.authorization.k8s.io/v2', kind: 'ClusterRole', metadata: { name: 'future' } },
    ],
    expected: [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'team' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' } },
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'team' } },
      { apiVersion: 'rbac.authorization.k8s.io/v2', kind: 'ClusterRole', metadata: { name: 'future', namespace: 'team' } },
    ],
  },
  {
    name: 'namespace: APIService service namespace is created, CRD conversion only when present, webhooks untouched',
    config: { namespace: 'team' },
    input: [
      { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1.metrics' }, spec: { group: 'metrics' } },
      {
        apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
        spec: { conversion: { strategy: 'Webhook', webhook: { clientConfig: { service: { name: 'conv', namespace: 'x' } } } } },
      },
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'plain.example.com' }, spec: { group: 'example.com' } },
      {
        apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'hook' },
        webhooks: [{ name: 'h.example.com', clientConfig: { service: { name: 'hooksvc', namespace: 'elsewhere' } } }],
      },
    ],
    expected: [
      { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1.metrics' }, spec: { group: 'metrics', service: { namespace: 'team' } } },
      {
        apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
        spec: { conversion: { strategy: 'Webhook', webhook: { clientConfig: { service: { name: 'conv', namespace: 'team' } } } } },
      },
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'plain.example.com' }, spec: { group: 'example.com' } },
      {
        apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'hook' },
        webhooks: [{ name: 'h.example.com', clientConfig: { service: { name: 'hooksvc', namespace: 'elsewhere' } } }],
      },
    ],
  },
  {
    name: 'namespace: binding subjects named "default" (any kind) get it by default',
    config: { namespace: 'team' },
    input: [{
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'rb' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
      subjects: [
        { kind: 'ServiceAccount', name: 'default', namespace: 'a' },
        { kind: 'ServiceAccount', name: 'builder', namespace: 'a' },
        { kind: 'User', name: 'default' },
      ],
    }],
    expected: [{
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'rb', namespace: 'team' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
      subjects: [
        { kind: 'ServiceAccount', name: 'default', namespace: 'team' },
        { kind: 'ServiceAccount', name: 'builder', namespace: 'a' },
        { kind: 'User', name: 'default', namespace: 'team' },
      ],
    }],
  },
  {
    name: 'namespace plugin: allServiceAccounts sets every ServiceAccount subject, on a ClusterRoleBinding too',
    config: { namespace: 'team', namespacePlugin: { setRoleBindingSubjects: 'allServiceAccounts' } },
    input: [{
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'crb' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'r' },
      subjects: [
        { kind: 'ServiceAccount', name: 'builder', namespace: 'a' },
        { kind: 'Group', name: 'default' },
      ],
    }],
    expected: [{
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'crb' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'r' },
      subjects: [
        { kind: 'ServiceAccount', name: 'builder', namespace: 'team' },
        { kind: 'Group', name: 'default' },
      ],
    }],
  },
  {
    name: 'namespace plugin: setRoleBindingSubjects none leaves subjects',
    config: { namespace: 'team', namespacePlugin: { setRoleBindingSubjects: 'none' } },
    input: [{
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'rb' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
      subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'a' }],
    }],
    expected: [{
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'rb', namespace: 'team' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
      subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'a' }],
    }],
  },
  {
    name: 'namespace plugin: unsetOnly keeps namespaces already set',
    config: { namespace: 'team', namespacePlugin: { unsetOnly: true } },
    input: [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'mine' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } },
      { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1.x' }, spec: { service: { name: 's', namespace: 'kept' } } },
    ],
    expected: [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'mine' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'team' } },
      { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1.x' }, spec: { service: { name: 's', namespace: 'kept' } } },
    ],
  },
  {
    name: 'namespace: two objects that end up with one id fail the build',
    config: { namespace: 'a' },
    input: [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'a' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
    ],
    expected: { error: 'namespace transformation produces ID conflict' },
  },

  // ----------------------------------------------------------------------------- prefix / suffix
  {
    name: 'namePrefix/nameSuffix: renames all but Namespace, CRD and APIService',
    config: { namePrefix: 'p-', nameSuffix: '-s' },
    input: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } },
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' } },
      { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1.metrics' } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } },
    ],
    expected: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } },
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' } },
      { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1.metrics' } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'p-reader-s' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'p-cm-s' } },
    ],
  },

  // ----------------------------------------------------------------------------- labels
  {
    name: 'commonLabels: metadata, selectors (created) and pod template labels',
    config: { commonLabels: { app: 'web', tier: 'front' } },
    input: [
      deployment('d'),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', labels: { keep: 'me' } } },
    ],
    expected: [
      {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', labels: { app: 'web', tier: 'front' } },
        spec: {
          selector: { matchLabels: { app: 'web', tier: 'front' } },
          template: { metadata: { labels: { app: 'web', tier: 'front' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } },
        },
      },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', labels: { app: 'web', tier: 'front' } }, spec: { ports: [{ port: 80 }], selector: { app: 'web', tier: 'front' } } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', labels: { keep: 'me', app: 'web', tier: 'front' } } },
    ],
  },
  {
    name: 'commonLabels: selectors that are not created (Job, NetworkPolicy peers, affinity) only when present',
    config: { commonLabels: { app: 'web' } },
    input: [
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: { containers: [] } } } },
      {
        apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np' },
        spec: { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'fe' } } }, { ipBlock: { cidr: '10.0.0.0/8' } }] }] },
      },
      {
        apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'ss' },
        spec: {
          serviceName: 'ss',
          template: { spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'k', labelSelector: { matchLabels: { x: 'y' } } }] } } } },
          volumeClaimTemplates: [{ metadata: { name: 'data' } }],
        },
      },
    ],
    expected: [
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', labels: { app: 'web' } }, spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [] } } } },
      {
        apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np', labels: { app: 'web' } },
        spec: { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'fe', app: 'web' } } }, { ipBlock: { cidr: '10.0.0.0/8' } }] }] },
      },
      {
        apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'ss', labels: { app: 'web' } },
        spec: {
          serviceName: 'ss',
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'k', labelSelector: { matchLabels: { x: 'y', app: 'web' } } }] } } },
          },
          volumeClaimTemplates: [{ metadata: { name: 'data', labels: { app: 'web' } } }],
        },
      },
    ],
  },
  {
    name: 'labels: plain entry only touches metadata, includeTemplates adds templates, fields adds paths',
    config: {
      labels: [
        { pairs: { owner: 'ops' } },
        { pairs: { tmpl: 'on-tmpl' }, includeTemplates: true },
        { pairs: { extra: 'x' }, fields: [{ path: 'spec/extraLabels', kind: 'Deployment', create: true }] },
      ],
    },
    input: [deployment('d')],
    expected: [{
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', labels: { owner: 'ops', tmpl: 'on-tmpl', extra: 'x' } },
      spec: {
        template: { metadata: { labels: { tmpl: 'on-tmpl' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } },
        extraLabels: { extra: 'x' },
      },
    }],
  },
  {
    name: 'labels: includeSelectors behaves like commonLabels',
    config: { labels: [{ pairs: { app: 'web' }, includeSelectors: true, includeTemplates: false }] },
    input: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: { old: 'x' } } }],
    expected: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', labels: { app: 'web' } }, spec: { selector: { old: 'x', app: 'web' } } }],
  },

  // ----------------------------------------------------------------------------- annotations
  {
    name: 'commonAnnotations: metadata and pod templates, CronJob job template too',
    config: { commonAnnotations: { note: 'hi', 'example.com/team': 'a' } },
    input: [{
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj', annotations: { old: 'y' } },
      spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [] } } } } },
    }],
    expected: [{
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj', annotations: { old: 'y', 'example.com/team': 'a', note: 'hi' } },
      spec: {
        schedule: '* * * * *',
        jobTemplate: {
          metadata: { annotations: { 'example.com/team': 'a', note: 'hi' } },
          spec: { template: { metadata: { annotations: { 'example.com/team': 'a', note: 'hi' } }, spec: { containers: [] } } },
        },
      },
    }],
  },

  // ----------------------------------------------------------------------------- replicas
  {
    name: 'replicas: sets (and creates) spec.replicas of the named workload only',
    config: { replicas: [{ name: 'd', count: 5 }] },
    input: [deployment('d'), deployment('other', { spec: { replicas: 1 } })],
    expected: [
      { ...deployment('d'), spec: { replicas: 5, template: { spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } } } },
      deployment('other', { spec: { replicas: 1 } }),
    ],
  },
  {
    name: 'replicas: a name that matches nothing is an error',
    config: { replicas: [{ name: 'nothere', count: 3 }] },
    input: [deployment('d')],
    expected: {
      error: 'resource with name nothere does not match a config with the following GVK [Deployment.[noVer].[noGrp] StatefulSet.[noVer].[noGrp] ReplicaSet.[noVer].[noGrp] ReplicationController.[noVer].[noGrp]]',
    },
  },
  {
    name: 'replicas: found by the name it had before namePrefix',
    config: { namePrefix: 'p-', replicas: [{ name: 'd', count: 2 }] },
    input: [deployment('d')],
    expected: [{ ...deployment('p-d'), spec: { replicas: 2, template: { spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } } } }],
  },

  // ----------------------------------------------------------------------------- images
  {
    name: 'images: newName/newTag/digest, registry ports, name used as a pattern',
    config: {
      images: [
        { name: 'my.reg/app', newName: 'other/app', newTag: '2' },
        { name: 'redis', digest: 'sha256:abc' },
        { name: 'localhost:5000/busybox', newTag: 'v9' },
        { name: 'postgres', newTag: '16', digest: 'sha256:def' },
        { name: 'nginx', newTag: '1.27' },
      ],
    },
    input: [{
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' },
      spec: {
        template: {
          spec: {
            initContainers: [{ name: 'i', image: 'localhost:5000/busybox:1' }],
            containers: [
              { name: 'a', image: 'myXreg/app:1' },
              { name: 'b', image: 'redis:7@sha256:zzz' },
              { name: 'c', image: 'postgres:15' },
              { name: 'd', image: 'nginx' },
              { name: 'e', image: 'nginx-extra:1' },
              { name: 'f', image: 'docker.io/nginx:1' },
              { name: 'g' },
            ],
          },
        },
      },
    }],
    expected: [{
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' },
      spec: {
        template: {
          spec: {
            initContainers: [{ name: 'i', image: 'localhost:5000/busybox:v9' }],
            containers: [
              { name: 'a', image: 'other/app:2' },
              { name: 'b', image: 'redis@sha256:abc' },
              { name: 'c', image: 'postgres:16@sha256:def' },
              { name: 'd', image: 'nginx:1.27' },
              { name: 'e', image: 'nginx-extra:1' },
              { name: 'f', image: 'docker.io/nginx:1' },
              { name: 'g' },
            ],
          },
        },
      },
    }],
  },
  {
    name: 'images: containers anywhere (custom resources), CRDs skipped, tagSuffix applied once per pass',
    config: { images: [{ name: 'nginx', tagSuffix: '-debug' }] },
    input: [
      { apiVersion: 'example.com/v1', kind: 'Runner', metadata: { name: 'r' }, spec: { pod: { containers: [{ image: 'nginx:3' }] }, image: 'nginx:3' } },
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'runners.example.com' }, spec: { containers: [{ image: 'nginx' }] } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'nginx:1' }], initContainers: null } },
    ],
    expected: [
      { apiVersion: 'example.com/v1', kind: 'Runner', metadata: { name: 'r' }, spec: { pod: { containers: [{ image: 'nginx:3-debug' }] }, image: 'nginx:3' } },
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'runners.example.com' }, spec: { containers: [{ image: 'nginx' }] } },
      // reached by both passes, so the suffix lands twice; a null list at a `[]` path becomes []
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'nginx:1-debug-debug' }], initContainers: [] } },
    ],
  },

  // ----------------------------------------------------------------------------- configurations
  {
    name: 'configurations: extra field specs for a custom kind reach its fields',
    config: {
      configurations: {
        namePrefix: [{ path: 'spec/backendRef', kind: 'Route' }],
        commonLabels: [{ path: 'spec/selector', kind: 'Route', create: true }],
        images: [{ path: 'spec/runner/image', kind: 'Route' }],
        namespace: [{ path: 'spec/targetNamespace', kind: 'Route', create: true }],
      },
      namespace: 'ns1', namePrefix: 'p-', commonLabels: { app: 'r' }, images: [{ name: 'busybox', newTag: '1.36' }],
    },
    input: [{ apiVersion: 'example.com/v1', kind: 'Route', metadata: { name: 'r' }, spec: { backendRef: 'svc', runner: { image: 'busybox' } } }],
    expected: [{
      apiVersion: 'example.com/v1', kind: 'Route', metadata: { name: 'p-r', namespace: 'ns1', labels: { app: 'r' } },
      spec: { backendRef: 'p-svc', runner: { image: 'busybox:1.36' }, selector: { app: 'r' }, targetNamespace: 'ns1' },
    }],
  },

  // ----------------------------------------------------------------------------- all together
  {
    name: 'all together in kustomize order',
    config: {
      namespace: 'prod', namePrefix: 'prod-', commonLabels: { env: 'prod' }, commonAnnotations: { owner: 'team' },
      replicas: [{ name: 'web', count: 3 }], images: [{ name: 'nginx', newTag: '1.27' }],
    },
    input: [deployment('web')],
    expected: [{
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'prod-web', namespace: 'prod', labels: { env: 'prod' }, annotations: { owner: 'team' } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { env: 'prod' } },
        template: {
          metadata: { labels: { env: 'prod' }, annotations: { owner: 'team' } },
          spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
        },
      },
    }],
  },
];
