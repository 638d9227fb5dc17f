// The workspace model: every kustomization root of every workspace folder (graph.ts), the
// environments, and a render per root that edits invalidate precisely (render-cache.ts), rendered
// from a debounced queue one at a time (queue.ts). Folders and edits change it in edits.ts; this
// class adds the settings and the queue. Features read it through WorkspaceView. All outside access
// goes through the injected WorkspaceIO, so a test builds one on memoryIO().

import { kubernetesVersion } from '../kubernetes-version';
import type { ServerSettings } from '../protocol';
import type { WorkspaceIO } from './io';
import { RenderQueue } from './queue';
import { changedSettings } from './settings';
import { WorkspaceEdits } from './edits';
import type { Environment, RenderState } from './types';

export type * from './types';

export interface WorkspaceOptions {
  debounceMs?: number;
  /** Called after each render of an environment (from the queue). */
  onRendered?(env: Environment, state: RenderState, changed: boolean): void;
  /** Called when the queue is drained. */
  onIdle?(): void;
  onEnvironmentsChanged?(): void;
  /** A remote base or file starts or ends fetching (gitopsLens.remote.enabled). */
  onRemoteProgress?(what: string, state: 'start' | 'done' | 'failed'): void;
}

/** Settings whose change makes every render stale. */
const RERENDERING: (keyof ServerSettings)[] = ['exclude', 'helmPath', 'schemaEnabled', 'crdLocations', 'kubernetesVersion', 'remoteEnabled'];
const EXTERNAL: (keyof ServerSettings)[] = ['renderer', 'kustomizePath', 'kubectlPath', 'helmPath'];

export class Workspace extends WorkspaceEdits {
  private readonly queue: RenderQueue;

  constructor(io: WorkspaceIO, readonly options: WorkspaceOptions = {}) {
    super(io);
    this.queue = new RenderQueue({
      render: (dir) => this.renderQueued(dir),
      preferred: () => this.readersOfOpenFiles(),
      onIdle: () => options.onIdle?.(),
    }, options.debounceMs ?? 40);
  }

  protected override environmentsChanged(): void { this.options.onEnvironmentsChanged?.(); }
  protected enqueue(dir: string): void { this.queue.add(dir); }

  /** The roots reading open files, one open file at a time (the queue stops at the first it holds). */
  private *readersOfOpenFiles(): Generator<string> {
    for (const f of this.host.openPaths()) yield* this.rootsReading(f);
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
    if (next.remoteEnabled) this.buildOptions.remote = this.remoteSources();
  }

  /** The fetcher of remote bases and files (made on first use); a fetch that ends renders again what waited for it. */
  private remoteSources(): ReturnType<WorkspaceIO['remoteSources']> {
    return (this.remote ??= this.io.remoteSources({
      onFetched: () => { for (const [dir, st] of this.cache.renders) if (st.errors.some((e) => e.missing?.kind === 'remote')) this.invalidateRoot(dir); this.schedule(); },
      onProgress: (what, state) => this.options.onRemoteProgress?.(what, state),
    }));
  }
  private remote: ReturnType<WorkspaceIO['remoteSources']>;

  /** Empties the cache of remote bases and files, and renders again (a branch is fetched anew). */
  clearRemoteCache(): void {
    this.remoteSources()?.clear();
    this.rerenderAll();
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
