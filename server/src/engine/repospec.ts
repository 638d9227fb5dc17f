// Which `resources:` / `components:` entries name a git repository, and how kustomize v5.5 reads one
// (api/internal/git/repospec.go): the host with its scheme, the repository path, the path inside
// the repository, and the `ref` / `version`, `timeout` and `submodules` parameters. A string that
// does not parse is a local path to kustomize.

import { normalize } from './path';

export interface RepoSpec {
  /** The entry as written. */
  raw: string;
  /** `https://github.com/`, `git@github.com:`, `file://`, `ssh://git@host/`… */
  host: string;
  /** The repository on the host (`org/repo`, `org/repo.git`, `/srv/repos/x.git`). */
  repoPath: string;
  /** The folder inside the repository to build ('' for its top). */
  path: string;
  /** The branch, tag or commit; '' for the remote's HEAD. */
  ref: string;
  /** Per git command, in milliseconds (kustomize's default 27 s). */
  timeoutMs: number;
  submodules: boolean;
}

const DEFAULT_TIMEOUT_MS = 27_000;

/** The URL git clones: host and repository path. */
export function cloneUrl(spec: RepoSpec): string {
  return spec.host + spec.repoPath;
}

/** The entry as a repository spec, a reason it cannot be one (`error`), or undefined for a local path. */
export function parseRepoSpec(raw: string): RepoSpec | { error: string } | undefined {
  if (raw.startsWith('/')) return undefined;
  const q = raw.indexOf('?');
  let rest = q >= 0 ? raw.slice(0, q) : raw;
  const query = q >= 0 ? raw.slice(q + 1) : '';
  if (/^git::/i.test(rest)) rest = rest.slice(5);
  const host = extractHost(rest);
  if (!host) return undefined;
  rest = rest.slice(host.consumed);
  const parts = splitPath(rest, host.host.startsWith('file://'));
  if (!parts.repoPath) return { error: `failed to parse repo path segment` };
  const rel = parts.path.replace(/^\/+/, '');
  const inRepo = rel ? normalize(rel) : '';
  if (inRepo === '..' || inRepo.startsWith('../')) return { error: 'url path exits repo' };
  return { raw, host: host.host, repoPath: parts.repoPath, path: inRepo === '.' ? '' : inRepo, ...parseQuery(query) };
}

/** The scheme, user and host (normalised for GitHub), and how many characters they took; undefined: not a URL. */
function extractHost(s: string): { host: string; consumed: number } | undefined {
  const scheme = /^(ssh|https|http|file):\/\//i.exec(s)?.[0]?.toLowerCase() ?? '';
  let i = scheme.length;
  if (scheme === 'file://') return { host: 'file://', consumed: i };
  const user = /^[a-zA-Z][a-zA-Z0-9-]*@/.exec(s.slice(i))?.[0] ?? '';
  i += user.length;
  const after = s.slice(i);
  if (!scheme && !user && !/^github\.com[/:]/.test(after)) return undefined;
  // The host ends at the first '/' (or at ':' before it, scp-style `host:org/repo`).
  const slash = after.indexOf('/');
  const colon = after.indexOf(':');
  const scp = colon >= 0 && (slash < 0 || colon < slash);
  const end = scp ? colon : slash < 0 ? after.length : slash;
  const hostName = after.slice(0, end);
  if (!hostName) return undefined;
  const consumed = i + end + 1;
  if (hostName === 'github.com') {
    const viaSsh = scheme === 'ssh://' || user !== '';
    return { host: viaSsh ? 'git@github.com:' : 'https://github.com/', consumed };
  }
  return { host: `${scheme}${user}${hostName}${scp ? ':' : '/'}`, consumed };
}

/** Repository path and path inside it: after `_git/` plus one segment, at `//`, after the first `.git`, else the first two segments (all of them for file://). */
function splitPath(s: string, file: boolean): { repoPath: string; path: string } {
  const git = s.indexOf('_git/');
  if (git >= 0) {
    const next = s.indexOf('/', git + 5);
    return next < 0 ? { repoPath: s, path: '' } : { repoPath: s.slice(0, next), path: s.slice(next + 1) };
  }
  const dbl = s.indexOf('//');
  if (dbl >= 0) return { repoPath: s.slice(0, dbl), path: s.slice(dbl + 2) };
  const dotGit = s.indexOf('.git');
  if (dotGit >= 0) {
    const end = dotGit + 4;
    return { repoPath: s.slice(0, end), path: s.slice(end).replace(/^\//, '') };
  }
  if (file) return { repoPath: s, path: '' };
  const segs = s.split('/');
  return { repoPath: segs.slice(0, 2).join('/'), path: segs.slice(2).join('/') };
}

function parseQuery(query: string): Pick<RepoSpec, 'ref' | 'timeoutMs' | 'submodules'> {
  const params = new Map<string, string>();
  for (const kv of query.split('&')) {
    if (!kv) continue;
    const eq = kv.indexOf('=');
    const k = decode(eq >= 0 ? kv.slice(0, eq) : kv);
    if (!params.has(k)) params.set(k, decode(eq >= 0 ? kv.slice(eq + 1) : ''));
  }
  return {
    ref: params.get('ref') || params.get('version') || '',
    timeoutMs: goDuration(params.get('timeout')) ?? DEFAULT_TIMEOUT_MS,
    submodules: goBool(params.get('submodules')) ?? true,
  };
}

function decode(s: string): string {
  try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch { return s; }
}

/** Whole seconds, or a Go duration (`1m30s`, `500ms`); undefined unless it is positive. */
function goDuration(v: string | undefined): number | undefined {
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v) > 0 ? Number(v) * 1000 : undefined;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let ms = 0;
  let at = 0;
  for (let m = re.exec(v); m; m = re.exec(v)) { ms += Number(m[1]) * unit[m[2]!]!; at = re.lastIndex; }
  return at === v.length && ms > 0 ? ms : undefined;
}

/** Go's strconv.ParseBool. */
function goBool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}
