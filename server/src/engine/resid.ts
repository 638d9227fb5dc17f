// Resource ids as kustomize compares them: group, version, kind, name and the effective namespace
// (an empty namespace equals "default" for namespaced kinds; cluster-scoped kinds have none).

import { isNamespaceable } from './k8s/scope';
import type { Resource } from './resource';

export interface ResId { group: string; version: string; kind: string; name: string; namespace: string }

export function currentId(r: Resource): ResId {
  const g = r.gvk;
  return { group: g.group, version: g.version, kind: g.kind, name: r.name, namespace: r.namespace };
}

/** The ids a resource had (oldest first), then its current id. */
export function allIds(r: Resource): ResId[] {
  const g = r.gvk;
  const prev = r.previousIds.map((p) => ({ group: g.group, version: g.version, kind: p.kind, name: p.name, namespace: p.namespace }));
  return [...prev, currentId(r)];
}

export function originalId(r: Resource): ResId {
  return allIds(r)[0]!;
}

export function isClusterScoped(id: { group: string; version: string; kind: string }): boolean {
  return !isNamespaceable(id);
}

export function effectiveNamespace(id: ResId): string {
  if (isClusterScoped(id)) return '_non_namespaceable_';
  return id.namespace === '' ? 'default' : id.namespace;
}

function gvkEquals(a: { group: string; version: string; kind: string }, b: { group: string; version: string; kind: string }): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind;
}

export function idEquals(a: ResId, b: ResId): boolean {
  return gvkEquals(a, b) && a.name === b.name && effectiveNamespace(a) === effectiveNamespace(b);
}

/** kustomize's id string, e.g. `Deployment.v1.apps/web.[noNs]`. */
export function idString(id: ResId): string {
  return `${id.kind || '[noKind]'}.${id.version || '[noVer]'}.${id.group || '[noGrp]'}/${id.name || '[noName]'}.${id.namespace || '[noNs]'}`;
}

/** A key that is equal for ids that idEquals says are equal. */
export function idKey(id: ResId): string {
  return `${id.group}|${id.version}|${id.kind}|${effectiveNamespace(id)}|${id.name}`;
}
