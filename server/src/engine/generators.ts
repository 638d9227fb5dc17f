// configMapGenerator and secretGenerator: key/value pairs from literals, env files and files, built
// into ConfigMaps and Secrets as kustomize builds them (api/internal/generators, api/kv).

import { base64Wrapped } from './hash';
import type { GeneratorArgs, GeneratorOptionsSpec } from './kustomization/types';
import { basename } from './path';
import { KustomizeError, Resource, type JsonObject, type SourceRef } from './resource';

export interface GeneratorIO {
  /** Reads a file named relative to the kustomization, enforcing the load restriction. */
  readBytes(path: string, source: SourceRef): Uint8Array;
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

function asText(bytes: Uint8Array): string | undefined {
  try { return decoder.decode(bytes); } catch { return undefined; }
}

interface Pair { key: string; value: Uint8Array; source?: SourceRef }

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const KEY_NAME = /^[-._a-zA-Z0-9]+$/;

function removeQuotes(s: string): string {
  if (s.length < 2 || s[0] !== s[s.length - 1]) return s;
  return s[0] === '"' || s[0] === "'" ? s.slice(1, -1) : s;
}

function envPairs(text: string, source: SourceRef): Pair[] {
  const out: Pair[] = [];
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, i) => {
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (i === 0 && line.startsWith('\uFEFF')) line = line.slice(1);
    line = line.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    const key = eq < 0 ? line : line.slice(0, eq);
    const value = eq < 0 ? '' : line.slice(eq + 1);
    if (!ENV_NAME.test(key)) {
      throw new KustomizeError(`"${key}" is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit`, source);
    }
    out.push({ key, value: encoder.encode(value) });
  });
  return out;
}

function parseFileSource(s: string, source: SourceRef): { key: string; path: string } {
  const n = s.split('=').length - 1;
  if (n === 0) return { key: basename(s), path: s };
  if (n === 1 && s.startsWith('=')) throw new KustomizeError(`missing key name for file path "${s.slice(1)}" in source "${s}"`, source);
  if (n === 1 && s.endsWith('=')) throw new KustomizeError(`missing file path for key name "${s.slice(0, -1)}" in source "${s}"`, source);
  if (n > 1) throw new KustomizeError(`source "${s}" key name or file path contains '='`, source);
  const [key, path] = s.split('=') as [string, string];
  return { key, path };
}

function collectPairs(args: GeneratorArgs, io: GeneratorIO, src: (path: (string | number)[]) => SourceRef): Pair[] {
  const all: Pair[] = [];
  const envs = [...(args.envs ?? []), ...(args.env ? [args.env] : [])];
  envs.forEach((p, i) => {
    const s = src(args.envs && i < args.envs.length ? ['envs', i] : ['env']);
    const text = asText(io.readBytes(p, s)) ?? '';
    all.push(...envPairs(text, s).map((p) => ({ ...p, source: s })));
  });
  (args.literals ?? []).forEach((lit, i) => {
    const s = src(['literals', i]);
    const eq = lit.indexOf('=');
    if (eq <= 0) throw new KustomizeError(`invalid literal source ${lit}, expected key=value`, s);
    all.push({ key: lit.slice(0, eq), value: encoder.encode(removeQuotes(lit.slice(eq + 1))), source: s });
  });
  (args.files ?? []).forEach((f, i) => {
    const s = src(['files', i]);
    const { key, path } = parseFileSource(f, s);
    all.push({ key, value: io.readBytes(path, s), source: s });
  });
  const seen = new Set<string>();
  for (const p of all) {
    if (!KEY_NAME.test(p.key)) {
      throw new KustomizeError(`"${p.key}" is not a valid key name for a ${args.type !== undefined ? 'Secret' : 'ConfigMap'}: a valid config key must consist of alphanumeric characters, '-', '_' or '.'`, src([]));
    }
    if (seen.has(p.key)) throw new KustomizeError(`configmap ${args.name ?? ''} illegally repeats the key \`${p.key}\``, src([]));
    seen.add(p.key);
  }
  return all.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Local options win over the kustomization's generatorOptions; labels and annotations merge. */
export function mergeOptions(local: GeneratorOptionsSpec | undefined, global: GeneratorOptionsSpec | undefined): GeneratorOptionsSpec | undefined {
  if (!global) return local;
  if (!local) return global;
  return {
    labels: { ...(global.labels ?? {}), ...(local.labels ?? {}) },
    annotations: { ...(global.annotations ?? {}), ...(local.annotations ?? {}) },
    disableNameSuffixHash: global.disableNameSuffixHash || local.disableNameSuffixHash,
    immutable: global.immutable || local.immutable,
  };
}

export function generate(
  kind: 'ConfigMap' | 'Secret',
  args: GeneratorArgs,
  options: GeneratorOptionsSpec | undefined,
  io: GeneratorIO,
  src: (path: (string | number)[]) => SourceRef,
  via: string[],
): Resource {
  if (!args.name) throw new KustomizeError(`a ${kind === 'Secret' ? 'secret' : 'configmap'} must have a name`, src([]));
  // kustomize knows exactly `create`, `merge` and `replace`; any other value (`Merge`, `add`, empty)
  // is "unspecified" and acts as create, without an error.
  const behavior = args.behavior;
  const metadata: JsonObject = { name: args.name };
  if (args.namespace) metadata.namespace = args.namespace;
  const obj: JsonObject = { apiVersion: 'v1', kind, metadata };
  const pairs = collectPairs(kind === 'Secret' ? { ...args, type: args.type ?? 'Opaque' } : args, io, src);
  if (kind === 'Secret') {
    obj.type = args.type || 'Opaque';
    const data: JsonObject = {};
    for (const p of pairs) data[p.key] = base64Wrapped(p.value);
    obj.data = data;
  } else {
    for (const p of pairs) {
      const text = asText(p.value);
      const field = text === undefined ? 'binaryData' : 'data';
      const m = (obj[field] ??= {}) as JsonObject;
      m[p.key] = text ?? base64Wrapped(p.value);
    }
  }
  if (options?.labels && Object.keys(options.labels).length) metadata.labels = sortedCopy(options.labels);
  if (options?.annotations && Object.keys(options.annotations).length) metadata.annotations = sortedCopy(options.annotations);
  if (options?.immutable) obj.immutable = true;
  const r = new Resource(obj, { source: src([]), generator: kind === 'Secret' ? 'secretGenerator' : 'configMapGenerator', via });
  r.options = { behavior: behavior === 'merge' || behavior === 'replace' ? behavior : 'create', needsHash: !options?.disableNameSuffixHash };
  r.recordChange('metadata.name', { by: r.origin.generator!, source: src(['name']), value: args.name });
  for (const p of pairs) {
    const field = kind === 'Secret' || asText(p.value) !== undefined ? 'data' : 'binaryData';
    const m = obj[field];
    const value = m && typeof m === 'object' && !Array.isArray(m) ? m[p.key] : undefined;
    r.recordChange(`${field}.${p.key}`, { by: r.origin.generator!, source: p.source ?? src([]), value });
  }
  return r;
}

function sortedCopy(m: Record<string, string>): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(m).sort()) out[k] = m[k]!;
  return out;
}
