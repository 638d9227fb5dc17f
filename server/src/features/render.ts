// gitopsLens/render: the rendered YAML of an environment (or of one base as it comes out of an
// environment), with the origin of every document and of every field a kustomization changed.

import path from 'node:path';
import type { Resource } from '../engine/resource';
import { toYaml } from '../engine/yamlio';
import type { FieldOriginInfo, RenderedDocument, RenderParams, RenderProblem, RenderResult } from '../protocol';
import { pathToUri, uriToPath } from '../workspace/uri';
import type { Workspace } from '../workspace/workspace';
import { environmentInfo, findEnvironment, type PublishedDiagnostics } from './environments';

export function renderEnvironment(ws: Workspace, params: RenderParams, published?: PublishedDiagnostics): RenderResult | null {
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
  resources.forEach((r, i) => {
    if (i > 0) { yaml += '---\n'; line++; }
    const text = toYaml(r.obj);
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

function problem(p: { message: string; source?: { file: string; range?: RenderProblem['range'] } }): RenderProblem {
  const out: RenderProblem = { message: p.message };
  if (p.source) { out.uri = pathToUri(p.source.file); if (p.source.range) out.range = p.source.range; }
  return out;
}

function documentInfo(ws: Workspace, r: Resource, range: RenderedDocument['range']): RenderedDocument {
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
