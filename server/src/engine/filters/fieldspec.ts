// Walking a resource along a field spec, the way kustomize's transformers find the fields they set.
//
// Path syntax (kustomize's): segments separated by `/`, a leading `/` ignored, `\/` keeps a slash
// inside a key (`metadata/annotations/example.com\/key`). A segment may end in `[]` to say the
// field is a list; lists are traversed whether or not the `[]` is written: when the walk meets a
// list, it applies the rest of the path to every item.
//
// Creation: only when the spec says `create: true` AND the caller says what kind of node the leaf
// is (`createKind`); missing intermediate fields become maps. A segment marked `[]` is never
// created. A null found on the way is turned into what would have been created (and a null at a
// `[]` segment into an empty list), as kyaml does.

import { isObject, KustomizeError, type Gvk, type JsonObject, type JsonValue, type Resource } from '../resource';
import type { FieldSpec } from '../k8s/transformer-config';
import { formatOriginPath as joinFieldPath } from '../origin-path';

interface FieldHit {
  /** The current value of the field (for a field just created: '' for scalars, {} for maps). */
  value: JsonValue;
  /** The concrete dotted path of the field, e.g. `spec.template.spec.containers[0].image`. */
  path: string;
  /** The same path as keys and list indexes. */
  parts: readonly (string | number)[];
  /** The field did not exist (or was null) and the walk created it. */
  created: boolean;
}

/**
 * Called for each field the spec reaches. Return a value to store it in place of the field,
 * or undefined to leave the field as it is.
 */
export type FieldVisitor = (hit: FieldHit) => JsonValue | undefined;

export interface WalkOptions {
  /** What the leaf is when it must be created; without it nothing is created even for `create: true`. */
  createKind?: 'scalar' | 'map';
}

/** Splits a field spec path into keys: `/` separates, `\/` is a literal slash, a leading `/` is dropped. */
export function splitFieldSpecPath(path: string): string[] {
  let parts = path.split('/');
  if (parts.length > 1 && parts[0] === '') parts = parts.slice(1);
  const out: string[] = [];
  for (const p of parts) {
    const last = out.length - 1;
    if (last >= 0 && out[last]!.endsWith('\\')) out[last] = out[last]!.slice(0, -1) + '/' + p;
    else out.push(p);
  }
  return out;
}

/** Joins keys and list indexes into the origin path (origin-path.ts holds the grammar). */
export { joinFieldPath };

/** The gvk of a resource as kustomize's field spec filter reads it (first `/` of apiVersion). */
export function gvkOf(res: Resource): Gvk {
  return res.gvk;
}

/** True when the group/version/kind given by `selector` (empty = any) match `gvk`. */
export function gvkMatches(gvk: { group?: string; version?: string; kind?: string }, selector: { group?: string; version?: string; kind?: string }): boolean {
  if (selector.group && selector.group !== (gvk.group ?? '')) return false;
  if (selector.version && selector.version !== (gvk.version ?? '')) return false;
  if (selector.kind && selector.kind !== (gvk.kind ?? '')) return false;
  return true;
}

/** True when the field spec applies to the resource (by its current apiVersion and kind). */
function fieldSpecMatches(fs: FieldSpec, res: Resource): boolean {
  return gvkMatches(gvkOf(res), fs);
}

/** A resource's id as kustomize prints it in field spec errors: `Kind.version.group/name.namespace`. */
export function resIdString(res: Resource): string {
  const g = gvkOf(res);
  return `${g.kind || '[noKind]'}.${g.version || '[noVer]'}.${g.group || '[noGrp]'}/${res.name || '[noName]'}.${res.namespace || '[noNs]'}`;
}

/**
 * Applies `visit` to every field of `res` that `fs` reaches (nothing when the spec's
 * group/version/kind do not match the resource). Throws KustomizeError where kustomize fails:
 * an empty key in the path, or a path that runs into a scalar.
 */
export function walkFieldSpec(res: Resource, fs: FieldSpec, visit: FieldVisitor, opts: WalkOptions = {}): void {
  if (!fieldSpecMatches(fs, res)) return;
  const segs = splitFieldSpecPath(fs.path);
  const fail = (msg: string): never => {
    throw new KustomizeError(`considering field '${fs.path}' of object ${resIdString(res)}: ${msg}`);
  };
  const canCreate = !!fs.create && opts.createKind !== undefined;

  // `holder[key]` is the node being walked; `i` the index of the next path segment to apply to it.
  const walk = (holder: JsonObject | JsonValue[], key: string | number, i: number, path: (string | number)[], created: boolean): void => {
    const node = (holder as Record<string | number, JsonValue>)[key] as JsonValue;
    if (i === segs.length) {
      const next = visit({ value: node, path: joinFieldPath(path), parts: path, created });
      if (next !== undefined) (holder as Record<string | number, JsonValue>)[key] = next;
      return;
    }
    if (node === null || node === undefined) return;
    if (Array.isArray(node)) {
      for (let j = 0; j < node.length; j++) walk(node, j, i, [...path, j], false);
      return;
    }
    if (!isObject(node)) return fail('expected sequence or mapping node');
    const seg = segs[i]!;
    const isSeq = seg.endsWith('[]');
    const name = isSeq ? seg.slice(0, -2) : seg;
    if (name === '') return fail('cannot set or create an empty field name');
    const leaf = i === segs.length - 1;
    let made = false;
    if (!(name in node)) {
      if (!canCreate || isSeq) return;
      node[name] = leaf ? (opts.createKind === 'map' ? {} : '') : {};
      made = true;
    } else if (node[name] === null) {
      if (isSeq) node[name] = [];
      else if (canCreate) {
        node[name] = leaf ? (opts.createKind === 'map' ? {} : '') : {};
        made = true;
      }
    }
    walk(node, name, i + 1, [...path, name], made);
  };

  const root: { r: JsonValue } = { r: res.obj };
  walk(root as unknown as JsonObject, 'r', 0, [], false);
  if (root.r !== res.obj && isObject(root.r)) res.obj = root.r;
}

/** walkFieldSpec for each spec in order. */
export function walkFieldSpecs(res: Resource, fss: readonly FieldSpec[], visit: FieldVisitor, opts: WalkOptions = {}): void {
  for (const fs of fss) walkFieldSpec(res, fs, visit, opts);
}

/** The text of a scalar as YAML would show it (null as ''); undefined for maps and lists. */
export function scalarText(v: JsonValue | undefined): string | undefined {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** kyaml's wording when a setter meets a map or a list where it expects a scalar. */
export function notScalarMessage(v: JsonValue | undefined): string {
  return `wrong node kind: expected ScalarNode but got ${Array.isArray(v) ? 'SequenceNode' : 'MappingNode'}`;
}
