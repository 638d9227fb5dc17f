// The file view the language server renders from: open editor buffers over the disk, with guards so
// that bad input (huge files, binary files) becomes a render error instead of a stall or a crash.

import { type FileHost, KustomizeError, normalize, OverlayHost } from '../engine/index';
import { DiskHost } from './disk-host';

const MAX_YAML_BYTES = 4 * 1024 * 1024;

/** DiskHost that refuses to hand huge or binary files to the YAML parser. */
export class GuardedDiskHost extends DiskHost {
  override readFile(p: string): string {
    const v = this.version(p);
    const size = v ? Number(v.split(':')[1]) : 0;
    if (size > MAX_YAML_BYTES) {
      throw new KustomizeError(`${p}: file too large to read as YAML (${(size / 1048576).toFixed(1)} MB; GitOps Lens reads up to ${MAX_YAML_BYTES / 1048576} MB)`, { file: p });
    }
    const text = super.readFile(p);
    if (text.includes('\u0000')) throw new KustomizeError(`${p}: binary file, not YAML`, { file: p });
    return text;
  }
}

/**
 * OverlayHost that says which paths are open and guards buffer sizes. Every setBuffer gets a new
 * version (a counter, not the editor's document version, which starts again at 1 when a file is
 * closed and reopened): the engine's parse and sub-render caches are keyed by it.
 */
export class BufferHost extends OverlayHost {
  private open = new Map<string, string>();
  private edits = 0;

  constructor(private readonly disk: FileHost) { super(disk); }

  override setBuffer(path: string, text: string, _version?: number): void {
    const p = normalize(path);
    if (this.open.get(p) === text) return; // same text: keep the version, and the caches
    this.open.set(p, text);
    super.setBuffer(path, text, ++this.edits);
  }

  override deleteBuffer(path: string): void {
    this.open.delete(normalize(path));
    super.deleteBuffer(path);
  }

  isOpen(path: string): boolean { return this.open.has(normalize(path)); }
  openPaths(): string[] { return [...this.open.keys()]; }
  bufferText(path: string): string | undefined { return this.open.get(normalize(path)); }

  override readFile(path: string): string {
    const b = this.open.get(normalize(path));
    if (b !== undefined) {
      if (b.length > MAX_YAML_BYTES) throw new KustomizeError(`${path}: file too large to read as YAML (${(b.length / 1048576).toFixed(1)} MB)`, { file: path });
      return b;
    }
    return this.disk.readFile(path);
  }
}
