// The read side of the workspace model: its parts (the folders, the include graph, the render
// cache) and every query features make of them (WorkspaceView). workspace.ts adds what changes
// the model. All outside access goes through the injected WorkspaceIO.

import { type BuildOptions, Engine } from '../engine/index';
import type { ServerSettings } from '../protocol';
import { SchemaRegistry } from '../schema/index';
import { CrdLocations } from './crd-locations';
import { ExternalCache, type ExternalRenderer } from './external';
import { Folders } from './folders';
import { RootGraph } from './graph';
import { BufferHost } from './host';
import type { WorkspaceIO } from './io';
import { RenderCache } from './render-cache';
import type { Root } from './roots';
import { readYamlFacts } from './pointers';
import { readSettings } from './settings';
import type { Environment, Folder, RenderState } from './types';
import type { WorkspaceView } from './view';

export class WorkspaceState implements WorkspaceView {
  readonly host: BufferHost;
  /** One Engine for the host, for every render: its parse and sub-render caches are shared. */
  readonly engine: Engine;
  readonly schemas = new SchemaRegistry();
  readonly external = new ExternalCache();
  /** The settings in force (applySettings). */
  settings: ServerSettings = readSettings(undefined);
  readonly yamlFiles = new Set<string>();
  protected readonly dirs = new Folders();
  protected readonly graph: RootGraph;
  protected readonly cache: RenderCache;
  protected readonly crdLocations: CrdLocations;
  protected buildOptions: BuildOptions = { loadRestrictor: 'rootOnly', collectErrors: true };
  protected graphDirty = false;

  constructor(readonly io: WorkspaceIO) {
    this.host = new BufferHost(io.files);
    this.engine = new Engine(this.host);
    this.graph = new RootGraph(this.host, this.dirs);
    this.crdLocations = new CrdLocations(io, this.schemas);
    this.cache = new RenderCache(() => ({ engine: this.engine, host: this.host, graph: this.graph, schemas: this.schemas, buildOptions: this.buildOptions, schemaChecks: this.schemaChecks }));
  }

  // ---- what features read (WorkspaceView) ------------------------------------------------------

  get schemaChecks(): boolean { return this.settings.schemaEnabled && this.io.env('GITOPS_LENS_SCHEMA') !== 'off'; }
  get folders(): readonly Folder[] { return this.dirs.list; }
  get roots(): ReadonlyMap<string, Root> { return this.graph.roots; }
  get environments(): readonly Environment[] { return this.graph.environments; }
  get renders(): ReadonlyMap<string, RenderState> { return this.cache.renders; }
  folderOf(p: string): Folder | undefined { return this.dirs.folderOf(p); }
  isExcluded(p: string): boolean { return this.dirs.isExcluded(p); }
  envForDir(dir: string): Environment | undefined { return this.graph.envForDir(dir); }
  rootsReferencing(file: string): Root[] { return this.graph.rootsReferencing(file); }
  rootOf(file: string): Root | undefined { return this.graph.rootOf(file); }
  reachableRoots(dir: string): Set<string> { return this.graph.reachableRoots(dir); }
  includers(dir: string): Set<string> { return this.graph.includers(dir); }
  passingThrough(dir: string): Set<string> { return this.graph.passingThrough(dir); }
  environmentsOfRoot(dir: string): Environment[] { return this.graph.environmentsOfRoot(dir); }
  errorFile(source: Parameters<RenderCache['errorFile']>[0], dir: string): string { return this.cache.errorFile(source, dir); }
  rootsWithErrorIn(file: string): string[] { return this.cache.rootsWithErrorIn(file); }
  uncheckedKinds(): ReturnType<RenderCache['uncheckedKinds']> { return this.cache.uncheckedKinds(); }

  rootsReading(file: string): Set<string> {
    const out = this.graph.staticReaders(file);
    for (const d of this.cache.readersOf(file)) out.add(d);
    return out;
  }

  environmentsForFile(file: string): Environment[] {
    const out: Environment[] = [];
    for (const d of this.rootsReading(file)) { const e = this.graph.envForDir(d); if (e) out.push(e); }
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  render(dir: string): RenderState { this.ensureGraph(); return this.cache.render(dir); }

  /** Recomputes includes, environments and the static file index. */
  rebuildGraph(): void {
    this.graphDirty = false;
    if (this.graph.rebuild()) this.environmentsChanged();
  }

  protected environmentsChanged(): void { /* the Workspace tells its listener */ }
  protected ensureGraph(): void { if (this.graphDirty) this.rebuildGraph(); }

  externalRenderer(): ExternalRenderer | undefined {
    const s = this.settings;
    if (s.renderer === 'builtin') return undefined;
    const r: ExternalRenderer = { kind: s.renderer, command: (s.renderer === 'kubectl' ? s.kubectlPath : s.kustomizePath) || s.renderer };
    if (s.helmPath) r.helmCommand = s.helmPath;
    return r;
  }

  /** Flux Kustomizations, Argo CD Applications and CRDs of a YAML file (its CRDs from crdLocations when named there). */
  protected readYamlFile(file: string): void {
    this.graph.pointers.delete(file);
    let text: string;
    try { text = this.host.readFile(file); } catch { return; }
    const facts = readYamlFacts(file, text);
    if (!facts) return;
    if (!this.crdLocations.has(file)) this.schemas.setCrds(file, facts.crds);
    if (facts.pointers.length) this.graph.pointers.set(file, facts.pointers);
  }
}
