// Completion.
// In kustomization files: fields of the schema (documented, deprecated ones tagged); paths for path
// fields (kustomization roots first); patches[].target kind/name/namespace/group/version from what the
// root renders; images[].name from the containers it renders; label/annotation selectors from
// rendered labels; replacements fieldPath from the selected object.
// In patch files: the fields the kind's schema allows at the cursor (documented, typed, enum values)
// together with the fields of the targeted object as rendered, and container names to merge by.
// replacements fieldPath: the next segment from the selected kind's schema, and the rendered paths.

import path from 'node:path';
import { CompletionItemKind, CompletionItemTag, type CompletionItem, type CompletionList, type Position } from 'vscode-languageserver';
import { type FieldType, isObject, type JsonValue, type Resource } from '../engine/index';
import { isKustomizationFile, KUSTOMIZATION_NAMES } from '../workspace/roots';
import { cursorContext, type CursorContext, type YamlPath } from '../workspace/yaml-position';
import type { WorkspaceView } from '../workspace/view';
import { accumulatedResources, patchTargets, schemaAt, textOf, valueAtPath, valuesOf } from './common';
import { child, resolve, type Shape } from '../schema/shape';

export function completion(ws: WorkspaceView, file: string, pos: Position): CompletionList | null {
  const text = textOf(ws, file);
  if (text === undefined) return null;
  const ctx = cursorContext(text, pos);
  if (!ctx) return null;
  const items = isKustomizationFile(file) ? kustomizationCompletion(ws, file, text, ctx) : patchCompletion(ws, file, text, ctx);
  if (!items) return null;
  for (const it of items) it.textEdit ??= { range: ctx.replace, newText: it.insertText ?? it.label };
  return { isIncomplete: false, items };
}

function fieldItems(t: FieldType, present: Set<string>): CompletionItem[] {
  if (t.t !== 'object') return [];
  return Object.entries(t.fields).filter(([k]) => !present.has(k)).map(([k, fd]) => {
    const it: CompletionItem = {
      label: k,
      kind: CompletionItemKind.Field,
      detail: typeName(fd.type),
      documentation: { kind: 'markdown', value: fd.doc + (fd.deprecated ? `\n\n*Deprecated*: use \`${fd.deprecated}\`.` : '') },
      insertText: `${k}: `,
      sortText: `${fd.deprecated ? '9' : '1'}${k}`,
    };
    if (fd.deprecated) it.tags = [CompletionItemTag.Deprecated];
    return it;
  });
}

function typeName(t: FieldType): string {
  switch (t.t) {
    case 'list': return `[]${typeName(t.of)}`;
    case 'map': return `map[string]${typeName(t.of)}`;
    case 'object': return t.name;
    default: return t.t;
  }
}

function kustomizationCompletion(ws: WorkspaceView, file: string, text: string, ctx: CursorContext): CompletionItem[] | null {
  const dir = path.dirname(file);
  const values = valuesOf(text);
  const raw = values[ctx.docIndex];
  let where = schemaAt(ctx.path);
  let kind = ctx.kind;
  // `- word|` in a list of strings is a value, not a key.
  if (kind === 'key' && where && where.type.t !== 'object') kind = 'value';
  if (kind === 'key') {
    if (!where) return null;
    const here = valueAtPath(raw, ctx.path);
    const present = new Set(isObject(here) ? Object.keys(here).filter((k) => !k.includes('GITOPSLENSCURSOR')) : []);
    return fieldItems(where.type, present);
  }
  // A value: which field is it?
  const p = ctx.path;
  const last = p[p.length - 1];
  if (typeof last === 'number') where = schemaAt(p);
  const fieldDoc = where?.doc;
  if (fieldDoc?.path) return pathItems(ws, dir, ctx.prefix, fieldDoc.path, p[0] === 'resources' || p[0] === 'bases' || p[0] === 'components');

  // Selectors in patches / replacements.
  const selectorKey = typeof last === 'string' ? last : undefined;
  const sel = selectorContext(p);
  if (sel && selectorKey && selectorKey !== 'fieldPath') {
    const selObj = valueAtPath(raw, p.slice(0, -1));
    const resources = accumulatedResources(ws, dir);
    return selectorItems(resources, selectorKey, isObject(selObj) ? selObj : {});
  }
  if (p[0] === 'images' && selectorKey === 'name') return imageItems(accumulatedResources(ws, dir));
  if (p[0] === 'replacements' && selectorKey === 'fieldPath') {
    const selObj = p.includes('source') ? valueAtPath(raw, p.slice(0, -1)) : valueAtPath(raw, [...p.slice(0, -2), 'select']);
    const sel = isObject(selObj) ? selObj : {};
    const resources = accumulatedResources(ws, dir);
    return [...schemaFieldPathItems(ws, resources, sel, ctx.prefix), ...fieldPathItems(resources, sel)];
  }
  if (p[0] === 'replicas' && selectorKey === 'name') return unique(accumulatedResources(ws, dir).filter((r) => isObject(r.obj.spec) && 'replicas' in (r.obj.spec as object)).map((r) => r.name), CompletionItemKind.Value);
  if (p[0] === 'apiVersion' || selectorKey === 'apiVersion' && p.length === 1) return unique(['kustomize.config.k8s.io/v1beta1', 'kustomize.config.k8s.io/v1alpha1'], CompletionItemKind.Value);
  if (p.length === 1 && p[0] === 'kind') return unique(['Kustomization', 'Component'], CompletionItemKind.Value);
  if (p[0] === 'buildMetadata') return unique(['originAnnotations', 'transformerAnnotations', 'managedByLabel'], CompletionItemKind.EnumMember);
  return null;
}

/** The selector key's position: patches[i].target.X, patchesJson6902[i].target.X, replacements source/select/reject. */
function selectorContext(p: YamlPath): boolean {
  const s = p.map((x) => (typeof x === 'number' ? '#' : x)).join('.');
  return /^(patches|patchesJson6902)\.#\.target\.[a-zA-Z]+$/.test(s) || /^replacements\.#\.(source|targets\.#\.select|targets\.#\.reject\.#)\.[a-zA-Z]+$/.test(s);
}

function unique(values: string[], kind: CompletionItemKind, detail?: (v: string) => string | undefined): CompletionItem[] {
  return [...new Set(values.filter((v) => v !== ''))].sort().map((v) => ({ label: v, kind, detail: detail?.(v) }));
}

function selectorItems(resources: Resource[], key: string, sel: Record<string, JsonValue>): CompletionItem[] {
  const filtered = resources.filter((r) => (typeof sel.kind !== 'string' || key === 'kind' || r.kind === sel.kind || r.originalKind() === sel.kind));
  switch (key) {
    case 'kind': return unique(resources.map((r) => r.kind), CompletionItemKind.Class);
    case 'name': {
      const items = new Map<string, string>();
      for (const r of filtered) {
        const original = r.previousIds[0]?.name;
        items.set(original ?? r.name, `${r.kind}${r.namespace ? ' in ' + r.namespace : ''}`);
      }
      return [...items].sort().map(([label, detail]) => ({ label, kind: CompletionItemKind.Value, detail }));
    }
    case 'namespace': return unique(filtered.map((r) => r.originalNamespace() || r.namespace), CompletionItemKind.Value);
    case 'group': return unique(filtered.map((r) => r.gvk.group), CompletionItemKind.Value);
    case 'version': return unique(filtered.map((r) => r.gvk.version), CompletionItemKind.Value);
    case 'labelSelector': return unique(filtered.flatMap((r) => Object.entries(r.labels()).map(([k, v]) => `${k}=${v}`)), CompletionItemKind.Value);
    case 'annotationSelector': return unique(filtered.flatMap((r) => Object.entries(r.annotations()).map(([k, v]) => `${k}=${v}`)), CompletionItemKind.Value);
    default: return [];
  }
}

function containersOf(obj: JsonValue, out: { name: string; image: string }[] = []): { name: string; image: string }[] {
  if (Array.isArray(obj)) for (const x of obj) containersOf(x, out);
  else if (isObject(obj)) {
    for (const [k, v] of Object.entries(obj)) {
      if ((k === 'containers' || k === 'initContainers' || k === 'ephemeralContainers') && Array.isArray(v)) {
        for (const c of v) if (isObject(c)) out.push({ name: String(c.name ?? ''), image: String(c.image ?? '') });
      } else containersOf(v, out);
    }
  }
  return out;
}

function imageName(image: string): string {
  return image.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
}

function imageItems(resources: Resource[]): CompletionItem[] {
  const where = new Map<string, string[]>();
  for (const r of resources) for (const c of containersOf(r.obj)) {
    if (!c.image) continue;
    const n = imageName(c.image);
    const l = where.get(n) ?? [];
    l.push(`${r.kind}/${r.name} ${c.name}: ${c.image}`);
    where.set(n, l);
  }
  return [...where].sort().map(([label, uses]) => ({ label, kind: CompletionItemKind.Value, detail: uses[0], documentation: uses.join('\n') }));
}

function fieldPaths(v: JsonValue, prefix: string, out: string[]): void {
  if (isObject(v)) for (const [k, x] of Object.entries(v)) fieldPaths(x, prefix ? `${prefix}.${k.includes('.') ? `[${k}]` : k}` : k, out);
  else if (Array.isArray(v)) v.forEach((x) => { if (isObject(x) && typeof x.name === 'string') fieldPaths(x, `${prefix}.[name=${x.name}]`, out); });
  else out.push(prefix);
}

function fieldPathItems(resources: Resource[], sel: Record<string, JsonValue>): CompletionItem[] {
  const chosen = resources.filter((r) => (typeof sel.kind !== 'string' || r.kind === sel.kind) && (typeof sel.name !== 'string' || r.name === sel.name || r.originalName() === sel.name));
  const out: string[] = [];
  for (const r of chosen.slice(0, 20)) fieldPaths(r.obj, '', out);
  return unique(out, CompletionItemKind.Field);
}

/** The kind's shape (from the schema registry) of a selector or a patch document. */
function shapeOf(ws: WorkspaceView, apiVersion: string | undefined, kind: string | undefined, resources: Resource[]): { shape: Shape; defs: Shape[] } | undefined {
  if (!ws.schemaChecks) return undefined;
  const cands = new Set<string>();
  if (apiVersion && kind) cands.add(`${apiVersion}\u0000${kind}`);
  for (const r of resources) if (!kind || r.kind === kind) cands.add(`${r.apiVersion}\u0000${r.kind}`);
  if (kind && !apiVersion) for (const v of ['v1', 'apps/v1', 'batch/v1', 'networking.k8s.io/v1', 'rbac.authorization.k8s.io/v1', 'policy/v1', 'autoscaling/v2']) cands.add(`${v}\u0000${kind}`);
  for (const c of cands) {
    const [a, k] = c.split('\u0000') as [string, string];
    try { const info = ws.schemas.lookup(a, k); if (info) return { shape: info.shape, defs: info.defs }; } catch { /* no schemas */ }
  }
  return undefined;
}

function describeShape(s: Shape | undefined, defs: Shape[]): string {
  const r = resolve(s, defs);
  if (!r) return '';
  if (r.t === 'array') { const i = resolve(r.i, defs); return `[]${i?.t === 'object' || i?.p ? 'object' : i?.t ?? 'any'}`; }
  if (r.t === 'map') return `map[string]${resolve(r.i, defs)?.t ?? 'any'}`;
  return r.p ? 'object' : r.t ?? 'any';
}

/** replacements fieldPath: the next segment after what is typed, from the selected kind's schema. */
function schemaFieldPathItems(ws: WorkspaceView, resources: Resource[], sel: Record<string, JsonValue>, typed: string): CompletionItem[] {
  const apiVersion = typeof sel.group === 'string' || typeof sel.version === 'string'
    ? [sel.group, sel.version].filter((x) => typeof x === 'string' && x).join('/') : undefined;
  const kind = typeof sel.kind === 'string' ? sel.kind : undefined;
  if (!kind) return [];
  const sh = shapeOf(ws, apiVersion && apiVersion.includes('/') ? apiVersion : undefined, kind, resources);
  if (!sh) return [];
  const dot = typed.lastIndexOf('.');
  const head = dot >= 0 ? typed.slice(0, dot) : '';
  // Segments: `a.b.[name=x].c`, `a.b.0.c`, `a.[b.c]` (a key with dots).
  const segs = head ? head.match(/\[[^\]]*\]|[^.]+/g) ?? [] : [];
  let cur: Shape | undefined = resolve(sh.shape, sh.defs);
  for (const seg of segs) {
    const isItem = /^\[[^=\]]+=[^\]]*\]$/.test(seg) || /^\d+$/.test(seg) || seg === '*';
    cur = isItem ? child(cur, 0, sh.defs) : child(cur, seg.replace(/^\[|\]$/g, ''), sh.defs);
    if (!cur) return [];
  }
  const r = resolve(cur, sh.defs);
  if (!r?.p) return [];
  const base = head ? `${head}.` : '';
  return Object.entries(r.p).filter(([k]) => k !== 'status').map(([k, v]) => {
    const seg = k.includes('.') ? `[${k}]` : k;
    const it: CompletionItem = { label: `${base}${seg}`, kind: CompletionItemKind.Field, detail: describeShape(v, sh.defs), sortText: `0${k}` };
    if (v.d) it.documentation = v.d;
    const t = resolve(v, sh.defs);
    if (t?.p || t?.t === 'array' || t?.t === 'map') it.command = { title: 'again', command: 'editor.action.triggerSuggest' };
    return it;
  });
}

function pathItems(ws: WorkspaceView, dir: string, prefix: string, expect: 'file' | 'dir' | 'file-or-dir', rootsFirst: boolean): CompletionItem[] {
  const slash = prefix.lastIndexOf('/');
  const typedDir = slash >= 0 ? prefix.slice(0, slash + 1) : '';
  const base = path.resolve(dir, typedDir || '.');
  let names: string[];
  try { names = ws.host.readDirectory(base); } catch { return []; }
  const items: CompletionItem[] = [];
  const up = typedDir === '' || /^(\.\.\/)+$/.test(typedDir);
  if (up && expect !== 'file') items.push({ label: `${typedDir}../`, kind: CompletionItemKind.Folder, sortText: '3../', insertText: `${typedDir}../`, command: { title: 'again', command: 'editor.action.triggerSuggest' } });
  for (const n of names) {
    if (n.startsWith('.') || n === 'node_modules') continue;
    const abs = path.join(base, n);
    const st = ws.host.stat(abs);
    if (st === 'directory') {
      const isRoot = ws.roots.has(abs);
      if (expect === 'file' && !hasChildren(ws, abs)) continue;
      items.push({
        label: `${typedDir}${n}`, kind: CompletionItemKind.Folder,
        detail: isRoot ? `kustomization (${ws.roots.get(abs)!.kind})` : 'folder',
        sortText: `${isRoot && rootsFirst ? '0' : '2'}${n}`,
        insertText: isRoot ? `${typedDir}${n}` : `${typedDir}${n}/`,
      });
    } else if (st === 'file' && expect !== 'dir') {
      if (KUSTOMIZATION_NAMES.includes(n) && base === dir) continue;
      if (rootsFirst && !/\.(ya?ml|json)$/i.test(n)) continue;
      items.push({ label: `${typedDir}${n}`, kind: CompletionItemKind.File, sortText: `1${n}` });
    }
  }
  return items;
}

function hasChildren(ws: WorkspaceView, d: string): boolean {
  try { return ws.host.readDirectory(d).length > 0; } catch { return false; }
}

// ---- patch files ------------------------------------------------------------------------------

function patchCompletion(ws: WorkspaceView, file: string, text: string, ctx: CursorContext): CompletionItem[] | null {
  const values = valuesOf(text);
  const doc = values[ctx.docIndex];
  // The object as it is before this patch applies (what the including root accumulates), else as rendered.
  let targets = guessTargets(ws, file, doc);
  if (!targets.length) targets = patchTargets(ws, file, doc).map((t) => t.resource);
  // The kind's schema: what may be written here, not only what the target already has.
  const sh = isObject(doc) ? shapeOf(ws, typeof doc.apiVersion === 'string' ? doc.apiVersion : undefined, typeof doc.kind === 'string' ? doc.kind : undefined, targets) : undefined;
  if (!targets.length && !sh) return null;
  const p = ctx.path;
  let at: Shape | undefined = sh ? resolve(sh.shape, sh.defs) : undefined;
  for (const seg of p) at = sh ? child(at, seg, sh.defs) : undefined;
  if (ctx.kind === 'value' && sh && at?.e?.length) {
    return at.e.map((v) => ({ label: String(v), kind: CompletionItemKind.EnumMember, detail: at!.d }));
  }
  if (ctx.kind === 'value' && sh && resolve(at, sh.defs)?.t === 'boolean') return ['true', 'false'].map((v) => ({ label: v, kind: CompletionItemKind.Value }));
  // Container names to merge by.
  if (ctx.kind === 'value' || (ctx.kind === 'key' && typeof p[p.length - 1] === 'number')) {
    const key = ctx.kind === 'value' ? p[p.length - 1] : undefined;
    const list = typeof key === 'string' ? p[p.length - 3] : p[p.length - 2];
    if ((key === 'name' || key === undefined) && (list === 'containers' || list === 'initContainers')) {
      const names = new Set<string>();
      for (const r of targets) {
        const at = valueAtPath(r.obj, p.slice(0, typeof key === 'string' ? -2 : -1));
        if (Array.isArray(at)) for (const c of at) if (isObject(c) && typeof c.name === 'string') names.add(c.name);
      }
      return [...names].sort().map((n) => ({ label: n, kind: CompletionItemKind.Value, detail: 'container', insertText: key === undefined ? `name: ${n}` : n }));
    }
    if (ctx.kind === 'value') return null;
  }
  // Keys: the fields the schema allows here, and those the target has at this path (by name for named list items).
  const keys = new Map<string, JsonValue>();
  const here = valueAtPath(doc, p);
  const present = new Set(isObject(here) ? Object.keys(here) : []);
  for (const r of targets) {
    const m = mapRendered(r.obj, doc, p);
    if (isObject(m)) for (const [k, v] of Object.entries(m)) if (!present.has(k) && !k.includes('GITOPSLENSCURSOR')) keys.set(k, v);
  }
  const items: CompletionItem[] = [];
  const fields = sh ? resolve(at, sh.defs)?.p : undefined;
  for (const [k, f] of Object.entries(fields ?? {})) {
    if (present.has(k) || (p.length === 0 && k === 'status')) continue;
    const v = keys.get(k);
    const it: CompletionItem = {
      label: k, kind: CompletionItemKind.Field, insertText: `${k}: `,
      detail: `${describeShape(f, sh!.defs)}${v !== undefined && (v === null || typeof v !== 'object') ? ` = ${String(v)}` : ''}`,
      sortText: `${v !== undefined ? '0' : '1'}${k}`,
    };
    if (f.d) it.documentation = f.d;
    items.push(it);
    keys.delete(k);
  }
  for (const [k, v] of [...keys].sort(([a], [b]) => (a < b ? -1 : 1))) {
    items.push({ label: k, kind: CompletionItemKind.Field, insertText: `${k}: `, sortText: `0${k}`, detail: v === null || typeof v !== 'object' ? `= ${String(v)}` : Array.isArray(v) ? 'list' : 'object' });
  }
  return items;
}

function mapRendered(obj: JsonValue, doc: JsonValue | undefined, p: YamlPath): JsonValue | undefined {
  let r: JsonValue | undefined = obj, s: JsonValue | undefined = doc;
  for (const seg of p) {
    if (typeof seg === 'number' && Array.isArray(r)) {
      const item: JsonValue | undefined = Array.isArray(s) ? s[seg] : undefined;
      const byName: JsonValue | undefined = isObject(item) && typeof item.name === 'string' ? r.find((x) => isObject(x) && x.name === item.name) : undefined;
      r = byName ?? r[seg] ?? r[0];
      s = item;
    } else if (typeof seg === 'string' && isObject(r)) { r = r[seg]; s = isObject(s) ? s[seg] : undefined; } else return undefined;
  }
  return r;
}

/** Without a render that shows what the patch changed: the object of the same kind and name that the including root renders. */
function guessTargets(ws: WorkspaceView, file: string, doc: JsonValue | undefined): Resource[] {
  if (!isObject(doc)) return [];
  const kind = doc.kind, name = isObject(doc.metadata) ? doc.metadata.name : undefined;
  const out: Resource[] = [];
  for (const root of ws.rootsReferencing(file)) {
    for (const r of accumulatedResources(ws, root.dir)) {
      if ((kind === undefined || r.kind === kind) && (name === undefined || r.name === name || r.originalName() === name)) out.push(r);
    }
  }
  return out;
}
