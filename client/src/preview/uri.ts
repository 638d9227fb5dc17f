// Preview documents live under their own URI scheme: read-only, language YAML (the path ends in
// .yaml), one per environment (or per base as it comes out of one environment).
import * as vscode from 'vscode';

export const SCHEME = 'gitops-lens';

export interface PreviewTarget {
  /** Environment id (folder relative to its workspace folder). */
  environment: string;
  /** The environment's workspace folder (URI string). */
  workspaceFolder: string;
  /** Render only what comes from this file's kustomization root (a base), when set. */
  file?: string;
  /** Short name of the environment, for the title. */
  label: string;
  /** One side of a comparison: no per-document source comments (they differ between environments). */
  compare?: boolean;
}

export function previewUri(t: PreviewTarget): vscode.Uri {
  const q = new URLSearchParams({ env: t.environment, ws: t.workspaceFolder, label: t.label });
  if (t.file) q.set('file', t.file);
  if (t.compare) q.set('compare', '1');
  const folder = t.file ? vscode.Uri.parse(t.file).path.split('/').slice(0, -1) : [];
  const name = t.file ? `${folder[folder.length - 2] ?? ''}-${folder[folder.length - 1] ?? ''} in ${t.label}` : t.label;
  return vscode.Uri.from({ scheme: SCHEME, path: `/${t.environment === '.' ? 'root' : t.environment}/${name.replace(/\//g, '-')}.rendered.yaml`, query: q.toString() });
}

export function parsePreviewUri(uri: vscode.Uri): PreviewTarget | undefined {
  if (uri.scheme !== SCHEME) return undefined;
  const q = new URLSearchParams(uri.query);
  const environment = q.get('env');
  const workspaceFolder = q.get('ws');
  if (!environment || !workspaceFolder) return undefined;
  const t: PreviewTarget = { environment, workspaceFolder, label: q.get('label') ?? environment };
  const file = q.get('file');
  if (file) t.file = file;
  if (q.get('compare') === '1') t.compare = true;
  return t;
}
