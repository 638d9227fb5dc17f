// Strategic-merge patches, as kustomize v5.5 applies them (kyaml's merge, list items from the patch
// placed before the target's).
//
// What it does, observed against `kustomize build` and designed here from scratch:
// - Maps merge field by field (fields visited in sorted order; new fields appended). A null in the
//   patch deletes the field; a null in the target that the patch does not mention is kept.
// - A list merges only when the schema gives it a patch strategy containing "merge"; otherwise the
//   patch list replaces the target list verbatim (CRDs without a custom `openapi:` schema, lists
//   with no schema, x-kubernetes-list-type alone: all replace). kustomize does NOT guess merge
//   keys for unknown lists (inferAssociativeLists is an opt-in here, off by default).
// - Merged lists are keyed by the list-map-keys, else the merge key, else (primitive lists) by
//   value. Items are matched by the text of their key fields; the result lists the patch's items
//   first, in patch order (merged with their target item), then the target's remaining items.
//   With several keys (Container.ports: containerPort+protocol) target items keep their relative
//   order at the end and only new patch items come first.
// - Directives: `$patch: delete|replace|merge` in a map (on the object, a field's map, or a list
//   item) and as a lone `{$patch: ...}` list item; other values fail with
//   "unknown patch strategy 'x'". `$retainKeys`, `$setElementOrder/...`,
//   `$deleteFromPrimitiveList/...` are NOT interpreted by kustomize v5.5: they are copied into the
//   result like ordinary fields. The retainKeys strategy (Deployment.spec.strategy, volumes) is
//   ignored likewise.
// - kustomize quirks kept on purpose (verified): `$patch: replace` on a list item that exists in
//   the target leaves the target item unchanged; a merged list drops `{}` items; an item without
//   its merge key makes every target item that has the key disappear; target items with a
//   duplicate key collapse to the last one; a partially keyed port ({containerPort} in the target,
//   {containerPort, protocol} in the patch) keeps only the target item.

import { deepClone, isObject, KustomizeError, type JsonObject, type JsonValue } from '../resource';
import { OpenApiSchemas, type SchemaNode } from '../k8s/openapi';
import { formatGoNumber, resolvePlain } from '../goyaml';
import { appendItems, findItem, hasOwn, isEmptyMap, keysWithValues, kindName, nodeText, setElement, unifyPartialKeys, wrongKind } from './smp-items';

export interface SmpOptions {
  /** Schemas for embedded objects found by their apiVersion/kind, and for the top-level object
   * when `schema` is undefined. Default: the schema set of `schema`, else the built-in one. */
  schemas?: OpenApiSchemas;
  /** Guess a `name` merge key for lists without schema (kyaml can; kustomize build does not). */
  inferAssociativeLists?: boolean;
  /** Whether the target's source left the field at this key path empty (`key:`, not `key: null`). */
  emptyField?: (path: string[]) => boolean;
  /** Whether the target's source wrote the scalar at this key path quoted or as a block. */
  quotedField?: (path: string[]) => boolean;
  /** The patch's text of a plain scalar at this key path that reads as a non-string (`1e3`). */
  patchText?: (path: string[]) => string | undefined;
}

interface Ctx extends Pick<SmpOptions, 'emptyField' | 'quotedField' | 'patchText'> { schemas: OpenApiSchemas; infer: boolean }

/** A field result: a value to set, or CLEAR to remove the field / list item. */
const CLEAR = undefined;
type Result = JsonValue | undefined;

/**
 * Apply a strategic-merge patch to a copy of `target`. `schema` is the target kind's schema
 * (schemaForKind); when undefined it is looked up from the target's (then the patch's) apiVersion
 * and kind. Returns null when the patch deletes the object (`$patch: delete` at the top).
 * Throws KustomizeError for kustomize's errors (unknown patch strategy, wrong node kind, ...).
 * Name, namespace and kind changes are NOT reverted here (kustomize does that in the caller).
 */
export function strategicMerge(
  target: JsonObject, patch: JsonObject, schema: SchemaNode | undefined, options: SmpOptions = {},
): JsonObject | null {
  const ctx: Ctx = {
    schemas: options.schemas ?? schema?.schemas ?? OpenApiSchemas.builtin(),
    infer: options.inferAssociativeLists ?? false,
    emptyField: options.emptyField,
    quotedField: options.quotedField,
    patchText: options.patchText,
  };
  const r = walk(deepClone(target), deepClone(patch), schema, [], ctx);
  if (r === CLEAR || r === null) return null;
  if (!isObject(r)) throw new KustomizeError(`strategic merge patch produced a ${kindName(r)}, not an object`);
  return r;
}

function isNull(v: JsonValue | undefined): v is null | undefined {
  return v === undefined || v === null;
}

/** A key field's value as kyaml lists it: '' when absent, null, empty or not a scalar. */
function keyText(elem: JsonValue, key: string): string {
  if (!isObject(elem) || !hasOwn(elem, key)) return '';
  const f = elem[key] as JsonValue;
  if (f === null || f === '' || isEmptyMap(f) || (Array.isArray(f) && f.length === 0)) return '';
  return nodeText(f);
}

function setField(o: JsonObject, k: string, v: JsonValue): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/** A scalar kyaml writes from text (an untagged plain scalar), as go-yaml v3 reads it back. */
function scalarFromText(s: string): JsonValue {
  return resolvePlain(s, 3).value;
}

function schemaFromMeta(nodes: (JsonValue | undefined)[], ctx: Ctx): SchemaNode | undefined {
  for (const n of nodes) {
    if (!isObject(n)) continue;
    const kind = keyText(n, 'kind');
    const apiVersion = keyText(n, 'apiVersion');
    if (kind === '' || apiVersion === '') continue;
    const s = ctx.schemas.forKind(apiVersion, kind);
    if (s) return s;
  }
  return undefined;
}

function walk(dest: Result, patch: Result, schema: SchemaNode | undefined, path: string[], ctx: Ctx): Result {
  const s = schema ?? schemaFromMeta([dest, patch], ctx);
  const first = !isNull(dest) ? dest : !isNull(patch) ? patch : undefined;
  if (first === undefined) return walkMap(dest, patch, s, path, ctx);
  const kind = kindName(first);
  for (const n of [dest, patch]) if (!isNull(n) && kindName(n) !== kind) throw wrongKind(kind, n);
  if (kind === 'MappingNode') return walkMap(dest, patch, s, path, ctx);
  if (kind === 'SequenceNode') {
    if (isAssociative(s, [dest, patch], ctx)) return walkAssociativeList(dest, patch, s, path, ctx);
    // Not merged: the patch list (even null) wins when the patch has the field.
    return patch !== undefined ? (patch === null ? CLEAR : patch) : dest;
  }
  if (patch === undefined) return dest;
  if (patch === null) return CLEAR;
  // kyaml overwrites the target's scalar in place: the patch's text in the target's style. Over a
  // quoted (or block) scalar, a patch's `1e3` or `true` is written quoted and so reads as text.
  if (typeof patch !== 'string' && !isNull(dest) && typeof dest !== 'object' && ctx.quotedField?.(path)) {
    return ctx.patchText?.(path) ?? (typeof patch === 'number' ? formatGoNumber(patch) : String(patch));
  }
  return patch;
}

type Directive = 'merge' | 'replace' | 'delete';

/** A map's `$patch` directive; recognised ones are removed from the patch. */
function mapDirective(patch: JsonObject): Directive {
  if (!hasOwn(patch, '$patch')) return 'merge';
  const v = nodeText(patch.$patch as JsonValue);
  if (v === 'delete' || v === 'replace' || v === 'merge') {
    delete patch.$patch;
    return v;
  }
  throw new KustomizeError(`unknown patch strategy '${v}'`);
}

function walkMap(dest: Result, patch: Result, schema: SchemaNode | undefined, path: string[], ctx: Ctx): Result {
  let d: JsonObject;
  if (isNull(dest)) {
    if (isObject(patch)) {
      let dir: Directive = 'merge';
      try { dir = mapDirective(patch); } catch { /* kustomize ignores it here and keeps the field */ }
      if (dir === 'delete') return CLEAR;
    }
    // A null the patch leaves alone: kept when the source wrote it (`null`, `~`), dropped when the
    // field was left empty (`key:`), as kyaml's merge tells them apart.
    if (patch === undefined && dest === null) return ctx.emptyField?.(path) ? CLEAR : null;
    if (!isObject(patch)) return CLEAR;
    d = patch;
  } else {
    if (!isObject(dest)) throw wrongKind('MappingNode', dest);
    if (patch === null) return CLEAR;
    if (isObject(patch)) {
      const dir = mapDirective(patch);
      if (dir === 'delete') return CLEAR;
      d = dir === 'replace' ? patch : dest;
    } else {
      d = dest;
    }
  }
  const p = isObject(patch) ? patch : undefined;
  const names = new Set(Object.keys(d));
  if (p) for (const k of Object.keys(p)) names.add(k);
  for (const key of [...names].sort(compareStrings)) {
    const v = walk(hasOwn(d, key) ? d[key] : undefined, p && hasOwn(p, key) ? p[key] : undefined, schema?.field(key), [...path, key], ctx);
    if (v === CLEAR) delete d[key];
    else setField(d, key, v);
  }
  return d;
}

function compareStrings(a: string, b: string): number {
  // Go sorts strings by bytes; UTF-16 order differs only outside the BMP.
  return a < b ? -1 : a > b ? 1 : 0;
}

function isAssociative(schema: SchemaNode | undefined, nodes: Result[], ctx: Ctx): boolean {
  if (schema) return schema.mergesList();
  if (!ctx.infer) return false;
  return nodes.some((n) => Array.isArray(n) && associativeKey(n) !== '');
}

/** The key kyaml would guess: `name`, when every item has it. */
function associativeKey(list: JsonValue[]): string {
  return list.every((e) => isObject(e) && hasOwn(e, 'name')) ? 'name' : '';
}

/** A list's `{$patch: ...}` directive item; recognised ones are removed from the patch list. */
function listDirective(patch: JsonValue[]): Directive {
  const item = patch.find((e) => isObject(e) && hasOwn(e, '$patch'));
  if (!isObject(item) || Object.keys(item).length > 1) return 'merge';
  const v = nodeText(item.$patch as JsonValue);
  if (v === 'delete' || v === 'replace' || v === 'merge') {
    setElement(patch, ['$patch'], [v], undefined);
    return v;
  }
  throw new KustomizeError(`unknown patch strategy '${v}'`);
}

function walkAssociativeList(dest: Result, patch: Result, schema: SchemaNode | undefined, path: string[], ctx: Ctx): Result {
  let d: JsonValue[];
  if (isNull(dest)) {
    if (!Array.isArray(patch)) return CLEAR;
    d = patch; // taken as is, directive items included
  } else {
    if (!Array.isArray(dest)) throw wrongKind('SequenceNode', dest);
    if (patch === null) return CLEAR;
    if (Array.isArray(patch)) {
      const dir = listDirective(patch);
      if (dir === 'delete') return CLEAR;
      d = dir === 'replace' ? patch : dest;
    } else {
      d = dest;
    }
  }
  const p = Array.isArray(patch) ? patch : undefined;

  let keys: string[] = schema ? schema.patchKeys() : [];
  if ((schema?.strategy ?? '') === '' && keys.length === 0) {
    let key = '';
    for (const src of [d, p]) {
      if (!src || src.length === 0) continue;
      const k = associativeKey(src);
      if (key !== '' && key !== k) throw new KustomizeError(`conflicting merge keys [${key},${k}] for field ${path.join('.')}`);
      key = k;
    }
    if (key === '') throw new KustomizeError(`no merge key found for field ${path.join('.')}`);
    keys = [key];
  }

  // The patch's items first, then the target's.
  const values: string[][] = [];
  const seen = new Set<string>();
  for (const src of [p, d]) {
    if (!src) continue;
    for (const e of src) {
      const vals = keys.map((k) => keyText(e, k));
      const id = JSON.stringify(vals);
      if (vals.length === 0 || seen.has(id)) continue;
      values.push(vals);
      seen.add(id);
    }
  }
  if (values.length > 0 || keys.length > 0) return mergeItems(values, keys, d, p, schema, ctx);

  // A primitive list merged as a set of values.
  const prim: string[][] = [];
  const seenPrim = new Set<string>();
  for (const src of [p, d]) {
    if (!src) continue;
    for (const e of src) {
      const t = nodeText(e);
      if (seenPrim.has(t)) continue;
      prim.push([t]);
      seenPrim.add(t);
    }
  }
  return mergeItems(prim, [''], d, p, schema, ctx);
}

function mergeItems(
  valuesList: string[][], keys: string[], d: JsonValue[], p: JsonValue[] | undefined,
  schema: SchemaNode | undefined, ctx: Ctx,
): JsonValue[] {
  const items: JsonValue[] = [];
  const itemSchema = schema?.items();
  if (keys.length > 1) unifyPartialKeys(valuesList);
  let validKeys: string[] = keys;
  for (const values of valuesList) {
    if (values.length === 0) continue;
    let validValues: string[];
    [validKeys, validValues] = keysWithValues(valuesList, values, keys);
    const [ek, ev] = keysWithValues([validValues], validValues, validKeys);
    const val = walk(findItem(d, ek, ev), p ? findItem(p, ek, ev) : undefined, itemSchema, [], ctx);
    if (isNull(val) || isEmptyMap(val)) {
      setElement(d, validKeys, validValues, undefined);
      continue;
    }
    validKeys.forEach((key, i) => {
      const v = validValues[i] ?? '';
      if (v === '') return;
      if (isObject(val)) {
        if (!hasOwn(val, key)) setField(val, key, scalarFromText(v));
      } else if (key !== '') {
        throw wrongKind('MappingNode', val);
      }
    });
    setElement(items, validKeys, validValues, val);
  }
  if (valuesList.length === 0) return d;
  appendItems(items, d, validKeys);
  return items;
}
