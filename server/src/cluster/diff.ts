// The live diff of one environment: render it as its agent would, predict what an apply by the
// agent would leave (server-side apply dry-run with the agent's field manager; Argo CD's
// client-side three-way comparison; or, without dry-run rights, the same prediction made here and
// marked approximate), compare with the live objects after the agents' normalisation, classify
// (unchanged / changed / new / to prune), and mask Secrets before anything leaves this module.
// This file does the reading (discovery, the agent object, lists, dry-runs); the plan, placement,
// comparison and prune rule are the pure steps of diff-steps.ts.

import { KustomizeError } from '../engine/index';
import { DiskHost } from '../workspace/disk-host';
import { resourcePath, type ResourceInfo } from './discovery';
import { byId, compareObject, idKey, listKey, placeObject, planDiff, predictLocally, pruneCandidates, trackedByAgent, unchangedByApply, type DiffPlan, type ListedKind, type Placed } from './diff-steps';
import type { DiffOptions, EnvironmentDiff, ObjectDiff, ObjectState } from './diff-types';
import { ClusterError, faultOf, statusFault } from './kube';
import { isObj, scrubMessage, type Obj } from './objects';
import { renderForAgent, type AgentRef, type RenderResult } from './render';
import { getSession, type ClusterSession } from './session';

export type * from './diff-types';

/** Runs `fn` over items with at most `n` in flight. */
async function pool<T, R>(items: T[], n: number, fn: (t: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

export function agentPath(agent: AgentRef): string {
  return agent.kind === 'flux'
    ? `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${encodeURIComponent(agent.namespace)}/kustomizations/${encodeURIComponent(agent.name)}`
    : `/apis/argoproj.io/v1alpha1/namespaces/${encodeURIComponent(agent.namespace)}/applications/${encodeURIComponent(agent.name)}`;
}

function emptyCounts(): Record<ObjectState, number> {
  return { unchanged: 0, changed: 0, new: 0, prune: 0, error: 0, skipped: 0 };
}

/** The live diff of one environment. Never throws: faults come back in the result. */
export async function diffEnvironment(opts: DiffOptions): Promise<EnvironmentDiff> {
  const t0 = Date.now();
  const notes: string[] = [];
  const result = (over: Partial<EnvironmentDiff>): EnvironmentDiff => {
    const objects = over.objects ?? [];
    const counts = emptyCounts();
    for (const o of objects) counts[o.state]++;
    const status = over.status ?? (counts.error ? 'partial' : 'ok');
    return {
      dir: opts.dir, context: session?.context ?? opts.context ?? '', agent: opts.agent, mode: 'server-side-apply', approximate: false, fieldManager: '',
      counts, objects, notes, files: [], ...over, status,
      inSync: status === 'ok' && counts.changed + counts.new + counts.prune === 0,
      ms: Date.now() - t0,
    };
  };
  let session: ClusterSession | undefined;
  try {
    session = opts.session ?? getSession(opts);
  } catch (e) {
    return result({ status: 'error', fault: faultOf(e) });
  }
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), opts.deadlineMs ?? 120_000);
  const onAbort = (): void => deadline.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await runDiff(opts, session, deadline.signal, notes, result);
  } catch (e) {
    const f = faultOf(e);
    if (deadline.signal.aborted && !opts.signal?.aborted) return result({ status: 'error', fault: { kind: 'timeout', message: `the diff did not finish within ${Math.round((opts.deadlineMs ?? 120_000) / 1000)} s` } });
    return result({ status: 'error', fault: f });
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

type Result = (o: Partial<EnvironmentDiff>) => EnvironmentDiff;

async function runDiff(opts: DiffOptions, session: ClusterSession, signal: AbortSignal, notes: string[], result: Result): Promise<EnvironmentDiff> {
  await session.discovery.load(signal);
  // The agent object: its options shape the render, its inventory names what it tracks.
  let agentObject: Obj | undefined;
  const agent = opts.agent;
  if (agent) {
    const res = await session.client.request('GET', agentPath(agent), { signal });
    if (res.status === 200) agentObject = res.body;
    else if (res.status === 404) notes.push(`${agent.kind === 'flux' ? 'Kustomization' : 'Application'} ${agent.namespace}/${agent.name} not found (or its CRD is not installed): compared without the agent's options`);
    else return result({ status: 'error', fault: statusFault(res.status, res.body, `reading ${agent.namespace}/${agent.name}`) });
  }
  const canDryRun = (): boolean => !opts.noDryRun && session.dryRunAllowed !== false;
  const plan = planDiff({ agent, agentObject, fieldManager: opts.fieldManager, defaultNamespace: opts.defaultNamespace, argoNamespace: opts.argoNamespace, argoTracking: opts.argoTracking, contextNamespace: session.client.namespace, canDryRun: canDryRun() });
  const secretsSeen: Obj[] = [];
  let rendered: RenderResult;
  try {
    rendered = opts.render ?? await renderForAgent(opts.host ?? new DiskHost(), opts.dir, { agent: plan.agent, agentObject, argoTracking: opts.argoTracking, readVars: varsReader(session, signal, secretsSeen) });
  } catch (e) {
    if (!(e instanceof KustomizeError)) throw e;
    const where = e.source ? `${e.source.file}${e.source.range ? `:${e.source.range.start.line + 1}` : ''}: ` : '';
    return result({ status: 'error', fault: { kind: 'invalid', message: `render failed: ${where}${e.message}` }, mode: plan.mode, fieldManager: plan.fieldManager });
  }
  const out: ObjectDiff[] = [];
  const items: Placed[] = [];
  for (const r of rendered.objects) {
    const apiVersion = String(r.obj.apiVersion ?? ''); const kind = String(r.obj.kind ?? '');
    const placed = placeObject(r, session.discovery.lookup(apiVersion, kind) ?? await session.discovery.resolve(apiVersion, kind, signal), plan);
    if ('r' in placed) items.push(placed); else out.push(placed);
  }
  const lists = await readLists(session, items, trackedInfos(session, plan, agentObject), opts.concurrency ?? 8, signal);
  const compared = await compareAll(session, items, lists, plan, secretsSeen, { ...opts, canDryRun }, notes, signal);
  out.push(...compared.diffs);
  let mode = plan.mode;
  if (compared.approximate && mode === 'server-side-apply') mode = 'approximate';
  if (mode === 'approximate') notes.push('no dry-run rights for this user: compared on the client (approximate; server defaults and webhooks not applied)');
  out.push(...pruneCandidates(lists.values(), new Set(items.map((it) => idKey(it.group, it.kind, it.ns, it.name))), plan, notes));
  if (plan.agent) {
    const ofRendered = new Set(items.map((it) => lists.get(listKey(it.info, it.ns))));
    for (const l of lists.values()) if (l.fault && !ofRendered.has(l)) notes.push(`could not look for objects to prune among ${l.info.resource}${l.ns ? ` in ${l.ns}` : ''}: ${l.fault.message}`);
  }
  const allUnreachable = out.length > 0 && out.every((o) => o.state === 'error' && o.fault?.kind === 'unreachable');
  const anyError = out.some((o) => o.state === 'error') || [...lists.values()].some((l) => l.fault);
  return result({
    objects: out.sort(byId),
    status: allUnreachable ? 'error' : anyError ? 'partial' : 'ok',
    fault: allUnreachable ? out[0]!.fault : undefined,
    mode,
    approximate: mode !== 'server-side-apply' && mode !== 'client-side-apply' ? true : compared.approximate && mode !== 'client-side-apply',
    fieldManager: plan.fieldManager,
    files: rendered.files,
  });
}

/** Flux postBuild.substituteFrom: the ConfigMap or Secret read from the cluster (Secrets remembered, to scrub messages). */
function varsReader(session: ClusterSession, signal: AbortSignal, secretsSeen: Obj[]) {
  return async (k: 'ConfigMap' | 'Secret', ns: string, name: string): Promise<Record<string, string> | undefined> => {
    const path = `/api/v1/namespaces/${encodeURIComponent(ns)}/${k === 'Secret' ? 'secrets' : 'configmaps'}/${encodeURIComponent(name)}`;
    const res = await session.client.request('GET', path, { signal });
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new ClusterError({ ...statusFault(res.status, res.body, `reading ${k} ${ns}/${name}`), message: `postBuild.substituteFrom ${k} ${ns}/${name}: ${res.status === 403 ? 'forbidden' : (res.body?.message ?? res.status)}` });
    const out: Record<string, string> = {};
    if (k === 'Secret') secretsSeen.push(res.body);
    for (const [key, v] of Object.entries((res.body?.data ?? {}) as Record<string, string>)) out[key] = k === 'Secret' ? Buffer.from(v, 'base64').toString('utf8') : v;
    return out;
  };
}

/** The kinds of what the agent tracks, where the cluster serves them (to look for objects to prune). */
function trackedInfos(session: ClusterSession, plan: DiffPlan, agentObject: Obj | undefined): { info: ResourceInfo; ns?: string }[] {
  const out: { info: ResourceInfo; ns?: string }[] = [];
  for (const t of trackedByAgent(plan.agent?.kind, agentObject)) {
    const info = t.version ? session.discovery.lookup(t.group ? `${t.group}/${t.version}` : t.version, t.kind) : session.discovery.lookupGroupKind(t.group, t.kind);
    if (info) out.push({ info, ns: t.namespace || undefined });
  }
  return out;
}

/** One list per kind and namespace, for the rendered objects and what the agent tracks; a fault per list that failed. */
async function readLists(session: ClusterSession, items: Placed[], tracked: { info: ResourceInfo; ns?: string }[], concurrency: number, signal: AbortSignal): Promise<Map<string, ListedKind>> {
  const lists = new Map<string, ListedKind>();
  for (const w of [...items, ...tracked]) {
    const key = listKey(w.info, w.ns);
    if (!lists.has(key)) lists.set(key, { info: w.info, ns: w.info.namespaced ? w.ns : undefined });
  }
  await pool([...lists.values()], concurrency, async (l) => {
    try {
      const all: Obj[] = [];
      let cont = '';
      do {
        const q = new URLSearchParams({ limit: '500' });
        if (cont) q.set('continue', cont);
        const body = await session.client.get(`${resourcePath(l.info, l.ns)}?${q}`, { signal });
        // List items come without apiVersion and kind.
        const apiVersion = l.info.group ? `${l.info.group}/${l.info.version}` : l.info.version;
        for (const i of body.items ?? []) all.push({ apiVersion, kind: l.info.kind, ...i });
        cont = body.metadata?.continue ?? '';
      } while (cont);
      l.items = all;
    } catch (e) {
      l.fault = faultOf(e);
      if (l.fault.kind === 'aborted') throw e;
    }
  });
  return lists;
}

interface CompareOptions { alwaysDryRun?: boolean; concurrency?: number; canDryRun(): boolean }

/** Each placed object: its predicted apply (dry-run, or here), compared with its live object. */
async function compareAll(session: ClusterSession, items: Placed[], lists: Map<string, ListedKind>, plan: DiffPlan, secretsSeen: Obj[], opts: CompareOptions, notes: string[], signal: AbortSignal): Promise<{ diffs: ObjectDiff[]; approximate: boolean }> {
  let approximate = plan.mode !== 'server-side-apply';
  const diffs = await pool(items, opts.concurrency ?? 8, async (it): Promise<ObjectDiff> => {
    const base: ObjectDiff = { id: { apiVersion: it.apiVersion, kind: it.kind, namespace: it.ns, name: it.name }, state: 'error', approximate: false, paths: [], source: it.r.source };
    const l = lists.get(listKey(it.info, it.ns))!;
    if (l.fault) return { ...base, fault: l.fault.kind === 'forbidden' ? { ...l.fault, message: `cannot list ${it.info.resource}${it.ns ? ` in ${it.ns}` : ''}: ${l.fault.message}` } : l.fault };
    if (it.r.ignore) return { ...base, state: 'skipped', note: 'kustomize.toolkit.fluxcd.io/ssa: Ignore' };
    const liveRaw = l.items!.find((x) => isObj(x.metadata) && x.metadata.name === it.name);
    if (liveRaw && it.r.ifNotPresent) return { ...base, state: 'unchanged', note: 'kustomize.toolkit.fluxcd.io/ssa: IfNotPresent (exists, not updated)' };
    const useServer = (plan.mode === 'server-side-apply' || (!liveRaw && plan.mode === 'client-side-apply')) && opts.canDryRun();
    let predicted: Obj | undefined;
    let live = liveRaw;
    if (useServer && liveRaw && plan.mode === 'server-side-apply' && !opts.alwaysDryRun && unchangedByApply(liveRaw, it.r.obj, plan.fieldManager)) predicted = liveRaw;
    if (useServer && !predicted) {
      const dry = await dryRunApply(session, it, liveRaw, plan.fieldManager, it.kind === 'Secret' ? [it.r.obj, ...secretsSeen] : secretsSeen, signal);
      if ('fault' in dry) return { ...base, fault: dry.fault };
      predicted = dry.predicted;
      live = dry.live;
    }
    const approx = !predicted && plan.mode !== 'client-side-apply';
    if (approx) approximate = true;
    return compareObject(base, it, predicted ?? predictLocally(live, it.r.obj, plan.mode, plan.fieldManager), live, plan, approx, notes);
  });
  return { diffs, approximate };
}

/**
 * A server-side apply dry-run with the agent's field manager. No rights: no prediction (and no
 * more dry-runs this session). When a controller wrote to the object between the list and the
 * dry-run, the fresh live object is read to compare with.
 */
async function dryRunApply(session: ClusterSession, it: Placed, liveRaw: Obj | undefined, fieldManager: string, secrets: Obj[], signal: AbortSignal): Promise<{ predicted?: Obj; live?: Obj } | { fault: ObjectDiff['fault'] }> {
  const q = new URLSearchParams({ fieldManager, force: 'true', dryRun: 'All' });
  let res;
  try {
    res = await session.client.request('PATCH', `${resourcePath(it.info, it.ns, it.name)}?${q}`, { body: it.r.obj, contentType: 'application/apply-patch+yaml', signal });
  } catch (e) {
    const f = faultOf(e);
    if (f.kind === 'aborted') throw e;
    return { fault: { ...f, message: scrubMessage(f.message, secrets) } };
  }
  if (res.status === 403) { session.dryRunAllowed = false; return { live: liveRaw }; }
  if (res.status < 200 || res.status > 299) {
    const f = statusFault(res.status, res.body, `dry-run apply of ${it.kind} ${it.name}`);
    return { fault: { ...f, message: scrubMessage(f.message, secrets) } };
  }
  session.dryRunAllowed = true;
  const predicted: Obj = res.body;
  const rvOf = (o: Obj | undefined): unknown => (isObj(o?.metadata) ? o!.metadata.resourceVersion : undefined);
  if (!liveRaw || rvOf(predicted) === rvOf(liveRaw)) return { predicted, live: liveRaw };
  try {
    const fresh = await session.client.request('GET', resourcePath(it.info, it.ns, it.name), { signal });
    if (fresh.status === 200) return { predicted, live: { apiVersion: it.apiVersion, kind: it.kind, ...fresh.body } };
  } catch (e) {
    if (faultOf(e).kind === 'aborted') throw e;
  }
  return { predicted, live: liveRaw };
}
