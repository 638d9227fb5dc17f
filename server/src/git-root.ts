// The one walk up to a Git repository's root, for the workspace (Argo CD and Flux paths are relative
// to it) and the cluster link (remotes and HEAD). Given a `stat`, so it runs on any file host.

/** The nearest folder at or above `dir` that holds `.git` (a folder, or a worktree's file), or undefined. */
export function findGitRoot(dir: string, exists: (path: string) => boolean): string | undefined {
  let d = dir.length > 1 ? dir.replace(/\/+$/, '') : dir;
  for (;;) {
    if (exists(`${d === '/' ? '' : d}/.git`)) return d;
    const up = d.slice(0, d.lastIndexOf('/')) || '/';
    if (up === d) return undefined;
    d = up;
  }
}
