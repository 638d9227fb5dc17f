// One compact schema form for every source of schemas: the bundled kinds (generated from the
// Kubernetes API server's OpenAPI v3 and the Flux and Argo CD CRDs by scripts/gen-schema-tables.mjs)
// and the CRDs found in the workspace (their openAPIV3Schema). One walker checks them all (types,
// required fields, enums, base64 and unknown fields); completion walks the same shapes.
//
// What counts as a problem follows what the API server rejects (checked by server-side dry-runs,
// `--validate=strict`, against the API server the tables come from):
//  - `null` is never a type error: the API server decodes it as "not set" (built-in kinds) or prunes
//    it (custom resources); a required field that is null is missing;
//  - unknown fields are those strict field validation reports, `metadata` (ObjectMeta) included;
//  - base64 (`format: byte`): a built-in kind's []byte field is decoded by Go, which skips line breaks
//    (kustomize wraps long values at 70 columns); a custom resource's is checked by the OpenAPI
//    validator, which does not;
//  - a custom resource's required field that has a default is defaulted, not missing;
//  - no other formats, patterns or limits are checked.

import { isObject, type JsonValue } from '../engine/index';

export interface Shape {
  /**
   * object | map | array | string | number | integer | boolean | int-or-string (an integer or a
   * string) | number-or-string (Quantity) | any; absent for a reference (and for any).
   */
  t?: string;
  /** Index into the table's defs. */
  r?: number;
  /** Properties. */
  p?: Record<string, Shape>;
  /** Required properties. */
  q?: string[];
  /** Schema of other keys (an object with extra keys). */
  ap?: Shape;
  /** Items (array) or values (map). */
  i?: Shape;
  /** Allowed values. */
  e?: JsonValue[];
  /** Any key allowed (x-kubernetes-preserve-unknown-fields, free-form objects). */
  open?: 1;
  /** Base64: `byte` as a custom resource's OpenAPI validator checks it, `bytes` as Go decodes a built-in kind's []byte. */
  f?: 'byte' | 'bytes';
  /** Description (first sentence). */
  d?: string;
}

/** The bundled tables: `apiVersion/Kind` → shape; defs[OBJECT_META] is ObjectMeta. */
export interface ShapeTable { kinds: Record<string, Shape>; defs: Shape[] }

/**
 * The index of ObjectMeta in a bundled table's defs (custom resources' `metadata` refers to it).
 * @public scripts/gen-schema-tables.mjs reads it.
 */
export const OBJECT_META = 0;

export function resolve(s: Shape | undefined, defs: Shape[]): Shape | undefined {
  let cur = s;
  for (let i = 0; cur?.r !== undefined && i < 50; i++) cur = { ...defs[cur.r], d: cur.d ?? defs[cur.r]?.d };
  return cur;
}

/** The shape one step down: a property (or additional property) of an object, the items of an array. */
export function child(s: Shape | undefined, seg: string | number, defs: Shape[]): Shape | undefined {
  const r = resolve(s, defs);
  if (!r) return undefined;
  if (typeof seg === 'number') return r.t === 'array' ? resolve(r.i, defs) : undefined;
  if (r.t === 'map') return resolve(r.i, defs);
  if (r.p && Object.prototype.hasOwnProperty.call(r.p, seg)) return resolve(r.p[seg], defs);
  return resolve(r.ap, defs);
}

export interface ShapeProblem { path: (string | number)[]; message: string; kind: 'unknown' | 'type' | 'required' | 'enum' }

function typeOf(v: JsonValue): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v;
}

function typeOk(want: string | undefined, t: string, v: JsonValue): boolean {
  switch (want) {
    case undefined: case 'any': return true;
    case 'map': return t === 'object';
    case 'integer': return t === 'number' && Number.isInteger(v);
    case 'int-or-string': return t === 'string' || (t === 'number' && Number.isInteger(v));
    case 'number-or-string': return t === 'string' || t === 'number';
    default: return want === t;
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Whether the API server takes `s` as base64 (see the header). */
function base64Ok(s: string, f: 'byte' | 'bytes'): boolean {
  return f === 'bytes' ? BASE64.test(s.replace(/[\r\n]/g, '')) : s !== '' && BASE64.test(s);
}

/** Walks a value along a shape and reports what the API server would reject (see the header). */
export function checkShape(v: JsonValue, s: Shape | undefined, defs: Shape[], path: (string | number)[] = [], out: ShapeProblem[] = []): ShapeProblem[] {
  const r = resolve(s, defs);
  if (!r || v === null || out.length > 50) return out;
  const t = typeOf(v);
  if (!typeOk(r.t, t, v)) {
    const want = r.t === 'map' ? 'object' : r.t === 'number-or-string' ? 'a number or a string' : r.t === 'int-or-string' ? 'an integer or a string' : r.t;
    out.push({ path, message: `must be ${want}, not ${t === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : t}`, kind: 'type' });
    return out;
  }
  if (r.e && !r.e.some((x) => x === v)) out.push({ path, message: `must be one of ${r.e.map((x) => JSON.stringify(x)).join(', ')}`, kind: 'enum' });
  if (r.f && typeof v === 'string' && !base64Ok(v, r.f)) out.push({ path, message: 'must be base64 (illegal base64 data)', kind: 'type' });
  if (Array.isArray(v)) {
    if (r.t === 'array' || r.t === undefined) v.forEach((x, i) => checkShape(x, r.i, defs, [...path, i], out));
    return out;
  }
  if (!isObject(v)) return out;
  for (const q of r.q ?? []) if (v[q] === undefined || v[q] === null) out.push({ path, message: `missing required field "${q}"`, kind: 'required' });
  for (const [k, x] of Object.entries(v)) {
    if (r.t === 'map') { checkShape(x, r.i, defs, [...path, k], out); continue; }
    const p = r.p && Object.prototype.hasOwnProperty.call(r.p, k) ? r.p[k] : r.ap;
    if (p) checkShape(x, p, defs, [...path, k], out);
    else if (r.p && !r.open) out.push({ path: [...path, k], message: `unknown field "${k}"`, kind: 'unknown' });
  }
  return out;
}

interface FromOpenApiOptions {
  /** A `$ref` (`#/components/schemas/NAME`) → its index in defs. Without it a reference is `any`. */
  ref?(name: string): number;
  /**
   * A built-in kind's schema from the API server's OpenAPI: format byte is Go's []byte (line breaks
   * skipped); `default`s are not applied before validation (Go defaulters are), so required fields
   * stay required. Otherwise a CRD's structural schema.
   */
  builtin?: boolean;
}

/**
 * An OpenAPI v3 schema (a CRD version's openAPIV3Schema, an API server's component) in the compact form.
 * @public scripts/gen-schema-tables.mjs calls it.
 */
export function fromOpenApiV3(s: JsonValue | undefined, opts: FromOpenApiOptions = {}): Shape {
  if (!isObject(s)) return {};
  const out: Shape = {};
  const d = typeof s.description === 'string' ? firstSentence(s.description) : '';
  // A reference, alone or as the one member of allOf (how the API server's v3 document carries a
  // property's own description next to its type).
  const only = Array.isArray(s.allOf) && s.allOf.length === 1 && isObject(s.allOf[0]) ? s.allOf[0] : undefined;
  const ref = typeof s.$ref === 'string' ? s.$ref : typeof only?.$ref === 'string' ? only.$ref : undefined;
  if (ref !== undefined) {
    if (opts.ref) out.r = opts.ref(ref.slice(ref.lastIndexOf('/') + 1));
    if (d) out.d = d;
    return out;
  }
  const alts = [s.anyOf, s.oneOf].find(Array.isArray)?.map((x) => (isObject(x) && typeof x.type === 'string' ? x.type : '')) ?? [];
  if (s['x-kubernetes-int-or-string'] === true || s.format === 'int-or-string') out.t = 'int-or-string';
  else if (typeof s.type === 'string') out.t = s.type === 'object' && !isObject(s.properties) && isObject(s.additionalProperties) ? 'map' : s.type;
  else if (alts.length && alts.every((x) => x === 'string' || x === 'number' || x === 'integer') && alts.includes('string')) {
    out.t = alts.includes('number') ? 'number-or-string' : alts.includes('integer') ? 'int-or-string' : 'string';
  }
  if (d) out.d = d;
  if (Array.isArray(s.enum)) out.e = s.enum;
  if (s.format === 'byte' && out.t === 'string') out.f = opts.builtin ? 'bytes' : 'byte';
  const props = isObject(s.properties) ? s.properties : undefined;
  if (props) {
    out.p = {};
    for (const [k, x] of Object.entries(props)) out.p[k] = fromOpenApiV3(x, opts);
  }
  if (Array.isArray(s.required)) {
    // A custom resource's field with a default is defaulted before validation.
    const defaulted = (k: string): boolean => { const x = props?.[k]; return isObject(x) && x.default !== undefined; };
    const q = s.required.filter((x): x is string => typeof x === 'string' && (opts.builtin || !defaulted(x)));
    if (q.length) out.q = q;
  }
  if (out.t === 'map') out.i = fromOpenApiV3(s.additionalProperties, opts);
  else if (isObject(s.additionalProperties)) out.ap = fromOpenApiV3(s.additionalProperties, opts);
  else if (s.additionalProperties === true) out.open = 1;
  if (isObject(s.items)) out.i = fromOpenApiV3(s.items, opts);
  if (s['x-kubernetes-embedded-resource'] === true) {
    // The API server validates an embedded object's apiVersion, kind and metadata as a resource's.
    out.p = { apiVersion: { t: 'string' }, kind: { t: 'string' }, ...out.p, metadata: { r: OBJECT_META } };
  }
  if (s['x-kubernetes-preserve-unknown-fields'] === true || (out.t === 'object' && !out.p && !out.ap)) out.open = 1;
  return out;
}

/**
 * A CRD version's openAPIV3Schema as the API server sees a custom resource: apiVersion and kind are
 * strings and metadata is ObjectMeta (defs[OBJECT_META] of the bundled table), whatever the schema says.
 */
export function crdShape(openAPIV3Schema: JsonValue | undefined): Shape {
  const s = fromOpenApiV3(openAPIV3Schema);
  const d = s.p?.metadata?.d;
  s.p = { ...s.p, apiVersion: { t: 'string' }, kind: { t: 'string' }, metadata: d ? { r: OBJECT_META, d } : { r: OBJECT_META } };
  if (!s.t) s.t = 'object';
  return s;
}

/**
 * The same shape with every repeated subtree shared (hash-consing): a CRD repeats the same parts
 * (a pod template, a container, a volume) many times over and across its versions, and copies of
 * one CRD in several versions of a release differ in a few fields. The shared parts are read-only.
 * Canonical nodes are held weakly: a subtree no CRD uses any more is collected.
 */
export function internShape(s: Shape): Shape {
  const p = s.p && Object.fromEntries(Object.entries(s.p).map(([k, v]) => [k, internShape(v)]));
  const ap = s.ap && internShape(s.ap);
  const i = s.i && internShape(s.i);
  const key = JSON.stringify([s.t, s.r, s.f, s.open, s.d, s.q, s.e, p && Object.entries(p).map(([k, v]) => [k, nodeIds.get(v)]), ap && nodeIds.get(ap), i && nodeIds.get(i)]);
  const hit = interned.get(key)?.deref();
  if (hit) return hit;
  const out: Shape = { ...s };
  if (p) out.p = p;
  if (ap) out.ap = ap;
  if (i) out.i = i;
  nodeIds.set(out, nextNodeId++);
  interned.set(key, new WeakRef(out));
  forgetNode.register(out, key);
  return out;
}

const interned = new Map<string, WeakRef<Shape>>();
const nodeIds = new WeakMap<Shape, number>();
let nextNodeId = 0;
const forgetNode = new FinalizationRegistry<string>((key) => { if (!interned.get(key)?.deref()) interned.delete(key); });

function firstSentence(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  const m = /^(.{20,}?[.!?])(\s|$)/.exec(t);
  const one = m ? m[1]! : t;
  return one.length > 200 ? one.slice(0, 197) + '…' : one;
}
