// Hover: on a kustomization key, its documentation and what the entry contributes; on a field of a
// base resource or of a patch, the final value in each environment that includes it and the file and
// line that set it ("prod: 5 — overlays/prod/replicas.yaml:7; dev: 1 — base/deploy.yaml:9").

import path from 'node:path';
import type { Hover, Position } from 'vscode-languageserver';
import { formatOriginPath, type JsonValue, type Resource, toYaml } from '../engine/index';
import { isKustomizationFile } from '../workspace/roots';
import { nodeAt, offsetAt, type YamlPath } from '../workspace/yaml-position';
import type { WorkspaceView } from '../workspace/view';
import { envLabel, envRenders, lastChange, mapPath, patchTargets, relLabel, schemaAt, textOf, valuesOf } from './common';

export function hover(ws: WorkspaceView, file: string, pos: Position): Hover | null {
  const text = textOf(ws, file);
  if (text === undefined) return null;
  const at = nodeAt(text, offsetAt(text, pos));
  if (!at || at.path.length === 0) return null;
  if (isKustomizationFile(file)) return kustomizationHover(ws, file, at.path, at.range);
  return fieldHover(ws, file, text, at.docIndex, at.path, at.range);
}

function kustomizationHover(ws: WorkspaceView, file: string, p: YamlPath, range: Hover['range']): Hover | null {
  const lines: string[] = [];
  const fieldPath = typeof p[p.length - 1] === 'number' ? p.slice(0, -1) : p;
  const s = schemaAt(fieldPath);
  if (s?.doc) {
    lines.push(`**${fieldPath.filter((x) => typeof x === 'string').join('.')}** — ${s.doc.doc}`);
    if (s.doc.deprecated) lines.push(`\n*Deprecated*: use \`${s.doc.deprecated}\` instead.`);
  }
  // What a path entry contributes.
  const root = ws.roots.get(path.dirname(file));
  const ref = root?.refs.find((r) => r.yamlPath.length === p.length && r.yamlPath.every((x, i) => x === p[i]));
  if (root && ref && (ref.field === 'resources' || ref.field === 'bases' || ref.field === 'components')) {
    const st = ws.render(root.dir);
    const res = (st.result ?? st.lastGood)?.resources ?? [];
    const through = ws.roots.has(ref.abs) ? ws.passingThrough(ref.abs) : undefined;
    const from = res.filter((r) => (through ? r.origin.via.some((v) => through.has(v)) : r.origin.source.file === ref.abs));
    if (ref.field !== 'components' && from.length) {
      lines.push(`\nContributes ${from.length} object${from.length === 1 ? '' : 's'}:`);
      for (const r of from.slice(0, 20)) lines.push(`- ${r.kind} ${r.namespace ? r.namespace + '/' : ''}${r.name}`);
      if (from.length > 20) lines.push(`- … and ${from.length - 20} more`);
    }
  }
  if (!lines.length) return null;
  return { contents: { kind: 'markdown', value: lines.join('\n') }, range };
}

function short(v: JsonValue | undefined): string {
  if (v === undefined) return '(absent)';
  if (v === null || typeof v !== 'object') return `\`${String(v)}\``;
  const y = toYaml(v).trimEnd();
  return y.length > 300 ? '\n```yaml\n' + y.slice(0, 300) + '\n…\n```' : '\n```yaml\n' + y + '\n```';
}

function fieldHover(ws: WorkspaceView, file: string, text: string, docIndex: number, p: YamlPath, range: Hover['range']): Hover | null {
  const doc = valuesOf(text)[docIndex];
  const entries: string[] = [];
  const describe = (envName: string, r: Resource) => {
    const m = mapPath(doc, r.obj, p);
    // The engine knows where any rendered field was set: the last entry that changed it, else its line in the source.
    let src = ws.engine.fieldSource(r, m.origin);
    let by = r.fieldOrigins.get(m.origin)?.at(-1)?.by;
    if (!by && src?.range === r.origin.source.range) {
      // Not in the source document: set as part of a larger value (a patch adding a whole map).
      const ch = lastChange(r, m.origin);
      if (ch) { src = { file: ch.file, range: ch.range }; by = ch.by; }
    }
    const who = src ? `${relLabel(ws, src.file)}${src.range ? `:${src.range.start.line + 1}` : ''}${by && by !== 'patches' ? ` (${by})` : ''}` : '';
    // Secret values stay masked (gitopsLens.preview.maskSecrets), as in the preview.
    const secret = ws.settings.maskSecrets && r.kind === 'Secret' && /^(data|stringData)(\.|\[|$)/.test(m.origin);
    entries.push(`**${envName}**: ${secret ? '`<masked>`' : short(m.value)} — ${who}`);
  };
  // A base document: the rendered copies of it.
  let any = false;
  for (const { env, resources } of envRenders(ws, file)) {
    for (const r of resources) {
      if (r.origin.source.file !== file || (r.origin.docIndex ?? 0) !== docIndex) continue;
      any = true;
      describe(envLabel(ws, env), r);
    }
  }
  // A patch document: the objects it changed.
  if (!any) for (const { env, resource } of patchTargets(ws, file, doc)) { any = true; describe(envLabel(ws, env), resource); }
  if (!any) return null;
  const title = `\`${formatOriginPath(p)}\` in each environment:`;
  return { contents: { kind: 'markdown', value: [title, '', ...entries.map((e) => `- ${e}`)].join('\n') }, range };
}
