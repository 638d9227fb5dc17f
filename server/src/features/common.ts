// Helpers the feature modules share: the text and parse of a file as the editor sees it, the
// kustomization schema walked along a YAML path, and rendered objects matched to source documents.

import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Location } from 'vscode-languageserver';
import { type FieldDoc, fieldOf, type FieldType, isObject, type JsonValue, kustomizationType, type ParsedFile, parseYamlFile, type Range, type Resource, resourcesFromFile } from '../engine/index';
import { pathToUri } from '../workspace/uri';
import type { YamlPath } from '../workspace/yaml-position';
import type { Environment } from '../workspace/types';
import type { WorkspaceView } from '../workspace/view';

export function textOf(ws: WorkspaceView, file: string): string | undefined {
  try { return ws.host.readFile(file); } catch { return undefined; }
}

function parsedOf(ws: WorkspaceView, file: string): ParsedFile | undefined {
  const t = textOf(ws, file);
  if (t === undefined) return undefined;
  try { return parseYamlFile(file, t, { uniqueKeys: false }); } catch { return undefined; }
}

/** Lenient JS values of each document (works on half-typed text). */
export function valuesOf(text: string): JsonValue[] {
  const docs = parseAllDocuments(text, { uniqueKeys: false });
  if (!Array.isArray(docs)) return [];
  return docs.map((d) => { try { return (d.toJS() ?? null) as JsonValue; } catch { return null; } });
}

/** The field doc and type at a YAML path of a kustomization (list indexes step into items). */
export function schemaAt(p: YamlPath): { type: FieldType; doc?: FieldDoc } | undefined {
  let t: FieldType = kustomizationType;
  let doc: FieldDoc | undefined;
  for (const seg of p) {
    if (t.t === 'list' && typeof seg === 'number') { t = t.of; continue; }
    if (t.t === 'map' && typeof seg === 'string') { t = t.of; doc = undefined; continue; }
    if (t.t === 'object' && typeof seg === 'string') {
      const f: FieldDoc | undefined = fieldOf(t, seg)?.doc;
      if (!f) return undefined;
      doc = f; t = f.type; continue;
    }
    return undefined;
  }
  return { type: t, doc };
}

export function valueAtPath(v: JsonValue | undefined, p: YamlPath): JsonValue | undefined {
  let cur = v;
  for (const seg of p) {
    if (Array.isArray(cur) && typeof seg === 'number') cur = cur[seg];
    else if (isObject(cur) && typeof seg === 'string') cur = cur[seg];
    else return undefined;
  }
  return cur;
}

export function location(file: string, range?: Range): Location {
  return { uri: pathToUri(file), range: range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
}

export function relLabel(ws: WorkspaceView, file: string): string {
  const f = ws.folderOf(file);
  return f ? path.relative(f.path, file) : file;
}

/** Renders (current, else last good) of the environments that read `file`. */
export function envRenders(ws: WorkspaceView, file: string): { env: Environment; resources: Resource[] }[] {
  const out: { env: Environment; resources: Resource[] }[] = [];
  for (const env of ws.environmentsForFile(file)) {
    const st = ws.render(env.dir);
    const res = (st.result ?? st.lastGood)?.resources;
    if (res) out.push({ env, resources: res });
  }
  return out;
}

/** The resources of a root's own render (current or last good); for a component, of its environments. */
export function rootResources(ws: WorkspaceView, dir: string): Resource[] {
  const r = ws.roots.get(dir);
  if (r && r.kind !== 'Component') {
    const st = ws.render(dir);
    const res = (st.result ?? st.lastGood)?.resources;
    if (res) return res;
  }
  const out: Resource[] = [];
  const through = ws.passingThrough(dir);
  for (const env of ws.environmentsOfRoot(dir)) {
    const st = ws.render(env.dir);
    for (const x of (st.result ?? st.lastGood)?.resources ?? []) if (x.origin.via.some((v) => through.has(v))) out.push(x);
  }
  return out;
}

/**
 * What a root's own entries (patches, replacements, images…) act on: the resources accumulated from
 * its `resources`/`bases` before its transformers run. Computed from the included roots' renders and
 * the listed files, so it is available while the root itself does not render (mid-edit).
 */
export function accumulatedResources(ws: WorkspaceView, dir: string): Resource[] {
  const root = ws.roots.get(dir);
  if (!root || root.kind === 'Component') return rootResources(ws, dir);
  const out: Resource[] = [];
  for (const ref of root.refs) {
    if (ref.field !== 'resources' && ref.field !== 'bases') continue;
    if (ws.roots.has(ref.abs)) { if (ref.abs !== dir) out.push(...rootResources(ws, ref.abs)); continue; }
    const parsed = ws.host.stat(ref.abs) === 'file' ? parsedOf(ws, ref.abs) : undefined;
    if (!parsed) continue;
    try { out.push(...resourcesFromFile(parsed, [dir])); } catch { /* reported by diagnostics */ }
  }
  return out.length ? out : rootResources(ws, dir);
}

/**
 * Maps a path inside a source document (a base resource or a patch) to the same field of a rendered
 * object: list items that are maps with a `name` are matched by name, others by index.
 */
export function mapPath(source: JsonValue | undefined, rendered: JsonValue | undefined, p: YamlPath): { path: YamlPath; value: JsonValue | undefined; origin: string } {
  const out: YamlPath = [];
  let s = source, r = rendered;
  let origin = '';
  for (const seg of p) {
    if (typeof seg === 'number' && Array.isArray(r)) {
      const item = Array.isArray(s) ? s[seg] : undefined;
      let idx = seg;
      if (isObject(item) && typeof item.name === 'string') {
        const found = r.findIndex((x) => isObject(x) && x.name === item.name);
        if (found >= 0) idx = found;
      }
      out.push(idx);
      origin += `[${idx}]`;
      s = Array.isArray(s) ? s[seg] : undefined;
      r = r[idx];
    } else if (typeof seg === 'string' && isObject(r)) {
      out.push(seg);
      origin += origin ? `.${seg}` : seg;
      s = isObject(s) ? s[seg] : undefined;
      r = r[seg];
    } else {
      return { path: out, value: undefined, origin };
    }
  }
  return { path: out, value: r, origin };
}

/** The last recorded change of `originPath` or of the nearest ancestor that has one. */
export function lastChange(r: Resource, originPath: string): { by: string; file: string; range?: Range } | undefined {
  let p = originPath;
  for (;;) {
    const list = r.fieldOrigins.get(p);
    const last = list?.[list.length - 1];
    if (last) return { by: last.by, file: last.source.file, range: last.source.range };
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    if (cut <= 0) return undefined;
    p = p.slice(0, cut);
  }
}

/** Does this resource receive changes from `file` (a patch)? */
function patchedBy(r: Resource, file: string): boolean {
  for (const changes of r.fieldOrigins.values()) for (const c of changes) if (c.source.file === file) return true;
  return false;
}

/** The patch documents of a patch file paired with the rendered resources they changed. */
export function patchTargets(ws: WorkspaceView, file: string, docValue: JsonValue | undefined): { env: Environment; resource: Resource }[] {
  const out: { env: Environment; resource: Resource }[] = [];
  const kind = isObject(docValue) ? docValue.kind : undefined;
  const name = isObject(docValue) && isObject(docValue.metadata) ? docValue.metadata.name : undefined;
  for (const { env, resources } of envRenders(ws, file)) {
    for (const r of resources) {
      if (r.origin.source.file === file) continue;
      if (!patchedBy(r, file)) continue;
      if (kind && r.kind !== kind && r.originalKind() !== kind) continue;
      if (typeof name === 'string' && r.name !== name && !r.previousIds.some((x) => x.name === name)) continue;
      out.push({ env, resource: r });
    }
  }
  return out;
}

/** Whether an environment's short name names it alone in the workspace. */
export function nameIsUnique(ws: WorkspaceView, e: Environment): boolean {
  return ws.environments.filter((x) => x.name === e.name).length === 1;
}

/** How an environment is named to the user: its short name where it is unique, else its id. */
export function envLabel(ws: WorkspaceView, e: Environment): string {
  return nameIsUnique(ws, e) ? e.name : e.id;
}
