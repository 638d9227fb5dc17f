// One compact schema form for every source of schemas: the bundled kinds (generated from the
// packages' declarations) and the CRDs found in the workspace (their openAPIV3Schema). Used to find
// unknown fields, to check custom resources, and for completion.

import { isObject, type JsonValue } from '../engine/resource';

export interface Shape {
  /** object | map | array | string | number | integer | boolean | any; absent for a reference. */
  t?: string;
  /** Index into the table's defs. */
  r?: number;
  /** Properties. */
  p?: Record<string, Shape>;
  /** Required properties. */
  q?: string[];
  /** Schema of other keys (a map, or an object with extra keys). */
  ap?: Shape;
  /** Items (array) or values (map). */
  i?: Shape;
  /** Allowed values. */
  e?: JsonValue[];
  /** Any key allowed (x-kubernetes-preserve-unknown-fields, free-form objects). */
  open?: 1;
  /** Nullable. */
  n?: 1;
  /** Description (first sentence). */
  d?: string;
}

export interface ShapeTable { source?: string; kinds: Record<string, Shape>; defs: Shape[] }

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

/**
 * Walks a value along a shape. `unknownOnly`: report only unknown fields (the bundled kinds' own
 * validators check types, required fields and enums).
 */
export function checkShape(v: JsonValue, s: Shape | undefined, defs: Shape[], unknownOnly: boolean, path: (string | number)[] = [], out: ShapeProblem[] = []): ShapeProblem[] {
  const r = resolve(s, defs);
  if (!r || out.length > 50) return out;
  if (v === null) {
    if (!unknownOnly && !r.n && r.t && r.t !== 'any' && path.length) out.push({ path, message: `must be ${r.t}, not null`, kind: 'type' });
    return out;
  }
  if (!unknownOnly) {
    const t = typeOf(v);
    const want = r.t;
    const ok = !want || want === 'any' || want === t || (want === 'map' && t === 'object') || (want === 'integer' && t === 'number' && Number.isInteger(v))
      || (want === 'number' && t === 'number') || (want === 'int-or-string' && (t === 'number' || t === 'string'));
    if (!ok) { out.push({ path, message: `must be ${want === 'map' ? 'object' : want}, not ${t}`, kind: 'type' }); return out; }
    if (r.e && !r.e.some((x) => x === v)) out.push({ path, message: `must be one of ${r.e.map((x) => JSON.stringify(x)).join(', ')}`, kind: 'enum' });
  }
  if (Array.isArray(v)) {
    if (r.t === 'array' || r.t === undefined) v.forEach((x, i) => checkShape(x, r.i, defs, unknownOnly, [...path, i], out));
    return out;
  }
  if (!isObject(v)) return out;
  if (!unknownOnly) for (const q of r.q ?? []) if (!(q in v)) out.push({ path, message: `missing required field "${q}"`, kind: 'required' });
  for (const [k, x] of Object.entries(v)) {
    if (r.t === 'map') { checkShape(x, r.i, defs, unknownOnly, [...path, k], out); continue; }
    const p = r.p && Object.prototype.hasOwnProperty.call(r.p, k) ? r.p[k] : r.ap;
    if (p) checkShape(x, p, defs, unknownOnly, [...path, k], out);
    else if (r.p && !r.open) out.push({ path: [...path, k], message: `unknown field "${k}"`, kind: 'unknown' });
  }
  return out;
}

/** A CRD version's openAPIV3Schema in the compact form. */
export function fromOpenApiV3(s: JsonValue | undefined): Shape {
  if (!isObject(s)) return { t: 'any' };
  const out: Shape = {};
  if (s['x-kubernetes-int-or-string'] === true) out.t = 'int-or-string';
  else if (typeof s.type === 'string') out.t = s.type === 'object' && !isObject(s.properties) && isObject(s.additionalProperties) ? 'map' : s.type;
  else if (Array.isArray(s.anyOf) || Array.isArray(s.oneOf) || Array.isArray(s.allOf)) out.t = 'any';
  if (typeof s.description === 'string') out.d = firstSentence(s.description);
  if (s.nullable === true) out.n = 1;
  if (Array.isArray(s.enum)) out.e = s.enum;
  if (Array.isArray(s.required)) out.q = s.required.filter((x): x is string => typeof x === 'string');
  if (isObject(s.properties)) {
    out.p = {};
    for (const [k, x] of Object.entries(s.properties)) out.p[k] = fromOpenApiV3(x);
  }
  if (out.t === 'map') out.i = fromOpenApiV3(s.additionalProperties);
  else if (isObject(s.additionalProperties)) out.ap = fromOpenApiV3(s.additionalProperties);
  else if (s.additionalProperties === true) out.open = 1;
  if (isObject(s.items)) out.i = fromOpenApiV3(s.items);
  if (s['x-kubernetes-preserve-unknown-fields'] === true || (out.t === 'object' && !out.p && !out.ap)) out.open = 1;
  return out;
}

function firstSentence(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  const m = /^(.{20,}?[.!?])(\s|$)/.exec(t);
  const one = m ? m[1]! : t;
  return one.length > 200 ? one.slice(0, 197) + '…' : one;
}
