// What a render's result is checked and annotated with, as pure steps: schema problems placed
// where the field was set, whole-file errors moved to the entry naming the file, name conflicts
// explained at the namePrefix / nameSuffix that caused them, and a digest of what rendered.

import { createHash } from 'node:crypto';
import { basename, type BuildResult, type Engine, formatOriginPath, isObject, type JsonValue, rangeOfPath, type Resource } from '../engine/index';
import type { SchemaInfo, SchemaRegistry } from '../schema/index';
import type { RootGraph } from './graph';
import type { RenderProblem, RenderState } from './types';

/** Checks every rendered object against its schema; problems are placed where the field was set. */
export function checkSchemas(st: RenderState, schemas: SchemaRegistry, engine: Engine): void {
  for (const r of st.result?.resources ?? []) {
    let info: SchemaInfo | undefined;
    try { info = schemas.lookup(r.apiVersion, r.kind); } catch { info = undefined; }
    if (!info) { st.unchecked.push({ kind: r.kind, apiVersion: r.apiVersion, name: r.name, source: r.origin.source }); continue; }
    for (const p of info.check(r.obj)) {
      if (replacedBeforeApply(r.obj, p.path)) continue;
      const dotted = formatOriginPath(p.path);
      const at = (dotted ? engine.fieldSource(r, dotted) : undefined) ?? r.origin.source;
      st.schema.push({ message: p.message, source: at, kind: p.kind, object: `${r.kind} ${r.name}`, path: dotted, id: { apiVersion: r.apiVersion, kind: r.kind, name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) } });
    }
  }
}

/** An error about a whole file (too large, binary, unreadable) belongs at the entry that names it. */
export function locateProblem(p: RenderProblem, dir: string, graph: RootGraph): RenderProblem {
  const src = p.source;
  if (!src || src.range || graph.roots.has(src.file)) return p;
  for (const d of graph.reachableRoots(dir)) {
    const r = graph.roots.get(d);
    const ref = r?.refs.find((x) => x.abs === src.file);
    if (r?.parsed && ref) return { ...p, source: { file: r.file, range: rangeOfPath(r.parsed, r.docIndex, ref.yamlPath) } };
  }
  return p;
}

/**
 * Whether what a schema problem is about never reaches the API server as written: the `sops`
 * metadata of a SOPS-encrypted file (Flux and ksops decrypt and drop it), and values holding a
 * `${VAR}` placeholder (Flux postBuild substitution, Argo CD plugins replace it before applying).
 */
function replacedBeforeApply(obj: JsonValue, at: (string | number)[]): boolean {
  const sops = isObject(obj) && isObject(obj.sops);
  if (at[0] === 'sops' && sops) return true;
  let v: JsonValue | undefined = obj;
  for (const seg of at) {
    if (Array.isArray(v) && typeof seg === 'number') v = v[seg];
    else if (isObject(v) && typeof seg === 'string') v = v[seg];
    else return false;
  }
  if (typeof v !== 'string') return false;
  // A SOPS-encrypted value (`ENC[AES256_GCM,...]`) is decrypted before it is applied.
  if (sops && v.startsWith('ENC[')) return true;
  return /\$\{[A-Za-z_][A-Za-z0-9_]*(:?[-=+?][^}]*)?\}/.test(v);
}

/**
 * kustomize reports an id conflict at the entry whose resources collided; when a namePrefix or
 * nameSuffix made the names equal, the cause is that line: say it there too.
 */
export function nameConflictCauses(result: BuildResult): RenderProblem[] {
  const out: RenderProblem[] = [];
  for (const e of result.errors) {
    const m = /may not add resource with an already registered id: ([^.\s]+)\.\S*?\/(.+)\.\[[^\]]*\]$/.exec(e.message);
    if (!m) continue;
    const [, kind, name] = m;
    for (const r of result.resources) {
      if (r.kind !== kind || (r.name !== name && !r.previousIds.some((x) => x.name === name))) continue;
      for (const c of r.fieldOrigins.get('metadata.name') ?? []) {
        if (c.by !== 'namePrefix' && c.by !== 'nameSuffix') continue;
        const original = r.previousIds[0]?.name ?? r.name;
        out.push({ message: `name conflict after ${c.by}: ${kind} ${original} from ${basename(r.origin.source.file)} becomes ${name}, the name of another ${kind} (${e.message})`, source: c.source });
      }
    }
  }
  return out;
}

/**
 * A digest of what rendered: SHA-1 over each object's JSON, one object at a time. The same objects
 * print the same YAML, and JSON is written natively, where writing the YAML of a CRD-heavy
 * environment takes a quarter of a second. (Values JSON cannot tell apart, `-0` from `0` or the
 * non-finite numbers from null, would count as unchanged; the preview re-renders when opened anyway.)
 */
export function renderDigest(resources: Resource[]): string {
  const h = createHash('sha1');
  for (const r of resources) h.update(JSON.stringify(r.obj)).update('\n');
  return h.digest('hex');
}
