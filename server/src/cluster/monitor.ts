// Keeps one linked environment's diff and agent status current for the editor: the diff is
// cached, recomputed (debounced, one at a time, a stale run cancelled) when the caller reports an
// edit, when the agent's status changes, or when a watched kind changes in a watched namespace.
// Watches reconnect on their own; faults arrive as values in the updates.

import type { FileHost } from '../engine/index';
import { diffEnvironment, type EnvironmentDiff } from './diff';
import { resourcePath } from './discovery';
import type { ConnectOptions } from './kube';
import type { AgentRef } from './render';
import { getSession, type ClusterSession } from './session';
import { watchAgentStatus, type AgentStatus } from './status';

export interface MonitorOptions extends ConnectOptions {
  dir: string;
  agent?: AgentRef;
  host?: FileHost;
  session?: ClusterSession;
  repoRoot?: string;
  /** Wait after the last trigger before recomputing (default 400 ms). */
  debounceMs?: number;
  /** Watch the kinds and namespaces of the environment's objects (default true). */
  watchObjects?: boolean;
  onUpdate(u: MonitorUpdate): void;
}

export interface MonitorUpdate {
  reason: 'initial' | 'edit' | 'status' | 'objects';
  diff?: EnvironmentDiff;
  status?: AgentStatus;
}

export class EnvironmentMonitor {
  latestDiff: EnvironmentDiff | undefined;
  latestStatus: AgentStatus | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: AbortController | undefined;
  private pending: MonitorUpdate['reason'] | undefined;
  private disposed = false;
  private unwatchStatus: (() => void) | undefined;
  private objectWatches = new Map<string, AbortController>();
  private session: ClusterSession | undefined;

  constructor(private readonly opts: MonitorOptions) {}

  start(): void {
    try { this.session = this.opts.session ?? getSession(this.opts); } catch { /* the diff reports it */ }
    this.trigger('initial', 0);
    if (this.opts.agent && this.session) {
      let lastRv: string | undefined;
      this.unwatchStatus = watchAgentStatus(this.opts.agent, (s) => {
        this.latestStatus = s;
        this.emit({ reason: 'status', status: s });
        // A new resourceVersion of the agent object: it may have applied something.
        if (s.resourceVersion && lastRv && s.resourceVersion !== lastRv) this.trigger('status');
        if (!s.fault && lastRv === undefined && this.latestDiff?.status === 'error') this.trigger('status');
        lastRv = s.resourceVersion ?? lastRv;
        if (s.fault) lastRv = undefined;
      }, { session: this.session, repoRoot: this.opts.repoRoot });
    }
  }

  /** An edit to a file the render read (or any, when unsure): recompute after the debounce. */
  invalidate(): void {
    this.trigger('edit');
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.running?.abort();
    this.unwatchStatus?.();
    for (const w of this.objectWatches.values()) w.abort();
    this.objectWatches.clear();
  }

  private emit(u: MonitorUpdate): void {
    if (this.disposed) return;
    try { this.opts.onUpdate(u); } catch { /* listener's problem */ }
  }

  private trigger(reason: MonitorUpdate['reason'], delay = this.opts.debounceMs ?? 400): void {
    if (this.disposed) return;
    this.pending = this.pending === 'initial' ? 'initial' : reason;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), delay);
  }

  private async run(): Promise<void> {
    const reason = this.pending ?? 'edit';
    this.pending = undefined;
    this.running?.abort();
    const ac = new AbortController();
    this.running = ac;
    const diff = await diffEnvironment({ ...this.opts, session: this.session, signal: ac.signal });
    if (ac.signal.aborted || this.disposed) return;
    this.running = undefined;
    this.latestDiff = diff;
    this.emit({ reason, diff });
    if (this.opts.watchObjects !== false) this.syncObjectWatches(diff);
  }

  /** One watch per kind and namespace the environment has objects in. */
  private syncObjectWatches(diff: EnvironmentDiff): void {
    const session = this.session;
    if (!session || diff.status === 'error') return;
    const wanted = new Map<string, string>();
    for (const o of diff.objects) {
      const info = session.discovery.lookup(o.id.apiVersion, o.id.kind);
      if (!info || !info.verbs.includes('watch')) continue;
      const p = resourcePath(info, o.id.namespace);
      wanted.set(p, p);
    }
    for (const [k, ac] of this.objectWatches) if (!wanted.has(k)) { ac.abort(); this.objectWatches.delete(k); }
    for (const p of wanted.keys()) {
      if (this.objectWatches.has(p)) continue;
      const ac = new AbortController();
      this.objectWatches.set(p, ac);
      void this.watchLoop(session, p, ac.signal);
    }
  }

  private async watchLoop(session: ClusterSession, p: string, signal: AbortSignal): Promise<void> {
    let backoff = 500;
    while (!signal.aborted && !this.disposed) {
      let rv: string;
      try {
        const res = await session.client.request('GET', `${p}?limit=1`, { signal });
        if (res.status !== 200) throw new Error(String(res.status));
        rv = String(res.body?.metadata?.resourceVersion ?? '');
      } catch {
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 30_000);
        continue;
      }
      backoff = 500;
      const q = new URLSearchParams({ watch: '1', resourceVersion: rv, allowWatchBookmarks: 'true', timeoutSeconds: '240' });
      const r = await session.client.watch(`${p}?${q}`, (ev) => {
        if (ev.type !== 'BOOKMARK') this.trigger('objects');
      }, { signal, idleTimeoutMs: 300_000 });
      if (r.ended === 'error') {
        await new Promise((res) => setTimeout(res, backoff));
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  }
}
