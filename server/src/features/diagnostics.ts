// Diagnostics of one file: (workspace, file) -> LSP diagnostics. For kustomization files: YAML syntax,
// unknown or misplaced fields, deprecated fields, missing files and folders, cycles, patch targets
// that match nothing in every environment that includes them; for every file: the render errors of
// the environments that read it, at the line that caused them; for YAML files next to a
// kustomization that nothing references: a hint.

import path from 'node:path';
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver';
import { compileSelector, isObject, kustomizationFields, kustomizationProblems, type MissingInput, type Range, rangeOfPath, type Resource, type SelectorSpec } from '../engine/index';
import { isKustomizationFile, type Root } from '../workspace/roots';
import type { Environment } from '../workspace/types';
import type { WorkspaceView } from '../workspace/view';
import { envLabel } from './common';

const SOURCE = 'gitops-lens';
const WHOLE_FIRST_LINE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };

/**
 * The diagnostics of `file` under the settings in force: none when gitopsLens.diagnostics.enabled is
 * off or the file is in an excluded folder; deprecations, unreferenced-file hints and targets that
 * select nothing only when their own setting is on (they are then not computed at all).
 */
export function diagnosticsFor(ws: WorkspaceView, file: string): Diagnostic[] {
  const s = ws.settings;
  if (!s.diagnosticsEnabled || ws.isExcluded(file)) return [];
  const out: Diagnostic[] = [];
  const root = isKustomizationFile(file) ? ws.roots.get(path.dirname(file)) : undefined;
  if (root && root.file === file) kustomizationDiagnostics(ws, root, out);
  const staticErrorLines = new Set(out.filter((d) => d.severity === DiagnosticSeverity.Error).map((d) => d.range.start.line));
  const rendered: Diagnostic[] = [];
  renderErrors(ws, file, rendered);
  // A render error at a line that already has a static error says the same thing again.
  for (const d of rendered) if (!staticErrorLines.has(d.range.start.line)) out.push(d);
  schemaDiagnostics(ws, file, out);
  if (!root && s.unreferencedFiles) unreferenced(ws, file, out);
  return out;
}

/**
 * Schema problems of the rendered objects placed in this file (the line that set the field), and a
 * hint on each source document whose kind no known schema covers. Grouped across environments.
 */
function schemaDiagnostics(ws: WorkspaceView, file: string, out: Diagnostic[]): void {
  const groups = new Map<string, { range?: Range; message: string; code: string; severity: DiagnosticSeverity; envs: Set<string>; ids: Set<string>; data: Record<string, unknown> }>();
  const add = (key: string, make: () => { range?: Range; message: string; code: string; severity: DiagnosticSeverity; data: Record<string, unknown> }, env: Environment) => {
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ...make(), envs: new Set(), ids: new Set() }));
    g.envs.add(envLabel(ws, env));
    g.ids.add(env.id);
  };
  for (const dir of ws.rootsReading(file)) {
    const env = ws.envForDir(dir);
    const st = ws.renders.get(dir);
    if (!env || !st) continue;
    for (const p of st.schema) {
      if (p.source.file !== file) continue;
      const message = `${p.object}: ${p.path ? `${p.path}: ` : ''}${p.message}`;
      add(`${JSON.stringify(p.source.range)}|${message}`, () => ({ range: p.source.range, message, code: `schema-${p.kind}`, severity: p.kind === 'unknown' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error, data: { object: p.id, path: p.path } }), env);
    }
  }
  // One notice per kind in the whole workspace, at its first object (by file and line).
  for (const u of ws.uncheckedKinds().values()) {
    if (u.source.file !== file) continue;
    const range = u.source.range ? { start: u.source.range.start, end: { line: u.source.range.start.line, character: 0 } } : undefined;
    const more = u.objects > 1 ? ` (nor ${u.objects - 1} more ${u.kind} object${u.objects > 2 ? 's' : ''} in this workspace)` : '';
    const message = `${u.kind} ${u.name} is not schema-checked${more}: no schema known for ${u.apiVersion} ${u.kind} (add its CustomResourceDefinition to the workspace, or name it in gitopsLens.schema.crdLocations)`;
    out.push(diag(range, message, DiagnosticSeverity.Hint, 'schema-unchecked', { apiVersion: u.apiVersion, kind: u.kind }));
  }
  for (const g of groups.values()) {
    const shown = envList(g.envs);
    out.push(diag(g.range, `${g.message} (rendering ${shown})`, g.severity, g.code, { ...g.data, environments: [...g.ids].sort() }));
  }
}

/** Environment labels for a message: sorted, the first three and how many more. */
function envList(labels: Set<string>): string {
  const envs = [...labels].sort();
  return envs.length > 3 ? `${envs.slice(0, 3).join(', ')} and ${envs.length - 3} more` : envs.join(', ');
}

function diag(range: Range | undefined, message: string, severity: DiagnosticSeverity, code?: string, data?: unknown, tags?: DiagnosticTag[]): Diagnostic {
  const d: Diagnostic = { range: range ?? WHOLE_FIRST_LINE, message, severity, source: SOURCE };
  if (code) d.code = code;
  if (data !== undefined) d.data = data;
  if (tags) d.tags = tags;
  return d;
}

function kustomizationDiagnostics(ws: WorkspaceView, root: Root, out: Diagnostic[]): void {
  if (root.syntaxError) {
    out.push(diag(root.syntaxError.source?.range, root.syntaxError.message, DiagnosticSeverity.Error, 'yaml'));
    return;
  }
  const parsed = root.parsed!;
  const doc = root.docIndex;
  const raw = root.raw;
  if (!raw) {
    const first = parsed.documents.find((d) => d.value !== null);
    if (first) out.push(diag(first.range, 'invalid Kustomization: json: cannot unmarshal into Go value of type types.Kustomization (expected a mapping)', DiagnosticSeverity.Error, 'schema'));
    else out.push(diag(undefined, 'kustomization.yaml is empty', DiagnosticSeverity.Error, 'schema'));
    return;
  }
  // Fields: unknown, wrong type, deprecated.
  const where = (p: (string | number)[], which: 'key' | 'value' = 'key') => rangeOfPath(parsed, doc, p, which) ?? rangeOfPath(parsed, doc, p.slice(0, -1), 'key');
  for (const key of Object.keys(raw)) {
    const fd = kustomizationFields[key];
    // kustomize warns when the field decodes to something (`vars:` with no value is a nil list: no warning).
    if (fd?.deprecated && ws.settings.deprecatedFields && raw[key] !== null && raw[key] !== undefined) {
      out.push(diag(where([key]), `Warning: '${key}' is deprecated. Please use '${fd.deprecated}' instead.`, DiagnosticSeverity.Warning, 'deprecated', { field: key }, [DiagnosticTag.Deprecated]));
    }
  }
  // The engine's own check, every problem rather than kustomize's first.
  for (const p of kustomizationProblems(raw)) {
    out.push(diag(where(p.path), `invalid Kustomization: json: ${p.message}`, DiagnosticSeverity.Error, p.code));
  }
  const kind = raw.kind ?? 'Kustomization';
  if (kind !== 'Kustomization' && kind !== 'Component') out.push(diag(where(['kind'], 'value'), 'kind should be Kustomization or Component', DiagnosticSeverity.Error, 'schema'));

  // Paths.
  for (const ref of root.refs) {
    const st = ws.host.stat(ref.abs);
    const range = where(ref.yamlPath, 'value');
    const data = { abs: ref.abs, expect: ref.expect, kustomization: root.file, yamlPath: ref.yamlPath };
    if (st === undefined) {
      const msg = ref.expect === 'dir'
        ? `must build at directory: not a valid directory: evalsymlink failure on '${ref.abs}' : lstat ${ref.abs}: no such file or directory`
        : ref.field === 'resources' || ref.field === 'bases'
          ? `accumulating resources from '${ref.value}': open ${ref.abs}: no such file or directory`
          : `open ${ref.abs}: no such file or directory`;
      out.push(diag(range, msg, DiagnosticSeverity.Error, 'missing-file', data));
    } else if (st === 'directory' && (ref.expect === 'dir' || ref.expect === 'file-or-dir') && !ws.roots.has(ref.abs) && ['resources', 'bases', 'components'].includes(ref.field)) {
      out.push(diag(range, `unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${ref.abs}'`, DiagnosticSeverity.Error, 'missing-kustomization', data));
    } else if (st === 'directory' && ref.expect === 'file') {
      out.push(diag(range, `'${ref.value}' is a directory; a file is expected here`, DiagnosticSeverity.Error, 'not-a-file', data));
    } else if (st === 'file' && ref.expect === 'dir') {
      out.push(diag(range, `must build at directory: '${ref.abs}': file is not directory`, DiagnosticSeverity.Error, 'not-a-dir', data));
    } else if (ref.field === 'components' && ws.roots.get(ref.abs)?.kind === 'Kustomization') {
      out.push(diag(range, `expected kind 'Component' for path '${ref.abs}' but got 'Kustomization'`, DiagnosticSeverity.Error, 'not-a-component'));
    } else if ((ref.field === 'resources' || ref.field === 'bases') && ws.roots.get(ref.abs)?.kind === 'Component') {
      out.push(diag(range, `expected kind != 'Component' for path '${ref.abs}' (list it under components)`, DiagnosticSeverity.Error, 'component-as-resource'));
    }
  }
  // Cycles: an included root that includes this one again.
  for (const inc of root.includes) {
    const chain = pathTo(ws, inc.abs, root.dir, new Set());
    if (chain) {
      const rel = (d: string) => path.relative(path.dirname(root.dir), d) || '.';
      out.push(diag(where(inc.yamlPath, 'value'), `cycle detected: ${[root.dir, ...chain].map(rel).join(' -> ')}`, DiagnosticSeverity.Error, 'cycle'));
    }
  }
  if (ws.settings.targetsSelectingNothing) patchTargets(ws, root, out, where);
}

function pathTo(ws: WorkspaceView, from: string, to: string, seen: Set<string>): string[] | undefined {
  if (from === to) return [to];
  if (seen.has(from)) return undefined;
  seen.add(from);
  for (const inc of ws.roots.get(from)?.includes ?? []) {
    const rest = pathTo(ws, inc.abs, to, seen);
    if (rest) return [from, ...rest];
  }
  return undefined;
}

/** Candidate resources a selector of root `dir` may select, per environment that includes it. */
function candidatesPerEnv(ws: WorkspaceView, dir: string): { env: Environment; resources: Resource[] }[] {
  const through = ws.passingThrough(dir);
  const out: { env: Environment; resources: Resource[] }[] = [];
  for (const env of ws.environmentsOfRoot(dir)) {
    const st = ws.renders.get(env.dir);
    const res = st?.result?.resources;
    if (!res) continue;
    out.push({ env, resources: res.filter((r) => r.origin.via.some((v) => through.has(v))) });
  }
  return out;
}

function patchTargets(ws: WorkspaceView, root: Root, out: Diagnostic[], where: (p: (string | number)[], w?: 'key' | 'value') => Range | undefined): void {
  const raw = root.raw!;
  const parsed = root.parsed!;
  const perEnv = candidatesPerEnv(ws, root.dir);
  // An environment whose render lacks an input, or failed somewhere (a missing or refused file, an
  // entry in error), may hold the target in what is missing: nothing is concluded there.
  if (!perEnv.length || ws.environmentsOfRoot(root.dir).some((env) => !!ws.renders.get(env.dir)?.errors.length)) return;
  const names = perEnv.map(({ env }) => envLabel(ws, env));
  const report = (target: SelectorSpec, yamlPath: (string | number)[], what: string) => {
    const candidates = [...new Set(perEnv.flatMap(({ resources }) => resources.filter((r) => !target.kind || r.kind === target.kind).map((r) => r.previousIds[0]?.name ?? r.name)))];
    const sel = Object.entries(target).filter(([, v]) => typeof v === 'string').map(([k, v]) => `${k}=${v}`).join(', ');
    out.push(diag(where(yamlPath), `${what} selects nothing (${sel}) in ${names.length === 1 ? 'environment' : 'any of the environments'} ${names.join(', ')}; kustomize ignores it silently`, DiagnosticSeverity.Warning, 'selects-nothing', { yamlPath, kind: target.kind, name: target.name, candidates }));
  };
  // patches[i] and patchesJson6902[i] with a target: the engine counts what each entry selected when
  // it ran, in every environment (a later patch may change the kind or name it selected by).
  for (const field of ['patches', 'patchesJson6902'] as const) {
    const list = raw[field];
    if (!Array.isArray(list)) continue;
    list.forEach((p, i) => {
      if (!isObject(p) || !isObject(p.target)) return;
      const line = rangeOfPath(parsed, root.docIndex, [field, i])?.start.line;
      let seen = false, matched = 0;
      for (const env of ws.environmentsOfRoot(root.dir)) {
        for (const s of ws.renders.get(env.dir)?.result?.selections ?? []) {
          if (s.source.file === root.file && s.source.range?.start.line === line) { seen = true; matched += s.matched; }
        }
      }
      if (seen && matched === 0) report(p.target as SelectorSpec, [field, i, 'target'], 'patch');
    });
  }
  // replacements: not counted by the engine; match their selectors against what passes through.
  const entries: { target: SelectorSpec; yamlPath: (string | number)[]; what: string }[] = [];
  if (Array.isArray(raw.replacements)) {
    raw.replacements.forEach((rep, i) => {
      if (!isObject(rep)) return;
      if (isObject(rep.source)) entries.push({ target: rep.source as SelectorSpec, yamlPath: ['replacements', i, 'source'], what: 'replacement source' });
      if (Array.isArray(rep.targets)) rep.targets.forEach((t, j) => { if (isObject(t) && isObject(t.select)) entries.push({ target: t.select as SelectorSpec, yamlPath: ['replacements', i, 'targets', j, 'select'], what: 'replacement target' }); });
    });
  }
  for (const e of entries) {
    let sel;
    try { sel = compileSelector(e.target); } catch { continue; }
    if (perEnv.some(({ resources }) => resources.some((r) => sel.matches(r)))) continue;
    report(e.target, e.yamlPath, e.what);
  }
}

/**
 * Render errors at their lines. An input the render could not have (a remote base, helm charts with
 * helm off, a plugin) is said once, at the entry that names it, as information: the render is
 * incomplete, not wrong. Other errors of an incomplete render are not shown: they may only follow
 * from what is missing (a patch whose target the remote base would have held).
 */
function renderErrors(ws: WorkspaceView, file: string, out: Diagnostic[]): void {
  const groups = new Map<string, { range?: Range; message: string; missing?: MissingInput; envs: Set<string>; ids: Set<string> }>();
  for (const dir of ws.rootsWithErrorIn(file)) {
    const st = ws.renders.get(dir);
    const env = ws.envForDir(dir);
    if (!st || !env) continue;
    for (const e of st.errors) {
      if (st.incomplete && !e.missing) continue;
      if (ws.errorFile(e.source, dir) !== file) continue;
      const range = e.source?.file === file ? e.source.range : undefined;
      const key = `${JSON.stringify(range)}|${e.message}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { range, message: e.message, missing: e.missing, envs: new Set(), ids: new Set() }));
      g.envs.add(envLabel(ws, env));
      g.ids.add(env.id);
    }
  }
  for (const g of groups.values()) {
    const shown = envList(g.envs);
    const data = { environments: [...g.ids].sort() };
    if (g.missing) out.push(diag(g.range, incompleteMessage(g.missing, shown, ws.settings.remoteEnabled), DiagnosticSeverity.Information, 'incomplete', { ...data, missing: g.missing }));
    else out.push(diag(g.range, `${g.message} (rendering ${shown})`, DiagnosticSeverity.Error, 'render', data));
  }
}

function incompleteMessage(m: MissingInput, envs: string, fetching: boolean): string {
  const rest = `the render of ${envs} is incomplete without it, so nothing is reported about what it would add or select`;
  switch (m.kind) {
    case 'remote': return fetching ? `${m.what} is not fetched yet: ${rest}` : `${m.what} is not fetched (remote fetching is off: set gitopsLens.remote.enabled to fetch it): ${rest}`;
    case 'helm': return `helm chart ${m.what} is not inflated: set gitopsLens.helm.path to a helm v3 binary to render it (kustomize's --enable-helm); ${rest}`;
    case 'plugin': return `${m.what} is not run (only kustomize's builtin generators and transformers are): ${rest}`;
  }
}

/**
 * A hint on a file of Kubernetes objects next to a kustomization that nothing references. Said only
 * when no other consumer is likely: not for files without objects (values, tool configuration), not
 * for files other tools read (helm charts, Argo CD's parameter files, skaffold manifests), not for
 * files a script, Makefile or other file beside them names.
 */
function unreferenced(ws: WorkspaceView, file: string, out: Diagnostic[]): void {
  if (!/\.ya?ml$/i.test(file) || !ws.yamlFiles.has(file)) return;
  const root = ws.roots.get(path.dirname(file));
  if (!root || root.syntaxError) return;
  if (ws.rootsReading(file).size > 0) return;
  if (ws.rootsReferencing(file).length > 0) return;
  if (usedByAnotherTool(ws, file)) return;
  out.push(diag(WHOLE_FIRST_LINE, `${path.basename(file)} is not referenced by ${path.basename(root.file)} (nor by any other kustomization); it is not part of any render`, DiagnosticSeverity.Hint, 'unreferenced', { kustomization: root.file, file }, [DiagnosticTag.Unnecessary]));
}

/** Names of files other tools read beside kustomize. */
const TOOL_FILES = /^(\.argocd-source.*\.ya?ml|\.argocd-app\.ya?ml|\.argo-cd\.ya?ml|Chart\.ya?ml|Chart\.lock|values.*\.ya?ml|skaffold.*\.ya?ml|\.sops\.ya?ml|\.pre-commit-config\.ya?ml|kustomizeconfig.*\.ya?ml|.*\.sops\.ya?ml)$/i;
/** Files that name other files they run or read. */
const SCRIPT = /(\.(sh|bash|py|mk|mjs|js|ts|go|tf|json|jsonnet|libsonnet|cue|md|txt)$|^(Makefile|Taskfile\.ya?ml|justfile|Tiltfile|skaffold.*\.ya?ml|Dockerfile|\.gitlab-ci\.yml|\.argocd-source.*\.ya?ml)$)/i;

function usedByAnotherTool(ws: WorkspaceView, file: string): boolean {
  const name = path.basename(file);
  if (TOOL_FILES.test(name)) return true;
  let text: string;
  try { text = ws.host.readFile(file); } catch { return true; }
  // No Kubernetes object in it (values, a tool's configuration, a JSON 6902 patch list): not ours to judge.
  if (!/^apiVersion:\s*\S/m.test(text) || !/^kind:\s*\S/m.test(text)) return true;
  const folder = ws.folderOf(file);
  // Walking up to the workspace folder: inside a helm chart (a Chart.yaml here or above, helm renders
  // it), or named by a script, a Makefile or another tool's file beside it or in a folder above.
  const rel = (d: string) => path.relative(d, file);
  for (let d = path.dirname(file), depth = 0; folder && d.startsWith(folder.path); d = path.dirname(d), depth++) {
    if (ws.host.stat(path.join(d, 'Chart.yaml')) === 'file') return true;
    if (depth < 6) {
      let names: string[];
      try { names = ws.host.readDirectory(d); } catch { names = []; }
      for (const n of names.slice(0, 400)) {
        const p = path.join(d, n);
        if (p === file || !(depth === 0 ? SCRIPT.test(n) || /\.ya?ml$/i.test(n) : SCRIPT.test(n))) continue;
        if (ws.roots.get(d)?.file === p || ws.host.stat(p) !== 'file') continue;
        let t: string;
        try { t = ws.host.readFile(p); } catch { continue; }
        if (t.includes(name) || t.includes(rel(d))) return true;
      }
    }
    if (d === folder.path || d === path.dirname(d)) break;
  }
  return false;
}
