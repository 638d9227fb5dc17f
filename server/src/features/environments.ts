// gitopsLens/environments and gitopsLens/environmentsForFile: the environments the workspace knows.

import type { Diagnostic } from 'vscode-languageserver';
import type { EnvironmentInfo, EnvironmentsForFileResult, EnvironmentsResult } from '../protocol';
import { pathToUri, uriToPath } from '../workspace/uri';
import { nameIsUnique } from './common';
import type { Environment } from '../workspace/types';
import type { WorkspaceView } from '../workspace/view';

/** Published diagnostics by file path, to count an environment's problems. */
export type PublishedDiagnostics = ReadonlyMap<string, Diagnostic[]>;

export function environmentInfo(ws: WorkspaceView, e: Environment, published?: PublishedDiagnostics): EnvironmentInfo {
  const st = ws.renders.get(e.dir);
  const unique = nameIsUnique(ws, e);
  let problemCount: number | undefined;
  if (st && published) {
    problemCount = 0;
    const files = new Set<string>([...st.files, ...(ws.roots.get(e.dir) ? [ws.roots.get(e.dir)!.file] : [])]);
    for (const d of ws.reachableRoots(e.dir)) { const r = ws.roots.get(d); if (r) files.add(r.file); }
    for (const f of files) for (const d of published.get(f) ?? []) if (d.severity === 1 || d.severity === 2) problemCount++;
    if (st.error && !files.has(st.error.source?.file ?? '')) problemCount++;
  }
  const info: EnvironmentInfo = {
    id: e.id,
    shortName: e.name,
    shortNameUnique: unique,
    folder: pathToUri(e.dir),
    workspaceFolder: e.folder.uri,
    kind: e.kind,
    foundBy: e.foundBy,
    problemCount,
    state: !st || st.dirty ? 'pending' : st.error ? 'failed' : 'rendered',
  };
  if (e.foundAt) info.foundAt = { uri: pathToUri(e.foundAt.file), range: e.foundAt.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
  return info;
}

export function listEnvironments(ws: WorkspaceView, workspaceFolder: string | undefined, published?: PublishedDiagnostics): EnvironmentsResult {
  const envs = ws.environments.filter((e) => !workspaceFolder || e.folder.uri === workspaceFolder || e.folder.path === uriToPath(workspaceFolder));
  return { environments: envs.map((e) => environmentInfo(ws, e, published)) };
}

export function environmentsForFile(ws: WorkspaceView, uri: string, published?: PublishedDiagnostics): EnvironmentsForFileResult {
  const file = uriToPath(uri);
  return {
    environments: ws.environmentsForFile(file).map((e) => environmentInfo(ws, e, published)),
    roots: ws.rootsReferencing(file).map((r) => pathToUri(r.dir)),
  };
}

/** An environment by id or short name (and workspace folder when ids repeat across folders). */
export function findEnvironment(ws: WorkspaceView, name: string, workspaceFolder?: string): Environment | undefined {
  const inFolder = ws.environments.filter((e) => !workspaceFolder || e.folder.uri === workspaceFolder || e.folder.path === uriToPath(workspaceFolder));
  return inFolder.find((e) => e.id === name) ?? inFolder.find((e) => e.name === name) ?? inFolder.find((e) => pathToUri(e.dir) === name);
}
