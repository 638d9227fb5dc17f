// The settings the language server applies (protocol.ts ServerSettings): read from the client's
// initializationOptions (flat) or from workspace/didChangeConfiguration (flat, or VS Code's nested
// `gitopsLens` section), with the defaults of package.json's contributes.configuration.

import { SERVER_SETTING_KEYS, SETTING_DEFAULTS, type ServerSettings } from '../protocol';

/** package.json's defaults (contributes.ts, generated from it), in the server's flat names. */
const DEFAULT_SETTINGS: Readonly<ServerSettings> = Object.freeze(Object.fromEntries(
  Object.entries(SERVER_SETTING_KEYS).map(([flat, key]) => [flat, structuredClone(SETTING_DEFAULTS[key])]),
) as unknown as ServerSettings);

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
  bool('schemaEnabled'); bool('maskSecrets'); bool('diagnosticsEnabled'); bool('deprecatedFields'); bool('unreferencedFiles'); bool('targetsSelectingNothing'); bool('remoteEnabled');
  list('crdLocations'); list('exclude');
  return out;
}

/** VS Code's nested section (`helm: { path }`, `schema.enabled` as a dotted key…) in the flat names. */
function flatten(s: Raw): Raw {
  const at = (key: string): unknown => {
    if (s[key] !== undefined) return s[key]; // a dotted key, as some clients send them
    let v: unknown = s;
    for (const part of key.split('.')) v = isRaw(v) ? v[part] : undefined;
    return v;
  };
  return Object.fromEntries(Object.entries(SERVER_SETTING_KEYS).map(([flat, key]) => [flat, at(key)]));
}

/** Which of the settings differ (by name). */
export function changedSettings(a: ServerSettings, b: ServerSettings): Set<keyof ServerSettings> {
  const out = new Set<keyof ServerSettings>();
  for (const k of Object.keys(a) as (keyof ServerSettings)[]) if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) out.add(k);
  return out;
}

/** gitopsLens.exclude's matcher, one for the server and the client (protocol.ts). */
export { excludeMatcher } from '../protocol';
