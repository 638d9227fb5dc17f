// The one way files reach the engine. A host answers for absolute POSIX paths; implementations
// live outside the engine for the disk, and here for memory and for open buffers over another host.

import { dirname, normalize } from './path';

export type FileKind = 'file' | 'directory';

export interface FileHost {
  /** What is at `path`, or undefined when nothing is. */
  stat(path: string): FileKind | undefined;
  /** The text of a file. Throws when it is not a readable file. */
  readFile(path: string): string;
  /** Entry names (not paths) of a directory, sorted. */
  readDirectory(path: string): string[];
  /** A value that changes whenever the file's content changes (for caches); undefined = unknown. */
  version?(path: string): string | number | undefined;
  /** The canonical form of a path (symlinks resolved), when the host knows one. */
  realPath?(path: string): string;
  /** Raw bytes (binary generator inputs); hosts without it are read as UTF-8 text. */
  readBytes?(path: string): Uint8Array;
}

/** An in-memory tree: tests, the browser bundle, and fixtures. */
export class MemoryHost implements FileHost {
  private files = new Map<string, { text: string; version: number }>();
  private dirs = new Set<string>(['/']);
  private counter = 0;

  constructor(files: Record<string, string> = {}) {
    for (const [p, t] of Object.entries(files)) this.write(p, t);
  }

  write(path: string, text: string): this {
    const p = normalize(path);
    this.files.set(p, { text, version: ++this.counter });
    this.mkdir(dirname(p));
    return this;
  }

  mkdir(path: string): this {
    let d = normalize(path);
    while (!this.dirs.has(d)) {
      this.dirs.add(d);
      d = dirname(d);
    }
    return this;
  }

  remove(path: string): this {
    this.files.delete(normalize(path));
    return this;
  }

  stat(path: string): FileKind | undefined {
    const p = normalize(path);
    if (this.files.has(p)) return 'file';
    if (this.dirs.has(p)) return 'directory';
    return undefined;
  }

  readFile(path: string): string {
    const f = this.files.get(normalize(path));
    if (!f) throw new Error(`open ${path}: no such file or directory`);
    return f.text;
  }

  readDirectory(path: string): string[] {
    const p = normalize(path);
    const prefix = p === '/' ? '/' : p + '/';
    const names = new Set<string>();
    for (const k of [...this.files.keys(), ...this.dirs]) {
      if (k.startsWith(prefix) && k.length > prefix.length) names.add(k.slice(prefix.length).split('/')[0]!);
    }
    return [...names].sort();
  }

  version(path: string): number | undefined {
    return this.files.get(normalize(path))?.version;
  }
}

/** Open editor buffers laid over another host: a buffer wins over the file beneath it. */
export class OverlayHost implements FileHost {
  private buffers = new Map<string, { text: string; version: number }>();

  constructor(private readonly base: FileHost) {}

  setBuffer(path: string, text: string, version: number): void {
    this.buffers.set(normalize(path), { text, version });
  }

  deleteBuffer(path: string): void {
    this.buffers.delete(normalize(path));
  }

  stat(path: string): FileKind | undefined {
    return this.buffers.has(normalize(path)) ? 'file' : this.base.stat(path);
  }

  readFile(path: string): string {
    const b = this.buffers.get(normalize(path));
    return b ? b.text : this.base.readFile(path);
  }

  /** Bytes of a file (generator inputs may be binary): the buffer's text, else the base host's bytes. */
  readBytes(path: string): Uint8Array {
    const b = this.buffers.get(normalize(path));
    if (b) return new TextEncoder().encode(b.text);
    const base = this.base as FileHost & { readBytes?(p: string): Uint8Array };
    return base.readBytes ? base.readBytes(path) : new TextEncoder().encode(base.readFile(path));
  }

  readDirectory(path: string): string[] {
    const names = new Set(this.base.stat(path) === 'directory' ? this.base.readDirectory(path) : []);
    const prefix = normalize(path) === '/' ? '/' : normalize(path) + '/';
    for (const k of this.buffers.keys()) if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split('/')[0]!);
    return [...names].sort();
  }

  version(path: string): string | number | undefined {
    const b = this.buffers.get(normalize(path));
    if (b) return `buffer:${b.version}`;
    return this.base.version?.(path);
  }

  realPath(path: string): string {
    return this.base.realPath ? this.base.realPath(path) : normalize(path);
  }
}
