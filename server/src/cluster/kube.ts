// The cluster connection: kubeconfig (KUBECONFIG, contexts, exec/token auth) read by
// @kubernetes/client-node, requests made here over one keep-alive agent per context, so every
// call has a timeout, honours an AbortSignal and turns every failure into a `ClusterFault` value.
// Read-only by construction: the only methods are GET/LIST/WATCH and dry-run PATCH/POST.

import fs from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { VERSION } from '../contributes';

type FaultKind = 'unreachable' | 'unauthorized' | 'forbidden' | 'notFound' | 'conflict' | 'invalid' | 'timeout' | 'aborted' | 'gone' | 'server' | 'config';

/** A failure as a value: what went wrong, in words a status bar can show. */
export interface ClusterFault {
  kind: FaultKind;
  message: string;
  /** HTTP status, when the server answered. */
  status?: number;
}

export class ClusterError extends Error {
  constructor(readonly fault: ClusterFault) {
    super(fault.message);
  }
}

export interface RequestOptions {
  body?: unknown;
  contentType?: string;
  accept?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface KubeResponse<T = any> { status: number; body: T }

export interface ConnectOptions {
  /** A kubeconfig file (or several joined with the path separator); default: $KUBECONFIG or ~/.kube/config. */
  kubeconfig?: string;
  /** A context name; default: the kubeconfig's current context. */
  context?: string;
  /** Per-request timeout (default 15 s). */
  timeoutMs?: number;
  /** Concurrent requests at most (default 16). */
  maxSockets?: number;
}

/** Loads a kubeconfig as kubectl would. Throws ClusterError('config') on a missing or broken one. */
function loadKubeConfig(kubeconfig?: string): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (kubeconfig) {
      const files = kubeconfig.split(process.platform === 'win32' ? ';' : ':').filter(Boolean);
      kc.loadFromFile(files[0]!);
      for (const f of files.slice(1)) {
        const more = new KubeConfig();
        more.loadFromFile(f);
        kc.mergeConfig(more, true);
      }
    } else {
      const where = findKubeconfig();
      if (!where.found.length && !where.inCluster) throw new ClusterError({ kind: 'config', message: noKubeconfigMessage(where) });
      kc.loadFromDefault();
    }
  } catch (e) {
    if (e instanceof ClusterError) throw e;
    throw new ClusterError({ kind: 'config', message: `cannot read kubeconfig${kubeconfig ? ` ${kubeconfig}` : ''}: ${(e as Error).message}` });
  }
  return kc;
}

/** Where a kubeconfig would be read from without an explicit one, as kubectl looks: $KUBECONFIG, else ~/.kube/config. */
export interface KubeconfigSearch {
  /** The files that exist (what would be read). */
  found: string[];
  /** Every place looked at, in words (`$KUBECONFIG (not set)`, `/home/u/.kube/config (missing)`). */
  looked: string[];
  /** Running in a pod with a service account (client-node then uses it). */
  inCluster: boolean;
}

export function findKubeconfig(explicit?: string): KubeconfigSearch {
  const sep = process.platform === 'win32' ? ';' : ':';
  const found: string[] = [];
  const looked: string[] = [];
  const check = (f: string, label = f): void => {
    if (fs.existsSync(f)) found.push(f);
    else looked.push(`${label} (missing)`);
  };
  const env = process.env.KUBECONFIG;
  if (explicit) for (const f of explicit.split(sep).filter(Boolean)) check(f);
  else if (env) for (const f of env.split(sep).filter(Boolean)) check(f, `${f} (from $KUBECONFIG)`);
  else {
    looked.push('$KUBECONFIG (not set)');
    const home = os.homedir();
    if (home) check(path.join(home, '.kube', 'config'));
  }
  const inCluster = !explicit && !env && !!process.env.KUBERNETES_SERVICE_HOST && fs.existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token');
  return { found, looked, inCluster };
}

/** What to say when there is no kubeconfig at all. */
export function noKubeconfigMessage(where: KubeconfigSearch = findKubeconfig()): string {
  return `no kubeconfig found (looked at ${where.looked.join(', ')}): point at one with KUBECONFIG=FILE, \`--kubeconfig FILE\` (CLI) or the gitopsLens.cluster.kubeconfig setting`;
}

const AUTH_TTL_MS = 10_000;
/** Every request says who made it, so the audit log can tell GitOps Lens's requests apart. */
const USER_AGENT = `gitops-lens/${VERSION}`;

/** One context of one kubeconfig: a server, credentials and a connection pool. */
export class KubeClient {
  readonly context: string;
  readonly server: string;
  readonly user: string;
  /** The context's namespace, if it sets one. */
  readonly namespace: string | undefined;
  private readonly kc: KubeConfig;
  private agent: https.Agent | http.Agent | undefined;
  private auth: { at: number; headers: Record<string, string>; agentOpts: https.AgentOptions } | undefined;
  readonly timeoutMs: number;
  private readonly maxSockets: number;
  /** Every request this client made (method and path, no bodies): for tests and the output channel. */
  readonly requestLog: { method: string; path: string; status: number | string }[] = [];
  logRequests = false;

  constructor(opts: ConnectOptions = {}) {
    this.kc = loadKubeConfig(opts.kubeconfig);
    const context = opts.context ?? this.kc.getCurrentContext();
    if (!context || !this.kc.getContextObject(context)) {
      throw new ClusterError({ kind: 'config', message: context ? `context "${context}" is not in the kubeconfig` : 'the kubeconfig has no current context' });
    }
    this.kc.setCurrentContext(context);
    this.context = context;
    const cluster = this.kc.getCurrentCluster();
    if (!cluster?.server) throw new ClusterError({ kind: 'config', message: `context "${context}" has no cluster server` });
    this.server = cluster.server.replace(/\/+$/, '');
    this.user = this.kc.getCurrentUser()?.name ?? '';
    this.namespace = this.kc.getContextObject(context)?.namespace || undefined;
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.maxSockets = opts.maxSockets ?? 16;
  }

  private async credentials(): Promise<{ headers: Record<string, string>; agent: https.Agent | http.Agent }> {
    if (!this.auth || Date.now() - this.auth.at > AUTH_TTL_MS) {
      const o: https.RequestOptions = { headers: {} };
      try {
        await this.kc.applyToHTTPSOptions(o);
      } catch (e) {
        throw new ClusterError({ kind: 'unauthorized', message: `cannot get credentials for context "${this.context}": ${(e as Error).message}` });
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(o.headers ?? {})) if (v !== undefined) headers[k] = String(v);
      if (o.auth) headers.Authorization = `Basic ${Buffer.from(o.auth).toString('base64')}`;
      const agentOpts: https.AgentOptions = { ca: o.ca, cert: o.cert, key: o.key, pfx: o.pfx, passphrase: o.passphrase, rejectUnauthorized: o.rejectUnauthorized, servername: o.servername };
      const changed = !this.auth || ['ca', 'cert', 'key', 'pfx'].some((k) => String((this.auth!.agentOpts as Record<string, unknown>)[k]) !== String((agentOpts as Record<string, unknown>)[k]));
      this.auth = { at: Date.now(), headers, agentOpts };
      if (changed || !this.agent) {
        this.agent?.destroy();
        this.agent = this.server.startsWith('http:')
          ? new http.Agent({ keepAlive: true, maxSockets: this.maxSockets })
          : new https.Agent({ ...agentOpts, keepAlive: true, maxSockets: this.maxSockets });
      }
    }
    return { headers: this.auth.headers, agent: this.agent! };
  }

  /** Drops pooled connections (they are re-made on the next request). */
  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
    this.auth = undefined;
  }

  /** One request; never throws on an HTTP status, throws ClusterError on a transport failure. */
  async request<T = any>(method: 'GET' | 'PATCH' | 'POST', path: string, opts: RequestOptions = {}): Promise<KubeResponse<T>> {
    if (opts.signal?.aborted) throw new ClusterError({ kind: 'aborted', message: 'cancelled' });
    const { headers, agent } = await this.credentials();
    const url = new URL(this.server + path);
    const payload = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    const h: Record<string, string | number> = { ...headers, Accept: opts.accept ?? 'application/json', 'User-Agent': USER_AGENT };
    if (payload !== undefined) {
      h['Content-Type'] = opts.contentType ?? 'application/json';
      h['Content-Length'] = Buffer.byteLength(payload);
    }
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const lib = url.protocol === 'http:' ? http : https;
    return new Promise<KubeResponse<T>>((resolve, reject) => {
      let done = false;
      const finish = (err: ClusterError | undefined, res?: KubeResponse<T>): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        if (this.logRequests || this.requestLog.length < 10_000) this.requestLog.push({ method, path: url.pathname + url.search, status: err ? err.fault.kind : res!.status });
        if (err) reject(err);
        else resolve(res!);
      };
      const req = lib.request(
        { method, hostname: url.hostname, port: url.port, path: url.pathname + url.search, headers: h, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = text;
            if ((res.headers['content-type'] ?? '').includes('json')) {
              try { body = JSON.parse(text); } catch { body = text; }
            }
            finish(undefined, { status: res.statusCode ?? 0, body: body as T });
          });
          res.on('error', (e) => finish(transportFault(e, this.server)));
        },
      );
      const timer = setTimeout(() => {
        finish(new ClusterError({ kind: 'timeout', message: `${this.server} did not answer within ${Math.round(timeoutMs / 1000)} s` }));
        req.destroy();
      }, timeoutMs);
      const onAbort = (): void => {
        finish(new ClusterError({ kind: 'aborted', message: 'cancelled' }));
        req.destroy();
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (e) => finish(transportFault(e, this.server)));
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** GET that throws ClusterError for any non-2xx status. */
  async get<T = any>(path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.request<T>('GET', path, opts);
    if (res.status < 200 || res.status > 299) throw new ClusterError(statusFault(res.status, res.body, `GET ${path}`));
    return res.body;
  }

  /**
   * A watch stream: calls `onEvent` per event until the server ends it, the signal aborts or
   * nothing arrives for `idleTimeoutMs` (a dropped connection). Resolves when it ends, with why.
   */
  async watch(path: string, onEvent: (ev: { type: string; object: any }) => void, opts: { signal?: AbortSignal; idleTimeoutMs?: number } = {}): Promise<{ ended: 'closed' | 'aborted' | 'idle' | 'error' | 'gone'; fault?: ClusterFault }> {
    if (opts.signal?.aborted) return { ended: 'aborted' };
    let creds;
    try { creds = await this.credentials(); } catch (e) { return { ended: 'error', fault: (e as ClusterError).fault }; }
    const url = new URL(this.server + path);
    const lib = url.protocol === 'http:' ? http : https;
    const idle = opts.idleTimeoutMs ?? 90_000;
    return new Promise((resolve) => {
      let done = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (r: { ended: 'closed' | 'aborted' | 'idle' | 'error' | 'gone'; fault?: ClusterFault }): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        req.destroy();
        resolve(r);
      };
      const arm = (): void => {
        clearTimeout(timer);
        timer = setTimeout(() => finish({ ended: 'idle', fault: { kind: 'timeout', message: 'the watch went quiet' } }), idle);
      };
      const onAbort = (): void => finish({ ended: 'aborted' });
      // A watch holds its connection for long: it gets its own, outside the pool.
      const agent = lib === https ? new https.Agent({ ...this.auth!.agentOpts, keepAlive: false }) : undefined;
      const req = lib.request(
        { method: 'GET', hostname: url.hostname, port: url.port, path: url.pathname + url.search, headers: { ...creds.headers, Accept: 'application/json', 'User-Agent': USER_AGENT }, agent },
        (res) => {
          if ((res.statusCode ?? 0) !== 200) {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              let body: unknown = undefined;
              try { body = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { /* not JSON */ }
              const f = statusFault(res.statusCode ?? 0, body, `watch ${url.pathname}`);
              finish({ ended: f.kind === 'gone' ? 'gone' : 'error', fault: f });
            });
            return;
          }
          arm();
          let buf = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            arm();
            buf += chunk;
            let nl;
            while ((nl = buf.indexOf('\n')) >= 0) {
              const line = buf.slice(0, nl).trim();
              buf = buf.slice(nl + 1);
              if (!line) continue;
              let ev;
              try { ev = JSON.parse(line); } catch { continue; }
              if (ev.type === 'ERROR') {
                const f = statusFault(ev.object?.code ?? 500, ev.object, 'watch');
                finish({ ended: f.kind === 'gone' ? 'gone' : 'error', fault: f });
                return;
              }
              try { onEvent(ev); } catch { /* a listener's bug must not end the watch */ }
            }
          });
          res.on('end', () => finish({ ended: 'closed' }));
          res.on('error', (e) => finish({ ended: 'error', fault: transportFault(e, this.server).fault }));
        },
      );
      req.on('error', (e) => finish({ ended: 'error', fault: transportFault(e, this.server).fault }));
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      arm();
      req.end();
    });
  }
}

function transportFault(e: Error & { code?: string }, server: string): ClusterError {
  const code = e.code ?? '';
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENOTFOUND' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'ENETUNREACH' || code === 'EAI_AGAIN' || code === 'ECONNABORTED' || e.message === 'socket hang up') {
    return new ClusterError({ kind: 'unreachable', message: `cluster ${server} unreachable (${code || e.message})` });
  }
  if (/certificate|CERT_|SSL|TLS/i.test(code + e.message)) {
    return new ClusterError({ kind: 'unauthorized', message: `TLS to ${server} failed: ${e.message}` });
  }
  return new ClusterError({ kind: 'unreachable', message: `cluster ${server}: ${e.message}` });
}

/** The fault for a non-2xx answer, with the server's own message when it gave one. */
export function statusFault(status: number, body: unknown, what: string): ClusterFault {
  const msg = body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string' ? (body as { message: string }).message : `${what}: HTTP ${status}`;
  const kind: FaultKind =
    status === 401 ? 'unauthorized'
      : status === 403 ? 'forbidden'
        : status === 404 ? 'notFound'
          : status === 409 ? 'conflict'
            : status === 410 ? 'gone'
              : status === 422 || status === 400 ? 'invalid'
                : status === 504 || status === 408 ? 'timeout'
                  : status === 0 ? 'unreachable' : 'server';
  const message = status === 401 ? `credentials rejected (expired or invalid): ${msg}` : msg;
  return { kind, message, status };
}

export function faultOf(e: unknown): ClusterFault {
  if (e instanceof ClusterError) return e.fault;
  return { kind: 'server', message: e instanceof Error ? e.message : String(e) };
}
