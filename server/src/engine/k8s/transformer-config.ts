// Field specs: which fields of which kinds each builtin transformer touches, as kustomize v5.5
// configures them by default, plus the `configurations:` file format that lets a kustomization add
// its own, and the merge rules kustomize applies when it combines the two.
//
// The default tables below restate the facts of kustomize v5.5.0's
// api/internal/konfig/builtinpluginconsts/*.go (which paths, for which group/version/kind, with
// or without create). The merge and ordering rules follow api/types/fieldspec.go and
// api/internal/plugins/builtinconfig/{transformerconfig,namebackreferences}.go.

import { isObject, KustomizeError, type JsonValue, type SourceRef } from '../resource';
import { defaultTables } from './default-field-specs';
import type { FieldSpec, NameBackReference, TransformerConfig } from './field-spec';

export type { FieldSpec, NameBackReference, TransformerConfig } from './field-spec';

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

let defaultCache: TransformerConfig | undefined;

/** A fresh (mutable) copy of kustomize v5.5's default transformer configuration, in kustomize's order. */
export function defaultTransformerConfig(): TransformerConfig {
  if (!defaultCache) {
    defaultCache = sortConfig(defaultTables());
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
function compareGvk(a: { group?: string; version?: string; kind?: string }, b: { group?: string; version?: string; kind?: string }): number {
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
function gvkSelected(gvk: { group?: string; version?: string; kind?: string }, selector: { group?: string; version?: string; kind?: string }): boolean {
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

function parseFieldSpec(v: JsonValue | undefined, where: string, source?: SourceRef): FieldSpec {
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
