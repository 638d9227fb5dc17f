// `replicas:` (kustomize v5.5 ReplicaCountTransformer with api/filters/replicacount). One call per
// `replicas:` entry.
//
// For each replicas field spec (`config.replicas`: spec/replicas of Deployment,
// ReplicationController, ReplicaSet, StatefulSet, created when missing), the resources whose
// current or any earlier name equals the entry's name and whose kind matches the spec get the
// count as an integer. If no field spec matched any resource the build fails with kustomize's
// message, listing the specs' kinds.

import { KustomizeError, type Gvk, type Resource, type SourceRef } from '../resource';
import type { FieldSpec } from '../k8s/transformer-config';
import { gvkMatches, gvkOf, notScalarMessage, scalarText, walkFieldSpec } from './fieldspec';

export interface ReplicaOverride {
  name: string;
  count: number;
}

export interface ReplicaOptions {
  /** Usually `config.replicas` of the transformer config. */
  fieldSpecs: readonly FieldSpec[];
  source: SourceRef;
  /** Recorded as FieldChange.by; 'replicas' unless given. */
  by?: string;
}

/** The ids a resource is known by: the current one and the remembered ones (version from the current). */
function allIds(res: Resource): { name: string; gvk: Gvk }[] {
  const cur = gvkOf(res);
  return [
    { name: res.name, gvk: cur },
    ...res.previousIds.map((p) => ({ name: p.name, gvk: { group: p.group, version: cur.version, kind: p.kind } })),
  ];
}

/** kyaml's Gvk.String(): `Kind.version.group` with placeholders for empty parts. */
function gvkString(fs: FieldSpec): string {
  return `${fs.kind || '[noKind]'}.${fs.version || '[noVer]'}.${fs.group || '[noGrp]'}`;
}

export function applyReplicas(resources: Resource[], replica: ReplicaOverride, opts: ReplicaOptions): void {
  const by = opts.by ?? 'replicas';
  let found = false;
  for (const fs of opts.fieldSpecs) {
    const matching = resources.filter((r) => allIds(r).some((id) => id.name === replica.name && gvkMatches(id.gvk, fs)));
    if (matching.length === 0) continue;
    found = true;
    for (const res of matching) {
      walkFieldSpec(res, fs, (hit) => {
        if (scalarText(hit.value) === undefined) {
          throw new KustomizeError(`replicas at ${hit.path} of ${res.kind} ${res.name}: ${notScalarMessage(hit.value)}`, opts.source);
        }
        res.recordChange(hit.path, { by, source: opts.source, value: replica.count });
        return replica.count;
      }, { createKind: 'scalar' });
    }
  }
  if (!found) {
    throw new KustomizeError(
      `resource with name ${replica.name} does not match a config with the following GVK [${opts.fieldSpecs.map(gvkString).join(' ')}]`,
      opts.source,
    );
  }
}
