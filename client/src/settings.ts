// The extension's settings (contributes.configuration in package.json), read fresh on every use so
// that a change takes effect without a reload.
import * as vscode from 'vscode';
import { excludeMatcher, type ServerSettings } from '../../server/src/protocol';

export const SECTION = 'gitopsLens';

/** What the server applies (declared once in the protocol), plus the preview's client-only options. */
export interface Settings extends ServerSettings {
  showSources: boolean;
  /** The preview follows the active source editor's scroll (gitopsLens.preview.scrollSync). */
  scrollSync: boolean;
}

export function settings(scope?: vscode.ConfigurationScope): Settings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  return {
    renderer: c.get('renderer', 'builtin'),
    kustomizePath: c.get('kustomizePath', 'kustomize'),
    kubectlPath: c.get('kubectlPath', 'kubectl'),
    helmPath: c.get('helm.path', ''),
    schemaEnabled: c.get('schema.enabled', true),
    crdLocations: c.get('schema.crdLocations', []),
    maskSecrets: c.get('preview.maskSecrets', true),
    showSources: c.get('preview.showSources', true),
    scrollSync: c.get('preview.scrollSync', true),
    diagnosticsEnabled: c.get('diagnostics.enabled', true),
    deprecatedFields: c.get('diagnostics.deprecatedFields', true),
    unreferencedFiles: c.get('diagnostics.unreferencedFiles', true),
    targetsSelectingNothing: c.get('diagnostics.targetsSelectingNothing', true),
    exclude: c.get('exclude', []),
    kubernetesVersion: c.get('kubernetesVersion', ''),
  };
}

/** Whether a diagnostic with this code is shown under the current settings. */
export function diagnosticShown(s: Settings, code: unknown): boolean {
  if (!s.diagnosticsEnabled) return false;
  if (code === 'deprecated') return s.deprecatedFields;
  if (code === 'unreferenced') return s.unreferencedFiles;
  if (code === 'selects-nothing') return s.targetsSelectingNothing;
  return true;
}

/** Whether a workspace-relative path lies in one of the excluded folders (the server's rules: protocol.ts excludeMatcher). */
export function isExcluded(s: Settings, relPath: string): boolean {
  return excludeMatcher(s.exclude)(relPath);
}
