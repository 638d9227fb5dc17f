// The engine's FileHost on the real file system (the CLI and the language server's view of disk).

import fs from 'node:fs';
import path from 'node:path';
import type { FileHost, FileKind } from '../engine/index';

export class DiskHost implements FileHost {
  stat(p: string): FileKind | undefined {
    try {
      const s = fs.statSync(p);
      return s.isDirectory() ? 'directory' : s.isFile() ? 'file' : undefined;
    } catch {
      return undefined;
    }
  }

  readFile(p: string): string {
    return fs.readFileSync(p, 'utf8');
  }

  readBytes(p: string): Uint8Array {
    return fs.readFileSync(p);
  }

  readDirectory(p: string): string[] {
    return fs.readdirSync(p).sort();
  }

  version(p: string): string | undefined {
    try {
      const s = fs.statSync(p);
      return `${s.mtimeMs}:${s.size}`;
    } catch {
      return undefined;
    }
  }

  realPath(p: string): string {
    try { return fs.realpathSync(p); } catch { return path.resolve(p); }
  }
}
