// The items of an associative list as kyaml's merge finds and places them (kyaml/yaml/walk
// associative_sequence.go and the fns it calls): matching by key fields (several keys unified where
// their values agree), setting an element in place, appending the rest. Used by smp.ts.

import { stringify as yamlStringify } from 'yaml';
import { isObject, KustomizeError, type JsonObject, type JsonValue } from '../resource';

export type NodeKind = 'MappingNode' | 'SequenceNode' | 'ScalarNode';

export function kindName(v: JsonValue): NodeKind {
  return Array.isArray(v) ? 'SequenceNode' : isObject(v) ? 'MappingNode' : 'ScalarNode';
}

export function wrongKind(expected: NodeKind, node: JsonValue): KustomizeError {
  return new KustomizeError(`wrong node kind: expected ${expected} but got ${kindName(node)}: node contents:\n${yamlStringify(node)}`);
}

export function isEmptyMap(v: JsonValue | undefined): boolean {
  return isObject(v) && Object.keys(v).length === 0;
}

/** The text of a YAML node as kyaml compares it: a scalar's literal, '' for maps and lists. */
export function nodeText(v: JsonValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  return '';
}

export function hasOwn(o: JsonObject, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

/** With several keys, value tuples that agree where both are set describe the same item. */
export function unifyPartialKeys(valuesList: string[][]): void {
  for (let i = 0; i < valuesList.length; i++) {
    const a = valuesList[i] as string[];
    for (let j = 0; j < valuesList.length; j++) {
      const b = valuesList[j] as string[];
      if (a.length !== b.length) continue;
      let common = false;
      let ok = true;
      const res: string[] = [];
      for (let k = 0; k < a.length; k++) {
        const x = a[k] as string;
        const y = b[k] as string;
        if (x === y) { common = true; res.push(x); continue; }
        if (x !== '' && y !== '') { ok = false; break; }
        res.push(x !== '' ? x : y);
      }
      if (ok && common) { valuesList[i] = res; valuesList[j] = res; }
    }
  }
}

/** Drop the keys no item has a value for (all of them kept when none has any). */
export function keysWithValues(valuesList: string[][], values: string[], keys: string[]): [string[], string[]] {
  const valid = new Set<string>();
  for (const vs of valuesList) vs.forEach((v, i) => { if (v !== '' && keys[i] !== undefined) valid.add(keys[i] as string); });
  if (valid.size === 0) return [keys, values];
  const k = keys.filter((x) => valid.has(x));
  const v = values.filter((x, i) => x !== '' || valid.has(keys[i] as string));
  return [k, v];
}

/** The first item whose key fields have these texts (for key '', the scalar item with that text). */
export function findItem(list: JsonValue[], keys: string[], values: string[]): JsonValue | undefined {
  if (keys.length === 0 || keys[0] === '') {
    const want = values[0] ?? '';
    return list.find((e) => nodeText(e) === want);
  }
  return list.find((e) => isObject(e) && keys.every((k, i) => hasOwn(e, k) && nodeText(e[k] as JsonValue) === (values[i] ?? '')));
}

/** Does the item match key=value ('' value: the key is present; '' key: the scalar's text)? */
function itemMatches(elem: JsonValue, key: string, value: string): boolean {
  if (key === '') {
    if (isObject(elem) || Array.isArray(elem)) throw wrongKind('ScalarNode', elem);
    return nodeText(elem) === value;
  }
  if (!isObject(elem)) throw wrongKind('MappingNode', elem);
  if (!hasOwn(elem, key)) return false;
  return value === '' || nodeText(elem[key] as JsonValue) === value;
}

/**
 * Replace the items matching all keys with `element` (append it when none matches), or remove
 * them when `element` is undefined. Null and `{}` items are dropped on the way; when there are no
 * values, nothing matches and only `element` survives.
 */
export function setElement(list: JsonValue[], keys: string[], values: string[], element: JsonValue | undefined): void {
  const ks = keys.length === 0 ? [''] : keys;
  const mappingSetter = ks[0] !== '' && values.length > 0 && values[0] !== '';
  const out: JsonValue[] = [];
  let found = false;
  for (const elem of list) {
    if (elem === null || isEmptyMap(elem)) continue;
    if (!isObject(elem) && mappingSetter) { out.push(elem); continue; }
    let matched = values.length > 0;
    for (let j = 0; j < ks.length && j < values.length; j++) {
      if (!itemMatches(elem, ks[j] as string, values[j] as string)) { matched = false; break; }
    }
    if (!matched) {
      if (values.length > 0) out.push(elem);
      continue;
    }
    found = true;
    if (element !== undefined) out.push(element);
  }
  list.splice(0, list.length, ...out);
  if (element === undefined || element === null) return;
  if (!found) list.push(element);
}

/** Put the target's (merged) items into the result: in place of the same key, else at the end. */
export function appendItems(dst: JsonValue[], src: JsonValue[], keys: string[]): void {
  for (const elem of [...src]) {
    if (keys[0] === '' || keys.length === 0) {
      setElement(dst, [''], [nodeText(elem)], elem);
      continue;
    }
    const v: string[] = [];
    for (const key of keys) {
      if (elem === null) { dst.push(elem); continue; }
      if (!isObject(elem)) throw wrongKind('MappingNode', elem);
      if (!hasOwn(elem, key)) { dst.push(elem); continue; }
      v.push(nodeText(elem[key] as JsonValue));
    }
    if (keys.length > 1) setElement(dst, keys, v, undefined);
    setElement(dst, keys, v, elem);
  }
}
