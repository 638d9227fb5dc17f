// `namePrefix:` and `nameSuffix:` (kustomize v5.5 PrefixTransformer / SuffixTransformer with
// api/filters/prefix and api/filters/suffix).
//
// Resources whose original kind is Namespace or CustomResourceDefinition (any group) or APIService
// of apiregistration.k8s.io are never renamed. For every other resource, each field spec selected
// by the resource's original group/version/kind is applied: the field's text becomes
// prefix + text (or text + suffix). A spec whose path is `metadata/name` also records the affix in
// `resource.prefixes` / `resource.suffixes` (the affix string itself, which is what kustomize keeps
// and what name-reference matching compares) and calls `rememberId()` before the rename. A spec
// listed twice for a resource applies twice, as in kustomize.

import { KustomizeError, type Gvk, type Resource, type SourceRef } from '../resource';
import type { FieldSpec } from '../k8s/transformer-config';
import { gvkMatches, gvkOf, notScalarMessage, scalarText, walkFieldSpec } from './fieldspec';

export interface NameAffixOptions {
  /** Usually `config.namePrefix` / `config.nameSuffix` of the transformer config. */
  fieldSpecs: readonly FieldSpec[];
  source: SourceRef;
  /** Recorded as FieldChange.by; 'namePrefix' / 'nameSuffix' unless given. */
  by?: string;
}

const SKIPPED: { group?: string; kind: string }[] = [
  { kind: 'CustomResourceDefinition' },
  { group: 'apiregistration.k8s.io', kind: 'APIService' },
  { kind: 'Namespace' },
];

/** The gvk the resource was loaded with (kind and group from its first remembered id, if any). */
function originalGvk(res: Resource): Gvk {
  const cur = gvkOf(res);
  const first = res.previousIds[0];
  return first ? { group: first.group, version: cur.version, kind: first.kind } : cur;
}

function applyAffix(resources: Resource[], affix: string, where: 'prefix' | 'suffix', opts: NameAffixOptions): void {
  if (affix === '') return;
  const by = opts.by ?? (where === 'prefix' ? 'namePrefix' : 'nameSuffix');
  for (const res of resources) {
    const org = originalGvk(res);
    if (SKIPPED.some((s) => gvkMatches(org, s))) continue;
    for (const fs of opts.fieldSpecs) {
      if (!gvkMatches(org, fs)) continue;
      if (fs.path === 'metadata/name') {
        (where === 'prefix' ? res.prefixes : res.suffixes).push(affix);
        res.rememberId();
      }
      walkFieldSpec(res, fs, (hit) => {
        const text = scalarText(hit.value);
        if (text === undefined) {
          throw new KustomizeError(`${where} of field '${fs.path}' failed: ${notScalarMessage(hit.value)}`, opts.source);
        }
        const next = where === 'prefix' ? affix + text : text + affix;
        res.recordChange(hit.path, { by, source: opts.source, value: next });
        return next;
      }, { createKind: 'scalar' });
    }
  }
}

export function applyNamePrefix(resources: Resource[], prefix: string, opts: NameAffixOptions): void {
  applyAffix(resources, prefix, 'prefix', opts);
}

export function applyNameSuffix(resources: Resource[], suffix: string, opts: NameAffixOptions): void {
  applyAffix(resources, suffix, 'suffix', opts);
}
