// Walking a workspace folder: every kustomization root and every YAML file, honouring .gitignore
// files (a practical subset of their syntax), and skipping node_modules, .git and vendored Helm charts.

import fs from 'node:fs';
import path from 'node:path';
import { KUSTOMIZATION_FILE_NAMES } from '../engine/index';

const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn']);

interface IgnoreRule { re: RegExp; negate: boolean; dirOnly: boolean }

/** Compiles one .gitignore file's lines, relative to the folder `base` it lives in. */
export function parseGitignore(text: string): IgnoreRule[] {
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
export function scanFolder(root: string, opts: ScanOptions = {}): ScanResult {
  const out: ScanResult = { kustomizations: [], yamlFiles: [] };
  const maxFiles = opts.maxFiles ?? 200_000;
  let seen = 0;
  const walk = (dir: string, rules: { base: string; rules: IgnoreRule[] }[]): void => {
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
    const names = new Set(entries.map((e) => e.name));
    // A vendored Helm chart is not kustomize input.
    if (dir !== root && names.has('Chart.yaml') && !KUSTOMIZATION_FILE_NAMES.some((n) => names.has(n))) return;
    let here = rules;
    if (names.has('.gitignore')) {
      try { here = [...rules, { base: dir, rules: parseGitignore(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8')) }]; } catch { /* unreadable */ }
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (++seen > maxFiles) return;
      const abs = path.join(dir, e.name);
      if (opts.skip?.(abs)) continue;
      if (e.isDirectory()) {
        if (ALWAYS_SKIPPED.has(e.name) || ignored(here, abs, true)) continue;
        walk(abs, here);
      } else if (e.isFile() || e.isSymbolicLink()) {
        if (ignored(here, abs, false)) continue;
        if (KUSTOMIZATION_FILE_NAMES.includes(e.name)) out.kustomizations.push(abs);
        else if (/\.ya?ml$/i.test(e.name)) out.yamlFiles.push(abs);
      }
    }
  };
  walk(root, []);
  return out;
}

/** The Git repository root at or above `dir`, or undefined. */
export function gitRoot(dir: string): string | undefined {
  let d = dir;
  for (;;) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    const up = path.dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}
