// The agent's own view: Argo CD sync/health/operation, Flux Ready/revisions/suspend, and whether
// the synced revision is the workspace's HEAD. Kept current by a watch that re-lists after a drop
// and reports the fault meanwhile (with backoff), until unsubscribed.

import { agentPath } from './diff';
import { faultOf, type ClusterFault } from './kube';
import { isObj, type Obj } from './objects';
import type { AgentRef } from './render';
import { getSession, type ClusterSession } from './session';
import { compareWithHead, type RevisionRelation } from './git';
import type { ConnectOptions } from './kube';

export interface AgentStatus {
  agent: AgentRef;
  context: string;
  /** False when the object is not there (deleted, or its CRD is not installed). */
  found: boolean;
  fault?: ClusterFault;
  /** Argo CD status.sync.status (Synced, OutOfSync, Unknown); for Flux: Ready condition's status as Ready / NotReady / Unknown. */
  sync?: string;
  /** Argo CD status.health.status. */
  health?: string;
  /** Argo CD status.operationState.phase (the last operation). */
  operationPhase?: string;
  operationMessage?: string;
  /** The revision the agent applied: Argo CD status.sync.revision, Flux status.lastAppliedRevision. */
  revision?: string;
  /** Flux: Ready condition. */
  ready?: { status: string; reason?: string; message?: string };
  lastAttemptedRevision?: string;
  suspended?: boolean;
  /** The applied revision relative to the workspace's HEAD. */
  revisionVsHead: RevisionRelation;
  /** One line for a status bar. */
  summary: string;
  resourceVersion?: string;
}

export interface StatusOptions extends ConnectOptions {
  session?: ClusterSession;
  /** The repository, for HEAD comparison. */
  repoRoot?: string;
  signal?: AbortSignal;
}

async function statusFromObject(agent: AgentRef, context: string, o: Obj | undefined, repoRoot?: string): Promise<AgentStatus> {
  if (!o) return { agent, context, found: false, revisionVsHead: 'unknown', summary: `${agent.namespace}/${agent.name} not found` };
  const st = isObj(o.status) ? o.status : {};
  const spec = isObj(o.spec) ? o.spec : {};
  const rv = isObj(o.metadata) ? String(o.metadata.resourceVersion ?? '') : undefined;
  if (agent.kind === 'argocd') {
    const sync = isObj(st.sync) ? st.sync : {};
    const revision = typeof sync.revision === 'string' ? sync.revision : Array.isArray(sync.revisions) ? String(sync.revisions[0] ?? '') : undefined;
    const health = isObj(st.health) ? String(st.health.status ?? '') : undefined;
    const op = isObj(st.operationState) ? st.operationState : undefined;
    const rel = await compareWithHead(repoRoot, revision);
    const s: AgentStatus = {
      agent, context, found: true, sync: String(sync.status ?? 'Unknown'), health: health || undefined,
      operationPhase: op ? String(op.phase ?? '') : undefined, operationMessage: op && typeof op.message === 'string' ? op.message : undefined,
      revision, revisionVsHead: rel, summary: '', resourceVersion: rv,
    };
    s.summary = [s.sync, s.health, s.operationPhase && `last sync ${s.operationPhase}`, revision && `${revision.slice(0, 7)}${rel === 'head' ? ' (HEAD)' : rel === 'behind' ? ' (behind HEAD)' : ''}`].filter(Boolean).join(' · ');
    return s;
  }
  const conds = Array.isArray(st.conditions) ? st.conditions.filter(isObj) : [];
  const ready = conds.find((c) => c.type === 'Ready');
  const revision = typeof st.lastAppliedRevision === 'string' ? st.lastAppliedRevision : undefined;
  const rel = await compareWithHead(repoRoot, revision);
  const s: AgentStatus = {
    agent, context, found: true,
    sync: ready ? (ready.status === 'True' ? 'Ready' : ready.status === 'False' ? 'NotReady' : 'Unknown') : 'Unknown',
    ready: ready ? { status: String(ready.status), reason: typeof ready.reason === 'string' ? ready.reason : undefined, message: typeof ready.message === 'string' ? ready.message : undefined } : undefined,
    revision, lastAttemptedRevision: typeof st.lastAttemptedRevision === 'string' ? st.lastAttemptedRevision : undefined,
    suspended: spec.suspend === true, revisionVsHead: rel, summary: '', resourceVersion: rv,
  };
  const shortRev = (r?: string): string | undefined => r?.replace(/^(.*?)(?:@sha1:|\/)?([0-9a-f]{7})[0-9a-f]{33}$/, '$1@$2');
  s.summary = [
    s.suspended ? 'suspended' : undefined,
    s.sync + (s.ready?.reason ? ` (${s.ready.reason})` : ''),
    revision && `applied ${shortRev(revision)}${rel === 'head' ? ' (HEAD)' : rel === 'behind' ? ' (behind HEAD)' : ''}`,
    s.lastAttemptedRevision && s.lastAttemptedRevision !== revision ? `attempted ${shortRev(s.lastAttemptedRevision)}` : undefined,
  ].filter(Boolean).join(' · ');
  return s;
}

function faultStatus(agent: AgentRef, context: string, fault: ClusterFault): AgentStatus {
  return { agent, context, found: false, fault, revisionVsHead: 'unknown', summary: fault.message };
}

/** The agent's status once. Never throws. */
export async function getAgentStatus(agent: AgentRef, opts: StatusOptions = {}): Promise<AgentStatus> {
  let session: ClusterSession;
  try { session = opts.session ?? getSession(opts); } catch (e) { return faultStatus(agent, opts.context ?? '', faultOf(e)); }
  try {
    const res = await session.client.request('GET', agentPath(agent), { signal: opts.signal });
    if (res.status === 404) return statusFromObject(agent, session.context, undefined);
    if (res.status !== 200) return faultStatus(agent, session.context, { kind: res.status === 403 ? 'forbidden' : res.status === 401 ? 'unauthorized' : 'server', message: res.body?.message ?? `HTTP ${res.status}`, status: res.status });
    return statusFromObject(agent, session.context, res.body, opts.repoRoot);
  } catch (e) {
    return faultStatus(agent, session.context, faultOf(e));
  }
}

export interface WatchOptions extends StatusOptions {
  /** Longest wait between reconnects (default 30 s; the first is after 0.5 s). */
  maxBackoffMs?: number;
  /** A watch with no event (not even a bookmark) for this long counts as dropped (default 5 min). */
  idleTimeoutMs?: number;
}

/**
 * Calls `onStatus` with the agent's status now and on every change, through a watch that
 * reconnects (re-listing) after a drop, a 410 or a server restart, reporting the fault meanwhile.
 * Returns the unsubscribe function; `signal` unsubscribes too.
 */
export function watchAgentStatus(agent: AgentRef, onStatus: (s: AgentStatus) => void, opts: WatchOptions = {}): () => void {
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let last = '';
  const emit = (s: AgentStatus): void => {
    const key = JSON.stringify({ ...s, resourceVersion: undefined });
    if (key === last || stop.signal.aborted) return;
    last = key;
    try { onStatus(s); } catch { /* the listener's problem */ }
  };
  const sleep = (ms: number): Promise<void> => new Promise((r) => { const t = setTimeout(r, ms); stop.signal.addEventListener('abort', () => { clearTimeout(t); r(); }, { once: true }); });
  void (async () => {
    let session: ClusterSession;
    try { session = opts.session ?? getSession(opts); } catch (e) { emit(faultStatus(agent, opts.context ?? '', faultOf(e))); return; }
    const base = agentPath(agent).replace(/\/[^/]+$/, '');
    const field = `metadata.name=${agent.name}`;
    let backoff = 500;
    while (!stop.signal.aborted) {
      let rv: string;
      try {
        const res = await session.client.request('GET', `${base}?fieldSelector=${encodeURIComponent(field)}`, { signal: stop.signal });
        if (res.status !== 200) {
          emit(res.status === 404 ? await statusFromObject(agent, session.context, undefined) : faultStatus(agent, session.context, { kind: res.status === 403 ? 'forbidden' : res.status === 401 ? 'unauthorized' : 'server', message: res.body?.message ?? `HTTP ${res.status}`, status: res.status }));
          await sleep(backoff); backoff = Math.min(backoff * 2, opts.maxBackoffMs ?? 30_000);
          continue;
        }
        rv = String(res.body?.metadata?.resourceVersion ?? '');
        emit(await statusFromObject(agent, session.context, res.body?.items?.[0], opts.repoRoot));
      } catch (e) {
        const f = faultOf(e);
        if (f.kind === 'aborted') break;
        emit(faultStatus(agent, session.context, f));
        await sleep(backoff); backoff = Math.min(backoff * 2, opts.maxBackoffMs ?? 30_000);
        continue;
      }
      backoff = 500;
      const q = new URLSearchParams({ watch: '1', fieldSelector: field, resourceVersion: rv, allowWatchBookmarks: 'true', timeoutSeconds: '240' });
      let chain = Promise.resolve();
      const r = await session.client.watch(`${base}?${q}`, (ev) => {
        if (ev.type === 'BOOKMARK') return;
        const obj = ev.type === 'DELETED' ? undefined : ev.object;
        chain = chain.then(async () => emit(await statusFromObject(agent, session.context, obj, opts.repoRoot)));
      }, { signal: stop.signal, idleTimeoutMs: opts.idleTimeoutMs ?? 300_000 });
      await chain;
      if (r.ended === 'aborted') break;
      if (r.ended === 'error' && r.fault) {
        emit(faultStatus(agent, session.context, r.fault));
        await sleep(backoff); backoff = Math.min(backoff * 2, opts.maxBackoffMs ?? 30_000);
      }
      // closed / idle / gone: re-list and watch again.
    }
  })();
  return () => {
    stop.abort();
    opts.signal?.removeEventListener('abort', onAbort);
  };
}
