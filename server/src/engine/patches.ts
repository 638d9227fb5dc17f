// The patch transformers: `patches` (strategic merge or JSON 6902, with or without a target
// selector), and the deprecated `patchesStrategicMerge` and `patchesJson6902`.

import { applyJson6902, parseJson6902 } from './filters/json6902';
import { unshareAll, writeThroughChanges } from './filters/shared';
import { strategicMerge } from './filters/smp';
import { schemaForKind } from './k8s/openapi';
import type { PatchSpec, SelectorSpec } from './kustomization/types';
import { allIds, idEquals, idString, type ResId } from './resid';
import { deepClone, isObject, KustomizeError, lazySource, type JsonObject, type JsonValue, type Resource, type SourceRef } from './resource';
import { parseOriginPath, valueAtOriginPath } from './origin-path';
import { compileSelector } from './selector';
import { resourcesFromFile } from './load';
import { parseYamlFile, rangeOfPath, scalarFacts, type ParsedFile, type ScalarFacts } from './yamlio';
import type { TransformContext } from './context';

interface LoadedPatch {
  text: string;
  /** Where the patch text lives: its file, or the kustomization entry for inline patches. */
  source: SourceRef;
  label: string;
  file?: ParsedFile;
}

function loadPatchText(spec: PatchSpec, ctx: TransformContext, src: (p: (string | number)[]) => SourceRef): LoadedPatch {
  const patch = (spec.patch ?? '').trim();
  const path = spec.path ?? '';
  if (!patch && !path) throw new KustomizeError('must specify one of patch and path', src([]));
  if (patch && path) throw new KustomizeError("patch and path can't be set at the same time", src([]));
  if (patch) return { text: patch, source: src(['patch']), label: `[patch: ${JSON.stringify(patch)}]` };
  const file = ctx.parseFileOrText(path, src(['path']));
  return { text: file.text, source: { file: file.path }, label: `[path: "${path}"]`, file };
}

/** A strategic-merge patch document, with its file and document index when it came from a file. */
interface SmPatch {
  obj: JsonObject; source: SourceRef; file?: ParsedFile; docIndex?: number;
  /** The parsed patch text (a file's, or an inline patch's own), for how it wrote its scalars. */
  parsed?: ParsedFile;
}

type Parsed = { kind: 'smp'; patches: SmPatch[] } | { kind: 'json'; ops: unknown };

function classify(p: LoadedPatch): Parsed {
  let sm: SmPatch[] | undefined;
  let json: unknown;
  try {
    const file = p.file ?? parseYamlFile(p.source.file, p.text);
    const rs = resourcesFromFile(file, []);
    sm = rs.map((r) => ({ obj: r.obj, source: p.file ? { file: p.file.path, range: r.origin.source.range } : p.source, file: p.file, docIndex: r.origin.docIndex, parsed: file }));
  } catch { sm = undefined; }
  try { json = parseJson6902(p.text); } catch { json = undefined; }
  if (sm && sm.length && json !== undefined) throw new KustomizeError(`illegally qualifies as both an SM and JSON patch: ${p.label}`, p.source);
  if (sm && sm.length) return { kind: 'smp', patches: sm };
  if (json !== undefined) return { kind: 'json', ops: json };
  // Say why: the YAML error if the text is not even YAML.
  try { parseYamlFile(p.source.file, p.text); } catch (e) {
    if (e instanceof KustomizeError) throw KustomizeError.rewrap(e, `unable to parse SM or JSON patch from ${p.label}: ${e.message}`, e.source ?? p.source);
  }
  throw new KustomizeError(`unable to parse SM or JSON patch from ${p.label}`, p.source);
}

/** The key field list items of this list are identified by (name, containerPort, ...), if any. */
function itemKey(before: JsonValue[], after: JsonValue[]): string | undefined {
  const items = [...before, ...after];
  if (!items.length || !items.every(isObject)) return undefined;
  return ITEM_KEYS.find((k) => items.every((x) => isObject(x) && k in x && (typeof x[k] === 'string' || typeof x[k] === 'number')));
}

/**
 * The leaves that differ between two versions of an object, as origin paths (indexes of the
 * `after` version). List items with a key field (containers by name, ports by containerPort) are
 * paired by key, so a strategic merge that reorders a list does not count as changing every item.
 */
function changedPaths(before: JsonValue | undefined, after: JsonValue | undefined, prefix = '', out: string[] = []): string[] {
  if (isObject(before) && isObject(after)) {
    for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
      changedPaths(before[k], after[k], prefix ? `${prefix}.${k}` : k, out);
    }
  } else if (Array.isArray(before) && Array.isArray(after)) {
    const key = itemKey(before, after);
    if (key) {
      after.forEach((x, i) => {
        const old = before.find((b) => isObject(b) && isObject(x) && b[key] === x[key]);
        if (old === undefined) collectLeaves(x, `${prefix}[${i}]`, out);
        else changedPaths(old, x, `${prefix}[${i}]`, out);
      });
    } else if (before.length === after.length) {
      after.forEach((x, i) => changedPaths(before[i], x, `${prefix}[${i}]`, out));
    } else if (JSON.stringify(before) !== JSON.stringify(after)) collectLeaves(after, prefix, out);
  } else if (JSON.stringify(before) !== JSON.stringify(after)) {
    if (after === undefined) out.push(prefix);
    else collectLeaves(after, prefix, out);
  }
  return out;
}

function collectLeaves(v: JsonValue, prefix: string, out: string[]): void {
  if (isObject(v)) { if (Object.keys(v).length === 0) out.push(prefix); for (const [k, x] of Object.entries(v)) collectLeaves(x, `${prefix}.${k}`, out); } else if (Array.isArray(v)) { if (v.length === 0) out.push(prefix); v.forEach((x, i) => collectLeaves(x, `${prefix}[${i}]`, out)); } else out.push(prefix);
}

function recordDiff(r: Resource, before: JsonObject, by: string, source: SourceRef, locate?: (path: string) => SourceRef | undefined): void {
  for (const path of changedPaths(before, r.obj)) r.recordChange(path, { by, source: locate?.(path) ?? source, value: valueAt(r.obj, path) });
}

const ITEM_KEYS = ['name', 'containerPort', 'mountPath', 'port', 'ip', 'devicePath', 'topologyKey', 'type', 'key'];

/**
 * The path, inside a strategic-merge patch document, of the field that produced `path` of the
 * merged object: keys are followed as they are, list items are matched by a shared key field
 * (name, containerPort, mountPath, ...). Stops at the deepest part that the patch has.
 */
export function patchPathFor(path: string, merged: JsonValue, patch: JsonValue): (string | number)[] {
  const out: (string | number)[] = [];
  let tgt: JsonValue | undefined = merged;
  let pat: JsonValue | undefined = patch;
  for (const seg of parseOriginPath(path)) {
    if (typeof seg === 'number') {
      const item: JsonValue | undefined = Array.isArray(tgt) ? tgt[seg] : undefined;
      if (!Array.isArray(pat) || item === undefined) return out;
      const j = pat.findIndex((x) => (isObject(x) && isObject(item) && ITEM_KEYS.some((k) => k in x && k in item && x[k] === item[k])) || JSON.stringify(x) === JSON.stringify(item));
      if (j < 0) return out;
      out.push(j);
      tgt = item;
      pat = pat[j];
    } else {
      const key = seg;
      if (!isObject(pat) || !(key in pat)) return out;
      out.push(key);
      tgt = isObject(tgt) ? tgt[key] : undefined;
      pat = pat[key];
    }
  }
  return out;
}

const valueAt = (obj: JsonValue, path: string) => valueAtOriginPath(obj, path) as JsonValue | undefined;

/** Applies one strategic-merge patch to one resource; returns false when the patch deleted it. */
function applySmp(r: Resource, patch: JsonObject, opts: PatchSpec['options'], source: SourceRef, ctx: TransformContext, where?: SmPatch): boolean {
  const name = r.name, ns = r.namespace, kind = r.kind;
  if (opts?.allowNameChange || opts?.allowKindChange) r.rememberId();
  const before = deepClone(r.obj);
  const schema = schemaForKind(r.apiVersion, r.kind, ctx.schemaExtras());
  const facts = r.origin.scalarFacts;
  let patchFacts: ScalarFacts | undefined;
  const merged = strategicMerge(r.obj, patch, schema, {
    emptyField: facts && ((path) => facts().empty.has(path.join('\u0000'))),
    quotedField: facts && ((path) => facts().quoted.has(path.join('\u0000'))),
    patchText: where?.parsed && ((path) => (patchFacts ??= scalarFacts(where.parsed!, where.docIndex ?? 0)).plainText.get(path.join('\u0000'))),
  });
  if (merged === null) return false;
  r.obj = merged;
  if (!opts?.allowKindChange) r.obj.kind = kind;
  if (!opts?.allowNameChange) r.name = name;
  if (ns) r.namespace = ns; else if (isObject(r.obj.metadata)) delete r.obj.metadata.namespace;
  const file = where?.file;
  const locate = file && where.docIndex !== undefined
    ? (path: string) => {
      // The path is found now (later steps change the object); its range when first read.
      const inPatch = patchPathFor(path, r.obj, patch);
      return lazySource(() => {
        const range = rangeOfPath(file, where.docIndex!, inPatch);
        return range ? { file: file.path, range } : source;
      });
    }
    : undefined;
  recordDiff(r, before, 'patches', source, locate);
  // kyaml merges into the object's own nodes: a changed value shows wherever that node is shared.
  writeThroughChanges(r, before);
  return true;
}

function getByOrgId(resources: Resource[], id: ResId, source: SourceRef, what: string): Resource {
  const found = resources.filter((r) => allIds(r).some((x) => idEquals(x, id)));
  if (found.length === 1) return found[0]!;
  const s = idString(id);
  if (found.length > 1) throw new KustomizeError(`no resource matches strategic merge patch "${s}": multiple matches for Id ${s}; failed to find unique target for patch ${s}`, source);
  throw new KustomizeError(`${what ? `${what}: ` : ''}no matches for Id ${s}; failed to find unique target for patch ${s}`, source);
}

function patchId(obj: JsonObject): ResId {
  const av = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const i = av.lastIndexOf('/');
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  return {
    group: i < 0 ? '' : av.slice(0, i), version: i < 0 ? av : av.slice(i + 1), kind: String(obj.kind ?? ''),
    name: typeof meta.name === 'string' ? meta.name : '', namespace: typeof meta.namespace === 'string' ? meta.namespace : '',
  };
}

/** One `patches` entry. */
export function applyPatchEntry(
  resources: Resource[], spec: PatchSpec, ctx: TransformContext, src: (p: (string | number)[]) => SourceRef, by = 'patches',
  matched?: (count: number) => void,
): Resource[] {
  const loaded = loadPatchText(spec, ctx, src);
  const parsed = classify(loaded);
  const target = spec.target;
  if (parsed.kind === 'json') {
    if (!target) throw new KustomizeError(`must specify a target for JSON patch ${loaded.label}`, src([]));
    const sel = compileSelector(target, src(['target']));
    matched?.(resources.filter((r) => sel.matches(r)).length);
    return applyJsonPatch(resources, parsed.ops, target, loaded, src, by);
  }
  if (target) {
    if (parsed.patches.length > 1) {
      throw new KustomizeError(`Multiple Strategic-Merge Patches in one \`patches\` entry is not allowed to set \`patches.target\` field: ${loaded.label}`, src([]));
    }
    const p = parsed.patches[0]!;
    const sel = compileSelector(target, src(['target']));
    const chosen = new Set(resources.filter((r) => sel.matches(r)));
    matched?.(chosen.size);
    const out: Resource[] = [];
    for (const r of resources) {
      if (chosen.has(r)) {
        const copy = deepClone(p.obj);
        copy.apiVersion = r.apiVersion;
        if (!applySmp(r, copy, spec.options, p.source, ctx, p)) continue;
      }
      out.push(r);
    }
    return out;
  }
  let list = resources;
  matched?.(parsed.patches.length);
  for (const p of parsed.patches) {
    const t = getByOrgId(list, patchId(p.obj), p.source, `no resource matches strategic merge patch "${idString(patchId(p.obj))}"`);
    if (!applySmp(t, deepClone(p.obj), spec.options, p.source, ctx, p)) list = list.filter((x) => x !== t);
  }
  return list;
}

/**
 * kustomize applies a JSON 6902 patch to the object's JSON: annotations it held as their source text
 * (`1_000.5`, `2001-12-14`) come back as what that text means (`1000.5`, `2001-12-14T00:00:00Z`).
 */
function throughJson(r: Resource): void {
  const raw = r.origin.rawAnnotations;
  if (!raw) return;
  r.origin = { ...r.origin, rawAnnotations: undefined };
  const ann = r.metadata.annotations;
  if (!isObject(ann)) return;
  for (const [key, [text, value]] of raw) {
    if (ann[key] !== text) continue;
    ann[key] = typeof value === 'string' ? value : value === null ? 'null' : String(value);
  }
}

function applyJsonPatch(resources: Resource[], ops: unknown, target: SelectorSpec, loaded: LoadedPatch, src: (p: (string | number)[]) => SourceRef, by: string): Resource[] {
  const sel = compileSelector(target, src(['target']));
  for (const r of resources) {
    if (!sel.matches(r)) continue;
    r.rememberId();
    const before = deepClone(r.obj);
    throughJson(r);
    // kustomize rebuilds the object from the patched JSON: no field shares a node after it.
    unshareAll(r);
    try {
      r.obj = applyJson6902(r.obj, ops);
    } catch (e) {
      if (e instanceof KustomizeError) throw KustomizeError.rewrap(e, e.message, e.source ?? loaded.source);
      throw e;
    }
    recordDiff(r, before, by, loaded.source, loaded.file ? (path) => locateJsonOp(loaded.file!, ops, path) : undefined);
  }
  return resources;
}

/** The JSON 6902 operation (its line in the patch file) whose path is or contains `path`. */
function locateJsonOp(file: ParsedFile, ops: unknown, path: string): SourceRef | undefined {
  if (!Array.isArray(ops)) return undefined;
  for (let i = ops.length - 1; i >= 0; i--) {
    const op = ops[i] as { path?: unknown };
    if (typeof op?.path !== 'string') continue;
    const dotted = op.path.split('/').slice(1).map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
    if (path === dotted || path.startsWith(dotted + '.') || path.startsWith(dotted + '[')) {
      const range = rangeOfPath(file, 0, [i]);
      return range ? { file: file.path, range } : undefined;
    }
  }
  return undefined;
}

/** A strategic-merge patch as `patchesStrategicMerge` or a PatchStrategicMergeTransformer names it: a file path or inline YAML. */
export interface SmEntry { entry: string; source: SourceRef }

/** The deprecated `patchesStrategicMerge` (and its builtin): file paths or inline YAML, each patch aimed by its own id. */
export function applyPatchesStrategicMerge(resources: Resource[], entries: SmEntry[], ctx: TransformContext, source: SourceRef): Resource[] {
  const patches: SmPatch[] = [];
  for (const { entry, source: src } of entries) {
    let inline: SmPatch[] | undefined;
    if (entry.includes('\n') || /^\s*[{]/.test(entry) || /:\s/.test(entry)) {
      try {
        const parsed = parseYamlFile(ctx.k.file, entry);
        inline = resourcesFromFile(parsed, []).map((r) => ({ obj: r.obj, source: src, docIndex: r.origin.docIndex, parsed }));
      } catch { inline = undefined; }
    }
    if (inline && inline.length) { patches.push(...inline); continue; }
    const file = ctx.parseFileOrText(entry, src);
    const rs = resourcesFromFile(file, []);
    patches.push(...rs.map((r) => ({ obj: r.obj, source: { file: file.path, range: r.origin.source.range }, file, docIndex: r.origin.docIndex, parsed: file })));
  }
  if (patches.length === 0) {
    throw new KustomizeError(`trouble configuring builtin PatchStrategicMergeTransformer: patch appears to be empty; files=${JSON.stringify(entries.map((e) => e.entry))}`, source);
  }
  let list = resources;
  for (const p of patches) {
    const id = patchId(p.obj);
    const t = getByOrgId(list, id, p.source, '');
    if (!applySmp(t, deepClone(p.obj), undefined, p.source, ctx, p)) list = list.filter((x) => x !== t);
  }
  return list;
}

/** One `patchesJson6902` entry (or PatchJson6902Transformer): a target and a file or inline operations, JSON or YAML. */
export function applyPatchJson6902(resources: Resource[], spec: PatchSpec, ctx: TransformContext, src: (p: (string | number)[]) => SourceRef, matched?: (count: number) => void): void {
  const loaded = loadPatchText(spec, ctx, src);
  if (!spec.target) throw new KustomizeError('must specify the target field in patchesJson6902', src([]));
  if (matched) {
    const sel = compileSelector(spec.target, src(['target']));
    matched(resources.filter((r) => sel.matches(r)).length);
  }
  let ops: unknown;
  try { ops = parseJson6902(loaded.text); } catch (e) {
    throw new KustomizeError(`failed to parse JSON 6902 patch ${loaded.label}: ${(e as Error).message}`, loaded.source);
  }
  applyJsonPatch(resources, ops, spec.target, loaded, src, 'patchesJson6902');
}
