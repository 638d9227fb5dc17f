// Remote bases and files for the engine (its RemoteSources), fetched into a cache under the user's
// cache folder, as kustomize v5.5 fetches them: a git repository with `git init`, `git fetch
// --depth=1 URL REF`, `git checkout FETCH_HEAD` and submodules (each command under the entry's
// timeout, 27 s by default); an http(s) file with a GET. Entries are keyed by URL and ref and kept
// until the cache is cleared. Credentials are git's own (its credential helpers and SSH agent);
// nothing is added, nothing is prompted for, and http(s) files are fetched without any.
//
// `sync` (the CLI) fetches when the engine asks; otherwise (the language server) the engine is told
// "not fetched yet", the fetch runs in the background and `onFetched` says when to render again.

import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cloneUrl, KustomizeError, type RemoteSources, type RepoSpec } from '../engine/index';

/** The cache folder (XDG_CACHE_HOME or ~/.cache, then gitops-lens/remote). */
function remoteCacheDir(): string {
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'gitops-lens', 'remote');
}

const MAX_FILE_BYTES = 10 * 1024 * 1024;
const MAX_CHECKOUT_BYTES = 512 * 1024 * 1024;

export interface FetcherOptions {
  cacheDir?: string;
  /** Fetch when asked (the CLI), instead of in the background. */
  sync?: boolean;
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
  private readonly running = new Set<string>();
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
    const key = hash(`git\u0000${url}\u0000${spec.ref}`);
    const dir = path.join(this.cacheDir, 'git', key);
    const known = this.outcomes.get(key);
    if (known) return unwrap(known);
    if (fs.existsSync(path.join(dir, '.gitops-lens-fetched'))) return dir;
    if (this.opts.sync) { const r = this.cloneSync(spec, dir); this.outcomes.set(key, r); return unwrap(r); }
    this.background(key, `${url} ${spec.ref || 'HEAD'}`, () => this.cloneAsync(spec, dir));
    return undefined;
  }

  file(url: string): { text: string } | { status: number; statusText: string } | undefined {
    const key = hash(`file\u0000${url}`);
    const file = path.join(this.cacheDir, 'files', key);
    const known = this.outcomes.get(key);
    if (known && 'error' in known) return parseStatus(known.error);
    if (fs.existsSync(file)) return { text: fs.readFileSync(file, 'utf8') };
    // An HTTP status is kept too: a repository URL answers 404 to the GET kustomize tries first.
    if (fs.existsSync(`${file}.status`)) return parseStatus(fs.readFileSync(`${file}.status`, 'utf8'));
    if (this.opts.sync) {
      const r = fetchFileSync(url, file);
      this.outcomes.set(key, r);
      return 'ok' in r ? { text: fs.readFileSync(file, 'utf8') } : parseStatus(r.error);
    }
    this.background(key, url, () => fetchFile(url, file));
    return undefined;
  }

  /** Removes every fetched repository and file. */
  clear(): void {
    fs.rmSync(this.cacheDir, { recursive: true, force: true });
    this.outcomes.clear();
    this.version++;
  }

  private background(key: string, what: string, run: () => Promise<Outcome>): void {
    if (this.running.has(key)) return;
    this.running.add(key);
    this.opts.onProgress?.(what, 'start');
    void run().then((r) => {
      this.running.delete(key);
      if ('error' in r) this.outcomes.set(key, r);
      this.version++;
      this.opts.onProgress?.(what, 'error' in r ? 'failed' : 'done');
      this.opts.onFetched?.(what);
    });
  }

  private gitCommands(spec: RepoSpec): string[][] {
    const url = cloneUrl(spec);
    const cmds = [['init', '--quiet'], ['remote', 'add', 'origin', url], ['fetch', '--depth=1', url, spec.ref || 'HEAD'], ['checkout', '--quiet', 'FETCH_HEAD']];
    if (spec.submodules) cmds.push(['submodule', 'update', '--init', '--recursive']);
    return cmds;
  }

  private cloneSync(spec: RepoSpec, dir: string): Outcome {
    const tmp = this.tempDir(dir);
    const git = this.opts.git ?? 'git';
    for (const args of this.gitCommands(spec)) {
      const r = spawnSync(git, args, { cwd: tmp, encoding: 'utf8', timeout: spec.timeoutMs, env: gitEnv() });
      const err = gitFailure(git, args, r.error, r.status, `${r.stdout ?? ''}${r.stderr ?? ''}`, spec.timeoutMs);
      if (err) { fs.rmSync(tmp, { recursive: true, force: true }); return { error: err }; }
    }
    return place(tmp, dir);
  }

  private async cloneAsync(spec: RepoSpec, dir: string): Promise<Outcome> {
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

function hash(s: string): string {
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

/** fetchFile from a synchronous caller: in a child process (Node has no synchronous fetch). */
function fetchFileSync(url: string, file: string): Outcome {
  const script = `(${fetchFileScript})(${JSON.stringify(url)}, ${JSON.stringify(file)}, ${MAX_FILE_BYTES})`;
  try {
    return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 })) as Outcome;
  } catch (e) {
    return { error: `Get "${url}": ${(e as Error).message}` };
  }
}

const fetchFileScript = `async (url, file, max) => {
  const fs = require('node:fs'); const path = require('node:path');
  const out = (o) => process.stdout.write(JSON.stringify(o));
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(27000), redirect: 'follow', credentials: 'omit' });
    if (!res.ok) { const error = 'HTTP ' + res.status + ' ' + (res.statusText || 'Error'); fs.mkdirSync(path.dirname(file), { recursive: true }); fs.writeFileSync(file + '.status', error); return out({ error }); }
    const text = await res.text();
    if (Buffer.byteLength(text) > max) return out({ error: url + ': larger than ' + (max / 1048576) + ' MB' });
    fs.mkdirSync(path.dirname(file), { recursive: true }); fs.writeFileSync(file, text);
    out({ ok: file });
  } catch (e) { out({ error: 'Get "' + url + '": ' + e.message }); }
}`;
