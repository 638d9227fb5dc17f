// The render of each root, kept until an edit makes it stale: built by the engine on the shared
// host, annotated (render-checks.ts), and indexed by the files it read and the files its errors are
// in. Renders nobody looks at keep their outline only, so memory does not grow with the
// environments times their size.

import type { BuildOptions, Engine, SourceRef } from '../engine/index';
import type { SchemaRegistry } from '../schema/index';
import type { RootGraph } from './graph';
import type { BufferHost } from './host';
import { checkSchemas, locateProblem, nameConflictCauses, renderDigest } from './render-checks';
import type { RenderState, UncheckedKind } from './types';

/** How many roots features asked for lately keep their whole render (a preview, a hover's environments). */
const KEEP_WANTED = 8;

export interface RenderInputs {
  engine: Engine;
  host: BufferHost;
  graph: RootGraph;
  schemas: SchemaRegistry;
  buildOptions: BuildOptions;
  schemaChecks: boolean;
}

export class RenderCache {
  readonly renders = new Map<string, RenderState>();
  /** file → roots whose last render read it. */
  private readIndex = new Map<string, Set<string>>();
  /** file → roots whose last render has an error there. */
  private errorIndex = new Map<string, Set<string>>();
  /** Roots a feature asked for lately, oldest first: their renders are kept whole. */
  private wanted = new Set<string>();
  private counter = 0;
  private uncheckedMemo?: { at: number; map: Map<string, UncheckedKind> };

  /** `inputs()` is read at each render (settings change the options, the helm binary the engine). */
  constructor(private readonly inputs: () => RenderInputs) {}

  /** A feature's render of a root: whole, built now when missing, stale or kept only in outline. */
  render(dir: string): RenderState {
    this.wanted.delete(dir);
    this.wanted.add(dir);
    if (this.wanted.size > KEEP_WANTED) this.wanted.delete(this.wanted.values().next().value!);
    return this.renderNow(dir);
  }

  /** Roots whose last render read `file`. */
  readersOf(file: string): Iterable<string> { return this.readIndex.get(file) ?? []; }

  /** The roots whose current render has an error located in `file`. */
  rootsWithErrorIn(file: string): string[] { return [...(this.errorIndex.get(file) ?? [])]; }

  markStale(dir: string): void { const st = this.renders.get(dir); if (st) st.dirty = true; }
  markAllStale(): void { for (const st of this.renders.values()) st.dirty = true; }
  forget(dir: string): void { this.renders.delete(dir); this.uncheckedMemo = undefined; }

  /** Whether a render is kept whole: an open document is among what it read, or a feature asked for it lately. */
  private keepWhole(dir: string, st: RenderState, host: BufferHost): boolean {
    if (this.wanted.has(dir)) return true;
    for (const f of host.openPaths()) if (st.files.has(f)) return true;
    return false;
  }

  renderNow(dir: string): RenderState {
    const st = this.renders.get(dir);
    if (st && !st.dirty && !st.outlineOnly) return st;
    const inputs = this.inputs();
    const t0 = performance.now();
    const next: RenderState = { dir, version: ++this.counter, errors: [], incomplete: false, schema: [], unchecked: [], files: new Set(), dirty: false, ms: 0, changed: true, lastGood: st?.lastGood };
    try {
      // One Engine for the host: its parse and sub-render caches survive between renders.
      const result = inputs.engine.build(dir, inputs.buildOptions);
      next.result = result;
      next.files = new Set(result.files);
      next.errors = result.errors.map((e) => locateProblem({
        message: e.missing?.kind === 'helm' ? `${e.message} (kustomize's flag: set gitopsLens.helm.path to a helm v3 binary to inflate helmCharts)` : e.message,
        source: e.source, ...(e.missing ? { missing: e.missing } : {}),
      }, dir, inputs.graph));
      next.incomplete = next.errors.some((e) => e.missing);
      next.errors.push(...nameConflictCauses(result));
      if (!next.errors.length) next.lastGood = result;
      next.digest = renderDigest(result.resources);
      if (inputs.schemaChecks) checkSchemas(next, inputs.schemas, inputs.engine);
    } catch (e) {
      // Not a user error: a bug; report it at the root instead of crashing the server.
      next.errors = [{ message: `internal error while rendering: ${(e as Error).message ?? String(e)}`, source: { file: inputs.graph.roots.get(dir)?.file ?? dir } }];
      next.digest = undefined;
    }
    next.error = next.errors[0];
    next.ms = performance.now() - t0;
    next.changed = st?.digest !== next.digest;
    this.reindex(dir, st, next, inputs);
    this.renders.set(dir, next);
    if (next.result && !this.keepWhole(dir, next, inputs.host)) {
      next.result = { ...next.result, resources: next.result.resources.map((r) => r.outline()) };
      next.lastGood = undefined;
      next.outlineOnly = true;
    }
    return next;
  }

  private reindex(dir: string, prev: RenderState | undefined, next: RenderState, inputs: RenderInputs): void {
    const add = (index: Map<string, Set<string>>, f: string) => {
      let s = index.get(f);
      if (!s) index.set(f, (s = new Set()));
      s.add(dir);
    };
    if (prev) for (const f of prev.files) this.readIndex.get(f)?.delete(dir);
    for (const e of prev?.errors ?? []) this.errorIndex.get(errorFile(e.source, dir, inputs))?.delete(dir);
    for (const e of next.errors) add(this.errorIndex, errorFile(e.source, dir, inputs));
    for (const f of next.files) add(this.readIndex, f);
  }

  /** The file a render error belongs to: its source, or the kustomization of a folder it names. */
  errorFile(source: SourceRef | undefined, dir: string): string { return errorFile(source, dir, this.inputs()); }

  /**
   * Kinds no known schema covers, over every render of the workspace: how many objects, and the
   * first source document (by file, then line) where the one notice per kind is shown.
   */
  uncheckedKinds(): Map<string, UncheckedKind> {
    if (this.uncheckedMemo?.at === this.counter) return this.uncheckedMemo.map;
    const map = new Map<string, UncheckedKind>();
    const seen = new Set<string>();
    for (const st of this.renders.values()) {
      for (const u of st.unchecked) {
        const key = `${u.apiVersion}/${u.kind}`;
        const line = u.source.range?.start.line ?? 0;
        const id = `${key}|${u.source.file}|${line}|${u.name}`;
        let k = map.get(key);
        if (!k) map.set(key, (k = { apiVersion: u.apiVersion, kind: u.kind, name: u.name, source: u.source, objects: 0 }));
        if (!seen.has(id)) { seen.add(id); k.objects++; }
        const kl = k.source.range?.start.line ?? 0;
        if (u.source.file < k.source.file || (u.source.file === k.source.file && line < kl)) Object.assign(k, { name: u.name, source: u.source });
      }
    }
    this.uncheckedMemo = { at: this.counter, map };
    return map;
  }
}

function errorFile(source: SourceRef | undefined, dir: string, inputs: RenderInputs): string {
  const f = source?.file ?? dir;
  const r = inputs.graph.roots.get(f);
  if (r) return r.file;
  if (inputs.host.stat(f) === 'directory') return inputs.graph.roots.get(dir)?.file ?? f;
  return f;
}
