// What the workspace's git says, for linking and for "is the synced revision HEAD?": the remote
// URLs and HEAD read straight from .git (no process), and ancestry asked of `git` when present.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findGitRoot } from '../git-root';

export interface GitInfo {
  root: string;
  remotes: { name: string; url: string }[];
  head?: string;
  branch?: string;
}

function gitDir(root: string): string | undefined {
  const p = path.join(root, '.git');
  try {
    const st = fs.statSync(p);
    if (st.isDirectory()) return p;
    const m = /^gitdir:\s*(.+)$/m.exec(fs.readFileSync(p, 'utf8'));
    return m ? path.resolve(root, m[1]!.trim()) : undefined;
  } catch {
    return undefined;
  }
}

/** The repository containing `dir` (walking up), or undefined. */
function findRepoRoot(dir: string): string | undefined {
  return findGitRoot(path.resolve(dir), (p) => fs.existsSync(p));
}

export function readGitInfo(dir: string): GitInfo | undefined {
  const root = findRepoRoot(dir);
  if (!root) return undefined;
  const gd = gitDir(root);
  if (!gd) return { root, remotes: [] };
  const common = (() => {
    try { return path.resolve(gd, fs.readFileSync(path.join(gd, 'commondir'), 'utf8').trim()); } catch { return gd; }
  })();
  const remotes: GitInfo['remotes'] = [];
  try {
    let current: string | undefined;
    for (const line of fs.readFileSync(path.join(common, 'config'), 'utf8').split('\n')) {
      const sec = /^\s*\[\s*remote\s+"([^"]+)"\s*\]/.exec(line);
      if (sec) { current = sec[1]; continue; }
      if (/^\s*\[/.test(line)) { current = undefined; continue; }
      const url = /^\s*url\s*=\s*(.+?)\s*$/.exec(line);
      if (current && url) remotes.push({ name: current, url: url[1]! });
    }
  } catch { /* no config */ }
  let head: string | undefined;
  let branch: string | undefined;
  try {
    const h = fs.readFileSync(path.join(gd, 'HEAD'), 'utf8').trim();
    const ref = /^ref:\s*(.+)$/.exec(h)?.[1];
    if (!ref) head = h;
    else {
      branch = ref.replace(/^refs\/heads\//, '');
      try { head = fs.readFileSync(path.join(common, ref), 'utf8').trim(); } catch {
        try {
          const packed = fs.readFileSync(path.join(common, 'packed-refs'), 'utf8');
          head = packed.split('\n').find((l) => l.endsWith(` ${ref}`))?.split(' ')[0];
        } catch { /* none */ }
      }
    }
  } catch { /* no HEAD */ }
  return { root, remotes, head, branch };
}

/** A repository URL in a comparable form: host/path, lower-case host, no scheme, user, port or .git. */
export function normalizeRepoUrl(url: string): string {
  let u = url.trim();
  const scp = /^([^@/:]+@)?([^/:]+):(?!\/)(.+)$/.exec(u);
  if (scp && !/^[a-z]+:\/\//i.test(u)) u = `${scp[2]}/${scp[3]}`;
  u = u.replace(/^[a-z+]+:\/\//i, '').replace(/^[^@/]+@/, '');
  const slash = u.indexOf('/');
  let hostPart = slash < 0 ? u : u.slice(0, slash);
  const rest = slash < 0 ? '' : u.slice(slash);
  hostPart = hostPart.replace(/:\d+$/, '').toLowerCase();
  // Hosts compare case-insensitively, and so do the paths of the common forges (as Argo CD compares them).
  return (hostPart + rest).replace(/\/+$/, '').replace(/\.git$/, '').toLowerCase();
}

/** The commit SHA in an agent's revision string (Flux `main@sha1:abc…`, `main/abc…`; Argo CD `abc…`). */
function revisionSha(revision: string | undefined): string | undefined {
  if (!revision) return undefined;
  const m = /(?:sha1:|sha256:|^|[@/])([0-9a-f]{40}|[0-9a-f]{64})$/.exec(revision);
  return m?.[1];
}

export type RevisionRelation = 'head' | 'behind' | 'ahead-or-diverged' | 'unknown';

/** Whether `revision` is the workspace's HEAD, an ancestor of it, or neither/unknown. */
export async function compareWithHead(root: string | undefined, revision: string | undefined, timeoutMs = 5000): Promise<RevisionRelation> {
  const sha = revisionSha(revision);
  if (!root || !sha) return 'unknown';
  const head = readGitInfo(root)?.head;
  if (!head) return 'unknown';
  if (head === sha) return 'head';
  return new Promise((resolve) => {
    execFile('git', ['-C', root, 'merge-base', '--is-ancestor', sha, head], { timeout: timeoutMs }, (err) => {
      if (!err) resolve('behind');
      else if ((err as unknown as { code?: unknown }).code === 1) resolve('ahead-or-diverged');
      else resolve('unknown');
    });
  });
}
