// The workspace folders and gitopsLens.exclude: which folder a path belongs to, and whether the
// setting leaves it out (globs relative to that folder).

import { isWithin, relative } from '../engine/index';
import { excludeMatcher } from '../protocol';
import type { Folder } from './types';

export class Folders {
  readonly list: Folder[] = [];
  private patterns: string[] = [];
  private excludes = excludeMatcher([]);

  setExclude(patterns: string[]): void { this.patterns = patterns; this.excludes = excludeMatcher(patterns); }

  /** The innermost folder holding `p`. */
  folderOf(p: string): Folder | undefined {
    let best: Folder | undefined;
    for (const f of this.list) if (isWithin(f.path, p) && (!best || f.path.length > best.path.length)) best = f;
    return best;
  }

  /** Whether `p` lies in a folder gitopsLens.exclude leaves out (relative to its workspace folder). */
  isExcluded(p: string): boolean {
    if (!this.patterns.length) return false;
    const folder = this.folderOf(p);
    if (!folder) return false;
    const rel = relative(folder.path, p);
    return rel !== '.' && rel !== '' && this.excludes(rel);
  }
}
