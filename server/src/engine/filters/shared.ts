// Shared scalars: fields of one resource that hold the same YAML node in kustomize.
//
// kustomize's label and annotation transformers (commonLabels, each `labels:` entry,
// commonAnnotations, and the LabelTransformer / AnnotationsTransformer plugins) make, for each
// resource and each key, a single value node, and hand it to every field their field specs reach.
// A map that lacks the key gets that very node; a map that already has the key keeps its own node,
// whose content is overwritten in place. So one run can leave several maps holding one node: e.g.
// commonLabels puts one `env` node into metadata.labels, the selector and the pod template labels,
// and a `labels:` entry with `fields:` puts one node into metadata.labels and its extra fields.
//
// Every later write that overwrites a node in place then shows in all the maps that hold it:
// another labels or annotations run reaching any of them (a later `labels:` entry that only writes
// metadata.labels also changes the first entry's `fields`), a strategic-merge patch changing one of
// them, a replacement targeting one. Nothing else is shared: a field that held no value gets a
// node of its own, a JSON 6902 patch rebuilds the object from its JSON (nothing is shared after
// it), and a generator's merge or replace builds a new object.
//
// A Resource keeps the groups as lists of places (`Resource.sharedScalars`); a place stays in its
// group while it holds a scalar, and leaves it when it is created anew.

import { deepClone, isObject, type FieldChange, type JsonValue, type Resource } from '../resource';
import { joinFieldPath } from './fieldspec';

/** Keys and list indexes from the object's root to a scalar. */
export type Place = readonly (string | number)[];

const own = (o: object, k: string | number) => Object.prototype.hasOwnProperty.call(o, k);

/** The value at a place (undefined when a step of the way is missing). */
function valueAt(obj: JsonValue | undefined, place: Place): JsonValue | undefined {
  let cur: JsonValue | undefined = obj;
  for (const p of place) {
    if (typeof p === 'number') {
      if (!Array.isArray(cur) || p >= cur.length) return undefined;
      cur = cur[p];
    } else {
      if (!isObject(cur) || !own(cur, p)) return undefined;
      cur = cur[p];
    }
  }
  return cur;
}

function isScalar(v: JsonValue | undefined): boolean {
  return v !== undefined && !Array.isArray(v) && !isObject(v);
}

/** Sets the scalar at a place that holds one; false when it holds none. */
function setAt(obj: JsonValue, place: Place, value: JsonValue): boolean {
  if (place.length === 0 || !isScalar(valueAt(obj, place))) return false;
  const holder = valueAt(obj, place.slice(0, -1)) as Record<string | number, JsonValue>;
  holder[place[place.length - 1]!] = isScalar(value) ? value : deepClone(value);
  return true;
}

function samePlace(a: Place, b: Place): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Drops the places that no longer hold a scalar, and groups left with fewer than two places. */
function prune(res: Resource): void {
  const groups = res.sharedScalars;
  for (let i = groups.length - 1; i >= 0; i--) {
    const live = groups[i]!.filter((p) => isScalar(valueAt(res.obj, p)));
    if (live.length > 1) groups[i] = live;
    else groups.splice(i, 1);
  }
}

/**
 * One setter run (one resource, one key) added the key at these places: they now hold one node,
 * and none of them still belongs to a group it was in before (its old node was gone).
 */
export function shareAddedPlaces(res: Resource, places: readonly Place[]): void {
  if (places.length === 0 || (places.length < 2 && res.sharedScalars.length === 0)) return;
  for (const g of res.sharedScalars) {
    for (let j = g.length - 1; j >= 0; j--) if (places.some((p) => samePlace(p, g[j]!))) g.splice(j, 1);
  }
  if (places.length > 1) res.sharedScalars.push(places.map((p) => [...p]));
  prune(res);
}

/**
 * The scalar at `place` was overwritten in place with `value`: the other places holding the same
 * node get it too (and, when given, the same field change in their origins).
 */
export function writeThrough(res: Resource, place: Place, value: JsonValue, change?: FieldChange): void {
  if (res.sharedScalars.length === 0) return;
  const group = res.sharedScalars.find((g) => g.some((p) => samePlace(p, place)));
  if (!group) return;
  for (const p of group) {
    if (samePlace(p, place)) continue;
    if (setAt(res.obj, p, value) && change) res.recordChange(joinFieldPath(p), change);
  }
}

/** The object was rebuilt (a JSON 6902 patch): nothing in it is shared any more. */
export function unshareAll(res: Resource): void {
  res.sharedScalars.length = 0;
}

/**
 * After a step that overwrote scalars in place (a strategic-merge patch) and left the object as it
 * was before at every other place: a place of a group whose value changed passes it to the rest of
 * its group, with its latest origin. `before` is the object before the step.
 */
export function writeThroughChanges(res: Resource, before: JsonValue): void {
  if (res.sharedScalars.length === 0) return;
  // A place that held nothing before the step is a new node now, whatever it holds.
  for (const g of res.sharedScalars) {
    for (let j = g.length - 1; j >= 0; j--) if (!isScalar(valueAt(before, g[j]!))) g.splice(j, 1);
  }
  const writes: [Place, JsonValue][] = [];
  for (const g of res.sharedScalars) {
    let changed: Place | undefined;
    for (const p of g) {
      const was = valueAt(before, p), now = valueAt(res.obj, p);
      if (isScalar(was) && isScalar(now) && was !== now) changed = p;
    }
    if (changed) writes.push([changed, valueAt(res.obj, changed)!]);
  }
  prune(res);
  for (const [p, v] of writes) {
    const changes = res.fieldOrigins.get(joinFieldPath(p));
    writeThrough(res, p, v, changes?.[changes.length - 1]);
  }
}
