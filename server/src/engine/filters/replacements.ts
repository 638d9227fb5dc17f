// kustomize's `replacements:` (v5.5.0): copy one field of one resource (the source) into fields of
// the resources a target selects, in the order the replacements are written.
//
// Selection is by exact group/version/kind/name/namespace (no regular expressions in this version),
// against a resource's current id and the ids it had before renames; an empty namespace and
// `default` are the same namespace. Target selectors can also filter by label and annotation
// selectors, and `reject` removes resources again.
//
// Values keep the types of the fields they land in, as kustomize does on its YAML nodes: writing
// into an existing scalar keeps that scalar's type (the text "3" into `replicas: 1` gives 3; text
// that cannot have that type is an error), a newly created scalar takes the type its text reads as,
// and a map or list target is replaced by the source value itself.

import { goJsonType, deepClone, isObject, KustomizeError, type JsonObject, type JsonValue, type Resource, type SourceRef } from '../resource';
import { parseLabelSelector } from '../selector';
import {
  decodeScalar, FieldPathError, formatPath, lookupField, matchFields, ScalarDecodeError, scalarOf, splitFieldPath,
  type CreateKind, type FieldMatch, type ScalarTag,
} from './fieldpath';
import { gvkOf } from './fieldspec';
import { writeThrough } from './shared';

const DEFAULT_REPLACEMENT_FIELD_PATH = 'metadata.name';

/** An id selector as kustomize reads it (resid.ResId inline: no apiVersion). */
interface IdSelector { group: string; version: string; kind: string; name: string; namespace: string }

interface FieldOptions { delimiter: string; index: number; encoding: string; create: boolean }

interface SourceSelector extends IdSelector { fieldPath: string; options?: FieldOptions }

interface TargetSelectorSpec extends IdSelector { annotationSelector: string; labelSelector: string }

interface TargetSelector { select?: TargetSelectorSpec; reject: TargetSelectorSpec[]; fieldPaths: string[]; options?: FieldOptions }

interface Replacement { source?: SourceSelector; targets?: TargetSelector[] }

// ---------------------------------------------------------------------------------------------
// Reading the replacement objects with the errors Go's JSON decoder gives.

/** Go's type name, with the literal after `number` as its decoder writes it for numbers (`number 7`). */
function jsonTypeName(v: JsonValue): string {
  return typeof v === 'number' ? `number ${v}` : goJsonType(v);
}

class Decoder {
  constructor(private readonly source: SourceRef) {}

  fail(v: JsonValue, struct: string, path: string[], goType: string): never {
    const what = typeof v === 'number' ? 'number' : jsonTypeName(v);
    throw new KustomizeError(`json: cannot unmarshal ${what} into Go struct field ${struct}.${path.join('.')} of type ${goType}`, this.source);
  }

  str(obj: JsonObject, key: string, struct: string, path: string[]): string {
    const v = obj[key];
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') this.fail(v, struct, [...path, key], 'string');
    return v;
  }

  ids(obj: JsonObject, struct: string, path: string[]): IdSelector {
    return {
      group: this.str(obj, 'group', struct, path),
      version: this.str(obj, 'version', struct, path),
      kind: this.str(obj, 'kind', struct, path),
      name: this.str(obj, 'name', struct, path),
      namespace: this.str(obj, 'namespace', struct, path),
    };
  }

  options(v: JsonValue | undefined, struct: string, path: string[]): FieldOptions | undefined {
    if (v === undefined || v === null) return undefined;
    if (!isObject(v)) this.fail(v, struct, path, 'types.FieldOptions');
    const idx = v.index;
    let index = 0;
    if (idx !== undefined && idx !== null) {
      if (typeof idx !== 'number') this.fail(idx, 'FieldOptions', [...path, 'index'], 'int');
      if (!Number.isInteger(idx)) {
        throw new KustomizeError(`json: cannot unmarshal number ${idx} into Go struct field FieldOptions.${[...path, 'index'].join('.')} of type int`, this.source);
      }
      index = idx;
    }
    const create = v.create;
    if (create !== undefined && create !== null && typeof create !== 'boolean') this.fail(create, 'FieldOptions', [...path, 'create'], 'bool');
    return {
      delimiter: this.str(v, 'delimiter', 'FieldOptions', path),
      index,
      encoding: this.str(v, 'encoding', 'FieldOptions', path),
      create: create === true,
    };
  }

  selector(v: JsonValue, path: string[]): TargetSelectorSpec {
    if (!isObject(v)) this.fail(v, 'TargetSelector', path, 'types.Selector');
    return {
      ...this.ids(v, 'Selector', path),
      annotationSelector: this.str(v, 'annotationSelector', 'Selector', path),
      labelSelector: this.str(v, 'labelSelector', 'Selector', path),
    };
  }

  replacement(v: unknown): Replacement {
    if (!isObject(v as JsonValue)) {
      throw new KustomizeError(`json: cannot unmarshal ${jsonTypeName(v as JsonValue).split(' ')[0]} into Go value of type types.Replacement`, this.source);
    }
    const obj = v as JsonObject;
    const out: Replacement = {};
    const src = obj.source;
    if (src !== undefined && src !== null) {
      if (!isObject(src)) this.fail(src, 'Replacement', ['source'], 'types.SourceSelector');
      out.source = {
        ...this.ids(src, 'SourceSelector', ['source']),
        fieldPath: this.str(src, 'fieldPath', 'SourceSelector', ['source']),
        options: this.options(src.options, 'SourceSelector', ['source', 'options']),
      };
    }
    const tg = obj.targets;
    if (tg !== undefined && tg !== null) {
      if (!Array.isArray(tg)) this.fail(tg, 'Replacement', ['targets'], '[]*types.TargetSelector');
      out.targets = tg.map((t) => {
        if (t === null) return { reject: [], fieldPaths: [] };
        if (!isObject(t)) this.fail(t, 'Replacement', ['targets'], 'types.TargetSelector');
        const path = ['targets'];
        const sel: TargetSelector = { reject: [], fieldPaths: [] };
        if (t.select !== undefined && t.select !== null) sel.select = this.selector(t.select, [...path, 'select']);
        const rej = t.reject;
        if (rej !== undefined && rej !== null) {
          if (!Array.isArray(rej)) this.fail(rej, 'TargetSelector', [...path, 'reject'], '[]*types.Selector');
          for (const r of rej) if (r !== null) sel.reject.push(this.selector(r, [...path, 'reject']));
        }
        const fps = t.fieldPaths;
        if (fps !== undefined && fps !== null) {
          if (!Array.isArray(fps)) this.fail(fps, 'TargetSelector', [...path, 'fieldPaths'], '[]string');
          for (const fp of fps) {
            if (fp !== null && typeof fp !== 'string') this.fail(fp, 'TargetSelector', [...path, 'fieldPaths'], 'string');
            sel.fieldPaths.push(fp ?? '');
          }
        }
        sel.options = this.options(t.options, 'TargetSelector', [...path, 'options']);
        return sel;
      });
    }
    return out;
  }
}

/** Reads one replacement object (already loaded from the kustomization or a `path:` file). */
function parseReplacement(v: unknown, source: SourceRef): Replacement {
  return new Decoder(source).replacement(v);
}

// ---------------------------------------------------------------------------------------------
// Printing selectors the way kustomize's errors do.

function idSelectorString(s: IdSelector): string {
  return `${s.kind || '[noKind]'}.${s.version || '[noVer]'}.${s.group || '[noGrp]'}/${s.name || '[noName]'}.${s.namespace || '[noNs]'}`;
}

function optionsString(o: FieldOptions | undefined): string {
  if (!o || (o.delimiter === '' && !o.create)) return '';
  return `${o.delimiter}(${o.index}), create=${o.create}`;
}

function sourceSelectorString(s: SourceSelector): string {
  const parts = [idSelectorString(s)];
  if (s.fieldPath !== '') parts.push(s.fieldPath);
  const o = optionsString(s.options);
  if (o !== '') parts.push(o);
  return parts.join(':');
}

// ---------------------------------------------------------------------------------------------
// Selection.

interface PlainId { group: string; version: string; kind: string; name: string; namespace: string }

/** The ids replacements compare: current first, then the earlier ones (no cluster-scope knowledge). */
function replacementIds(r: Resource): PlainId[] {
  const g = gvkOf(r);
  const prev = r.previousIds.map((p) => ({ group: g.group, version: g.version, kind: p.kind, name: p.name, namespace: p.namespace }));
  return [{ ...g, name: r.name, namespace: r.namespace }, ...prev];
}

function nsForCompare(ns: string): string {
  return ns === '' ? 'default' : ns;
}

function isSelectedBy(id: PlainId, sel: IdSelector): boolean {
  return (sel.name === '' || sel.name === id.name)
    && (sel.namespace === '' || nsForCompare(sel.namespace) === nsForCompare(id.namespace))
    && (sel.group === '' || sel.group === id.group)
    && (sel.version === '' || sel.version === id.version)
    && (sel.kind === '' || sel.kind === id.kind);
}

function isEmptyId(s: IdSelector): boolean {
  return !s.group && !s.version && !s.kind && !s.name && !s.namespace;
}

function matchesSelectors(r: Resource, s: TargetSelectorSpec, source: SourceRef): boolean {
  if (s.annotationSelector) {
    const a = r.annotations();
    if (!parseLabelSelector(s.annotationSelector, source).every((q) => q(a))) return false;
  }
  if (s.labelSelector) {
    const l = r.labels();
    if (!parseLabelSelector(s.labelSelector, source).every((q) => q(l))) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Values.

/** The value being copied: a scalar (its YAML tag and text) or a map or list. */
type Value = { scalar: true; tag: ScalarTag; text: string } | { scalar: false; node: JsonValue };

function isNilOrEmpty(v: JsonValue): boolean {
  return v === null || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

function valueText(v: Value): string {
  return v.scalar ? v.text : '';
}

const DELIMITER_SCALARS = 'delimiter option can only be used with scalar nodes';

function sourceValue(resources: readonly Resource[], src: SourceSelector, source: SourceRef): Value {
  let found: Resource | undefined;
  for (const r of resources) {
    if (!replacementIds(r).some((id) => isSelectedBy(id, src))) continue;
    if (found) throw new KustomizeError(`multiple matches for selector ${sourceSelectorString(src)}`, source);
    found = r;
  }
  if (!found) throw new KustomizeError(`nothing selected by ${sourceSelectorString(src)}`, source);
  const fieldPath = src.fieldPath === '' ? DEFAULT_REPLACEMENT_FIELD_PATH : src.fieldPath;
  let hit;
  try {
    hit = lookupField(found.obj, splitFieldPath(fieldPath));
  } catch (e) {
    throw new KustomizeError(`error looking up replacement source: ${errMessage(e)}`, source);
  }
  if (!hit || isNilOrEmpty(hit.value)) {
    throw new KustomizeError(`fieldPath \`${fieldPath}\` is missing for replacement source ${idSelectorString(src)}`, source);
  }
  const sc = scalarOf(hit.value);
  const value: Value = sc ? { scalar: true, ...sc } : { scalar: false, node: hit.value };
  const opts = src.options;
  if (!opts || opts.delimiter === '') return value;
  if (!value.scalar) throw new KustomizeError(DELIMITER_SCALARS, source);
  const parts = value.text.split(opts.delimiter);
  if (opts.index >= parts.length || opts.index < 0) {
    throw new KustomizeError(`options.index ${opts.index} is out of bounds for value ${value.text}`, source);
  }
  return { scalar: true, tag: value.tag, text: parts[opts.index]! };
}

function errMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The new value of one target field, or an error message. */
function newFieldValue(current: JsonValue, created: boolean, value: Value, opts: FieldOptions | undefined, untagged: boolean): JsonValue {
  // kyaml copies only the text into a scalar target, which keeps its tag; a created or untagged
  // target has none, so the text decides the type.
  const existing = created ? undefined : scalarOf(current);
  let targetScalar: { tag: ScalarTag | undefined; text: string } | undefined;
  if (created) targetScalar = value.scalar ? { tag: undefined, text: '' } : undefined;
  else targetScalar = existing && untagged ? { tag: undefined, text: existing.text } : existing;
  let text = valueText(value);
  if (opts && opts.delimiter !== '') {
    if (!targetScalar) throw new FieldPathError(DELIMITER_SCALARS);
    const tv = targetScalar.text.split(opts.delimiter);
    if (opts.index < 0) tv.unshift(text);
    else if (opts.index >= tv.length) tv.push(text);
    else tv[opts.index] = text;
    text = tv.join(opts.delimiter);
    if (!value.scalar) value = { scalar: true, tag: 'str', text };
    else value = { ...value, text };
  }
  if (targetScalar) return decodeScalar(text, targetScalar.tag);
  if (value.scalar) return decodeScalar(value.text, value.tag);
  return deepClone(value.node);
}

function createKindOf(v: Value): CreateKind {
  if (v.scalar) return 'scalar';
  return Array.isArray(v.node) ? 'seq' : 'map';
}

function copyToTarget(r: Resource, value: Value, t: TargetSelector, source: SourceRef): void {
  const create = t.options?.create ? createKindOf(value) : undefined;
  for (const fp of t.fieldPaths) {
    const what = create
      ? `unable to find or create field ${JSON.stringify(fp)} in replacement target`
      : `unable to find field ${JSON.stringify(fp)} in replacement target`;
    let hits: FieldMatch[];
    try {
      hits = matchFields(r.obj, splitFieldPath(fp), create);
    } catch (e) {
      throw new KustomizeError(`${what}: ${errMessage(e)}`, source);
    }
    if (hits.length === 0) throw new KustomizeError(what, source);
    for (const h of hits) {
      const holder = h.holder as Record<string | number, JsonValue>;
      let next: JsonValue;
      try {
        next = newFieldValue(holder[h.key] as JsonValue, h.created, value, t.options, r.untagged.has(formatPath(h.path)));
      } catch (e) {
        if (!(e instanceof ScalarDecodeError)) throw new KustomizeError(errMessage(e), source);
        // Kept as text; the build fails at the end if the object is still there (Engine.build).
        next = e.text;
        r.invalidScalars.push(new KustomizeError(e.message, source));
      }
      holder[h.key] = next;
      if (h.created && value.scalar) r.untagged.add(formatPath(h.path));
      const change = { by: 'replacements', source, value: next };
      r.recordChange(formatPath(h.path), change);
      // kyaml writes into the target's own node, which other fields may share (./shared).
      if (!h.created) writeThrough(r, h.path, next, change);
    }
  }
}

/**
 * Applies the replacements, in order, to the resources (changed in place; each changed field's
 * origin recorded with `by: 'replacements'`). `replacements` are the objects as written (inline
 * entries, or what a `path:` file held); `source` is the kustomization entry they come from, and
 * `sources[i]`, when given, a more precise place for the i-th one (its inline entry or file), used
 * for its errors and origins. Throws KustomizeError with kustomize's messages.
 */
export function applyReplacements(resources: Resource[], replacements: unknown[], source: SourceRef, sources?: readonly (SourceRef | undefined)[]): void {
  const at = (i: number): SourceRef => sources?.[i] ?? source;
  const parsed = replacements.map((r, i) => parseReplacement(r, at(i)));
  parsed.forEach((rep, i) => {
    const src = at(i);
    if (!rep.source || !rep.targets || rep.targets.length === 0) {
      throw new KustomizeError('replacements must specify a source and at least one target', src);
    }
    let value = sourceValue(resources, rep.source, src);
    // kustomize holds the source node itself (unless a delimiter cut a part out of it): a target
    // that changes the source field changes what later targets receive.
    const live = !rep.source.options || rep.source.options.delimiter === '';
    for (const t of rep.targets) {
      if (!t.select) throw new KustomizeError('target must specify resources to select', src);
      if (t.fieldPaths.length === 0) t.fieldPaths = [DEFAULT_REPLACEMENT_FIELD_PATH];
      for (const r of resources) {
        if (!matchesSelectors(r, t.select, src)) continue;
        if (t.reject.some((rj) => (rj.annotationSelector !== '' || rj.labelSelector !== '') && matchesSelectors(r, rj, src))) continue;
        const ids = replacementIds(r);
        if (t.reject.some((rj) => !isEmptyId(rj) && ids.some((id) => isSelectedBy(id, rj)))) continue;
        if (!ids.some((id) => isSelectedBy(id, t.select!))) continue;
        if (live) value = sourceValue(resources, rep.source, src);
        copyToTarget(r, value, t, src);
      }
    }
  });
}
