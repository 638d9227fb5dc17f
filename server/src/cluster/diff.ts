// The live diff of one environment: render it as its agent would, predict what an apply by the
// agent would leave (server-side apply dry-run with the agent's field manager; Argo CD's
// client-side three-way comparison; or, without dry-run rights, the same prediction made here and
// marked approximate), compare with the live objects after the agents' normalisation, classify
// (unchanged / changed / new / to prune), and mask Secrets before anything leaves this module.

import YAML from 'yaml';
import type { FileHost, SourceRef } from '../engine/index';
import { KustomizeError } from '../engine/index';
import { DiskHost } from '../workspace/disk-host';
import { resourcePath, splitApiVersion, type ResourceInfo } from './discovery';
import { ClusterError, faultOf, statusFault, type ClusterFault, type ConnectOptions } from './kube';
import {
  changedPaths, clone, isObj, LAST_APPLIED, maskSecrets, normalize, ownedFields, predictApply, removeJqPath, removePointer, scrubMessage, sortKeys, type Obj,
} from './objects';
import { argoSourceFor, ARGO_INSTANCE, ARGO_TRACKING, FLUX_LABELS, renderForAgent, type AgentRef, type RenderedObject, type RenderResult } from './render';
import { getSession, type ClusterSession } from './session';

export type ObjectState = 'unchanged' | 'changed' | 'new' | 'prune' | 'error' | 'skipped';

export interface ObjectId { apiVersion: string; kind: string; namespace?: string; name: string }

export interface ObjectDiff {
  id: ObjectId;
  state: ObjectState;
  /** Compared on the client without a server dry-run (no rights, or the agent does so). */
  approximate: boolean;
  /** Field paths that differ (`spec.replicas`, `data.password`). */
  paths: string[];
  /** The object after the agent's apply, normalised, Secrets masked, as YAML (absent for prune). */
  desired?: string;
  /** The live object, normalised, Secrets masked, as YAML (absent for new). */
  live?: string;
  /** Where the rendered document came from. */
  source?: SourceRef;
  fault?: ClusterFault;
  note?: string;
}

export type DiffMode = 'server-side-apply' | 'client-side-apply' | 'approximate';

export interface EnvironmentDiff {
  dir: string;
  context: string;
  agent?: AgentRef;
  /** ok: complete; partial: some objects or kinds could not be compared (see faults); error: nothing could. */
  status: 'ok' | 'partial' | 'error';
  fault?: ClusterFault;
  mode: DiffMode;
  approximate: boolean;
  fieldManager: string;
  counts: Record<ObjectState, number>;
  objects: ObjectDiff[];
  notes: string[];
  inSync: boolean;
  /** Files the render read: an edit to one of them invalidates this result. */
  files: string[];
  ms: number;
}

export interface DiffOptions extends ConnectOptions {
  dir: string;
  /** Files (default: the disk); pass the language server's buffer host to include unsaved edits. */
  host?: FileHost;
  session?: ClusterSession;
  agent?: AgentRef;
  /** Namespace for namespaced objects that set none (default: the Application's destination, else the context's, else default). */
  defaultNamespace?: string;
  /** Requests in flight at most (default 8). */
  concurrency?: number;
  /** Whole-diff deadline (default 120 s). */
  deadlineMs?: number;
  signal?: AbortSignal;
  argoTracking?: 'annotation' | 'label' | 'annotation+label';
  /** Argo CD's own namespace (default argocd). */
  argoNamespace?: string;
  /** Field manager when no agent is linked. */
  fieldManager?: string;
  /** A render made already (skips rendering here). */
  render?: RenderResult;
  /** Ask for a dry-run even when the live object already holds the whole render (no fast path). */
  alwaysDryRun?: boolean;
  /** Never ask for a dry-run (forces the client-side prediction). */
  noDryRun?: boolean;
}

const FLUX_MANAGER = 'kustomize-controller';
const ARGO_MANAGER = 'argocd-controller';

/** Runs `fn` over items with at most `n` in flight. */
export async function pool<T, R>(items: T[], n: number, fn: (t: T, i: number) => Promise<R>): Promise<R[]> {
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

const idKey = (group: string, kind: string, ns: string | undefined, name: string): string => `${group}/${kind}/${ns ?? ''}/${name}`;

function emptyCounts(): Record<ObjectState, number> {
  return { unchanged: 0, changed: 0, new: 0, prune: 0, error: 0, skipped: 0 };
}

function toYaml(o: Obj | undefined): string | undefined {
  return o ? YAML.stringify(sortKeys(o), { lineWidth: 0 }) : undefined;
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

async function runDiff(opts: DiffOptions, session: ClusterSession, signal: AbortSignal, notes: string[], result: (o: Partial<EnvironmentDiff>) => EnvironmentDiff): Promise<EnvironmentDiff> {
  const client = session.client;
  const host = opts.host ?? new DiskHost();
  await session.discovery.load(signal);

  // The agent object: its options shape the render, its inventory names what it tracks.
  let agentObject: Obj | undefined;
  const agent = opts.agent;
  if (agent) {
    const res = await client.request('GET', agentPath(agent), { signal });
    if (res.status === 200) agentObject = res.body;
    else if (res.status === 404) notes.push(`${agent.kind === 'flux' ? 'Kustomization' : 'Application'} ${agent.namespace}/${agent.name} not found (or its CRD is not installed): compared without the agent's options`);
    else return result({ status: 'error', fault: statusFault(res.status, res.body, `reading ${agent.namespace}/${agent.name}`) });
  }
  const kind = agentObject ? agent?.kind : undefined;
  const spec = isObj(agentObject?.spec) ? agentObject!.spec : {};
  const argoSSA = kind === 'argocd' && syncOptions(spec).includes('ServerSideApply=true');
  const fieldManager = kind === 'flux' ? FLUX_MANAGER : kind === 'argocd' ? ARGO_MANAGER : opts.fieldManager ?? 'gitops-lens';
  let mode: DiffMode = kind === 'argocd' && !argoSSA ? 'client-side-apply' : 'server-side-apply';
  const canDryRun = (): boolean => !opts.noDryRun && session.dryRunAllowed !== false;
  if (mode === 'server-side-apply' && !canDryRun()) mode = 'approximate';

  // Render.
  let rendered: RenderResult;
  const secretsSeen: Obj[] = [];
  try {
    rendered = opts.render ?? await renderForAgent(host, opts.dir, {
      agent: kind ? agent : undefined,
      agentObject,
      argoTracking: opts.argoTracking,
      readVars: async (k, ns, name) => {
        const path = k === 'Secret' ? `/api/v1/namespaces/${encodeURIComponent(ns)}/secrets/${encodeURIComponent(name)}` : `/api/v1/namespaces/${encodeURIComponent(ns)}/configmaps/${encodeURIComponent(name)}`;
        const res = await client.request('GET', path, { signal });
        if (res.status === 404) return undefined;
        if (res.status !== 200) throw new ClusterError({ ...statusFault(res.status, res.body, `reading ${k} ${ns}/${name}`), message: `postBuild.substituteFrom ${k} ${ns}/${name}: ${res.status === 403 ? 'forbidden' : (res.body?.message ?? res.status)}` });
        const out: Record<string, string> = {};
        if (k === 'Secret') secretsSeen.push(res.body);
        for (const [key, v] of Object.entries((res.body?.data ?? {}) as Record<string, string>)) out[key] = k === 'Secret' ? Buffer.from(v, 'base64').toString('utf8') : v;
        return out;
      },
    });
  } catch (e) {
    if (e instanceof KustomizeError) {
      const where = e.source ? `${e.source.file}${e.source.range ? `:${e.source.range.start.line + 1}` : ''}: ` : '';
      return result({ status: 'error', fault: { kind: 'invalid', message: `render failed: ${where}${e.message}` }, mode, fieldManager });
    }
    throw e;
  }

  // Where each object goes.
  const destNs = kind === 'argocd' && isObj(spec.destination) && typeof spec.destination.namespace === 'string' ? spec.destination.namespace : undefined;
  const defaultNs = opts.defaultNamespace ?? destNs ?? contextNamespace(session) ?? 'default';
  const argoNs = opts.argoNamespace ?? 'argocd';
  const appName = kind === 'argocd' && agent ? (agent.namespace === argoNs ? agent.name : `${agent.namespace}_${agent.name}`) : '';
  interface Item { r: RenderedObject; info?: ResourceInfo; ns?: string; name: string; group: string; kind: string; apiVersion: string }
  const items: Item[] = [];
  const out: ObjectDiff[] = [];
  for (const r of rendered.objects) {
    const o = r.obj;
    const apiVersion = String(o.apiVersion ?? '');
    const k = String(o.kind ?? '');
    const md = (isObj(o.metadata) ? o.metadata : (o.metadata = {})) as Obj;
    const name = String(md.name ?? '');
    const [group] = splitApiVersion(apiVersion);
    const info = session.discovery.lookup(apiVersion, k) ?? await session.discovery.resolve(apiVersion, k, signal);
    if (!info) {
      out.push({ id: { apiVersion, kind: k, namespace: typeof md.namespace === 'string' ? md.namespace : undefined, name }, state: 'error', approximate: false, paths: [], source: r.source, fault: { kind: 'notFound', message: `the cluster does not serve ${apiVersion} ${k} (CRD not installed?)` } });
      continue;
    }
    let ns: string | undefined;
    if (info.namespaced) {
      ns = typeof md.namespace === 'string' && md.namespace ? md.namespace : defaultNs;
      md.namespace = ns;
    } else {
      delete md.namespace;
    }
    if (kind === 'argocd') {
      const tracking = opts.argoTracking ?? 'annotation';
      if (tracking !== 'label') md.annotations = { ...(isObj(md.annotations) ? md.annotations : {}), [ARGO_TRACKING]: `${appName}:${group}/${k}:${ns ?? ''}/${name}` };
      if (tracking !== 'annotation') md.labels = { ...(isObj(md.labels) ? md.labels : {}), [ARGO_INSTANCE]: appName };
    }
    items.push({ r, info, ns, name, group, kind: k, apiVersion });
  }

  // Lists: one per kind and namespace, for the rendered objects and for what the agent tracks.
  const lists = new Map<string, { info: ResourceInfo; ns?: string; items?: Obj[]; fault?: ClusterFault }>();
  const wantList = (info: ResourceInfo, ns: string | undefined): void => {
    const key = `${info.group}/${info.resource}/${info.namespaced ? ns ?? '' : ''}`;
    if (!lists.has(key)) lists.set(key, { info, ns: info.namespaced ? ns : undefined });
  };
  for (const it of items) wantList(it.info!, it.ns);
  for (const t of trackedByAgent(kind, agentObject)) {
    const info = t.version ? session.discovery.lookup(t.group ? `${t.group}/${t.version}` : t.version, t.kind) : session.discovery.lookupGroupKind(t.group, t.kind);
    if (info) wantList(info, t.namespace || undefined);
  }
  const listOf = (info: ResourceInfo, ns: string | undefined) => lists.get(`${info.group}/${info.resource}/${info.namespaced ? ns ?? '' : ''}`)!;
  const concurrency = opts.concurrency ?? 8;
  await pool([...lists.values()], concurrency, async (l) => {
    try {
      const all: Obj[] = [];
      let cont = '';
      do {
        const q = new URLSearchParams({ limit: '500' });
        if (cont) q.set('continue', cont);
        const body = await client.get(`${resourcePath(l.info, l.ns)}?${q}`, { signal });
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

  // Compare each rendered object.
  let approximate = mode !== 'server-side-apply';
  const rendKeys = new Set<string>();
  const diffs = await pool(items, concurrency, async (it): Promise<ObjectDiff> => {
    const info = it.info!;
    rendKeys.add(idKey(it.group, it.kind, it.ns, it.name));
    const base: ObjectDiff = { id: { apiVersion: it.apiVersion, kind: it.kind, namespace: it.ns, name: it.name }, state: 'error', approximate: false, paths: [], source: it.r.source };
    const secrets = it.kind === 'Secret' ? [it.r.obj, ...secretsSeen] : secretsSeen;
    const l = listOf(info, it.ns);
    if (l.fault) return { ...base, fault: l.fault.kind === 'forbidden' ? { ...l.fault, message: `cannot list ${info.resource}${it.ns ? ` in ${it.ns}` : ''}: ${l.fault.message}` } : l.fault };
    if (it.r.ignore) return { ...base, state: 'skipped', note: 'kustomize.toolkit.fluxcd.io/ssa: Ignore' };
    let liveRaw = l.items!.find((x) => isObj(x.metadata) && x.metadata.name === it.name);
    if (liveRaw && it.r.ifNotPresent) return { ...base, state: 'unchanged', note: 'kustomize.toolkit.fluxcd.io/ssa: IfNotPresent (exists, not updated)' };
    const config = it.r.obj;
    let predicted: Obj | undefined;
    let approx = false;
    const useServer = (mode === 'server-side-apply' || (!liveRaw && mode === 'client-side-apply')) && canDryRun();
    // Fast path: the live object already holds every field the render sets and the agent owns no
    // field the render dropped, so an apply changes nothing: no dry-run needed (the editor's
    // common case, and most objects of a large environment).
    if (useServer && liveRaw && mode === 'server-side-apply' && !opts.alwaysDryRun) {
      const guess = predictApply(liveRaw, config, { kind: 'managedFields', owned: ownedFields(liveRaw, fieldManager, 'Apply') });
      if (!changedPaths(normalize(liveRaw), normalize(guess)).length) predicted = liveRaw;
    }
    if (useServer && !predicted) {
      const q = new URLSearchParams({ fieldManager, force: 'true', dryRun: 'All' });
      let res;
      try {
        res = await client.request('PATCH', `${resourcePath(info, it.ns, it.name)}?${q}`, { body: config, contentType: 'application/apply-patch+yaml', signal });
      } catch (e) {
        const f = faultOf(e);
        if (f.kind === 'aborted') throw e;
        return { ...base, fault: { ...f, message: scrubMessage(f.message, secrets) } };
      }
      if (res.status >= 200 && res.status < 300) predicted = res.body;
      else if (res.status === 403 && isDryRunDenial(res.body)) {
        session.dryRunAllowed = false;
      } else if (res.status === 403) {
        session.dryRunAllowed = false;
      } else {
        const f = statusFault(res.status, res.body, `dry-run apply of ${it.kind} ${it.name}`);
        return { ...base, fault: { ...f, message: scrubMessage(f.message, secrets) } };
      }
      if (predicted) session.dryRunAllowed = true;
      // The object changed between the list and the dry-run (a controller wrote to it): compare with the fresh one.
      const rvOf = (o: Obj | undefined): unknown => (isObj(o?.metadata) ? o!.metadata.resourceVersion : undefined);
      if (predicted && liveRaw && rvOf(predicted) !== rvOf(liveRaw)) {
        try {
          const fresh = await client.request('GET', resourcePath(info, it.ns, it.name), { signal });
          if (fresh.status === 200) liveRaw = { apiVersion: it.apiVersion, kind: it.kind, ...fresh.body };
        } catch (e) {
          if (faultOf(e).kind === 'aborted') throw e;
        }
      }
    }
    if (!predicted) {
      approx = mode !== 'client-side-apply';
      if (liveRaw) {
        if (mode === 'client-side-apply') {
          let last: Obj | undefined;
          const ann = isObj(liveRaw.metadata) && isObj(liveRaw.metadata.annotations) ? liveRaw.metadata.annotations[LAST_APPLIED] : undefined;
          if (typeof ann === 'string') { try { last = JSON.parse(ann); } catch { /* unreadable */ } }
          predicted = predictApply(liveRaw, config, { kind: 'lastApplied', config: last });
        } else {
          predicted = predictApply(liveRaw, config, { kind: 'managedFields', owned: ownedFields(liveRaw, fieldManager, 'Apply') });
        }
      } else {
        predicted = clone(config);
      }
    }
    if (approx) approximate = true;
    let desired = normalize(predicted);
    let live = liveRaw ? normalize(liveRaw) : undefined;
    if (kind === 'flux') {
      // kustomize-controller's drift check leaves its own cleanup out of the comparison.
      for (const o of [desired, live]) if (o) removePointer(o, '/metadata/annotations/kustomize.toolkit.fluxcd.io~1reconcile');
    }
    if (kind === 'argocd') applyIgnoreDifferences(spec, it.group, it.kind, it.ns, it.name, desired, live, notes);
    if (desired.kind === 'Secret' || live?.kind === 'Secret') maskSecrets(desired, live);
    const paths = live ? changedPaths(live, desired) : [];
    const state: ObjectState = !live ? 'new' : paths.length ? 'changed' : 'unchanged';
    desired = desired as Obj;
    return { ...base, state, approximate: approx, paths, desired: toYaml(desired), live: toYaml(live) };
  });
  out.push(...diffs);
  if (approximate && mode === 'server-side-apply') mode = 'approximate';
  if (mode === 'approximate') notes.push('no dry-run rights for this user: compared on the client (approximate; server defaults and webhooks not applied)');

  // To prune: what the agent tracks in the listed kinds and namespaces, and the render lacks.
  const pruneDisabledFlux = kind === 'flux' && spec.prune === false;
  if (kind && agent) {
    const seen = new Set<string>();
    for (const l of lists.values()) {
      if (!l.items) continue;
      for (const x of l.items) {
        const md = isObj(x.metadata) ? x.metadata : {};
        const name = String(md.name ?? '');
        const ns = l.info.namespaced ? String(md.namespace ?? '') : undefined;
        const key = idKey(l.info.group, l.info.kind, ns, name);
        if (rendKeys.has(key) || seen.has(key)) continue;
        if (Array.isArray(md.ownerReferences) && md.ownerReferences.length) continue;
        const labels = isObj(md.labels) ? md.labels : {};
        const ann = isObj(md.annotations) ? md.annotations : {};
        let tracked = false;
        if (kind === 'flux') tracked = labels[FLUX_LABELS.name] === agent.name && labels[FLUX_LABELS.namespace] === agent.namespace;
        else {
          const tid = ann[ARGO_TRACKING];
          if (typeof tid === 'string') tracked = tid === `${appName}:${l.info.group}/${l.info.kind}:${ns ?? ''}/${name}`;
          else tracked = labels[ARGO_INSTANCE] === appName;
        }
        if (!tracked) continue;
        seen.add(key);
        if (pruneDisabledFlux) continue;
        if (ann['kustomize.toolkit.fluxcd.io/prune'] === 'disabled' || /Prune=false/.test(String(ann['argocd.argoproj.io/sync-options'] ?? ''))) {
          notes.push(`${l.info.kind} ${ns ? `${ns}/` : ''}${name} is no longer rendered but has pruning disabled`);
          continue;
        }
        const live = normalize(x);
        maskSecrets(live);
        out.push({ id: { apiVersion: l.info.group ? `${l.info.group}/${l.info.version}` : l.info.version, kind: l.info.kind, namespace: ns, name }, state: 'prune', approximate: false, paths: [], live: toYaml(live) });
      }
    }
    if (pruneDisabledFlux && seen.size) notes.push(`spec.prune is false: ${seen.size} object(s) no longer rendered stay in the cluster`);
    for (const l of lists.values()) {
      if (l.fault && !items.some((it) => listOf(it.info!, it.ns) === l)) notes.push(`could not look for objects to prune among ${l.info.resource}${l.ns ? ` in ${l.ns}` : ''}: ${l.fault.message}`);
    }
  }
  const pruneListFaults = [...lists.values()].some((l) => l.fault);
  const allUnreachable = out.length > 0 && out.every((o) => o.state === 'error' && o.fault?.kind === 'unreachable');
  const anyError = out.some((o) => o.state === 'error');
  return result({
    objects: out.sort(byId),
    status: allUnreachable ? 'error' : anyError || pruneListFaults ? 'partial' : 'ok',
    fault: allUnreachable ? out[0]!.fault : undefined,
    mode,
    approximate: mode !== 'server-side-apply' && mode !== 'client-side-apply' ? true : approximate && mode !== 'client-side-apply',
    fieldManager,
    files: rendered.files,
  });
}

function byId(a: ObjectDiff, b: ObjectDiff): number {
  const ka = `${a.id.namespace ?? ''}\u0000${a.id.kind}\u0000${a.id.name}`;
  const kb = `${b.id.namespace ?? ''}\u0000${b.id.kind}\u0000${b.id.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function isDryRunDenial(body: unknown): boolean {
  return isObj(body) && typeof body.message === 'string' && /forbidden/i.test(body.message);
}

function syncOptions(spec: Obj): string[] {
  const so = isObj(spec.syncPolicy) && Array.isArray(spec.syncPolicy.syncOptions) ? spec.syncPolicy.syncOptions : [];
  return so.map(String);
}

function contextNamespace(session: ClusterSession): string | undefined {
  return session.client.namespace;
}

/** The objects the agent says it manages: Flux status.inventory, Argo CD status.resources. */
export function trackedByAgent(kind: string | undefined, agentObject: Obj | undefined): { group: string; version?: string; kind: string; namespace: string; name: string }[] {
  const status = isObj(agentObject?.status) ? agentObject!.status : undefined;
  if (!status) return [];
  if (kind === 'flux') {
    const entries = isObj(status.inventory) && Array.isArray(status.inventory.entries) ? status.inventory.entries : [];
    return entries.filter(isObj).flatMap((e) => {
      // id: <namespace>_<name>_<group>_<kind>
      const parts = String(e.id ?? '').split('_');
      if (parts.length < 4) return [];
      const k = parts.pop()!; const group = parts.pop()!; const namespace = parts.shift()!; const name = parts.join('_');
      return [{ group, version: typeof e.v === 'string' ? e.v : undefined, kind: k, namespace, name }];
    });
  }
  if (kind === 'argocd') {
    const res = Array.isArray(status.resources) ? status.resources : [];
    return res.filter(isObj).map((r) => ({ group: String(r.group ?? ''), version: typeof r.version === 'string' ? r.version : undefined, kind: String(r.kind ?? ''), namespace: String(r.namespace ?? ''), name: String(r.name ?? '') }));
  }
  return [];
}

/** Argo CD's ignoreDifferences: jsonPointers, jqPathExpressions and managedFieldsManagers, per matching object. */
function applyIgnoreDifferences(spec: Obj, group: string, kind: string, ns: string | undefined, name: string, desired: Obj, live: Obj | undefined, notes: string[]): void {
  const rules = Array.isArray(spec.ignoreDifferences) ? spec.ignoreDifferences.filter(isObj) : [];
  for (const r of rules) {
    if ((r.group ?? '') !== group && r.group !== '*') continue;
    if (r.kind !== kind && r.kind !== '*') continue;
    if (r.name && r.name !== name) continue;
    if (r.namespace && r.namespace !== ns) continue;
    for (const p of Array.isArray(r.jsonPointers) ? r.jsonPointers : []) for (const o of [desired, live]) if (o) removePointer(o, String(p));
    for (const q of Array.isArray(r.jqPathExpressions) ? r.jqPathExpressions : []) {
      let ok = true;
      for (const o of [desired, live]) if (o) ok = removeJqPath(o, String(q)) && ok;
      if (!ok && !notes.some((n) => n.includes(String(q)))) notes.push(`ignoreDifferences: jq expression ${String(q)} is beyond what GitOps Lens evaluates; not applied`);
    }
    if (Array.isArray(r.managedFieldsManagers) && r.managedFieldsManagers.length && !notes.some((n) => n.includes('managedFieldsManagers'))) {
      notes.push('ignoreDifferences: managedFieldsManagers is not applied by GitOps Lens');
    }
  }
}
