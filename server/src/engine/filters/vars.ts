// kustomize's deprecated `vars:` (v5.5.0): `$(NAME)` in the fields the varReference field specs
// reach is replaced by a field of the resource the var's objref names.
//
// Lifecycle, as kustomize runs it:
//  1. At the end of each kustomization (after its transformers), `mergeVars` binds each of its vars
//     to the one resource its objref names among the resources accumulated so far (matched against
//     current and earlier ids; group, version and kind must be equal, so an objref without
//     apiVersion/version only names resources without a version), recording the var's name in the
//     resource's `refVarNames`. A var may name nothing yet: it then fails when resolved.
//     Var names must be new: a name declared again (in the same file or above a base that declared
//     it) is an error. Sibling bases merged into one kustomization must not share a var name either
//     (`mergeVarSets`).
//  2. Once, after the whole tree is built, `resolveVars` reads each var's value from the resource
//     bound to it and expands `$(NAME)` (`$$` escapes a `$`; unknown names stay as written).
//     A string that is exactly `$(NAME)` takes the value's type (`replicas: $(N)` becomes a number).

import { isObject, KustomizeError, type JsonValue, type Resource, type SourceRef } from '../resource';
import { formatGoNumber } from '../goyaml';
import type { FieldSpec } from '../k8s/transformer-config';
import { effectiveNamespace } from '../k8s/scope';
import { gvkOf, joinFieldPath, resIdString, splitFieldSpecPath, walkFieldSpec } from './fieldspec';
import { lookupField, splitVarFieldPath } from './fieldpath';

export interface VarObjRef {
  apiVersion?: string;
  group?: string;
  version?: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface VarDecl {
  name: string;
  objref: VarObjRef;
  fieldref: { fieldpath?: string };
  /** The kustomization entry that declares the var. */
  source: SourceRef;
}

const DEFAULT_VAR_FIELD_PATH = 'metadata.name';

/** The objref's group/version/kind: apiVersion, when given, overrides group and version. */
export function objrefGvk(o: VarObjRef): { group: string; version: string; kind: string } {
  let group = o.group ?? '';
  let version = o.version ?? '';
  if (o.apiVersion) {
    const parts = o.apiVersion.split('/');
    if (parts.length === 2) { group = parts[0]!; version = parts[1]!; } else if (parts.length === 1) version = parts[0]!;
  }
  return { group, version, kind: o.kind ?? '' };
}

function gvkString(g: { group: string; version: string; kind: string }): string {
  return `${g.kind || '[noKind]'}.${g.version || '[noVer]'}.${g.group || '[noGrp]'}`;
}

/**
 * A var as kustomize prints it (Go's %v of its struct): `{NAME Kind.version.group {fieldpath}}`.
 * `resolved`: after kustomize read apiVersion into the gvk; `defaulted`: fieldpath defaulted too.
 */
export function formatVar(v: VarDecl, mode: 'raw' | 'resolved' | 'defaulted' = 'defaulted'): string {
  const g = mode === 'raw' ? { group: v.objref.group ?? '', version: v.objref.version ?? '', kind: v.objref.kind ?? '' } : objrefGvk(v.objref);
  const fp = mode === 'defaulted' ? (v.fieldref.fieldpath || DEFAULT_VAR_FIELD_PATH) : (v.fieldref.fieldpath ?? '');
  return `{${v.name} ${gvkString(g)} {${fp}}}`;
}

function formatVarList(vars: readonly VarDecl[]): string {
  return `[${vars.map((v) => formatVar(v, 'raw')).join(' ')}]`;
}

interface Id { group: string; version: string; kind: string; name: string; namespace: string }

/** A resource's earlier ids and its current one (earlier ids keep the current group and version). */
function idsOf(r: Resource): Id[] {
  const g = gvkOf(r);
  const prev = r.previousIds.map((p) => ({ group: g.group, version: g.version, kind: p.kind, name: p.name, namespace: p.namespace }));
  return [...prev, { ...g, name: r.name, namespace: r.namespace }];
}

/** Does the objref name this id? Exact gvk and name; the namespace only when the objref gives one. */
function objrefMatches(v: VarDecl, id: Id): boolean {
  const g = objrefGvk(v.objref);
  if (g.group !== id.group || g.version !== id.version || g.kind !== id.kind || (v.objref.name ?? '') !== id.name) return false;
  const ns = v.objref.namespace ?? '';
  if (ns === '') return true;
  // the objref side knows nothing of cluster scope: '' and 'default' are the default namespace
  const want = ns === 'default' ? 'default' : ns;
  return want === effectiveNamespace({ group: id.group, version: id.version, kind: id.kind }, id.namespace);
}

/**
 * One kustomization's vars joining those accumulated from its bases (kustomize's MergeVars):
 * binds each incoming var to the resource its objref names (appending to `refVarNames`), then
 * returns the accumulated list with the incoming vars added. Throws KustomizeError when an objref
 * names more than one resource, or a name is already taken.
 */
export function mergeVars(accumulated: readonly VarDecl[], incoming: readonly VarDecl[], resources: readonly Resource[]): VarDecl[] {
  for (const v of incoming) {
    const matched = resources.filter((r) => idsOf(r).some((id) => objrefMatches(v, id)));
    if (matched.length > 1) {
      throw new KustomizeError(
        `merging vars ${formatVarList(incoming)}: found ${matched.length} resId matches for var ${formatVar(v, 'resolved')} (unable to disambiguate)`,
        v.source,
      );
    }
    if (matched.length === 1) matched[0]!.refVarNames.push(v.name);
  }
  const out = [...accumulated];
  for (const v of incoming) {
    if (out.some((x) => x.name === v.name)) {
      throw new KustomizeError(`merging vars ${formatVarList(incoming)}: var '${v.name}' already encountered`, v.source);
    }
    out.push(v);
  }
  return out;
}

/** The vars of a base joining those of the kustomization that lists it: any shared name is an error. */
export function mergeVarSets(into: readonly VarDecl[], other: readonly VarDecl[]): VarDecl[] {
  const out = [...into];
  for (const v of other) {
    if (out.some((x) => x.name === v.name)) throw new KustomizeError(`var '${v.name}' already encountered`, v.source);
    out.push(v);
  }
  return out;
}

/** The names declared more than once across these lists, in the order they were met (for diagnostics). */
export function collectVarErrors(...lists: (readonly VarDecl[])[]): KustomizeError[] {
  const seen = new Set<string>();
  const errors: KustomizeError[] = [];
  for (const list of lists) {
    for (const v of list) {
      if (seen.has(v.name)) errors.push(new KustomizeError(`var '${v.name}' already encountered`, v.source));
      seen.add(v.name);
    }
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Resolution.

type Primitive = string | number | boolean;

function isPrimitive(v: JsonValue): v is Primitive {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** The value kyaml reads for a var: scalars typed as their YAML tags, maps and lists as they are. */
function varValue(v: VarDecl, r: Resource): JsonValue {
  const fp = v.fieldref.fieldpath || DEFAULT_VAR_FIELD_PATH;
  const notFound = (): never => {
    throw new KustomizeError(`field specified in var '${formatVar(v)}' not found in corresponding resource`, v.source);
  };
  let hit;
  try {
    hit = lookupField(r.obj, splitVarFieldPath(fp));
  } catch {
    return notFound();
  }
  if (!hit) return notFound();
  // a null scalar has no type kyaml converts: it hands back the text
  return hit.value === null ? 'null' : hit.value;
}

/** Go's %v of a var value inside a longer string. */
function formatValue(v: Primitive): string {
  return String(v);
}

/**
 * Expands `$(NAME)` in `input` (kustomize's DoReplacements): `$$` is a literal `$`, `$(` without
 * `)` and `$` before anything else stay as written, and names that `lookup` does not know stay
 * `$(NAME)`. An input that is exactly `$(NAME)` returns the value itself (number, boolean, string).
 */
export function expandVars(input: string, lookup: (name: string) => Primitive | undefined): JsonValue {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const next = input[cursor + 1]!;
    let advance = 1;
    if (next === '$') {
      out += '$';
    } else if (next === '(') {
      const close = input.indexOf(')', cursor + 2);
      if (close < 0) {
        out += '$(';
      } else {
        const name = input.slice(cursor + 2, close);
        const value = lookup(name);
        if (input === `$(${name})`) return value === undefined ? input : value;
        out += value === undefined ? `$(${name})` : formatValue(value);
        advance = close - cursor;
      }
    } else {
      out += '$' + next;
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

/**
 * Resolves the vars (kustomize's ResolveVars, run once after the whole build): reads each var's
 * value from the resource bound to it by mergeVars (the first resource whose `refVarNames` has the
 * name), then expands `$(NAME)` in every field the varReference specs reach: strings, the string
 * values of a map, and the items of a list (which must all be strings). Changed fields get an origin
 * `by: 'vars'` pointing at the var's declaration. Returns the names never used (sorted); kustomize
 * logs them. Throws KustomizeError when a var names no resource or its field is missing.
 */
export function resolveVars(resources: Resource[], vars: VarDecl[], varReference: FieldSpec[]): { unused: string[] } {
  const values: VarValues = new Map();
  for (const v of [...vars].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const r = resources.find((x) => x.refVarNames.includes(v.name));
    if (!r) throw new KustomizeError(`var '${formatVar(v)}' cannot be mapped to a field in the set of known resources`, v.source);
    values.set(v.name, { value: varValue(v, r), decl: v });
  }
  if (values.size === 0) return { unused: [] };
  const used = new Set<string>();
  for (const r of resources) for (const fs of varReference) expandAt(r, fs, values, used);
  return { unused: [...values.keys()].filter((n) => !used.has(n)).sort() };
}

type VarValues = Map<string, { value: JsonValue; decl: VarDecl }>;

/** Expands the `$(VAR)` references in the fields one field spec selects in one resource. */
function expandAt(r: Resource, fs: FieldSpec, values: VarValues, used: Set<string>): void {
  const usedHere = new Set<VarDecl>();
  const lookup = (name: string): Primitive | undefined => {
    const e = values.get(name);
    if (!e || !isPrimitive(e.value)) return undefined;
    used.add(name);
    usedHere.add(e.decl);
    return e.value;
  };
  const expand = (s: string, path: string): JsonValue => {
    usedHere.clear();
    const next = expandVars(s, lookup);
    if (next !== s) for (const d of usedHere) r.recordChange(path, { by: 'vars', source: d.source, value: next });
    return next;
  };
  // An untagged scalar counts as a string to kustomize's var filter, which writes it back tagged
  // as one: a number a replacement created becomes text.
  const text = (v: JsonValue, p: string): JsonValue => {
    if (v === null || typeof v === 'object' || typeof v === 'string' || !r.untagged.has(p)) return v;
    r.untagged.delete(p);
    return typeof v === 'number' ? formatGoNumber(v) : String(v);
  };
  walkFieldSpec(r, fs, ({ value: raw, path }) => {
    const value = text(raw, path);
    if (typeof value === 'string') {
      const next = expand(value, path);
      return next === raw ? undefined : next;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item = value[i]!;
        if (typeof item !== 'string') {
          throw new KustomizeError(`considering field '${fs.path}' of object ${resIdString(r)}: ${traversalPrefix(fs.path, path)}invalid value type expect a string`, resSource(r));
        }
        value[i] = expand(item, joinFieldPath([path, i]));
      }
      return undefined;
    }
    if (isObject(value)) {
      for (const k of Object.keys(value)) {
        const item = text(value[k]!, `${path}.${k}`);
        if (typeof item === 'string') value[k] = expand(item, `${path}.${k}`);
      }
    }
    return undefined;
  });
}

/**
 * kustomize's field spec walk prefixes an error with the rest of the spec path at every list it
 * went through: `visit traversal on path: [args]: `. `concrete` is the hit's dotted path.
 */
function traversalPrefix(specPath: string, concrete: string): string {
  const segs = splitFieldSpecPath(specPath);
  let pos = 0;
  let out = '';
  for (let k = 0; k < segs.length; k++) {
    const key = segs[k]!.endsWith('[]') ? segs[k]!.slice(0, -2) : segs[k]!;
    if (pos > 0 && concrete[pos] === '.') pos++;
    if (!concrete.startsWith(key, pos)) break;
    pos += key.length;
    while (concrete[pos] === '[') {
      const end = concrete.indexOf(']', pos);
      if (end < 0) break;
      pos = end + 1;
      out += `visit traversal on path: [${segs.slice(k + 1).join(' ')}]: `;
    }
  }
  return out;
}

function resSource(r: Resource): SourceRef {
  return r.origin.source;
}
