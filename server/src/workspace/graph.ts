// The include graph of the workspace's kustomization roots: which roots include which, the
// environments (roots nothing includes, and folders Flux / Argo CD point at), and the static index
// of which roots' closures name a file. Rebuilt whole when the shape of a root changes.

import path from 'node:path';
import { basename, type FileHost, isWithin, relative, type SourceRef } from '../engine/index';
import type { Folders } from './folders';
import type { PointerObject } from './pointers';
import { kustomizationFileIn, Root } from './roots';
import type { Environment, Folder } from './types';

const INCLUDING = ['resources', 'bases', 'components'];

export class RootGraph {
  readonly roots = new Map<string, Root>();
  /** Flux Kustomizations and Argo CD Applications, by the file they are in. */
  readonly pointers = new Map<string, PointerObject[]>();
  environments: Environment[] = [];
  private envByDir = new Map<string, Environment>();
  private includedBy = new Map<string, Set<string>>();
  /** file → roots whose static closure (own files + included roots' files) contains it. */
  private staticIndex = new Map<string, Set<string>>();
  private closureCache = new Map<string, Set<string>>();

  constructor(private readonly host: FileHost, private readonly folders: Folders) {}

  addRoot(file: string, folder: Folder | undefined): void {
    if (this.folders.isExcluded(file)) return;
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
          if (this.roots.has(inc.abs) || !INCLUDING.includes(inc.field) || this.host.stat(inc.abs) !== 'directory') continue;
          const file = kustomizationFileIn(this.host, inc.abs);
          const folder = this.folders.folderOf(inc.abs);
          if (!file || !folder || this.folders.isExcluded(file)) continue;
          this.addRoot(file, folder);
          added = this.roots.has(inc.abs) || added;
        }
      }
    }
  }

  /** Recomputes includes, environments and the static file index; true when the environments changed. */
  rebuild(): boolean {
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
      const folder = this.folders.folderOf(r.dir);
      if (folder) envs.set(r.dir, makeEnv(r.dir, folder, 'root', 'not included by any other kustomization', basename(r.dir)));
    }
    for (const [file, list] of this.pointers) {
      const folder = this.folders.folderOf(file);
      if (!folder) continue;
      for (const p of list) {
        const dir = path.resolve(folder.repoRoot, p.path.replace(/^\.\//, '') || '.');
        if (!this.roots.has(dir) || !isWithin(folder.path, dir)) continue;
        const prev = envs.get(dir);
        if (prev && prev.kind !== 'root') continue;
        const what = p.kind === 'flux' ? 'Flux Kustomization' : 'Argo CD Application';
        envs.set(dir, makeEnv(dir, folder, p.kind, `${what} ${p.name} in ${relative(folder.path, file)}`, p.name || basename(dir), p.source));
      }
    }
    const signature = (list: Environment[]) => list.map((e) => `${e.key}|${e.kind}|${e.name}`).join('\n');
    const before = signature(this.environments);
    this.environments = [...envs.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.envByDir = envs;
    this.rebuildStaticIndex();
    return before !== signature(this.environments);
  }

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

  envForDir(dir: string): Environment | undefined { return this.envByDir.get(dir); }

  /** Roots whose closure names `file`, or a folder above it below the nearest root (a directory entry). */
  staticReaders(file: string): Set<string> {
    const out = new Set<string>(this.staticIndex.get(file) ?? []);
    for (let d = path.dirname(file); d !== path.dirname(d); d = path.dirname(d)) {
      if (this.roots.has(d)) break;
      for (const x of this.staticIndex.get(d) ?? []) out.add(x);
    }
    return out;
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
      if (d === path.dirname(d) || !this.folders.folderOf(d)) return undefined;
    }
  }
}

function makeEnv(dir: string, folder: Folder, kind: Environment['kind'], foundBy: string, name: string, foundAt?: SourceRef): Environment {
  const id = relative(folder.path, dir);
  return { key: `${folder.path}#${id}`, id, dir, folder, kind, foundBy, foundAt, name };
}

/** What of a root the graph depends on: when it is unchanged by an edit, the graph is too. */
export function graphSignature(r: Root): string {
  return `${r.kind}|${r.refs.map((x) => `${x.field}:${x.abs}`).join(',')}|${r.includes.map((x) => x.abs).join(',')}`;
}
