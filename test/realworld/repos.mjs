// The real repositories the parity, precision and benchmark harnesses run on.
//
// test/realworld/repos.json pins each public repository to a commit (the list is committed; the
// repositories never are). `npm run realworld:import -- --from DIR` checks each pinned commit out of
// a local clone into one cache folder (below); every harness reads the list and the cache from here
// and says which repositories are missing.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const LIST = path.join(ROOT, 'test/realworld/repos.json');

/** The cache folder: $GITOPS_LENS_REALWORLD, else <XDG cache>/gitops-lens/realworld. */
export function cacheDir() {
  if (process.env.GITOPS_LENS_REALWORLD) return path.resolve(process.env.GITOPS_LENS_REALWORLD);
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'gitops-lens', 'realworld');
}

/** @returns {{repo: string, commit: string, kind: string, note?: string}[]} */
export function pinned() {
  return JSON.parse(fs.readFileSync(LIST, 'utf8'));
}

export const slug = (r) => `${r.repo.replace('/', '+')}@${r.commit.slice(0, 12)}`;
export const checkoutDir = (r) => path.join(cacheDir(), 'repos', slug(r));
export const isImported = (r) => fs.existsSync(path.join(checkoutDir(r), '.gitops-lens-import'));

/**
 * The pinned repositories that are imported; prints which are missing (and how to import them).
 * `only`: repository names (owner/name or a part of one) to restrict to.
 */
export function available({ only = [], log = (s) => process.stderr.write(`${s}\n`) } = {}) {
  const all = pinned().filter((r) => !only.length || only.some((o) => r.repo.includes(o)));
  const have = all.filter(isImported);
  const missing = all.filter((r) => !isImported(r));
  if (missing.length) {
    log(`realworld cache ${cacheDir()}: ${missing.length} of ${all.length} pinned repositories are missing: ${missing.map((r) => r.repo).join(', ')}`);
    log('  import them with: npm run realworld:import -- --from DIR   (DIR holds git clones named owner+name or owner/name)');
  }
  if (!have.length) log(`realworld cache ${cacheDir()} is empty: nothing to run on.`);
  return have;
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Every folder below `dir` with a kustomization file (sorted, relative to dir), .git left out. */
export function kustomizationRoots(dir) {
  const out = [];
  const walk = (d, rel) => {
    let entries;
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
    if (entries.some((e) => (e.isFile() || e.isSymbolicLink()) && KUSTOMIZATION_FILES.includes(e.name))) out.push(rel || '.');
    for (const e of entries) if (e.isDirectory() && e.name !== '.git') walk(path.join(d, e.name), rel ? `${rel}/${e.name}` : e.name);
  };
  walk(dir, '');
  return out.sort();
}

/** Finds a git directory for `repo` under one of `sources`. */
export function findClone(repo, sources) {
  const [owner, name] = repo.split('/');
  for (const src of sources) {
    for (const cand of [`${owner}+${name}/repo`, `${owner}+${name}`, `${owner}/${name}`, `${owner}/${name}.git`, name]) {
      const p = path.join(src, cand);
      if (!fs.existsSync(p)) continue;
      try {
        const gitDir = execFileSync('git', ['-C', p, 'rev-parse', '--absolute-git-dir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
        return gitDir;
      } catch { /* not a git directory */ }
    }
  }
  return undefined;
}
