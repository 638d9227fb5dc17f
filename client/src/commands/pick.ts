// Choosing what to render: the environment a file is rendered in (asked once per base when several
// environments include it, then remembered), and environment pickers for compare.
import * as vscode from 'vscode';
import { environmentLabel, EnvironmentsForFileRequest, EnvironmentsRequest, type EnvironmentInfo } from '../../../server/src/protocol';
import type { PreviewTarget } from '../preview/uri';
import type { ServerConnection } from '../server';

const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const REMEMBER = 'gitopsLens.environmentFor:';

export function targetOf(env: EnvironmentInfo, file?: string): PreviewTarget {
  const t: PreviewTarget = { environment: env.id, workspaceFolder: env.workspaceFolder, label: environmentLabel(env) };
  if (file) t.file = file;
  return t;
}

/** The file a command was invoked on: the explorer's resource (a folder means its kustomization), else the active editor's. */
export async function fileOf(arg: unknown): Promise<vscode.Uri | undefined> {
  let uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== 'file') return undefined;
  try {
    if ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory) {
      for (const n of KUSTOMIZATION_NAMES) {
        const k = vscode.Uri.joinPath(uri, n);
        try { await vscode.workspace.fs.stat(k); uri = k; break; } catch { /* next name */ }
      }
    }
  } catch { /* unsaved or gone: use as is */ }
  return uri;
}

function folderOf(uri: string): string { return uri.replace(/\/[^/]*$/, ''); }

/**
 * What to preview for a file: its own environment when the file's folder is one, else the file's
 * root as rendered by the environment the user picks (remembered per base).
 */
export async function previewTargetFor(server: ServerConnection, state: vscode.Memento, uri: vscode.Uri, forcePick = false): Promise<PreviewTarget | undefined> {
  const res = await server.request(EnvironmentsForFileRequest, { uri: uri.toString() });
  if (!res) return undefined;
  const folder = folderOf(uri.toString());
  const own = res.environments.find((e) => e.folder.replace(/\/$/, '') === folder);
  const isKustomization = KUSTOMIZATION_NAMES.includes(uri.path.split('/').pop() ?? '');
  if (own && isKustomization) return targetOf(own);
  if (!res.environments.length) {
    void vscode.window.showInformationMessage(`GitOps Lens: no environment renders ${vscode.workspace.asRelativePath(uri)}; it is not included by any kustomization.`);
    return undefined;
  }
  const key = REMEMBER + folder;
  let env: EnvironmentInfo | undefined = own;
  if (!env && res.environments.length === 1) env = res.environments[0];
  if (!env) {
    const remembered = state.get<string>(key);
    env = forcePick ? undefined : res.environments.find((e) => `${e.workspaceFolder}#${e.id}` === remembered);
    if (!env) {
      env = await pickEnvironment(res.environments, `Render ${vscode.workspace.asRelativePath(folder.length ? vscode.Uri.parse(folder) : uri)} in which environment?`, remembered);
      if (!env) return undefined;
      await state.update(key, `${env.workspaceFolder}#${env.id}`);
    }
  }
  return targetOf(env!, uri.toString());
}

export async function pickEnvironment(envs: EnvironmentInfo[], placeHolder: string, preferred?: string, exclude?: EnvironmentInfo): Promise<EnvironmentInfo | undefined> {
  const items = envs
    .filter((e) => !exclude || e.id !== exclude.id || e.workspaceFolder !== exclude.workspaceFolder)
    .map((e) => ({
      label: environmentLabel(e),
      description: e.id,
      detail: `${e.foundBy}${e.problemCount ? ` · ${e.problemCount} problem(s)` : ''}`,
      env: e,
    }))
    .sort((a, b) => (`${b.env.workspaceFolder}#${b.env.id}` === preferred ? 1 : 0) - (`${a.env.workspaceFolder}#${a.env.id}` === preferred ? 1 : 0));
  const picked = await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true, matchOnDetail: true });
  return picked?.env;
}

export async function allEnvironments(server: ServerConnection): Promise<EnvironmentInfo[] | undefined> {
  return (await server.request(EnvironmentsRequest, {}))?.environments;
}
