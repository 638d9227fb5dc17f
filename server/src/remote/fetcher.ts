// Remote bases and files for the engine (its RemoteSources), fetched into a cache under the user's
// cache folder, as kustomize v5.5 fetches them: a git repository with `git init`, `git fetch
// --depth=1 URL REF`, `git checkout FETCH_HEAD` and submodules (each command under the entry's
// timeout, 27 s by default); an http(s) file with a GET. Entries are keyed by URL and ref and kept
// until the cache is cleared. Credentials are git's own (its credential helpers and SSH agent);
// nothing is added, nothing is prompted for, and http(s) files are fetched without any.
//
// The engine is told "not fetched yet" and the fetch runs in the background: the language server
// renders again when `onFetched` says so, the CLI when `idle()` resolves.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cloneUrl, KustomizeError, type RemoteSources, type RepoSpec } from '../engine/index';

/** The cache folder (XDG_CACHE_HOME or ~/.cache, then gitops-lens/remote). */
export function remoteCacheDir(): string {
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'gitops-lens', 'remote');
}

const MAX_FILE_BYTES = 10 * 1024 * 1024;
const MAX_CHECKOUT_BYTES = 512 * 1024 * 1024;

export interface FetcherOptions {
  cacheDir?: string;
  /** Something new was fetched (or failed): render again. */
  onFetched?(what: string): void;
  /** A fetch starts or ends (progress). */
  onProgress?(what: string, state: 'start' | 'done' | 'failed'): void;
  git?: string;
}

type Outcome = { ok: string } | { error: string };

export class RemoteFetcher implements RemoteSources {
  version = 0;
  private readonly cacheDir: string;
  private readonly outcomes = new Map<string, Outcome>();
  /** The fetches under way, by cache key. */
  private readonly running = new Map<string, Promise<void>>();
  /** The roots handed to the engine (a checkout and the path in it), with the spec each stands for (for origin annotations). */
  private readonly roots = new Map<string, { checkout: string; spec: RepoSpec }>();

  constructor(private readonly opts: FetcherOptions = {}) {
    this.cacheDir = opts.cacheDir ?? remoteCacheDir();
  }

  checkout(spec: RepoSpec): string | undefined {
    const dir = this.checkoutDir(spec);
    if (dir !== undefined) this.roots.set(spec.path ? path.join(dir, spec.path) : dir, { checkout: dir, spec });
    return dir;
  }

  originOf(file: string, via: string[]): { repo: string; ref: string; path: string } | undefined {
    // The entry a resource came in by: the first remote root it passed through (two entries may share a checkout).
    for (const root of via) {
      const r = this.roots.get(root);
      if (!r || !file.startsWith(`${r.checkout}/`)) continue;
      // kustomize v5.5 writes `notCloned/` before the path when the URL names no folder in the repository.
      return { repo: cloneUrl(r.spec), ref: r.spec.ref, path: `${r.spec.path ? '' : 'notCloned/'}${file.slice(r.checkout.length + 1)}` };
    }
    return undefined;
  }

  private checkoutDir(spec: RepoSpec): string | undefined {
    const url = cloneUrl(spec);
    const key = cacheKey(`git\u0000${url}\u0000${spec.ref}`);
    const dir = path.join(this.cacheDir, 'git', key);
    const known = this.outcomes.get(key);
    if (known) return unwrap(known);
    if (fs.existsSync(path.join(dir, '.gitops-lens-fetched'))) return dir;
    this.background(key, `${url} ${spec.ref || 'HEAD'}`, () => this.clone(spec, dir));
    return undefined;
  }

  file(url: string): { text: string } | { status: number; statusText: string } | undefined {
    const key = cacheKey(`file\u0000${url}`);
    const file = path.join(this.cacheDir, 'files', key);
    const known = this.outcomes.get(key);
    if (known && 'error' in known) return parseStatus(known.error);
    if (fs.existsSync(file)) return { text: fs.readFileSync(file, 'utf8') };
    // An HTTP status is kept too: a repository URL answers 404 to the GET kustomize tries first.
    if (fs.existsSync(`${file}.status`)) return parseStatus(fs.readFileSync(`${file}.status`, 'utf8'));
    this.background(key, url, () => fetchFile(url, file));
    return undefined;
  }

  /** Removes every fetched repository and file. */
  clear(): void {
    fs.rmSync(this.cacheDir, { recursive: true, force: true });
    this.outcomes.clear();
    this.version++;
  }

  /** Whether a fetch is under way; `idle()` resolves when none is. */
  get busy(): boolean { return this.running.size > 0; }

  async idle(): Promise<void> {
    while (this.running.size) await Promise.all(this.running.values());
  }

  private background(key: string, what: string, run: () => Promise<Outcome>): void {
    if (this.running.has(key)) return;
    this.opts.onProgress?.(what, 'start');
    this.running.set(key, run().then((r) => {
      this.running.delete(key);
      if ('error' in r) this.outcomes.set(key, r);
      this.version++;
      this.opts.onProgress?.(what, 'error' in r ? 'failed' : 'done');
      this.opts.onFetched?.(what);
    }));
  }

  private gitCommands(spec: RepoSpec): string[][] {
    const url = cloneUrl(spec);
    const cmds = [['init', '--quiet'], ['remote', 'add', 'origin', url], ['fetch', '--depth=1', url, spec.ref || 'HEAD'], ['checkout', '--quiet', 'FETCH_HEAD']];
    if (spec.submodules) cmds.push(['submodule', 'update', '--init', '--recursive']);
    return cmds;
  }

  private async clone(spec: RepoSpec, dir: string): Promise<Outcome> {
    const tmp = this.tempDir(dir);
    const git = this.opts.git ?? 'git';
    for (const args of this.gitCommands(spec)) {
      const err = await new Promise<string | undefined>((resolve) => {
        execFile(git, args, { cwd: tmp, encoding: 'utf8', timeout: spec.timeoutMs, env: gitEnv() }, (e, stdout, stderr) => {
          const ex = e as (NodeJS.ErrnoException & { killed?: boolean; code?: string | number }) | null;
          const error = ex?.code === 'ENOENT' ? ex : ex?.killed ? Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }) : undefined;
          const status = !ex ? 0 : typeof ex.code === 'number' ? ex.code : null;
          resolve(gitFailure(git, args, error, status, `${stdout}${stderr}`, spec.timeoutMs));
        });
      });
      if (err) { fs.rmSync(tmp, { recursive: true, force: true }); return { error: err }; }
    }
    return place(tmp, dir);
  }

  private tempDir(dir: string): string {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    return fs.mkdtempSync(`${dir}.tmp-`);
  }
}

function unwrap(o: Outcome): string {
  if ('error' in o) throw new KustomizeError(o.error);
  return o.ok;
}

function parseStatus(error: string): { status: number; statusText: string } {
  const m = /^HTTP (\d+) (.*)$/.exec(error);
  if (m) return { status: Number(m[1]), statusText: m[2]! };
  throw new KustomizeError(error);
}

/** A cache entry's name: a hash of what it is keyed by. */
export function cacheKey(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 32);
}

/** git never prompts for credentials (an editor has no terminal to answer in). */
function gitEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: process.env.GIT_ASKPASS ?? '', SSH_ASKPASS: process.env.SSH_ASKPASS ?? '' };
}

/** kustomize's words for a git command that failed, or undefined when it succeeded. */
function gitFailure(git: string, args: string[], error: Error | null | undefined, status: number | null, output: string, timeoutMs: number): string | undefined {
  const cmd = `'${git} ${args.join(' ')}'`;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return `no 'git' program on path: exec: "${git}": executable file not found in $PATH`;
  if (code === 'ETIMEDOUT') return `hit ${Math.round(timeoutMs / 1000)}s timeout running ${cmd}`;
  if (status === 0) return undefined;
  return `failed to run ${cmd}: ${output.trim()}: exit status ${status ?? 1}`;
}

/** Moves a finished checkout into place, if it is within the size limit. */
function place(tmp: string, dir: string): Outcome {
  const size = treeSize(tmp);
  if (size > MAX_CHECKOUT_BYTES) {
    fs.rmSync(tmp, { recursive: true, force: true });
    return { error: `the repository is ${(size / 1048576).toFixed(0)} MB checked out; GitOps Lens fetches up to ${MAX_CHECKOUT_BYTES / 1048576} MB` };
  }
  fs.writeFileSync(path.join(tmp, '.gitops-lens-fetched'), `${new Date().toISOString()}\n`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  return { ok: dir };
}

function treeSize(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === '.git') continue;
    const p = path.join(dir, e.name);
    n += e.isDirectory() ? treeSize(p) : e.isFile() ? fs.statSync(p).size : 0;
  }
  return n;
}

/** GETs an http(s) file (no credentials, at most MAX_FILE_BYTES) into `file`. */
async function fetchFile(url: string, file: string): Promise<Outcome> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(27_000), redirect: 'follow', credentials: 'omit' });
    if (!res.ok) return httpStatus(file, res.status, res.statusText);
    const text = await res.text();
    if (Buffer.byteLength(text) > MAX_FILE_BYTES) return { error: `${url}: larger than ${MAX_FILE_BYTES / 1048576} MB` };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return { ok: file };
  } catch (e) {
    return { error: `Get "${url}": ${(e as Error).message}` };
  }
}

/** An HTTP error answer, kept beside where the file would be. */
function httpStatus(file: string, status: number, statusText: string): Outcome {
  const error = `HTTP ${status} ${statusText || 'Error'}`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.status`, error);
  return { error };
}
