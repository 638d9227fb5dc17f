// Walking a workspace folder on a file host: every kustomization root and every YAML file, honouring
// .gitignore files (a practical subset of their syntax), and skipping node_modules, .git, vendored
// Helm charts and symbolic links to folders.

import { type FileHost, join, KUSTOMIZATION_FILE_NAMES } from '../engine/index';

const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn']);

interface IgnoreRule { re: RegExp; negate: boolean; dirOnly: boolean }

/** Compiles one .gitignore file's lines, relative to the folder `base` it lives in. */
function parseGitignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (let line of text.split(/\r?\n/)) {
    if (!line.trim() || line.startsWith('#')) continue;
    line = line.replace(/\s+$/, '');
    let negate = false;
    if (line.startsWith('!')) { negate = true; line = line.slice(1); }
    let dirOnly = false;
    if (line.endsWith('/')) { dirOnly = true; line = line.slice(0, -1); }
    const anchored = line.includes('/') && !line.endsWith('/**');
    if (line.startsWith('/')) line = line.slice(1);
    let re = '';
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (c === '*' && line[i + 1] === '*') {
        if (line[i + 2] === '/') { re += '(?:.*/)?'; i += 2; } else { re += '.*'; i += 1; }
      } else if (c === '*') re += '[^/]*';
      else if (c === '?') re += '[^/]';
      else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
    rules.push({ re: new RegExp(anchored ? `^${re}$` : `(?:^|/)${re}$`), negate, dirOnly });
  }
  return rules;
}

function ignored(rules: { base: string; rules: IgnoreRule[] }[], abs: string, isDir: boolean): boolean {
  let result = false;
  for (const set of rules) {
    if (!abs.startsWith(set.base + '/')) continue;
    const rel = abs.slice(set.base.length + 1);
    for (const r of set.rules) {
      if (r.dirOnly && !isDir) continue;
      if (r.re.test(rel)) result = !r.negate;
    }
  }
  return result;
}

export interface ScanResult {
  /** Kustomization files, absolute. */
  kustomizations: string[];
  /** Other .yaml/.yml files, absolute. */
  yamlFiles: string[];
}

export interface ScanOptions {
  maxFiles?: number;
  /** Paths to leave out (gitopsLens.exclude): an excluded folder is not entered. */
  skip?: (abs: string) => boolean;
}

/** Everything below `root` that the workspace model cares about. */
export function scanFolder(host: FileHost, root: string, opts: ScanOptions = {}): ScanResult {
  const out: ScanResult = { kustomizations: [], yamlFiles: [] };
  const maxFiles = opts.maxFiles ?? 200_000;
  let seen = 0;
  const walk = (dir: string, real: string | undefined, rules: { base: string; rules: IgnoreRule[] }[]): void => {
    let entries: string[];
    try { entries = host.readDirectory(dir); } catch { return; }
    const names = new Set(entries);
    // A vendored Helm chart is not kustomize input.
    if (dir !== root && names.has('Chart.yaml') && !KUSTOMIZATION_FILE_NAMES.some((n) => names.has(n))) return;
    let here = rules;
    if (names.has('.gitignore')) {
      try { here = [...rules, { base: dir, rules: parseGitignore(host.readFile(join(dir, '.gitignore'))) }]; } catch { /* unreadable */ }
    }
    for (const name of entries) {
      if (++seen > maxFiles) return;
      const abs = join(dir, name);
      if (opts.skip?.(abs)) continue;
      const kind = host.stat(abs);
      if (kind === 'directory') {
        if (ALWAYS_SKIPPED.has(name) || ignored(here, abs, true)) continue;
        // A link to a folder is not entered (it may lead back up): its own path is not under its parent's.
        const realChild = real === undefined ? undefined : host.realPath!(abs);
        if (realChild !== undefined && realChild !== join(real!, name)) continue;
        walk(abs, realChild, here);
      } else if (kind === 'file') {
        if (ignored(here, abs, false)) continue;
        if (KUSTOMIZATION_FILE_NAMES.includes(name)) out.kustomizations.push(abs);
        else if (/\.ya?ml$/i.test(name)) out.yamlFiles.push(abs);
      }
    }
  };
  walk(root, host.realPath?.(root), []);
  return out;
}
