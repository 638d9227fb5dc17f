// The extension's settings (contributes.configuration in package.json), read fresh on every use so
// that a change takes effect without a reload.
import * as vscode from 'vscode';
import { excludeMatcher, SECTION, SERVER_SETTING_KEYS, SETTING_DEFAULTS, type ServerSettings, type SettingKey } from '../../server/src/protocol';

export { SECTION };

/** What the server applies (declared once in the protocol), plus the preview's client-only options. */
export interface Settings extends ServerSettings {
  showSources: boolean;
  /** The preview follows the active source editor's scroll (gitopsLens.preview.scrollSync). */
  scrollSync: boolean;
}

/** One setting, with package.json's default (contributes.ts) when unset. */
export function setting<T>(c: vscode.WorkspaceConfiguration, key: SettingKey): T {
  return c.get<T>(key, structuredClone(SETTING_DEFAULTS[key]) as T);
}

export function settings(scope?: vscode.ConfigurationScope): Settings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const server = Object.fromEntries(Object.entries(SERVER_SETTING_KEYS).map(([flat, key]) => [flat, setting(c, key)])) as unknown as ServerSettings;
  return { ...server, showSources: setting(c, 'preview.showSources'), scrollSync: setting(c, 'preview.scrollSync') };
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
