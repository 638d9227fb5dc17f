// kyaml's dotted field paths, as replacements (source `fieldPath`, target `fieldPaths`) and vars
// (`fieldref.fieldpath`) use them, over plain JSON data.
//
// Syntax: segments separated by `.`; `\.` keeps a dot inside a key; a segment that starts with `[`
// runs to the segment that ends with `]`, so `metadata.annotations.[example.com/a.b]` has the key
// `example.com/a.b` (brackets dropped because there is no `=`), while `[name=a.b]` stays one list
// selector. A leading `.` is ignored. Segment meanings:
//   `key`        a map key
//   `3`          the list item at that index (non-negative)
//   `[k=v]`      list items that are maps whose `k` is `v` (`[=v]`: scalar items equal to `v`)
//   `*`          every list item (targets only)
//   `-`          the last list item (lookups only)
//
// Two walkers, because kustomize has two with different rules:
//  - `lookupField` (a single value: replacement sources, var fieldrefs): `[k=v]` compares exactly
//    and takes the first match; `*` is an error.
//  - `matchFields` (every match: replacement targets): `[k=v]` is an unanchored regular
//    expression over the item's value, `*` fans out, and with `create` missing maps, list items
//    and the leaf are made on the way.

import { stringify } from 'yaml';
import { isObject, type JsonObject, type JsonValue } from '../resource';
import { compileGoRegexp, type GoRegexp } from '../goregexp';
import { resolvePlain } from '../goyaml';

/** A failure of the path walk; callers wrap its message the way kustomize does. */
/**
 * A text that does not fit the tag of the scalar it was written into. kustomize keeps such a node
 * and fails only when it writes the object out, so an object deleted before that builds.
 */
export class ScalarDecodeError extends Error {
  constructor(message: string, readonly text: string) {
    super(message);
    this.name = 'ScalarDecodeError';
  }
}

export class FieldPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldPathError';
  }
}

/** Splits a path at unescaped delimiters (`\` before a delimiter keeps it); a leading delimiter is ignored. */
function splitEscaped(path: string, delimiter = '.'): string[] {
  let parts = path.split(delimiter);
  if (parts.length > 1 && parts[0] === '') parts = parts.slice(1);
  const out: string[] = [];
  for (const p of parts) {
    const last = out.length - 1;
    if (last >= 0 && out[last]!.endsWith('\\')) out[last] = out[last]!.slice(0, -1) + delimiter + p;
    else out.push(p);
  }
  return out;
}

/** Splits a field path into segments, keeping bracketed segments whole (see the file comment). */
export function splitFieldPath(path: string): string[] {
  const split = splitEscaped(path, '.');
  const out: string[] = [];
  for (let i = 0; i < split.length; i++) {
    const elem = split[i]!;
    if (elem.startsWith('[') && !elem.endsWith(']')) {
      const group = [elem];
      while (i < split.length - 1) {
        i++;
        group.push(split[i]!);
        if (split[i]!.endsWith(']')) break;
      }
      const joined = group.join('.');
      out.push(joined.includes('=') ? joined : trimBrackets(joined));
    } else {
      out.push(elem);
    }
  }
  return out;
}

function trimBrackets(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s[a] === '[' || s[a] === ']')) a++;
  while (b > a && (s[b - 1] === '[' || s[b - 1] === ']')) b--;
  return s.slice(a, b);
}

/** Splits a var fieldref path: like splitFieldPath, and `ports[0]` also means `ports.0`. */
export function splitVarFieldPath(path: string): string[] {
  const out: string[] = [];
  for (const s of splitFieldPath(path)) {
    const m = s.endsWith(']') ? /^(.*)\[(\d+)\]$/s.exec(s) : null;
    if (!m) {
      out.push(s);
      continue;
    }
    if (m[1]) out.push(m[1]);
    out.push(m[2]!);
  }
  return out;
}

/** The dotted path used for field origins (`a.b[0].c`): the field-spec walker's, under the name replacements use. */
export { joinFieldPath as formatPath } from './fieldspec';

// ---------------------------------------------------------------------------------------------
// Scalars as YAML nodes see them: a tag and a text.

export type ScalarTag = 'str' | 'int' | 'float' | 'bool' | 'null';

/** The tag and text a JSON scalar had as a YAML node (undefined for maps and lists). */
export function scalarOf(v: JsonValue): { tag: ScalarTag; text: string } | undefined {
  if (typeof v === 'string') return { tag: 'str', text: v };
  if (typeof v === 'number') return { tag: Number.isInteger(v) ? 'int' : 'float', text: String(v) };
  if (typeof v === 'boolean') return { tag: 'bool', text: v ? 'true' : 'false' };
  if (v === null) return { tag: 'null', text: 'null' };
  return undefined;
}

/** What go-yaml v3 makes of an untagged plain scalar with this text (goyaml.resolvePlain), as a tag and a value. */
export function resolvePlainScalar(text: string): { tag: ScalarTag; value: JsonValue } {
  const r = resolvePlain(text, 3);
  const tag: ScalarTag = r.kind === 'timestamp' || r.kind === 'merge' ? 'str' : r.kind;
  return { tag, value: r.value };
}

/**
 * The JSON value of a YAML scalar node with this text and tag, as decoding it would give
 * (tag undefined: an untagged node, resolved from its text). A text that does not fit the tag is
 * the error kustomize reports when it writes the result out.
 */
export function decodeScalar(text: string, tag: ScalarTag | undefined): JsonValue {
  if (tag === 'str') return text;
  const r = resolvePlainScalar(text);
  if (tag === undefined || r.tag === tag) return r.value;
  if (tag === 'float' && r.tag === 'int') return r.value;
  throw new ScalarDecodeError(`map[string]interface {}(nil): yaml: cannot decode !!${r.tag} \`${text}\` as a !!${tag}`, text);
}

/** A value rendered as kyaml prints a node (block style, lists not indented under their key). */
function nodeString(v: JsonValue): string {
  return stringify(v, { indentSeq: false, lineWidth: 0 });
}

function kindName(v: JsonValue): string {
  return Array.isArray(v) ? 'SequenceNode' : isObject(v) ? 'MappingNode' : 'ScalarNode';
}

function wrongKind(expected: 'MappingNode' | 'SequenceNode', v: JsonValue): FieldPathError {
  return new FieldPathError(`wrong node kind: expected ${expected} but got ${kindName(v)}: node contents:\n${nodeString(v)}`);
}

/** The text kyaml compares in an exact `[k=v]` lookup: a scalar's value ('' for maps and lists). */
function exactText(v: JsonValue): string {
  return scalarOf(v)?.text ?? '';
}

function isListSelector(p: string): boolean {
  return p.startsWith('[') && p.endsWith(']');
}

/** `[k=v]` → [k, v]; `[=v]` → ['', v]. */
function splitListSelector(p: string): [string, string] {
  let elem = p.endsWith(']') ? p.slice(0, -1) : p;
  if (elem.startsWith('[')) elem = elem.slice(1);
  const i = elem.indexOf('=');
  if (i < 0) throw new FieldPathError('list path element must contain fieldName=fieldValue for element to match');
  return [elem.slice(0, i), elem.slice(i + 1)];
}

/** Go's strconv.Atoi, as kyaml uses it to tell an index from a key. */
function atoi(p: string): number | undefined {
  if (!/^[-+]?[0-9]+$/.test(p)) return undefined;
  const n = Number(p);
  return Number.isSafeInteger(n) ? n : undefined;
}

export interface LookupResult {
  value: JsonValue;
  /** Concrete path of the value: keys and list indexes. */
  path: (string | number)[];
}

/**
 * Finds the single value at `parts` (kyaml's PathGetter): undefined when some step is missing
 * (a null on the way counts as missing). Throws FieldPathError for a `*`, a negative index, a list
 * selector without `=`, or a step that meets the wrong kind of node (a key into a list or scalar, an
 * index or selector into a map or scalar).
 */
export function lookupField(root: JsonValue, parts: readonly string[]): LookupResult | undefined {
  const segs = parts.map((p) => p.trim()).filter((p) => p !== '');
  let cur: JsonValue = root;
  const path: (string | number)[] = [];
  for (const part of segs) {
    const n = atoi(part);
    if (n !== undefined || part === '-') {
      if (n !== undefined && n < 0) throw new FieldPathError(`array index ${n} cannot be negative`);
      if (cur === null) return undefined;
      if (!Array.isArray(cur)) throw wrongKind('SequenceNode', cur);
      const idx = n === undefined ? cur.length - 1 : n;
      if (idx < 0 || idx >= cur.length) return undefined;
      cur = cur[idx]!;
      path.push(idx);
    } else if (part === '*') {
      throw new FieldPathError('wildcard is not supported in PathGetter');
    } else if (isListSelector(part)) {
      const [key, want] = splitListSelector(part);
      if (cur === null) return undefined;
      if (!Array.isArray(cur)) throw wrongKind('SequenceNode', cur);
      let found = -1;
      for (let i = 0; i < cur.length && found < 0; i++) {
        const item: JsonValue = cur[i]!;
        if (key === '') {
          if (exactText(item) === want) found = i;
        } else if (isObject(item) && key in item && exactText(item[key]!) === want) {
          found = i;
        }
      }
      if (found < 0) return undefined;
      cur = cur[found]!;
      path.push(found);
    } else {
      if (cur === null) return undefined;
      if (!isObject(cur)) throw wrongKind('MappingNode', cur);
      if (!(part in cur)) return undefined;
      cur = cur[part]!;
      path.push(part);
    }
  }
  return { value: cur, path };
}

/** What a missing leaf is created as (the kind of the value about to be written there). */
export type CreateKind = 'scalar' | 'map' | 'seq';

/** A field found (or made) by matchFields: `holder[key]` is the field. */
export interface FieldMatch {
  holder: JsonObject | JsonValue[];
  key: string | number;
  path: (string | number)[];
  /** The leaf did not exist and was made by this walk (an untagged, empty node). */
  created: boolean;
}

function containerFor(next: string | undefined, leafKind: CreateKind): JsonValue {
  if (next === undefined) return leafKind === 'map' ? {} : leafKind === 'seq' ? [] : '';
  if (isListSelector(next)) return [];
  const n = atoi(next);
  if (n !== undefined && n >= 0) return [];
  return {};
}

/** The text a `[k=v]` target selector matches its expression against: the value as YAML, trimmed. */
function matchText(v: JsonValue): string {
  return nodeString(v).trim();
}

function compileRegexp(expr: string): GoRegexp {
  try {
    return compileGoRegexp(expr);
  } catch (e) {
    throw new FieldPathError((e as Error).message);
  }
}

/**
 * Every field `parts` reaches in `root` (kyaml's PathMatcher), creating what is missing when
 * `create` is given. Throws FieldPathError as kyaml does (wrong node kinds, an index past the end of
 * a list other than the append position, a bad list selector).
 */
export function matchFields(root: JsonObject, parts: readonly string[], create?: CreateKind): FieldMatch[] {
  const m = new PathMatcher(parts, create);
  const top = { r: root as JsonValue };
  m.walk(top as unknown as JsonObject, 'r', 0, [], false);
  return m.out;
}

type Holder = JsonObject | JsonValue[];

/** One matchFields run: `walk` follows parts[i] from holder[key], one kind of part per method. */
class PathMatcher {
  readonly out: FieldMatch[] = [];
  constructor(private readonly parts: readonly string[], private readonly create: CreateKind | undefined) {}

  walk(holder: Holder, key: string | number, i: number, path: (string | number)[], created: boolean): void {
    const node = (holder as Record<string | number, JsonValue>)[key] as JsonValue;
    if (i === this.parts.length) { this.out.push({ holder, key, path, created }); return; }
    const part = this.parts[i]!;
    const n = atoi(part);
    if (n !== undefined && n >= 0) this.index(node, n, i, path);
    else if (isListSelector(part)) this.select(node, part, i, path);
    else if (part === '*') {
      if (node === null) return;
      if (!Array.isArray(node)) throw wrongKind('SequenceNode', node);
      for (let j = 0; j < node.length; j++) this.walk(node, j, i + 1, [...path, j], false);
    } else this.key(node, part, i, path);
  }

  /** A null met on the way: kyaml "creates" into it without the result showing up in the object. */
  private detached(value: JsonValue): Holder {
    return [value];
  }

  /** parts[i] is a list index (the append position creates with `create`). */
  private index(node: JsonValue, n: number, i: number, path: (string | number)[]): void {
    const next = this.parts[i + 1];
    const items: JsonValue[] = node === null ? [] : Array.isArray(node) ? node : (() => { throw wrongKind('SequenceNode', node); })();
    let made = false;
    if (items.length === n && this.create) {
      const elem = containerFor(next, this.create);
      if (node === null) { this.walk(this.detached(elem), 0, i + 1, [...path, n], next === undefined); return; }
      items.push(elem);
      made = next === undefined;
    }
    if (items.length < n + 1) throw new FieldPathError(`index ${n} specified but only ${items.length} elements found`);
    this.walk(items, n, i + 1, [...path, n], made);
  }

  /** parts[i] is a list selector `[field=value]` (or `[=value]` for a list of scalars). */
  private select(node: JsonValue, part: string, i: number, path: (string | number)[]): void {
    const [field, expr] = splitListSelector(part);
    if (node !== null && !Array.isArray(node)) throw wrongKind('SequenceNode', node);
    // appending into a null: kyaml keeps the item in a node that never shows in the output
    const items: JsonValue[] = node === null ? [] : node;
    let re: GoRegexp | undefined;
    const visit = (createdAt: number): number => {
      let found = 0;
      for (let j = 0; j < items.length; j++) {
        const item = items[j]!;
        re ??= compileRegexp(expr);
        if (field === '') {
          if (!re.test(matchText(item))) continue;
          this.out.push({ holder: items, key: j, path: [...path, j], created: j === createdAt });
          found++;
        } else {
          if (!isObject(item) || !(field in item) || !re.test(matchText(item[field]!))) continue;
          const before = this.out.length;
          this.walk(items, j, i + 1, [...path, j], false);
          if (this.out.length > before) found++;
        }
      }
      return found;
    };
    if (visit(-1) > 0 || !this.create) return;
    const value = resolvePlainScalar(expr).value;
    items.push(field === '' ? value : { [field]: value });
    visit(items.length - 1);
  }

  /** parts[i] is a map key. */
  private key(node: JsonValue, part: string, i: number, path: (string | number)[]): void {
    const next = this.parts[i + 1];
    if (node === null) {
      if (!this.create) return;
      const d = { [part]: containerFor(next, this.create) };
      this.walk(d, part, i + 1, [...path, part], next === undefined);
      return;
    }
    if (!isObject(node)) throw wrongKind('MappingNode', node);
    let made = false;
    if (!(part in node)) {
      if (!this.create) return;
      node[part] = containerFor(next, this.create);
      made = next === undefined;
    }
    this.walk(node, part, i + 1, [...path, part], made);
  }
}
