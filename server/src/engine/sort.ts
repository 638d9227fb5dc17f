// Output order: kustomize's legacy order by default (kinds in a fixed order, then by id), or
// `fifo` (the order resources were accumulated in) when the root asks for it.

import { KustomizeError, type Resource, type SourceRef } from './resource';

const DEFAULT_FIRST = [
  'Namespace', 'ResourceQuota', 'StorageClass', 'CustomResourceDefinition', 'ServiceAccount', 'PodSecurityPolicy',
  'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ConfigMap', 'Secret', 'Endpoints', 'Service',
  'LimitRange', 'PriorityClass', 'PersistentVolume', 'PersistentVolumeClaim', 'Deployment', 'StatefulSet',
  'CronJob', 'PodDisruptionBudget',
];
const DEFAULT_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

export interface SortOptions { order?: string; legacySortOptions?: { orderFirst?: string[]; orderLast?: string[] } }

function gvkString(g: { group: string; version: string; kind: string }): string {
  return `${g.group || '~G'}_${g.version || '~V'}_${g.kind || '~K'}`;
}

function idSortString(r: Resource): string {
  const g = r.gvk;
  return `${g.kind || '[noKind]'}.${g.version || '[noVer]'}.${g.group || '[noGrp]'}|${r.namespace || '~X'}|${r.name || '~N'}`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortResources(resources: Resource[], opts: SortOptions | undefined, source: SourceRef): Resource[] {
  const order = opts ? opts.order : 'legacy';
  if (order !== 'fifo' && order !== 'legacy') throw new KustomizeError("the field 'sortOptions.order' must be one of [fifo, legacy]", source);
  if (order === 'fifo') {
    if (opts?.legacySortOptions) throw new KustomizeError("the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo', not 'legacy'", source);
    return resources;
  }
  const first = opts?.legacySortOptions?.orderFirst ?? DEFAULT_FIRST;
  const last = opts?.legacySortOptions?.orderLast ?? DEFAULT_LAST;
  const rank = new Map<string, number>();
  first.forEach((k, i) => rank.set(k, -first.length + i));
  last.forEach((k, i) => rank.set(k, 1 + i));
  const keyed = resources.map((r) => ({ r, g: r.gvk, gs: gvkString(r.gvk), id: idSortString(r) }));
  keyed.sort((a, b) => {
    const sameGvk = a.g.group === b.g.group && a.g.version === b.g.version && a.g.kind === b.g.kind;
    if (!sameGvk) {
      const ra = rank.get(a.g.kind) ?? 0, rb = rank.get(b.g.kind) ?? 0;
      if (ra !== rb) return ra - rb;
      if (a.g.kind === 'Namespace' && b.g.kind === 'Namespace' && (a.g.group === '' || b.g.group === '')) return -cmp(a.gs, b.gs);
      return cmp(a.gs, b.gs);
    }
    return cmp(a.id, b.id);
  });
  return keyed.map((x) => x.r);
}
