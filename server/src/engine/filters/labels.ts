// Labels (kustomize v5.5 LabelTransformer with api/filters/labels), for both `commonLabels:` and
// the entries of `labels:`.
//
// Each key (in sorted order) is set, as a string, in the map at every field spec that matches the
// resource; field specs with `create: true` create the map (and the maps on the way) when missing.
// Which field specs:
//  - commonLabels: `config.commonLabels` (metadata labels, pod template labels and selectors);
//  - a `labels:` entry: see labelEntryFieldSpecs.
// kustomize runs one transformer per `labels:` entry, in order, then one for commonLabels.
// The maps one run adds a key to share its value from then on (kyaml gives them one node): a later
// run, patch or replacement that overwrites the key in one of them changes all (see ./shared).
// Label values must be strings: kustomize rejects numbers and booleans when it reads the
// kustomization (quote them), see checkStringMap.

import { goJsonType, isObject, KustomizeError, type JsonObject, type JsonValue, type Resource, type SourceRef } from '../resource';
import { mergeFieldSpecList, type FieldSpec, type TransformerConfig } from '../k8s/transformer-config';
import { walkFieldSpecs } from './fieldspec';
import { shareAddedPlaces, writeThrough, type Place } from './shared';

export interface MapEntryOptions {
  /** Which fields receive the entries. */
  fieldSpecs: readonly FieldSpec[];
  source: SourceRef;
  /** Recorded as FieldChange.by; 'labels' / 'commonAnnotations' unless given. */
  by?: string;
}

/** Sets `entries` into the maps the field specs reach. Shared by labels and annotations. */
export function setMapEntries(resources: Resource[], entries: Readonly<Record<string, string>>, opts: MapEntryOptions & { by: string }): void {
  const keys = Object.keys(entries).sort();
  if (keys.length === 0) return;
  for (const res of resources) {
    for (const k of keys) {
      const value = entries[k] ?? '';
      const change = { by: opts.by, source: opts.source, value };
      // The maps that get the key now share one value; a map that had it keeps its own, now
      // overwritten, and so are the fields that shared it (see ./shared).
      const added: Place[] = [];
      walkFieldSpecs(res, opts.fieldSpecs, (hit) => {
        let map: JsonObject;
        if (isObject(hit.value)) map = hit.value;
        else if (hit.value === null) map = {};
        else {
          throw new KustomizeError(
            `cannot set ${opts.by} key "${k}" at ${hit.path} of ${res.kind} ${res.name}: the field is not a map`,
            opts.source,
          );
        }
        const had = Object.prototype.hasOwnProperty.call(map, k);
        map[k] = value;
        res.recordChange(hit.path === '' ? k : `${hit.path}.${k}`, change);
        const place = [...hit.parts, k];
        if (!had) added.push(place);
        else if (!added.some((p) => p.length === place.length && p.every((x, i) => x === place[i]))) writeThrough(res, place, value, change);
        return map === hit.value ? undefined : map;
      }, { createKind: 'map' });
      shareAddedPlaces(res, added);
    }
  }
}

/** Applies labels along the given field specs (`config.commonLabels` for commonLabels). */
export function applyLabels(resources: Resource[], labels: Readonly<Record<string, string>>, opts: MapEntryOptions): void {
  setMapEntries(resources, labels, { ...opts, by: opts.by ?? 'labels' });
}

/** One entry of a kustomization's `labels:` list. */
export interface LabelEntry {
  pairs: Record<string, string>;
  includeSelectors?: boolean;
  includeTemplates?: boolean;
  /** Extra field specs (`fields:`). */
  fields?: FieldSpec[];
}

/**
 * The field specs a `labels:` entry writes, built as kustomize v5.5 builds them: the entry's own
 * `fields`, plus `config.labels`, plus either all of `config.commonLabels` (includeSelectors) or
 * `config.templateLabels` (includeTemplates) and metadata/labels. includeTemplates is ignored when
 * includeSelectors is set. Throws when the lists disagree on `create` for the same field.
 */
export function labelEntryFieldSpecs(entry: Omit<LabelEntry, 'pairs'>, config: TransformerConfig, source?: SourceRef): FieldSpec[] {
  try {
    let fss = mergeFieldSpecList([], entry.fields ?? []);
    fss = mergeFieldSpecList(fss, config.labels);
    if (entry.includeSelectors) return mergeFieldSpecList(fss, config.commonLabels);
    if (entry.includeTemplates) fss = mergeFieldSpecList(fss, config.templateLabels);
    return mergeFieldSpecList(fss, [{ path: 'metadata/labels', create: true }]);
  } catch (e) {
    if (e instanceof KustomizeError) throw new KustomizeError(`failed to merge labels: ${e.message}`, source);
    throw e;
  }
}

/**
 * Reads a map of string values the way kustomize does (labels, annotations): numbers and booleans
 * are errors, null becomes "". `goField` names the field in the message, e.g. 'Kustomization.commonLabels'.
 */
export function checkStringMap(v: JsonValue | undefined, goField: string, source?: SourceRef): Record<string, string> {
  const out: Record<string, string> = {};
  if (v === undefined || v === null) return out;
  if (!isObject(v)) throw new KustomizeError(`json: cannot unmarshal ${goJsonType(v)} into Go struct field ${goField} of type map[string]string`, source);
  for (const [k, x] of Object.entries(v)) {
    if (x === null) out[k] = '';
    else if (typeof x === 'string') out[k] = x;
    else throw new KustomizeError(`json: cannot unmarshal ${goJsonType(x)} into Go struct field ${goField} of type string`, source);
  }
  return out;
}
