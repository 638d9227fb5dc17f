// The accumulator: what a kustomization root has gathered so far (its resources, the merged
// transformer config and the vars declared), and kustomize's rules for adding to it (AppendAll,
// AbsorbAll). Below the target (target.ts) and the transformers, which both work on one.

import { defaultTransformerConfig, type TransformerConfig } from './k8s/transformer-config';
import { allIds, currentId, idEquals, idKey, idString, type ResId } from './resid';
import { isObject, KustomizeError, type JsonObject, type Resource, type SourceRef } from './resource';
import type { VarDecl } from './filters/vars';

/** What a root accumulates: its resources, the merged transformer config and the vars declared. */
export class Accumulator {
  resources: Resource[] = [];
  config: TransformerConfig = EMPTY_CONFIG;
  vars: VarDecl[] = [];

  /** Append, refusing a resource whose current id is already there (kustomize's AppendAll). */
  append(list: Resource[], source?: SourceRef): void {
    const keys = new Set(this.resources.map((r) => idKey(currentId(r))));
    for (const r of list) {
      const k = idKey(currentId(r));
      if (keys.has(k)) {
        throw new KustomizeError(`may not add resource with an already registered id: ${idString(currentId(r))}`, r.origin.source ?? source);
      }
      keys.add(k);
      this.resources.push(r);
    }
  }

  /** Resources any of whose ids (previous or current) match. */
  matchAnyId(id: ResId): Resource[] {
    return this.resources.filter((r) => allIds(r).some((x) => idEquals(x, id)));
  }
}

/** The builtin defaults, shared read-only by every build (merges never change their inputs). */
export const DEFAULT_CONFIG: TransformerConfig = defaultTransformerConfig();
const EMPTY_CONFIG: TransformerConfig = emptyConfig();

export function emptyConfig(): TransformerConfig {
  const c = defaultTransformerConfig();
  for (const k of Object.keys(c) as (keyof TransformerConfig)[]) (c[k] as unknown[]) = [];
  return c;
}

/** A copy whose resources the caller may change (the sub-render cache keeps one, and gives out others). */
export function copyAccumulator(a: Accumulator): Accumulator {
  const out = new Accumulator();
  out.resources = a.resources.map((r) => r.clone());
  out.config = a.config;
  out.vars = [...a.vars];
  return out;
}

/** kustomize's AbsorbAll: generated objects are appended, or merged into / replace an existing one. */
export function absorb(ra: Accumulator, r: Resource): void {
  const matches = ra.matchAnyId(currentId(r));
  const behavior = r.options.behavior ?? 'create';
  if (matches.length === 0) {
    if (behavior === 'merge' || behavior === 'replace') {
      throw new KustomizeError(`id ${idString(currentId(r))} does not exist; cannot merge or replace`, r.origin.source);
    }
    ra.append([r]);
    return;
  }
  if (matches.length > 1) {
    throw new KustomizeError(`found multiple objects that could accept merge of ${idString(currentId(r))}`, r.origin.source);
  }
  const old = matches[0]!;
  if (behavior === 'create') {
    throw new KustomizeError(`merging from generator: id ${idString(currentId(r))} exists; behavior must be merge or replace`, r.origin.source);
  }
  const meta = r.metadata;
  const labels = { ...old.labels(), ...r.labels() };
  const annotations = { ...old.annotations(), ...r.annotations() };
  if (Object.keys(labels).length) meta.labels = labels; else delete meta.labels;
  if (Object.keys(annotations).length) meta.annotations = annotations; else delete meta.annotations;
  meta.name = old.name;
  if (old.namespace) meta.namespace = old.namespace; else delete meta.namespace;
  if (behavior === 'merge') {
    for (const field of ['data', 'binaryData'] as const) {
      const merged = { ...(isObject(old.obj[field]) ? old.obj[field] as JsonObject : {}), ...(isObject(r.obj[field]) ? r.obj[field] as JsonObject : {}) };
      if (Object.keys(merged).length || field === 'data' && (old.obj.data !== undefined || r.obj.data !== undefined)) r.obj[field] = merged;
    }
    r.origin = { ...old.origin, via: [...old.origin.via] };
  }
  r.options = { behavior: 'create', needsHash: !!(old.options.needsHash && r.options.needsHash) };
  r.previousIds.push(...old.previousIds);
  r.prefixes.push(...old.prefixes);
  r.suffixes.push(...old.suffixes);
  r.refVarNames.push(...old.refVarNames);
  for (const [k, v] of old.fieldOrigins) if (!r.fieldOrigins.has(k)) r.fieldOrigins.set(k, v);
  ra.resources[ra.resources.indexOf(old)] = r;
}
