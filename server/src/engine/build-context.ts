// One build's context: its options, its file access (every stat and read recorded, so a cached
// sub-render knows what it depended on), the parse cache and sub-render cache it shares with the
// other builds of its Engine, its error sink (collectErrors), the stack of roots being accumulated
// (cycles), and the custom OpenAPI schema in force. The target (target.ts) builds through it.

import { copyAccumulator, type Accumulator } from './accumulator';
import type { FileHost, FileKind } from './host';
import type { OpenApiSchemas } from './k8s/openapi';
import type { RemoteSources } from './remote';
import { KustomizeError, type JsonObject, type SourceRef } from './resource';
import { parseYamlFile, type ParsedFile } from './yamlio';

export interface BuildOptions {
  /** kustomize's --load-restrictor: files must be inside the kustomization root unless 'none'. */
  loadRestrictor?: 'rootOnly' | 'none';
  /**
   * Render what can be rendered: a failing entry (a missing file, a patch that does not apply, ...)
   * is recorded in BuildResult.errors and skipped, instead of failing the whole build as kustomize does.
   */
  collectErrors?: boolean;
  /** kustomize's --enable-helm. */
  enableHelm?: boolean;
  /** Runs `helm template` for helmCharts; the engine never spawns processes itself. */
  helm?: HelmRunner;
  /** Remote bases and files, fetched by the host side (kustomize fetches them itself); without it they are missing inputs. */
  remote?: RemoteSources;
}

export interface HelmRequest {
  chart: JsonObject;
  globals: JsonObject;
  kustomizationDir: string;
  /** The build's load restrictor: kustomize reads values files through the root's loader. */
  loadRestrictor?: 'rootOnly' | 'none';
}
export type HelmRunner = (req: HelmRequest) => string;

/** Caches shared by the builds of one Engine: parsed files keyed by (path, version). */
interface ParseCache {
  parse(path: string): ParsedFile;
  readText(path: string): string;
  readBytes(path: string): Uint8Array;
}

export class BuildContext implements ParseCache {
  private parsed = new Map<string, { version: unknown; file: ParsedFile }>();
  /** Kustomization roots currently being accumulated, for cycle detection. */
  readonly stack: string[] = [];
  /** Every file read by this build (for invalidation and the workspace graph). */
  readonly filesRead = new Set<string>();
  readonly warnings: { message: string; source?: SourceRef }[] = [];
  /** User errors met so far, when the build collects them instead of stopping at the first. */
  readonly errors: KustomizeError[] = [];
  /** How many resources each selecting entry (a patch with a target, ...) matched. */
  readonly selections: { source: SourceRef; kind: 'patch'; matched: number }[] = [];

  /** Runs one step; with `collectErrors` a user error is recorded and the build goes on without that step. */
  guard(fn: () => void): void {
    if (!this.options.collectErrors) { fn(); return; }
    try {
      fn();
    } catch (e) {
      if (!(e instanceof KustomizeError)) throw e;
      this.recordError(e);
    }
  }

  /** Sub-renders being computed: each keeps the errors met inside it, to replay them on a cache hit. */
  private errorRecorders: KustomizeError[][] = [];

  private recordError(e: KustomizeError): void {
    for (const r of this.errorRecorders) r.push(e);
    if (!this.errors.some((x) => x.message === e.message && x.source?.file === e.source?.file)) this.errors.push(e);
  }

  noteSelection(source: SourceRef, kind: 'patch', matched: number): void {
    this.selections.push({ source, kind, matched });
  }

  /** A custom `openapi:` schema; like kustomize's global schema, the last one loaded stays in force. */
  schemas: OpenApiSchemas | undefined;

  constructor(
    readonly host: FileHost,
    readonly options: BuildOptions,
    shared?: Map<string, { version: unknown; file: ParsedFile }>,
    private readonly subRenders: Map<string, SubRender> = new Map(),
  ) {
    if (shared) this.parsed = shared;
  }

  /**
   * The accumulation of a base, reused while none of the files and folders it looked at changed
   * (compared by the host's versions). Callers get copies, so they may transform them freely.
   */
  subRender(dir: string, compute: () => Accumulator): Accumulator {
    // Options that change what a base renders are part of the key, the helm runner included.
    const remote = this.options.remote;
    const key = `${dir}\u0000${this.options.loadRestrictor ?? ''}\u0000${this.options.enableHelm ? 1 : 0}\u0000${runnerId(this.options.helm)}\u0000${remote ? `${runnerId(remote)}.${remote.version}` : ''}`;
    const hit = this.subRenders.get(key);
    if (hit && hit.schemas === this.schemas && !hit.dirs.some((d) => this.stack.includes(d)) && this.stillValid(hit.deps)) {
      for (const [k, v] of hit.deps) this.note(k, v);
      for (const f of hit.files) this.filesRead.add(f);
      this.warnings.push(...hit.warnings);
      // A base that rendered with errors (collectErrors) gives them to every build that reuses it.
      for (const e of hit.errors) this.recordError(e);
      this.selections.push(...hit.selections);
      return copyAccumulator(hit.result);
    }
    const deps = new Map<string, unknown>();
    const errors: KustomizeError[] = [];
    const warningsBefore = this.warnings.length;
    const selectionsBefore = this.selections.length;
    const filesBefore = new Set(this.filesRead);
    const visitedBefore = new Set(this.visited);
    this.recorders.push(deps);
    this.errorRecorders.push(errors);
    let result: Accumulator;
    try {
      result = compute();
    } finally {
      this.recorders.pop();
      this.errorRecorders.pop();
    }
    const cacheable = [...deps].every(([k, v]) => !k.startsWith('file:') || v !== undefined);
    if (cacheable) {
      this.subRenders.set(key, {
        deps,
        result: copyAccumulator(result),
        schemas: this.schemas,
        warnings: this.warnings.slice(warningsBefore),
        errors,
        selections: this.selections.slice(selectionsBefore),
        files: [...this.filesRead].filter((f) => !filesBefore.has(f)),
        dirs: [...this.visited].filter((d) => !visitedBefore.has(d)).concat(dir),
      });
    }
    return result;
  }

  /** Every kustomization root accumulated in this build. */
  readonly visited = new Set<string>();

  private stillValid(deps: Map<string, unknown>): boolean {
    for (const [k, v] of deps) {
      if (k.startsWith('stat:')) { if (this.host.stat(k.slice(5)) !== v) return false; } else if (this.host.version?.(k.slice(5)) !== v) return false;
    }
    return true;
  }

  /** Dependency recorders of the sub-renders being computed (innermost last). */
  private recorders: Map<string, unknown>[] = [];

  private note(key: string, value: unknown): void {
    for (const r of this.recorders) r.set(key, value);
  }

  stat(path: string): FileKind | undefined {
    const kind = this.host.stat(path);
    this.note(`stat:${path}`, kind);
    return kind;
  }

  readText(path: string): string {
    this.filesRead.add(path);
    this.note(`file:${path}`, this.host.version?.(path));
    return this.host.readFile(path);
  }

  readBytes(path: string): Uint8Array {
    this.filesRead.add(path);
    this.note(`file:${path}`, this.host.version?.(path));
    const h = this.host as FileHost & { readBytes?(p: string): Uint8Array };
    return h.readBytes ? h.readBytes(path) : new TextEncoder().encode(h.readFile(path));
  }

  /**
   * A parsed file, from the cache when its version is unchanged. Kustomization files may repeat a
   * key (kustomize reads them with go-yaml v2: the last one wins); resource files may not.
   */
  parse(path: string, opts: { kustomization?: boolean } = {}): ParsedFile {
    this.filesRead.add(path);
    const version = this.host.version?.(path);
    this.note(`file:${path}`, version);
    const key = opts.kustomization ? `k:${path}` : path;
    const hit = this.parsed.get(key);
    if (hit && version !== undefined && hit.version === version) return hit.file;
    const file = parseYamlFile(path, this.host.readFile(path), opts.kustomization ? { uniqueKeys: false, yaml11: true } : {});
    if (version !== undefined) this.parsed.set(key, { version, file });
    return file;
  }
}

const runnerIds = new WeakMap<object, number>();
let nextRunnerId = 1;

/** A number per helm runner or remote source object, for the sub-render cache key. */
function runnerId(o: object | undefined): number {
  if (!o) return 0;
  let id = runnerIds.get(o);
  if (id === undefined) runnerIds.set(o, (id = nextRunnerId++));
  return id;
}

export interface SubRender {
  deps: Map<string, unknown>;
  result: Accumulator;
  schemas: OpenApiSchemas | undefined;
  warnings: { message: string; source?: SourceRef }[];
  /** The errors met while it was computed (with collectErrors), given again to each reuse. */
  errors: KustomizeError[];
  /** What its targeted patches selected, given again to each reuse ("selects nothing" needs them). */
  selections: BuildContext['selections'];
  files: string[];
  dirs: string[];
}
