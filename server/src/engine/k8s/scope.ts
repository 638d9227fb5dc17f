// Which kinds live in a namespace. kustomize decides this from the Kubernetes 1.21.2 OpenAPI
// document bundled in kyaml (kyaml/openapi: IsCertainlyClusterScoped): an apiVersion + kind pair
// is cluster-scoped only if that document lists exactly that pair as not namespaced. Everything
// else — custom resources, kinds under an apiVersion the document does not have — counts as
// namespaceable.
//
// The list below restates the cluster-scoped pairs of kyaml's precomputed table for v1.21.2
// (kyaml/openapi/openapi.go, precomputedIsNamespaceScoped, the entries that are false).

import type { Gvk } from '../resource';

const CLUSTER_SCOPED: Record<string, string[]> = {
  'admissionregistration.k8s.io/v1': ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
  'admissionregistration.k8s.io/v1beta1': ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
  'apiextensions.k8s.io/v1': ['CustomResourceDefinition'],
  'apiextensions.k8s.io/v1beta1': ['CustomResourceDefinition'],
  'apiregistration.k8s.io/v1': ['APIService'],
  'apiregistration.k8s.io/v1beta1': ['APIService'],
  'certificates.k8s.io/v1': ['CertificateSigningRequest'],
  'certificates.k8s.io/v1beta1': ['CertificateSigningRequest'],
  'flowcontrol.apiserver.k8s.io/v1beta1': ['FlowSchema', 'PriorityLevelConfiguration'],
  'networking.k8s.io/v1': ['IngressClass'],
  'networking.k8s.io/v1beta1': ['IngressClass'],
  'node.k8s.io/v1': ['RuntimeClass'],
  'node.k8s.io/v1beta1': ['RuntimeClass'],
  'policy/v1beta1': ['PodSecurityPolicy'],
  'rbac.authorization.k8s.io/v1': ['ClusterRole', 'ClusterRoleBinding'],
  'rbac.authorization.k8s.io/v1beta1': ['ClusterRole', 'ClusterRoleBinding'],
  'scheduling.k8s.io/v1': ['PriorityClass'],
  'scheduling.k8s.io/v1beta1': ['PriorityClass'],
  'storage.k8s.io/v1': ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
  'storage.k8s.io/v1beta1': ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
  v1: ['ComponentStatus', 'Namespace', 'Node', 'NodeProxyOptions', 'PersistentVolume'],
};

const CLUSTER_SCOPED_SET = new Set(
  Object.entries(CLUSTER_SCOPED).flatMap(([apiVersion, kinds]) => kinds.map((k) => `${apiVersion} ${k}`)),
);

function apiVersionOf(gvk: Pick<Gvk, 'group' | 'version'>): string {
  return gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
}

/** True unless kustomize v5.5 knows the exact apiVersion + kind to be cluster-scoped. */
export function isNamespaceable(gvk: Gvk): boolean {
  // Kinds are few: index by kind first, so most calls build no string.
  const versions = CLUSTER_SCOPED_BY_KIND.get(gvk.kind);
  return !versions || !versions.has(apiVersionOf(gvk));
}

const CLUSTER_SCOPED_BY_KIND = new Map<string, Set<string>>();
for (const key of CLUSTER_SCOPED_SET) {
  const i = key.lastIndexOf(' ');
  const kind = key.slice(i + 1);
  const set = CLUSTER_SCOPED_BY_KIND.get(kind) ?? new Set<string>();
  set.add(key.slice(0, i));
  CLUSTER_SCOPED_BY_KIND.set(kind, set);
}

/**
 * The namespace kustomize compares ids by: cluster-scoped objects have none, and an unset
 * namespace is the same as "default" (kyaml/resid EffectiveNamespace).
 */
export function effectiveNamespace(gvk: Gvk, namespace: string): string {
  if (!isNamespaceable(gvk)) return '_non_namespaceable_';
  return namespace === '' ? 'default' : namespace;
}
