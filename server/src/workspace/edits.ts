// What changes the workspace model's files: workspace folders added and removed, and edits (an
// open buffer changed, a file created, changed or deleted on disk), each marking stale exactly the
// renders that read what changed. Workspace (workspace.ts) adds the settings and the render queue.

import path from 'node:path';
import { isWithin } from '../engine/index';
import { findGitRoot } from '../git-root';
import { graphSignature } from './graph';
import { isKustomizationFile } from './roots';
import { scanFolder } from './scan';
import { WorkspaceState } from './state';
import type { Folder } from './types';

export abstract class WorkspaceEdits extends WorkspaceState {
  /** Renders queued stale roots after the debounce. */
  abstract schedule(delay?: number): void;
  /** Queues an environment's folder for rendering. */
  protected abstract enqueue(dir: string): void;
  abstract loadCrdLocations(): Promise<string[]>;
  abstract rerenderAll(): void;

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

  // ---- edits -------------------------------------------------------------------------------------

  /** Marks everything that reads `file` stale and queues the environments among them. */
  invalidate(file: string): Set<string> {
    const dirs = this.rootsReading(file);
    for (const d of dirs) this.invalidateRoot(d);
    return dirs;
  }

  protected invalidateRoot(dir: string): void {
    this.cache.markStale(dir);
    if (this.graph.envForDir(dir)) this.enqueue(dir);
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
}
