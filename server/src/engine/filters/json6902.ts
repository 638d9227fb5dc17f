// JSON 6902 patches as kustomize v5.5 applies them (it uses evanphx/json-patch v4 on the object's
// JSON form). Behaviour verified against `kustomize build`, including its deviations from RFC 6902:
// - `replace` of a missing key in a map adds it (only a missing parent, or an array index out of
//   range, fails);
// - `copy` from a missing map key copies null;
// - `test` of a missing (or null) field passes when the expected value is null;
// - negative array indexes count from the end (add/remove/replace/copy/move/test);
// - a path without a leading '/' drops its first segment ("a/b" acts on "/b"); the empty path ""
//   (the whole document) is "missing";
// - `add` never creates missing parents: "add operation does not apply: doc is missing path".
// Error messages are kustomize's.

import { goJsonType, deepClone, isObject, KustomizeError, type JsonObject, type JsonValue } from '../resource';
import { parseYamlFile } from '../yamlio';

export interface Json6902Op {
  op: string;
  path?: string;
  from?: string;
  value?: JsonValue;
  [k: string]: JsonValue | undefined;
}

/**
 * Parse a JSON 6902 patch as kustomize does: text starting with '[' is JSON, anything else is
 * YAML (first document) converted to JSON. It must be a list of maps.
 */
export function parseJson6902(text: string): Json6902Op[] {
  if (text === '') throw new KustomizeError('empty json patch operations');
  let value: unknown;
  if (text.startsWith('[')) {
    try { value = JSON.parse(text); } catch (e) { throw new KustomizeError(`invalid JSON patch: ${(e as Error).message}`); }
  } else {
    // kustomize converts it with sigs.k8s.io/yaml: go-yaml v2 (YAML 1.1 words, `0400` is 256,
    // duplicate keys allowed), first document only.
    let parsed;
    try {
      parsed = parseYamlFile('', text, { yaml11: true, uniqueKeys: false });
    } catch (e) {
      if (!(e instanceof KustomizeError)) throw e;
      throw new KustomizeError(`error converting YAML to JSON: ${e.message.replace(/^: /, '')}`);
    }
    value = parsed.documents[0]?.value ?? null;
  }
  return toOps(value);
}

function toOps(value: unknown): Json6902Op[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new KustomizeError(`json: cannot unmarshal ${goJsonType(value)} into Go value of type jsonpatch.Patch`);
  }
  return value.map((op) => {
    if (op === null) return { op: '' } as Json6902Op;
    if (!isObject(op)) throw new KustomizeError(`json: cannot unmarshal ${goJsonType(op)} into Go value of type jsonpatch.Operation`);
    return op as Json6902Op;
  });
}

/**
 * Apply JSON 6902 operations to a copy of `target`. `ops` is patch text (see parseJson6902) or
 * an already parsed list of operations. Throws KustomizeError with kustomize's message when an
 * operation does not apply.
 */
export function applyJson6902(target: JsonObject, ops: unknown): JsonObject {
  const list = typeof ops === 'string' ? parseJson6902(ops) : toOps(ops);
  const doc: JsonObject = deepClone(target);
  for (const op of list) {
    const kind = typeof op.op === 'string' ? op.op : 'unknown';
    switch (kind) {
      case 'add': add(doc, op); break;
      case 'remove': remove(doc, op); break;
      case 'replace': replace(doc, op); break;
      case 'move': move(doc, op); break;
      case 'copy': copy(doc, op); break;
      case 'test': test(doc, op); break;
      default: throw new KustomizeError(`Unexpected kind: ${kind}`);
    }
  }
  return doc;
}

const MISSING = 'missing value';
const INVALID_INDEX = 'invalid index referenced';

type Container = { kind: 'map'; m: JsonObject } | { kind: 'list'; a: JsonValue[] };

function opPath(op: Json6902Op, field: 'path' | 'from', what: string): string {
  const p = op[field];
  if (typeof p !== 'string') throw new KustomizeError(`${what} operation failed to decode ${field}: ${MISSING}`);
  return p;
}

function opValue(op: Json6902Op): JsonValue {
  return op.value === undefined ? null : deepClone(op.value);
}

function unescape(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The container holding the last path segment, and that segment; undefined when missing. */
function findObject(doc: JsonObject, path: string): [Container, string] | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  let cur: Container = { kind: 'map', m: doc };
  for (const part of split.slice(1, -1)) {
    let next: JsonValue | undefined;
    try { next = get(cur, unescape(part)); } catch { return undefined; }
    if (next === undefined || next === null) return undefined;
    if (Array.isArray(next)) cur = { kind: 'list', a: next };
    else if (isObject(next)) cur = { kind: 'map', m: next };
    else return undefined;
  }
  return [cur, unescape(split[split.length - 1] as string)];
}

function atoi(key: string): number {
  if (!/^[+-]?[0-9]+$/.test(key)) throw new KustomizeError(`strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  const n = Number(key);
  if (!Number.isSafeInteger(n)) throw new KustomizeError(`strconv.Atoi: parsing ${JSON.stringify(key)}: value out of range`);
  return n;
}

function invalidIndex(idx: number): KustomizeError {
  return new KustomizeError(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);
}

/** A value, or undefined for a missing (or null) map key. Throws for a bad array index. */
function get(c: Container, key: string): JsonValue | undefined {
  if (c.kind === 'map') return Object.prototype.hasOwnProperty.call(c.m, key) ? c.m[key] : undefined;
  let idx = atoi(key);
  if (idx < 0) {
    if (idx < -c.a.length) throw invalidIndex(idx);
    idx += c.a.length;
  }
  if (idx >= c.a.length) throw invalidIndex(idx);
  return c.a[idx];
}

function setKey(m: JsonObject, key: string, v: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(m, key, { value: v, enumerable: true, writable: true, configurable: true });
  else m[key] = v;
}

function addTo(c: Container, key: string, v: JsonValue): void {
  if (c.kind === 'map') { setKey(c.m, key, v); return; }
  if (key === '-') { c.a.push(v); return; }
  let idx: number;
  try { idx = atoi(key); } catch (e) { throw new KustomizeError(`value was not a proper array index: '${key}': ${(e as Error).message}`); }
  const size = c.a.length + 1;
  if (idx >= size) throw invalidIndex(idx);
  if (idx < 0) {
    if (idx < -size) throw invalidIndex(idx);
    idx += size;
  }
  c.a.splice(idx, 0, v);
}

function removeFrom(c: Container, key: string): void {
  if (c.kind === 'map') {
    if (!Object.prototype.hasOwnProperty.call(c.m, key)) throw new KustomizeError(`Unable to remove nonexistent key: ${key}: ${MISSING}`);
    delete c.m[key];
    return;
  }
  let idx = atoi(key);
  if (idx >= c.a.length) throw invalidIndex(idx);
  if (idx < 0) {
    if (idx < -c.a.length) throw invalidIndex(idx);
    idx += c.a.length;
  }
  c.a.splice(idx, 1);
}

function wrap(e: unknown, prefix: string): KustomizeError {
  return new KustomizeError(`${prefix}: ${(e as Error).message}`);
}

function add(doc: JsonObject, op: Json6902Op): void {
  const path = opPath(op, 'path', 'add');
  const found = findObject(doc, path);
  if (!found) throw new KustomizeError(`add operation does not apply: doc is missing path: ${JSON.stringify(path)}: ${MISSING}`);
  try { addTo(found[0], found[1], opValue(op)); } catch (e) { throw wrap(e, `error in add for path: '${path}'`); }
}

function remove(doc: JsonObject, op: Json6902Op): void {
  const path = opPath(op, 'path', 'remove');
  const found = findObject(doc, path);
  if (!found) throw new KustomizeError(`remove operation does not apply: doc is missing path: ${JSON.stringify(path)}: ${MISSING}`);
  try { removeFrom(found[0], found[1]); } catch (e) { throw wrap(e, `error in remove for path: '${path}'`); }
}

function replace(doc: JsonObject, op: Json6902Op): void {
  const path = opPath(op, 'path', 'replace');
  const found = findObject(doc, path);
  if (!found) throw new KustomizeError(`replace operation does not apply: doc is missing path: ${path}: ${MISSING}`);
  const [c, key] = found;
  try { get(c, key); } catch { throw new KustomizeError(`replace operation does not apply: doc is missing key: ${path}: ${MISSING}`); }
  if (c.kind === 'map') { setKey(c.m, key, opValue(op)); return; }
  let idx = atoi(key);
  if (idx < 0) idx += c.a.length;
  c.a[idx] = opValue(op);
}

function move(doc: JsonObject, op: Json6902Op): void {
  const from = opPath(op, 'from', 'move');
  const src = findObject(doc, from);
  if (!src) throw new KustomizeError(`move operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
  let val: JsonValue | undefined;
  try {
    val = get(src[0], src[1]);
    removeFrom(src[0], src[1]);
  } catch (e) { throw wrap(e, `error in move for path: '${src[1]}'`); }
  const path = opPath(op, 'path', 'move');
  const dst = findObject(doc, path);
  if (!dst) throw new KustomizeError(`move operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
  try { addTo(dst[0], dst[1], val ?? null); } catch (e) { throw wrap(e, `error in move for path: '${path}'`); }
}

function copy(doc: JsonObject, op: Json6902Op): void {
  const from = opPath(op, 'from', 'copy');
  const src = findObject(doc, from);
  if (!src) throw new KustomizeError(`copy operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
  let val: JsonValue | undefined;
  try { val = get(src[0], src[1]); } catch (e) { throw wrap(e, `error in copy for from: '${from}'`); }
  const path = opPath(op, 'path', 'copy');
  const dst = findObject(doc, path);
  if (!dst) throw new KustomizeError(`copy operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
  try { addTo(dst[0], dst[1], val === undefined ? null : deepClone(val)); } catch (e) { throw wrap(e, 'error while adding value during copy'); }
}

function test(doc: JsonObject, op: Json6902Op): void {
  const path = opPath(op, 'path', 'test');
  const found = findObject(doc, path);
  if (!found) throw new KustomizeError(`test operation does not apply: is missing path: ${path}: ${MISSING}`);
  let val: JsonValue | undefined;
  try { val = get(found[0], found[1]); } catch (e) { throw wrap(e, `error in test for path: '${path}'`); }
  const want = op.value === undefined ? null : op.value;
  if (val === undefined || val === null) {
    if (want === null) return;
  } else if (want !== null && jsonEqual(val, want)) {
    return;
  }
  throw new KustomizeError(`testing value ${path} failed: test failed`);
}

function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i] as JsonValue));
  }
  if (isObject(a) || isObject(b)) {
    if (!isObject(a) || !isObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k] as JsonValue, b[k] as JsonValue));
  }
  return a === b;
}
