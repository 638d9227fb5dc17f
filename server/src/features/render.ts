// gitopsLens/render: the rendered YAML of an environment (or of one base as it comes out of an
// environment), with the origin of every document and of every field a kustomization changed.
// Secret values are masked unless the request asks for them. With gitopsLens.renderer set to an
// external binary, that binary renders the saved files (workspace/external.ts) and each document
// keeps the origin of the built-in render's document with the same id.

import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { isObject, type JsonObject, type JsonValue, type Resource, toYaml } from '../engine/index';
import { describeRenderer } from '../workspace/external';
import type { FieldOriginInfo, RenderedDocument, RenderParams, RenderProblem, RenderResult } from '../protocol';
import { pathToUri, uriToPath } from '../workspace/uri';
import type { WorkspaceView } from '../workspace/view';
import { environmentInfo, findEnvironment, type PublishedDiagnostics } from './environments';

const MASK = '<masked>';

/** A copy of a Secret with every `data`/`stringData` value replaced by the mask (keys stay); other objects as they are. */
function maskSecret(obj: JsonObject): JsonObject {
  if (obj.kind !== 'Secret') return obj;
  const out: JsonObject = { ...obj };
  for (const k of ['data', 'stringData']) {
    const m = obj[k];
    if (isObject(m)) out[k] = Object.fromEntries(Object.keys(m).map((x) => [x, MASK]));
  }
  return out;
}

/** gitopsLens/render with the renderer in force: the built-in engine, or an external binary on the saved files. */
export function renderRequest(ws: WorkspaceView, params: RenderParams, published?: PublishedDiagnostics): RenderResult | null | Promise<RenderResult | null> {
  return ws.externalRenderer() ? renderExternal(ws, params, published) : renderEnvironment(ws, params, published);
}

export function renderEnvironment(ws: WorkspaceView, params: RenderParams, published?: PublishedDiagnostics): RenderResult | null {
  let env = params.environment ? findEnvironment(ws, params.environment, params.workspaceFolder) : undefined;
  let only: Set<string> | undefined;
  if (params.uri) {
    const file = uriToPath(params.uri);
    const root = ws.roots.get(file) ?? ws.roots.get(path.dirname(file)) ?? ws.rootOf(file);
    if (!env) env = ws.environmentsForFile(file)[0] ?? (root ? ws.environmentsOfRoot(root.dir)[0] : undefined);
    if (root) only = ws.passingThrough(root.dir);
  }
  if (!env) return null;
  const st = ws.render(env.dir);
  // With errors the render holds what could be rendered; when nothing could (the kustomization
  // itself does not parse), the last good render is shown instead, marked stale.
  const stale = st.errors.length > 0 && !st.result?.resources.length && !!st.lastGood;
  const result = stale ? st.lastGood : st.result ?? st.lastGood;
  let resources = result?.resources ?? [];
  if (only) resources = resources.filter((r) => r.origin.via.some((v) => only!.has(v)));
  let yaml = '';
  let line = 0;
  const documents: RenderedDocument[] = [];
  const mask = params.maskSecrets !== false;
  resources.forEach((r, i) => {
    if (i > 0) { yaml += '---\n'; line++; }
    const text = toYaml(mask ? maskSecret(r.obj) : r.obj);
    const lines = text.split('\n').length - 1;
    documents.push(documentInfo(ws, r, { start: { line, character: 0 }, end: { line: line + lines, character: 0 } }));
    yaml += text;
    line += lines;
  });
  const out: RenderResult = { environment: environmentInfo(ws, env, published), yaml, documents, warnings: (result?.warnings ?? []).map(problem), version: st.version };
  if (st.error) out.error = problem(st.error);
  if (st.errors.length) out.errors = st.errors.map(problem);
  if (stale) out.stale = true;
  return out;
}

/**
 * The environment rendered by the external binary (gitopsLens.renderer) from the saved files. Documents
 * take their origin from the built-in render's document of the same kind, namespace and name.
 */
async function renderExternal(ws: WorkspaceView, params: RenderParams, published?: PublishedDiagnostics): Promise<RenderResult | null> {
  const builtin = renderEnvironment(ws, { ...params, maskSecrets: true }, published);
  const r = ws.externalRenderer();
  if (!builtin || !r) return builtin;
  const env = findEnvironment(ws, builtin.environment.id, builtin.environment.workspaceFolder);
  if (!env) return builtin;
  const st = ws.render(env.dir);
  // Cached while the files the render read are the same on disk (unsaved edits do not re-run it).
  const files = [...st.files].sort();
  const key = JSON.stringify([r, files.map((f) => `${f}@${ws.io.files.version?.(f) ?? '-'}`)]);
  const out = await ws.external.get(env.dir, key, () => ws.io.runRenderer(r, env.dir));
  const renderer = { name: describeRenderer(r), command: r.command, savedFilesOnly: true as const };
  const result: RenderResult = { environment: builtin.environment, yaml: '', documents: [], warnings: [], version: builtin.version, renderer };
  if (out.error) {
    result.error = { message: out.error };
    result.errors = [result.error];
    return result;
  }
  for (const l of out.stderr.split('\n').map((x) => x.trim()).filter(Boolean).slice(0, 20)) result.warnings.push({ message: l });
  const byId = new Map(builtin.documents.map((d) => [`${d.kind}|${d.namespace ?? ''}|${d.name}`, d]));
  const only = params.uri ? new Set(builtin.documents.map((d) => `${d.kind}|${d.namespace ?? ''}|${d.name}`)) : undefined;
  const mask = params.maskSecrets !== false;
  let yaml = '';
  let line = 0;
  const docs = parseAllDocuments(out.yaml);
  for (const d of Array.isArray(docs) ? docs : [docs]) {
    const v = d.toJS() as JsonValue;
    if (!isObject(v)) continue;
    const meta = isObject(v.metadata) ? v.metadata : {};
    const id = { apiVersion: String(v.apiVersion ?? ''), kind: String(v.kind ?? ''), name: String(meta.name ?? ''), namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined };
    const k = `${id.kind}|${id.namespace ?? ''}|${id.name}`;
    if (only && !only.has(k)) continue;
    if (result.documents.length) { yaml += '---\n'; line++; }
    const text = toYaml(mask ? maskSecret(v) : v);
    const lines = text.split('\n').length - 1;
    const known = byId.get(k);
    const doc: RenderedDocument = {
      apiVersion: id.apiVersion, kind: id.kind, name: id.name,
      range: { start: { line, character: 0 }, end: { line: line + lines, character: 0 } },
      origin: known?.origin ?? { uri: pathToUri(ws.roots.get(env.dir)?.file ?? env.dir) },
      fields: [], via: known?.via ?? [],
    };
    if (id.namespace) doc.namespace = id.namespace;
    if (known?.schema) doc.schema = known.schema;
    result.documents.push(doc);
    yaml += text;
    line += lines;
  }
  result.yaml = yaml;
  return result;
}

function problem(p: { message: string; source?: { file: string; range?: RenderProblem['range'] } }): RenderProblem {
  const out: RenderProblem = { message: p.message };
  if (p.source) { out.uri = pathToUri(p.source.file); if (p.source.range) out.range = p.source.range; }
  return out;
}

function documentInfo(ws: WorkspaceView, r: Resource, range: RenderedDocument['range']): RenderedDocument {
  const fields: FieldOriginInfo[] = [];
  for (const [p, changes] of r.fieldOrigins) {
    const last = changes[changes.length - 1];
    if (!last) continue;
    const f: FieldOriginInfo = { path: p, by: last.by, uri: pathToUri(last.source.file) };
    if (last.source.range) f.range = last.source.range;
    fields.push(f);
  }
  const doc: RenderedDocument = {
    apiVersion: r.apiVersion, kind: r.kind, name: r.name, range,
    origin: { uri: pathToUri(r.origin.source.file) },
    fields,
    via: r.origin.via.map(pathToUri),
  };
  if (r.namespace) doc.namespace = r.namespace;
  if (ws.schemaChecks) { const s = ws.schemas.lookup(r.apiVersion, r.kind); if (s) doc.schema = s.source; }
  if (r.origin.source.range) doc.origin.range = r.origin.source.range;
  if (r.origin.generator) doc.origin.generator = r.origin.generator;
  return doc;
}
