// The workspace model: every kustomization root of every workspace folder, the graph of which roots
// include which, the environments (roots nothing includes, and folders Flux / Argo CD point at), and a
// render cache per root that edits invalidate precisely. Renders are synchronous engine builds run
// from a debounced queue one at a time, so the editor never waits for more than one of them.

import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { basename, type BuildOptions, type BuildResult, Engine, formatOriginPath, isObject, isWithin, type JsonValue, type MissingInput, parseYamlFile, rangeOfPath, relative, type Resource, type SourceRef } from '../engine/index';
import { BufferHost, GuardedDiskHost } from './host';
import { isKustomizationFile, kustomizationFileIn, Root } from './roots';
import { gitRoot, scanFolder } from './scan';
import { pathToUri } from './uri';
import { crdsOf, SchemaRegistry, type SchemaInfo } from '../schema/index';
import { kubernetesVersion } from '../kubernetes-version';
import type { ServerSettings } from '../protocol';
import { changedSettings, excludeMatcher, readSettings } from './settings';
import { helmRunner } from './helm';
import { ExternalCache, type ExternalRenderer } from './external';

export interface Folder { uri: string; path: string; name: string; repoRoot: string }

export interface Environment {
  /** Unique inside the server: `<folder path>#<id>`. */
  key: string;
  id: string;
  dir: string;
  folder: Folder;
  kind: 'root' | 'flux' | 'argocd';
  foundBy: string;
  foundAt?: SourceRef;
  name: string;
}

export interface RenderProblem {
  message: string;
  source?: SourceRef;
  /** Set when the render could not have this input (remote, helm off, plugin): it is incomplete, not wrong. */
  missing?: MissingInput;
}

export interface RenderState {
  dir: string;
  version: number;
  /** What rendered: with errors, the parts that could be rendered (each failing entry skipped). */
  result?: BuildResult;
  /** Every error of this render, each at the file and line that caused it. */
  errors: RenderProblem[];
  /** The first of `errors` (what kustomize itself would stop at). */
  error?: RenderProblem;
  /**
   * Some input could not be had (a remote base, helm charts with helm off, a plugin): what rendered
   * lacks it, so nothing is concluded from an absence (no "selects nothing", no follow-on errors).
   */
  incomplete: boolean;
  /** The last render without errors. */
  lastGood?: BuildResult;
  /**
   * The resources of `result` are outlines (what selectors and diagnostics read), and `lastGood` is
   * dropped: no open document is read by this render and no feature asked for it lately.
   * Workspace.render builds it whole again when asked.
   */
  outlineOnly?: boolean;
  /**
   * A digest of what rendered (undefined when the render threw): whether a re-render changed
   * anything. The YAML text is not kept (a CRD-heavy environment prints megabytes, and every
   * environment of a repository would hold its own); the preview writes it when asked.
   */
  digest?: string;
  files: Set<string>;
  dirty: boolean;
  ms: number;
  /** Schema problems of the rendered objects, each at the source line that set the field. */
  schema: SchemaProblem[];
  /** Rendered objects no known schema covers (checked by nothing: not "valid"). */
  unchecked: { kind: string; apiVersion: string; name: string; source: SourceRef }[];
}

/** How many roots features asked for lately keep their whole render (a preview, a hover's environments). */
const KEEP_WANTED = 8;

export interface UncheckedKind { apiVersion: string; kind: string; name: string; source: SourceRef; objects: number }

export interface SchemaProblem {
  message: string;
  source: SourceRef;
  kind: 'unknown' | 'type' | 'required' | 'enum';
  /** The object, e.g. `Deployment web`, and the field path in it. */
  object: string;
  path: string;
  id: { apiVersion: string; kind: string; name: string; namespace?: string };
}

export interface WorkspaceOptions {
  debounceMs?: number;
  /** Called after each render of an environment (from the queue). */
  onRendered?(env: Environment, state: RenderState, changed: boolean): void;
  /** Called when the queue is drained. */
  onIdle?(): void;
  onEnvironmentsChanged?(): void;
}

interface PointerObject { kind: 'flux' | 'argocd'; name: string; path: string; source: SourceRef }

export class Workspace {
  readonly disk = new GuardedDiskHost();
  readonly host = new BufferHost(this.disk);
  /** One Engine for the host, for every render: its parse and sub-render caches are shared (a new one when the helm binary changes). */
  engine = new Engine(this.host);
  readonly schemas = new SchemaRegistry();
  /** The settings in force (applySettings). */
  settings: ServerSettings = readSettings(undefined);
  private excludes = excludeMatcher([]);
  private buildOptions: BuildOptions = { loadRestrictor: 'rootOnly', collectErrors: true };
  /** External renders (gitopsLens.renderer), by environment folder. */
  readonly external = new ExternalCache();
  /** CRD files read for gitopsLens.schema.crdLocations (registry keys), to drop them when the setting changes. */
  private crdLocationKeys = new Set<string>();
  /** Whether rendered objects are schema-checked (gitopsLens.schema.enabled; GITOPS_LENS_SCHEMA=off turns it off for benches). */
  get schemaChecks(): boolean { return this.settings.schemaEnabled && process.env.GITOPS_LENS_SCHEMA !== 'off'; }
  readonly folders: Folder[] = [];
  readonly roots = new Map<string, Root>();
  /** YAML files that are not kustomizations (for unreferenced-file hints and Flux/Argo CD objects). */
  readonly yamlFiles = new Set<string>();
  private pointers = new Map<string, PointerObject[]>();
  environments: Environment[] = [];
  private envByDir = new Map<string, Environment>();
  private includedBy = new Map<string, Set<string>>();
  /** file → roots whose static closure (own files + included roots' files) contains it. */
  private staticIndex = new Map<string, Set<string>>();
  /** file → roots whose last render read it. */
  private renderIndex = new Map<string, Set<string>>();
  readonly renders = new Map<string, RenderState>();
  private errorIndex = new Map<string, Set<string>>();
  private queue = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private graphDirty = false;
  private renderCounter = 0;

  constructor(readonly options: WorkspaceOptions = {}) {}

  // ---- folders and indexing -------------------------------------------------------------------

  addFolder(uri: string, fsPath: string, name?: string): void {
    const p = path.resolve(fsPath);
    if (this.folders.some((f) => f.path === p)) return;
    const folder: Folder = { uri, path: p, name: name ?? path.basename(p), repoRoot: gitRoot(p) ?? p };
    this.folders.push(folder);
    const scan = scanFolder(p, { skip: (abs) => this.isExcluded(abs) });
    for (const k of scan.kustomizations) this.addRoot(k, folder);
    for (const y of scan.yamlFiles) { this.yamlFiles.add(y); this.readPointers(y); }
    this.rebuildGraph();
  }

  removeFolder(fsPath: string): void {
    const p = path.resolve(fsPath);
    const i = this.folders.findIndex((f) => f.path === p);
    if (i < 0) return;
    this.folders.splice(i, 1);
    for (const dir of [...this.roots.keys()]) if (isWithin(p, dir)) { this.roots.delete(dir); this.renders.delete(dir); }
    this.uncheckedMemo = undefined;
    for (const y of [...this.yamlFiles]) if (isWithin(p, y)) { this.yamlFiles.delete(y); this.pointers.delete(y); if (!this.crdLocationKeys.has(y)) this.schemas.setCrds(y, []); }
    this.rebuildGraph();
  }

  /** Whether `p` lies in a folder gitopsLens.exclude leaves out (relative to its workspace folder). */
  isExcluded(p: string): boolean {
    if (!this.settings.exclude.length) return false;
    const folder = this.folderOf(p);
    if (!folder) return false;
    const rel = relative(folder.path, p);
    return rel !== '.' && rel !== '' && this.excludes(rel);
  }

  // ---- settings --------------------------------------------------------------------------------

  /**
   * Applies new settings without a restart: re-indexes the folders when `exclude` changed, re-renders
   * everything when what a render does changed (helm, schema checks, CRDs). Returns what changed;
   * the caller re-publishes diagnostics and tells clients to refresh their previews.
   */
  applySettings(next: ServerSettings): { changed: Set<keyof ServerSettings>; crdProblems: Promise<string[]> } {
    const changed = changedSettings(this.settings, next);
    this.configure(next);
    let crdProblems: Promise<string[]> = Promise.resolve([]);
    if (!changed.size) return { changed, crdProblems };
    if (changed.has('exclude')) {
      for (const f of [...this.folders]) { this.removeFolder(f.path); this.addFolder(f.uri, f.path, f.name); }
    }
    if ((changed.has('crdLocations') || changed.has('exclude')) && (next.crdLocations.length || this.crdLocationKeys.size)) crdProblems = this.loadCrdLocations().then((problems) => { this.rerenderAll(); return problems; });
    if (['renderer', 'kustomizePath', 'kubectlPath', 'helmPath'].some((k) => changed.has(k as keyof ServerSettings))) this.external.clear();
    if (['exclude', 'helmPath', 'schemaEnabled', 'crdLocations', 'kubernetesVersion'].some((k) => changed.has(k as keyof ServerSettings))) this.rerenderAll();
    return { changed, crdProblems };
  }

  /** Takes the settings in force, before any folder is added (the initial settings): no re-index, no re-render. */
  configure(next: ServerSettings): void {
    this.settings = next;
    this.excludes = excludeMatcher(next.exclude);
    this.buildOptions = { loadRestrictor: 'rootOnly', collectErrors: true };
    // kustomize's --enable-helm, with the configured binary ('helm' alone is looked up on PATH).
    // Charts render for the target cluster's version when the workspace names one (as Argo CD and Flux do).
    const kubeVersion = next.kubernetesVersion.trim() ? kubernetesVersion(next.kubernetesVersion) : undefined;
    if (next.helmPath) Object.assign(this.buildOptions, { enableHelm: true, helm: helmRunner(next.helmPath, kubeVersion ? { kubeVersion } : {}, 'set gitopsLens.helm.path to a helm v3 binary') });
  }

  /** The external renderer in force, or undefined for the built-in one. */
  externalRenderer(): ExternalRenderer | undefined {
    const s = this.settings;
    if (s.renderer === 'builtin') return undefined;
    const r: ExternalRenderer = { kind: s.renderer, command: (s.renderer === 'kubectl' ? s.kubectlPath : s.kustomizePath) || s.renderer };
    if (s.helmPath) r.helmCommand = s.helmPath;
    return r;
  }

  /** Marks every render stale and queues every environment. */
  rerenderAll(): void {
    for (const st of this.renders.values()) st.dirty = true;
    this.renderAll();
  }

  /**
   * Reads the CRDs of gitopsLens.schema.crdLocations: files and folders (absolute, or relative to
   * each workspace folder) and http(s) URLs. Resolves to the problems met (unreadable, not found).
   */
  async loadCrdLocations(): Promise<string[]> {
    const previous = [...this.crdLocationKeys];
    this.crdLocationKeys.clear();
    // Files inside the workspace that the scan indexes register their own CRDs again.
    for (const k of previous) { this.schemas.setCrds(k, []); if (this.yamlFiles.has(k)) this.readPointers(k); }
    const problems: string[] = [];
    const add = (key: string, text: string) => {
      try {
        const parsed = parseYamlFile(key, text);
        const crds = parsed.documents.flatMap((d) => crdsOf(d.value, key));
        this.schemas.setCrds(key, crds);
        this.crdLocationKeys.add(key);
        if (!crds.length) problems.push(`${key}: no CustomResourceDefinition with a schema`);
      } catch (e) { problems.push(`${key}: ${(e as Error).message}`); }
    };
    for (const loc of this.settings.crdLocations) {
      if (/^https?:\/\//i.test(loc)) {
        try {
          const res = await fetch(loc, { signal: AbortSignal.timeout(15_000) });
          if (!res.ok) { problems.push(`${loc}: HTTP ${res.status}`); continue; }
          add(loc, await res.text());
        } catch (e) { problems.push(`${loc}: ${(e as Error).message}`); }
        continue;
      }
      const candidates = path.isAbsolute(loc) ? [loc] : this.folders.map((f) => path.resolve(f.path, loc));
      let found = false;
      for (const c of candidates) {
        let st: fs.Stats;
        try { st = fs.statSync(c); } catch { continue; }
        found = true;
        const files = st.isDirectory() ? crdFilesIn(c) : [c];
        for (const f of files) {
          try { add(f, fs.readFileSync(f, 'utf8')); } catch (e) { problems.push(`${f}: ${(e as Error).message}`); }
        }
      }
      if (!found) problems.push(`${loc}: no such file or folder${path.isAbsolute(loc) ? '' : ' in any workspace folder'}`);
    }
    return problems;
  }

  folderOf(p: string): Folder | undefined {
    let best: Folder | undefined;
    for (const f of this.folders) if (isWithin(f.path, p) && (!best || f.path.length > best.path.length)) best = f;
    return best;
  }

  private addRoot(file: string, folder: Folder | undefined): void {
    if (this.isExcluded(file)) return;
    const dir = path.dirname(file);
    const existing = this.roots.get(dir);
    if (existing && existing.file !== file) return; // two kustomization files: the engine reports it
    const r = new Root(dir, file, folder?.path ?? dir);
    r.load(this.host);
    this.roots.set(dir, r);
  }

  /**
   * Folders a kustomization includes are roots even when the scan left them out: .gitignore only
   * hides untracked files, and a tracked folder that an ignore pattern matches (`manager` for a
   * binary, say) still builds. Added until nothing new is reached.
   */
  private addReferencedRoots(): void {
    for (let added = true; added;) {
      added = false;
      for (const r of [...this.roots.values()]) {
        for (const inc of r.refs) {
          if (this.roots.has(inc.abs) || !['resources', 'bases', 'components'].includes(inc.field) || this.host.stat(inc.abs) !== 'directory') continue;
          const file = kustomizationFileIn(this.host, inc.abs);
          const folder = this.folderOf(inc.abs);
          if (!file || !folder || this.isExcluded(file)) continue;
          this.addRoot(file, folder);
          added = this.roots.has(inc.abs) || added;
        }
      }
    }
  }

  /** The CRDs a workspace file declares (unless gitopsLens.schema.crdLocations names it: then those are read there). */
  private setFileCrds(file: string, crds: ReturnType<typeof crdsOf>): void {
    if (!this.crdLocationKeys.has(file)) this.schemas.setCrds(file, crds);
  }

  /** Flux Kustomizations and Argo CD Applications in a YAML file. */
  private readPointers(file: string): void {
    this.pointers.delete(file);
    let text: string;
    try { text = this.host.readFile(file); } catch { return; }
    const crd = text.includes('CustomResourceDefinition');
    if (text.length > 4 * 1024 * 1024 || (!crd && !text.includes('kustomize.toolkit.fluxcd.io') && !text.includes('argoproj.io'))) { this.setFileCrds(file, []); return; }
    let parsed;
    try { parsed = parseYamlFile(file, text); } catch { return; }
    this.setFileCrds(file, crd ? parsed.documents.flatMap((d) => crdsOf(d.value, file)) : []);
    const out: PointerObject[] = [];
    for (const d of parsed.documents) {
      const v = d.value;
      if (!isObject(v) || !isObject(v.spec)) continue;
      const api = typeof v.apiVersion === 'string' ? v.apiVersion : '';
      const name = isObject(v.metadata) && typeof v.metadata.name === 'string' ? v.metadata.name : '';
      if (api.startsWith('kustomize.toolkit.fluxcd.io/') && v.kind === 'Kustomization') {
        const p = typeof v.spec.path === 'string' ? v.spec.path : '';
        out.push({ kind: 'flux', name, path: p, source: { file, range: rangeOfPath(parsed, d.index, ['spec', 'path']) ?? d.range } });
      } else if (api.startsWith('argoproj.io/') && v.kind === 'Application') {
        const sources: JsonValue[] = isObject(v.spec.source) ? [v.spec.source] : Array.isArray(v.spec.sources) ? v.spec.sources : [];
        sources.forEach((s, i) => {
          if (!isObject(s) || typeof s.path !== 'string' || s.chart) return;
          const yp = isObject(v.spec as never) && isObject((v.spec as Record<string, JsonValue>).source) ? ['spec', 'source', 'path'] : ['spec', 'sources', i, 'path'];
          out.push({ kind: 'argocd', name, path: s.path, source: { file, range: rangeOfPath(parsed, d.index, yp) ?? d.range } });
        });
      }
    }
    if (out.length) this.pointers.set(file, out);
  }

  /** Recomputes includes, environments and the static file index. */
  rebuildGraph(): void {
    this.graphDirty = false;
    this.addReferencedRoots();
    this.includedBy.clear();
    for (const r of this.roots.values()) {
      for (const inc of r.includes) {
        if (!this.roots.has(inc.abs)) continue;
        let s = this.includedBy.get(inc.abs);
        if (!s) this.includedBy.set(inc.abs, (s = new Set()));
        s.add(r.dir);
      }
    }
    const envs = new Map<string, Environment>();
    for (const r of this.roots.values()) {
      if (r.kind === 'Component' || this.includedBy.has(r.dir)) continue;
      const folder = this.folderOf(r.dir);
      if (!folder) continue;
      envs.set(r.dir, this.makeEnv(r.dir, folder, 'root', 'not included by any other kustomization', basename(r.dir)));
    }
    for (const [file, list] of this.pointers) {
      const folder = this.folderOf(file);
      if (!folder) continue;
      for (const p of list) {
        const dir = path.resolve(folder.repoRoot, p.path.replace(/^\.\//, '') || '.');
        if (!this.roots.has(dir) || !isWithin(folder.path, dir)) continue;
        const rel = relative(folder.path, file);
        const what = p.kind === 'flux' ? 'Flux Kustomization' : 'Argo CD Application';
        const prev = envs.get(dir);
        if (prev && prev.kind !== 'root') continue;
        envs.set(dir, this.makeEnv(dir, folder, p.kind, `${what} ${p.name} in ${rel}`, p.name || basename(dir), p.source));
      }
    }
    const before = this.environments.map((e) => `${e.key}|${e.kind}|${e.name}`).join('\n');
    this.environments = [...envs.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.envByDir = envs;
    this.rebuildStaticIndex();
    const after = this.environments.map((e) => `${e.key}|${e.kind}|${e.name}`).join('\n');
    if (before !== after) this.options.onEnvironmentsChanged?.();
  }

  private makeEnv(dir: string, folder: Folder, kind: Environment['kind'], foundBy: string, name: string, foundAt?: SourceRef): Environment {
    const id = relative(folder.path, dir);
    return { key: `${folder.path}#${id}`, id, dir, folder, kind, foundBy, foundAt, name };
  }

  private closureCache = new Map<string, Set<string>>();

  /** Every root reachable from `dir` through resources, bases and components (itself included). */
  reachableRoots(dir: string, seen = new Set<string>()): Set<string> {
    if (seen.has(dir)) return seen;
    seen.add(dir);
    const r = this.roots.get(dir);
    if (r) for (const inc of r.includes) if (this.roots.has(inc.abs)) this.reachableRoots(inc.abs, seen);
    return seen;
  }

  private staticFiles(dir: string): Set<string> {
    const hit = this.closureCache.get(dir);
    if (hit) return hit;
    const out = new Set<string>();
    for (const d of this.reachableRoots(dir)) {
      const r = this.roots.get(d)!;
      out.add(r.file);
      for (const ref of r.refs) out.add(ref.abs);
    }
    this.closureCache.set(dir, out);
    return out;
  }

  private rebuildStaticIndex(): void {
    this.closureCache.clear();
    this.staticIndex.clear();
    for (const dir of this.roots.keys()) {
      for (const f of this.staticFiles(dir)) {
        let s = this.staticIndex.get(f);
        if (!s) this.staticIndex.set(f, (s = new Set()));
        s.add(dir);
      }
    }
  }

  // ---- queries -------------------------------------------------------------------------------

  envForDir(dir: string): Environment | undefined { return this.envByDir.get(dir); }

  /** Roots (folders) whose render reads `file`, statically or as last rendered. */
  rootsReading(file: string): Set<string> {
    const out = new Set<string>(this.staticIndex.get(file) ?? []);
    for (const d of this.renderIndex.get(file) ?? []) out.add(d);
    // A file inside a folder (e.g. a directory entry in resources) belongs to roots that read the folder.
    for (let d = path.dirname(file); d !== path.dirname(d); d = path.dirname(d)) {
      if (this.roots.has(d)) break;
      for (const x of this.staticIndex.get(d) ?? []) out.add(x);
    }
    return out;
  }

  environmentsForFile(file: string): Environment[] {
    const out: Environment[] = [];
    for (const d of this.rootsReading(file)) { const e = this.envByDir.get(d); if (e) out.push(e); }
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** The roots that name `file` directly in one of their entries. */
  rootsReferencing(file: string): Root[] {
    const out: Root[] = [];
    for (const r of this.roots.values()) if (r.file === file || r.refs.some((x) => x.abs === file)) out.push(r);
    return out;
  }

  /** The root whose folder holds `file` (the kustomization it sits next to, or above it). */
  rootOf(file: string): Root | undefined {
    for (let d = path.dirname(file); ; d = path.dirname(d)) {
      const r = this.roots.get(d);
      if (r) return r;
      if (d === path.dirname(d) || !this.folderOf(d)) return undefined;
    }
  }

  /** Every root that includes `dir`, transitively (not itself). */
  includers(dir: string, out = new Set<string>()): Set<string> {
    for (const p of this.includedBy.get(dir) ?? []) if (!out.has(p)) { out.add(p); this.includers(p, out); }
    return out;
  }

  /** The roots whose resources pass through `dir` when it transforms: itself and what it includes; for a component, what its includers accumulate. */
  passingThrough(dir: string): Set<string> {
    const r = this.roots.get(dir);
    if (r?.kind !== 'Component') return this.reachableRoots(dir);
    const out = new Set<string>();
    for (const p of this.includedBy.get(dir) ?? []) for (const x of this.passingThrough(p)) out.add(x);
    return out;
  }

  /** Environments that include root `dir` (itself when it is one). */
  environmentsOfRoot(dir: string): Environment[] {
    const out: Environment[] = [];
    const self = this.envByDir.get(dir);
    if (self) out.push(self);
    for (const d of this.includers(dir)) { const e = this.envByDir.get(d); if (e) out.push(e); }
    return out;
  }

  // ---- rendering -----------------------------------------------------------------------------

  /**
   * The render of a root for a feature (hover, preview, completion, a quick fix), building it now when
   * it is missing, stale or kept only in outline. The last few roots asked for keep their full render.
   */
  render(dir: string): RenderState {
    this.wanted.delete(dir);
    this.wanted.add(dir);
    if (this.wanted.size > KEEP_WANTED) this.wanted.delete(this.wanted.values().next().value!);
    return this.renderNow(dir);
  }

  /** Roots a feature asked for lately, oldest first: their renders are kept whole. */
  private wanted = new Set<string>();

  /**
   * Whether a render is kept whole: an open document is among what it read, or a feature asked for it
   * lately. The others keep their outline only (Resource.outline: identities, sources, passage), so
   * memory does not grow with the environments times their size; a feature that needs more renders
   * again, on the parse and sub-render caches.
   */
  private keepWhole(dir: string, st: RenderState): boolean {
    if (this.wanted.has(dir)) return true;
    for (const f of this.host.openPaths()) if (st.files.has(f)) return true;
    return false;
  }

  private renderNow(dir: string): RenderState {
    let st = this.renders.get(dir);
    if (st && !st.dirty && !st.outlineOnly) return st;
    if (this.graphDirty) this.rebuildGraph();
    const t0 = performance.now();
    const prevDigest = st?.digest;
    const next: RenderState = { dir, version: ++this.renderCounter, errors: [], incomplete: false, schema: [], unchecked: [], files: new Set(), dirty: false, ms: 0, lastGood: st?.lastGood };
    try {
      // One Engine for the host: its parse and sub-render caches survive between renders.
      const result = this.engine.build(dir, this.buildOptions);
      next.result = result;
      next.files = new Set(result.files);
      next.errors = result.errors.map((e) => this.locate({
        message: e.missing?.kind === 'helm' ? `${e.message} (kustomize's flag: set gitopsLens.helm.path to a helm v3 binary to inflate helmCharts)` : e.message,
        source: e.source, ...(e.missing ? { missing: e.missing } : {}),
      }, dir));
      next.incomplete = next.errors.some((e) => e.missing);
      next.errors.push(...nameConflictCauses(result));
      if (!next.errors.length) next.lastGood = result;
      next.digest = renderDigest(result.resources);
      if (this.schemaChecks) this.checkSchemas(next);
    } catch (e) {
      // Not a user error: a bug; report it at the root instead of crashing the server.
      next.errors = [{ message: `internal error while rendering: ${(e as Error).message ?? String(e)}`, source: { file: this.roots.get(dir)?.file ?? dir } }];
      next.digest = undefined;
    }
    next.error = next.errors[0];
    next.ms = performance.now() - t0;
    if (st) for (const f of st.files) this.renderIndex.get(f)?.delete(dir);
    for (const e of st?.errors ?? []) this.errorIndex.get(this.errorFile(e.source, dir))?.delete(dir);
    for (const e of next.errors) {
      const f = this.errorFile(e.source, dir);
      let s = this.errorIndex.get(f);
      if (!s) this.errorIndex.set(f, (s = new Set()));
      s.add(dir);
    }
    for (const f of next.files) {
      let s = this.renderIndex.get(f);
      if (!s) this.renderIndex.set(f, (s = new Set()));
      s.add(dir);
    }
    this.renders.set(dir, next);
    (next as RenderState & { changed?: boolean }).changed = prevDigest !== next.digest;
    if (next.result && !this.keepWhole(dir, next)) {
      next.result = { ...next.result, resources: next.result.resources.map((r) => r.outline()) };
      next.lastGood = undefined;
      next.outlineOnly = true;
    }
    return next;
  }

  private uncheckedMemo?: { at: number; map: Map<string, UncheckedKind> };

  /**
   * Kinds no known schema covers, over every render of the workspace: how many objects, and the
   * first source document (by file, then line) where the one notice per kind is shown.
   */
  uncheckedKinds(): Map<string, UncheckedKind> {
    if (this.uncheckedMemo?.at === this.renderCounter) return this.uncheckedMemo.map;
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
    this.uncheckedMemo = { at: this.renderCounter, map };
    return map;
  }

  /** Checks every rendered object against its schema; problems are placed where the field was set. */
  private checkSchemas(st: RenderState): void {
    for (const r of st.result?.resources ?? []) {
      let info: SchemaInfo | undefined;
      try { info = this.schemas.lookup(r.apiVersion, r.kind); } catch { info = undefined; }
      if (!info) { st.unchecked.push({ kind: r.kind, apiVersion: r.apiVersion, name: r.name, source: r.origin.source }); continue; }
      for (const p of info.check(r.obj)) {
        if (replacedBeforeApply(r.obj, p.path)) continue;
        const dotted = formatOriginPath(p.path);
        const at = (dotted ? this.engine.fieldSource(r, dotted) : undefined) ?? r.origin.source;
        st.schema.push({ message: p.message, source: at, kind: p.kind, object: `${r.kind} ${r.name}`, path: dotted, id: { apiVersion: r.apiVersion, kind: r.kind, name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) } });
      }
    }
  }

  /** An error about a whole file (too large, binary, unreadable) belongs at the entry that names it. */
  private locate(p: RenderProblem, dir: string): RenderProblem {
    const src = p.source;
    if (!src || src.range || this.roots.has(src.file)) return p;
    for (const d of this.reachableRoots(dir)) {
      const r = this.roots.get(d);
      const ref = r?.refs.find((x) => x.abs === src.file);
      if (r?.parsed && ref) return { ...p, source: { file: r.file, range: rangeOfPath(r.parsed, r.docIndex, ref.yamlPath) } };
    }
    return p;
  }

  /** The file a render error belongs to: its source, or the kustomization of a folder it names. */
  errorFile(source: SourceRef | undefined, dir: string): string {
    const f = source?.file ?? dir;
    const r = this.roots.get(f);
    if (r) return r.file;
    if (this.host.stat(f) === 'directory') return this.roots.get(dir)?.file ?? f;
    return f;
  }

  /** The roots whose current render has an error located in `file`. */
  rootsWithErrorIn(file: string): string[] { return [...(this.errorIndex.get(file) ?? [])]; }

  /** Marks everything that reads `file` stale and queues the environments among them. */
  invalidate(file: string): Set<string> {
    const dirs = this.rootsReading(file);
    for (const d of dirs) {
      const st = this.renders.get(d);
      if (st) st.dirty = true;
      if (this.envByDir.has(d)) this.queue.add(d);
    }
    return dirs;
  }

  /** An edit or a change on disk of `file` (text given for open buffers). */
  fileChanged(file: string, change: 'created' | 'changed' | 'deleted' = 'changed'): void {
    const p = path.resolve(file);
    // An excluded file is not indexed, but renders that read it (a base in an excluded folder) still follow it.
    if (this.isExcluded(p)) { this.invalidate(p); this.schedule(); return; }
    if (this.crdLocationKeys.has(p)) void this.loadCrdLocations().then(() => this.rerenderAll());
    if (isKustomizationFile(p)) {
      const dir = path.dirname(p);
      const before = this.roots.get(dir);
      const sigBefore = before ? graphSignature(before) : '';
      if (change === 'deleted' && this.host.stat(p) !== 'file') this.roots.delete(dir);
      else if (before && before.file === p) before.load(this.host);
      else if (this.folderOf(p)) this.addRoot(p, this.folderOf(p));
      const after = this.roots.get(dir);
      if ((after ? graphSignature(after) : '') !== sigBefore) {
        this.invalidate(p);
        this.rebuildGraph();
      }
    } else if (/\.ya?ml$/i.test(p) && this.folderOf(p)) {
      if (change === 'deleted' && this.host.stat(p) !== 'file') { this.yamlFiles.delete(p); this.pointers.delete(p); } else this.yamlFiles.add(p);
      const had = this.pointers.has(p);
      this.readPointers(p);
      if (had || this.pointers.has(p)) this.rebuildGraph();
    }
    // A created file or folder may satisfy a folder entry: reload the roots that name it.
    if (change !== 'changed') {
      for (const r of this.roots.values()) if (r.refs.some((x) => x.abs === p || isWithin(p, x.abs))) { r.load(this.host); this.graphDirty = true; }
      if (this.graphDirty) this.rebuildGraph();
    }
    this.invalidate(p);
    this.schedule();
  }

  schedule(delay = this.options.debounceMs ?? 40): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = undefined; void this.drain(); }, delay);
  }

  /** Queues every environment (the initial render). */
  renderAll(): void {
    for (const e of this.environments) { const st = this.renders.get(e.dir); if (!st || st.dirty) this.queue.add(e.dir); }
    this.schedule(0);
  }

  pendingCount(): number { return this.queue.size; }
  isIdle(): boolean { return !this.queue.size && !this.running && !this.timer; }

  private next(): string | undefined {
    // Environments that include an open file first.
    const open = this.host.openPaths();
    if (open.length) {
      for (const f of open) for (const d of this.rootsReading(f)) if (this.queue.has(d)) return d;
    }
    return this.queue.values().next().value;
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      let since = performance.now();
      for (let d = this.next(); d !== undefined; d = this.next()) {
        this.queue.delete(d);
        const env = this.envByDir.get(d);
        const before = this.renders.get(d);
        if (!env || (before && !before.dirty)) continue;
        const st = this.renderNow(d);
        this.options.onRendered?.(env, st, (st as RenderState & { changed?: boolean }).changed ?? true);
        // Yield to the event loop regularly so requests are answered between renders.
        if (performance.now() - since > 8) { await new Promise((r) => setImmediate(r)); since = performance.now(); }
      }
    } finally {
      this.running = false;
    }
    if (this.queue.size) { void this.drain(); return; }
    this.options.onIdle?.();
  }

  /** Resolves when no render is queued or running. */
  async idle(): Promise<void> {
    while (this.queue.size || this.running || this.timer) await new Promise((r) => setTimeout(r, 5));
  }

  uriOf(p: string): string { return pathToUri(p); }
}

/** YAML files below a folder (for CRD locations). */
function crdFilesIn(dir: string): string[] {
  return scanFolder(dir).yamlFiles;
}

function graphSignature(r: Root): string {
  return `${r.kind}|${r.refs.map((x) => `${x.field}:${x.abs}`).join(',')}|${r.includes.map((x) => x.abs).join(',')}`;
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
function nameConflictCauses(result: BuildResult): RenderProblem[] {
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
function renderDigest(resources: Resource[]): string {
  const h = createHash('sha1');
  for (const r of resources) h.update(JSON.stringify(r.obj)).update('\n');
  return h.digest('hex');
}
