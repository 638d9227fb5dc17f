// The workspace model: every kustomization root of every workspace folder (graph.ts), the
// environments, and a render per root that edits invalidate precisely (render-cache.ts), rendered
// from a debounced queue one at a time (queue.ts). This class applies what changes the model
// (folders, edits, settings); features read it through WorkspaceView. All outside access goes
// through the injected WorkspaceIO, so a test builds one on memoryIO().

import path from 'node:path';
import { isWithin } from '../engine/index';
import { findGitRoot } from '../git-root';
import { kubernetesVersion } from '../kubernetes-version';
import type { ServerSettings } from '../protocol';
import { graphSignature } from './graph';
import type { WorkspaceIO } from './io';
import { RenderQueue } from './queue';
import { isKustomizationFile } from './roots';
import { scanFolder } from './scan';
import { changedSettings } from './settings';
import { WorkspaceState } from './state';
import type { Environment, Folder, RenderState } from './types';

export type * from './types';
;

export interface WorkspaceOptions {
  debounceMs?: number;
  /** Called after each render of an environment (from the queue). */
  onRendered?(env: Environment, state: RenderState, changed: boolean): void;
  /** Called when the queue is drained. */
  onIdle?(): void;
  onEnvironmentsChanged?(): void;
}

/** Settings whose change makes every render stale. */
const RERENDERING: (keyof ServerSettings)[] = ['exclude', 'helmPath', 'schemaEnabled', 'crdLocations', 'kubernetesVersion'];
const EXTERNAL: (keyof ServerSettings)[] = ['renderer', 'kustomizePath', 'kubectlPath', 'helmPath'];

export class Workspace extends WorkspaceState {
  private readonly queue: RenderQueue;

  constructor(io: WorkspaceIO, readonly options: WorkspaceOptions = {}) {
    super(io);
    this.queue = new RenderQueue({
      render: (dir) => this.renderQueued(dir),
      preferred: () => this.host.openPaths().flatMap((f) => [...this.rootsReading(f)]),
      onIdle: () => options.onIdle?.(),
    }, options.debounceMs ?? 40);
  }

  protected override environmentsChanged(): void { this.options.onEnvironmentsChanged?.(); }

  // ---- folders -----------------------------------------------------------------------------------

  addFolder(uri: string, fsPath: string, name?: string): void {
    const p = path.resolve(fsPath);
    if (this.dirs.list.some((f) => f.path === p)) return;
    const folder: Folder = { uri, path: p, name: name ?? path.basename(p), repoRoot: findGitRoot(p, (x) => this.io.files.stat(x) !== undefined) ?? p };
    this.dirs.list.push(folder);
    const scan = scanFolder(this.io.files, p, { skip: (abs) => this.dirs.isExcluded(abs) });
    for (const k of scan.kustomizations) this.graph.addRoot(k, folder);
    for (const y of scan.yamlFiles) { this.yamlFiles.add(y); this.readYamlFile(y); }
    this.rebuildGraph();
  }

  removeFolder(fsPath: string): void {
    const p = path.resolve(fsPath);
    const i = this.dirs.list.findIndex((f) => f.path === p);
    if (i < 0) return;
    this.dirs.list.splice(i, 1);
    for (const dir of [...this.graph.roots.keys()]) if (isWithin(p, dir)) { this.graph.roots.delete(dir); this.cache.forget(dir); }
    for (const y of [...this.yamlFiles]) {
      if (!isWithin(p, y)) continue;
      this.yamlFiles.delete(y);
      this.graph.pointers.delete(y);
      if (!this.crdLocations.has(y)) this.schemas.setCrds(y, []);
    }
    this.rebuildGraph();
  }

  // ---- settings ----------------------------------------------------------------------------------

  /** Takes the settings in force, before any folder is added (the initial settings): no re-index, no re-render. */
  configure(next: ServerSettings): void {
    this.settings = next;
    this.dirs.setExclude(next.exclude);
    this.buildOptions = { loadRestrictor: 'rootOnly', collectErrors: true };
    // kustomize's --enable-helm, with the configured binary ('helm' alone is looked up on PATH).
    // Charts render for the target cluster's version when the workspace names one (as Argo CD and Flux do).
    const kubeVersion = next.kubernetesVersion.trim() ? kubernetesVersion(next.kubernetesVersion) : undefined;
    if (next.helmPath) Object.assign(this.buildOptions, { enableHelm: true, helm: this.io.helmRunner(next.helmPath, kubeVersion ? { kubeVersion } : {}, 'set gitopsLens.helm.path to a helm v3 binary') });
  }

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
    if (changed.has('exclude')) for (const f of [...this.dirs.list]) { this.removeFolder(f.path); this.addFolder(f.uri, f.path, f.name); }
    if ((changed.has('crdLocations') || changed.has('exclude')) && (next.crdLocations.length || this.crdLocations.size)) crdProblems = this.loadCrdLocations().then((problems) => { this.rerenderAll(); return problems; });
    if (EXTERNAL.some((k) => changed.has(k))) this.external.clear();
    if (RERENDERING.some((k) => changed.has(k))) this.rerenderAll();
    return { changed, crdProblems };
  }

  /** Reads the CRDs of gitopsLens.schema.crdLocations; resolves to the problems met (unreadable, not found). */
  loadCrdLocations(): Promise<string[]> {
    return this.crdLocations.load(this.settings.crdLocations, this.dirs.list.map((f) => f.path), (k) => { if (this.yamlFiles.has(k)) this.readYamlFile(k); });
  }

  // ---- edits -------------------------------------------------------------------------------------

  /** Marks everything that reads `file` stale and queues the environments among them. */
  invalidate(file: string): Set<string> {
    const dirs = this.rootsReading(file);
    for (const d of dirs) {
      this.cache.markStale(d);
      if (this.graph.envForDir(d)) this.queue.add(d);
    }
    return dirs;
  }

  /** An edit or a change on disk of `file` (open buffers are set on `host` first). */
  fileChanged(file: string, change: 'created' | 'changed' | 'deleted' = 'changed'): void {
    const p = path.resolve(file);
    // An excluded file is not indexed, but renders that read it (a base in an excluded folder) still follow it.
    if (this.dirs.isExcluded(p)) { this.invalidate(p); this.schedule(); return; }
    if (this.crdLocations.has(p)) void this.loadCrdLocations().then(() => this.rerenderAll());
    if (isKustomizationFile(p)) this.kustomizationChanged(p, change);
    else if (/\.ya?ml$/i.test(p) && this.dirs.folderOf(p)) {
      if (change === 'deleted' && this.host.stat(p) !== 'file') { this.yamlFiles.delete(p); this.graph.pointers.delete(p); } else this.yamlFiles.add(p);
      const had = this.graph.pointers.has(p);
      this.readYamlFile(p);
      if (had || this.graph.pointers.has(p)) this.rebuildGraph();
    }
    // A created file or folder may satisfy a folder entry: reload the roots that name it.
    if (change !== 'changed') {
      for (const r of this.graph.roots.values()) if (r.refs.some((x) => x.abs === p || isWithin(p, x.abs))) { r.load(this.host); this.graphDirty = true; }
      this.ensureGraph();
    }
    this.invalidate(p);
    this.schedule();
  }

  private kustomizationChanged(p: string, change: 'created' | 'changed' | 'deleted'): void {
    const dir = path.dirname(p);
    const before = this.graph.roots.get(dir);
    const sigBefore = before ? graphSignature(before) : '';
    if (change === 'deleted' && this.host.stat(p) !== 'file') this.graph.roots.delete(dir);
    else if (before && before.file === p) before.load(this.host);
    else if (this.dirs.folderOf(p)) this.graph.addRoot(p, this.dirs.folderOf(p));
    const after = this.graph.roots.get(dir);
    if ((after ? graphSignature(after) : '') !== sigBefore) {
      this.invalidate(p);
      this.rebuildGraph();
    }
  }

  // ---- the render queue --------------------------------------------------------------------------

  schedule(delay?: number): void { this.queue.schedule(delay); }

  /** Marks every render stale and queues every environment. */
  rerenderAll(): void {
    this.cache.markAllStale();
    this.renderAll();
  }

  /** Queues every environment whose render is missing or stale (the initial render). */
  renderAll(): void {
    for (const e of this.graph.environments) { const st = this.cache.renders.get(e.dir); if (!st || st.dirty) this.queue.add(e.dir); }
    this.schedule(0);
  }

  pendingCount(): number { return this.queue.size; }
  isIdle(): boolean { return this.queue.isIdle(); }
  /** Resolves when no render is queued or running. */
  idle(): Promise<void> { return this.queue.idle(); }

  private renderQueued(dir: string): boolean {
    const env = this.graph.envForDir(dir);
    const before = this.cache.renders.get(dir);
    if (!env || (before && !before.dirty)) return false;
    this.ensureGraph();
    const st = this.cache.renderNow(dir);
    this.options.onRendered?.(env, st, st.changed);
    return true;
  }
}
