// The pure steps of a live diff, each a function of what was read from the cluster: the plan (the
// agent's field manager and apply mode, where objects go), the placement of each rendered object,
// the local prediction of an apply when there is no dry-run, the comparison of desired with live
// after the agents' normalisation, and the prune rule. diff.ts does the reading around them.

import YAML from 'yaml';
import type { ResourceInfo } from './discovery';
import { groupAndVersion } from './discovery';
import type { DiffMode, ObjectDiff, ObjectState } from './diff-types';
import type { ClusterFault } from './kube';
import { clone, differingPaths, isObj, LAST_APPLIED, maskSecrets, normalize, ownedFields, predictApply, removeJqPath, removePointer, sortKeys, type Obj } from './objects';
import { ARGO_INSTANCE, ARGO_TRACKING, FLUX_LABELS, type AgentRef, type RenderedObject } from './render';

const FLUX_MANAGER = 'kustomize-controller';
const ARGO_MANAGER = 'argocd-controller';

export interface DiffPlan {
  /** The agent, when its object was found (its options then shape the diff). */
  agent?: AgentRef & { kind: 'flux' | 'argocd' };
  /** The agent object's spec ({} without one). */
  spec: Obj;
  fieldManager: string;
  mode: DiffMode;
  /** Namespace for namespaced objects that set none. */
  defaultNs: string;
  /** Argo CD's application name as its tracking id writes it (`<ns>_<name>` outside Argo CD's namespace). */
  appName: string;
  argoTracking: 'annotation' | 'label' | 'annotation+label';
}

export interface PlanInput {
  agent?: AgentRef;
  agentObject?: Obj;
  fieldManager?: string;
  defaultNamespace?: string;
  argoNamespace?: string;
  argoTracking?: DiffPlan['argoTracking'];
  /** The kubeconfig context's namespace. */
  contextNamespace?: string;
  canDryRun: boolean;
}

/** How the agent applies (field manager, server- or client-side) and where unplaced objects go. */
export function planDiff(p: PlanInput): DiffPlan {
  const agent = p.agentObject && p.agent ? p.agent : undefined;
  const spec = isObj(p.agentObject?.spec) ? p.agentObject!.spec : {};
  const argoSSA = agent?.kind === 'argocd' && syncOptions(spec).includes('ServerSideApply=true');
  let mode: DiffMode = agent?.kind === 'argocd' && !argoSSA ? 'client-side-apply' : 'server-side-apply';
  if (mode === 'server-side-apply' && !p.canDryRun) mode = 'approximate';
  const destNs = agent?.kind === 'argocd' && isObj(spec.destination) && typeof spec.destination.namespace === 'string' ? spec.destination.namespace : undefined;
  const argoNs = p.argoNamespace ?? 'argocd';
  return {
    ...(agent ? { agent: agent as DiffPlan['agent'] } : {}),
    spec,
    fieldManager: agent?.kind === 'flux' ? FLUX_MANAGER : agent?.kind === 'argocd' ? ARGO_MANAGER : p.fieldManager ?? 'gitops-lens',
    mode,
    defaultNs: p.defaultNamespace ?? destNs ?? p.contextNamespace ?? 'default',
    appName: agent?.kind === 'argocd' ? (agent.namespace === argoNs ? agent.name : `${agent.namespace}_${agent.name}`) : '',
    argoTracking: p.argoTracking ?? 'annotation',
  };
}

/** A rendered object with where it goes in the cluster. */
export interface Placed { r: RenderedObject; info: ResourceInfo; ns?: string; name: string; group: string; kind: string; apiVersion: string }

/**
 * Where a rendered object goes: its namespace (the default for a namespaced object without one,
 * none for a cluster-scoped one) and, for Argo CD, its tracking annotation or label. Without a
 * served kind (`info` undefined) it cannot be compared: an error entry. Sets them on the object.
 */
export function placeObject(r: RenderedObject, info: ResourceInfo | undefined, plan: DiffPlan): Placed | ObjectDiff {
  const o = r.obj;
  const apiVersion = String(o.apiVersion ?? '');
  const kind = String(o.kind ?? '');
  const md = (isObj(o.metadata) ? o.metadata : (o.metadata = {})) as Obj;
  const name = String(md.name ?? '');
  if (!info) return { id: { apiVersion, kind, namespace: typeof md.namespace === 'string' ? md.namespace : undefined, name }, state: 'error', approximate: false, paths: [], source: r.source, fault: { kind: 'notFound', message: `the cluster does not serve ${apiVersion} ${kind} (CRD not installed?)` } };
  const [group] = groupAndVersion(apiVersion);
  let ns: string | undefined;
  if (info.namespaced) {
    ns = typeof md.namespace === 'string' && md.namespace ? md.namespace : plan.defaultNs;
    md.namespace = ns;
  } else {
    delete md.namespace;
  }
  if (plan.agent?.kind === 'argocd') {
    if (plan.argoTracking !== 'label') md.annotations = { ...(isObj(md.annotations) ? md.annotations : {}), [ARGO_TRACKING]: `${plan.appName}:${group}/${kind}:${ns ?? ''}/${name}` };
    if (plan.argoTracking !== 'annotation') md.labels = { ...(isObj(md.labels) ? md.labels : {}), [ARGO_INSTANCE]: plan.appName };
  }
  return { r, info, ns, name, group, kind, apiVersion };
}

export const idKey = (group: string, kind: string, ns: string | undefined, name: string): string => `${group}/${kind}/${ns ?? ''}/${name}`;

/** The key of the list (one per kind and namespace) an object is found in. */
export const listKey = (info: ResourceInfo, ns: string | undefined): string => `${info.group}/${info.resource}/${info.namespaced ? ns ?? '' : ''}`;

/**
 * The editor's fast path: the live object already holds every field the render sets and the agent
 * owns no field the render dropped, so an apply changes nothing and no dry-run is needed.
 */
export function unchangedByApply(live: Obj, config: Obj, fieldManager: string): boolean {
  const guess = predictApply(live, config, { kind: 'managedFields', owned: ownedFields(live, fieldManager, 'Apply') });
  return !differingPaths(normalize(live), normalize(guess)).length;
}

/** The apply predicted here (no dry-run): Argo CD's three-way merge, or server-side apply's field ownership. */
export function predictLocally(live: Obj | undefined, config: Obj, mode: DiffMode, fieldManager: string): Obj {
  if (!live) return clone(config);
  if (mode === 'client-side-apply') {
    let last: Obj | undefined;
    const ann = isObj(live.metadata) && isObj(live.metadata.annotations) ? live.metadata.annotations[LAST_APPLIED] : undefined;
    if (typeof ann === 'string') { try { last = JSON.parse(ann); } catch { /* unreadable */ } }
    return predictApply(live, config, { kind: 'lastApplied', config: last });
  }
  return predictApply(live, config, { kind: 'managedFields', owned: ownedFields(live, fieldManager, 'Apply') });
}

/**
 * Desired (the predicted apply) against live, as the agent compares them: normalised, the agent's
 * own bookkeeping and Argo CD's ignoreDifferences left out, Secrets masked. Fills `base`.
 */
export function compareObject(base: ObjectDiff, it: Placed, predicted: Obj, liveRaw: Obj | undefined, plan: DiffPlan, approximate: boolean, notes: string[]): ObjectDiff {
  const desired = normalize(predicted);
  const live = liveRaw ? normalize(liveRaw) : undefined;
  if (plan.agent?.kind === 'flux') {
    // kustomize-controller's drift check leaves its own cleanup out of the comparison.
    for (const o of [desired, live]) if (o) removePointer(o, '/metadata/annotations/kustomize.toolkit.fluxcd.io~1reconcile');
  }
  if (plan.agent?.kind === 'argocd') applyIgnoreDifferences(plan.spec, it, desired, live, notes);
  if (desired.kind === 'Secret' || live?.kind === 'Secret') maskSecrets(desired, live);
  const paths = live ? differingPaths(live, desired) : [];
  const state: ObjectState = !live ? 'new' : paths.length ? 'changed' : 'unchanged';
  return { ...base, state, approximate, paths, desired: toYaml(desired), live: toYaml(live) };
}

export interface ListedKind { info: ResourceInfo; ns?: string; items?: Obj[]; fault?: ClusterFault }

/**
 * To prune: what the agent tracks (Flux's labels; Argo CD's tracking id, else its instance label)
 * among the listed kinds and namespaces and the render lacks, unless an owner holds it or pruning
 * is disabled for it (said in `notes`).
 */
export function pruneCandidates(lists: Iterable<ListedKind>, rendered: Set<string>, plan: DiffPlan, notes: string[]): ObjectDiff[] {
  const agent = plan.agent;
  if (!agent) return [];
  const out: ObjectDiff[] = [];
  const pruneOff = agent.kind === 'flux' && plan.spec.prune === false;
  const seen = new Set<string>();
  for (const l of lists) {
    for (const x of l.items ?? []) {
      const md = isObj(x.metadata) ? x.metadata : {};
      const name = String(md.name ?? '');
      const ns = l.info.namespaced ? String(md.namespace ?? '') : undefined;
      const key = idKey(l.info.group, l.info.kind, ns, name);
      if (rendered.has(key) || seen.has(key)) continue;
      if (Array.isArray(md.ownerReferences) && md.ownerReferences.length) continue;
      if (!trackedBy(plan, l.info, ns, name, isObj(md.labels) ? md.labels : {}, isObj(md.annotations) ? md.annotations : {})) continue;
      seen.add(key);
      if (pruneOff) continue;
      const ann = isObj(md.annotations) ? md.annotations : {};
      if (ann['kustomize.toolkit.fluxcd.io/prune'] === 'disabled' || /Prune=false/.test(String(ann['argocd.argoproj.io/sync-options'] ?? ''))) {
        notes.push(`${l.info.kind} ${ns ? `${ns}/` : ''}${name} is no longer rendered but has pruning disabled`);
        continue;
      }
      const live = normalize(x);
      maskSecrets(live);
      out.push({ id: { apiVersion: l.info.group ? `${l.info.group}/${l.info.version}` : l.info.version, kind: l.info.kind, namespace: ns, name }, state: 'prune', approximate: false, paths: [], live: toYaml(live) });
    }
  }
  if (pruneOff && seen.size) notes.push(`spec.prune is false: ${seen.size} object(s) no longer rendered stay in the cluster`);
  return out;
}

function trackedBy(plan: DiffPlan, info: ResourceInfo, ns: string | undefined, name: string, labels: Obj, ann: Obj): boolean {
  const agent = plan.agent!;
  if (agent.kind === 'flux') return labels[FLUX_LABELS.name] === agent.name && labels[FLUX_LABELS.namespace] === agent.namespace;
  const tid = ann[ARGO_TRACKING];
  if (typeof tid === 'string') return tid === `${plan.appName}:${info.group}/${info.kind}:${ns ?? ''}/${name}`;
  return labels[ARGO_INSTANCE] === plan.appName;
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
function applyIgnoreDifferences(spec: Obj, it: Placed, desired: Obj, live: Obj | undefined, notes: string[]): void {
  const rules = Array.isArray(spec.ignoreDifferences) ? spec.ignoreDifferences.filter(isObj) : [];
  for (const r of rules) {
    if ((r.group ?? '') !== it.group && r.group !== '*') continue;
    if (r.kind !== it.kind && r.kind !== '*') continue;
    if (r.name && r.name !== it.name) continue;
    if (r.namespace && r.namespace !== it.ns) continue;
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

function syncOptions(spec: Obj): string[] {
  const so = isObj(spec.syncPolicy) && Array.isArray(spec.syncPolicy.syncOptions) ? spec.syncPolicy.syncOptions : [];
  return so.map(String);
}

function toYaml(o: Obj | undefined): string | undefined {
  return o ? YAML.stringify(sortKeys(o), { lineWidth: 0 }) : undefined;
}

/** Objects in a stable order: namespace, kind, name. */
export function byId(a: ObjectDiff, b: ObjectDiff): number {
  const ka = `${a.id.namespace ?? ''}\u0000${a.id.kind}\u0000${a.id.name}`;
  const kb = `${b.id.namespace ?? ''}\u0000${b.id.kind}\u0000${b.id.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
