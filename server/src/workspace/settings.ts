// The settings the language server applies (protocol.ts ServerSettings): read from the client's
// initializationOptions (flat) or from workspace/didChangeConfiguration (flat, or VS Code's nested
// `gitopsLens` section), with the defaults of package.json's contributes.configuration.

import type { ServerSettings } from '../protocol';

export const DEFAULT_SETTINGS: Readonly<ServerSettings> = Object.freeze({
  renderer: 'builtin', kustomizePath: 'kustomize', kubectlPath: 'kubectl', helmPath: '',
  schemaEnabled: true, crdLocations: [], maskSecrets: true,
  diagnosticsEnabled: true, deprecatedFields: true, unreferencedFiles: true, targetsSelectingNothing: true,
  exclude: [], kubernetesVersion: '',
});

type Raw = Record<string, unknown>;
const isRaw = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Settings from what a client sent: `{ settings: {...} }` or the settings themselves, flat
 * (`helmPath`) or nested (`{ gitopsLens: { helm: { path } } }`). Missing or ill-typed values keep
 * `base`'s (the defaults).
 */
export function readSettings(sent: unknown, base: ServerSettings = DEFAULT_SETTINGS): ServerSettings {
  let raw: unknown = isRaw(sent) && isRaw(sent.settings) ? sent.settings : sent;
  if (isRaw(raw) && isRaw(raw.gitopsLens)) raw = flatten(raw.gitopsLens);
  const out: ServerSettings = { ...base, crdLocations: [...base.crdLocations], exclude: [...base.exclude] };
  if (!isRaw(raw)) return out;
  const str = (k: keyof ServerSettings) => { if (typeof raw[k] === 'string') (out as unknown as Raw)[k] = raw[k]; };
  const bool = (k: keyof ServerSettings) => { if (typeof raw[k] === 'boolean') (out as unknown as Raw)[k] = raw[k]; };
  const list = (k: 'crdLocations' | 'exclude') => { if (Array.isArray(raw[k])) out[k] = (raw[k] as unknown[]).filter((x): x is string => typeof x === 'string' && x.trim() !== ''); };
  if (raw.renderer === 'builtin' || raw.renderer === 'kustomize' || raw.renderer === 'kubectl') out.renderer = raw.renderer;
  str('kustomizePath'); str('kubectlPath'); str('helmPath'); str('kubernetesVersion');
  bool('schemaEnabled'); bool('maskSecrets'); bool('diagnosticsEnabled'); bool('deprecatedFields'); bool('unreferencedFiles'); bool('targetsSelectingNothing');
  list('crdLocations'); list('exclude');
  return out;
}

/** VS Code's nested section (`helm.path`, `schema.enabled`, `diagnostics.*`, `preview.maskSecrets`) in the flat names. */
function flatten(s: Raw): Raw {
  const sub = (k: string): Raw => (isRaw(s[k]) ? s[k] : {});
  const helm = sub('helm'); const schema = sub('schema'); const diag = sub('diagnostics'); const preview = sub('preview');
  return {
    renderer: s.renderer, kustomizePath: s.kustomizePath, kubectlPath: s.kubectlPath, helmPath: helm.path,
    schemaEnabled: schema.enabled, crdLocations: schema.crdLocations, maskSecrets: preview.maskSecrets,
    diagnosticsEnabled: diag.enabled, deprecatedFields: diag.deprecatedFields, unreferencedFiles: diag.unreferencedFiles,
    targetsSelectingNothing: diag.targetsSelectingNothing, exclude: s.exclude, kubernetesVersion: s.kubernetesVersion,
    // dotted keys, as some clients send them
    ...Object.fromEntries(Object.entries({ 'helm.path': 'helmPath', 'schema.enabled': 'schemaEnabled', 'schema.crdLocations': 'crdLocations', 'preview.maskSecrets': 'maskSecrets', 'diagnostics.enabled': 'diagnosticsEnabled', 'diagnostics.deprecatedFields': 'deprecatedFields', 'diagnostics.unreferencedFiles': 'unreferencedFiles', 'diagnostics.targetsSelectingNothing': 'targetsSelectingNothing' })
      .filter(([dotted]) => s[dotted] !== undefined).map(([dotted, flat]) => [flat, s[dotted]])),
  };
}

/** Which of the settings differ (by name). */
export function changedSettings(a: ServerSettings, b: ServerSettings): Set<keyof ServerSettings> {
  const out = new Set<keyof ServerSettings>();
  for (const k of Object.keys(a) as (keyof ServerSettings)[]) if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) out.add(k);
  return out;
}

/** gitopsLens.exclude's matcher, one for the server and the client (protocol.ts). */
export { excludeMatcher } from '../protocol';
