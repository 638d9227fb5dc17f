// The live cluster in the editor: links each environment to a cluster context and its agent object
// (settings, or Argo CD Applications / Flux Kustomizations found in the cluster), keeps one
// EnvironmentMonitor per link (on the server's buffer host, so unsaved edits count; invalidated by
// edits to the files its render read), and serves from them:
//   - textDocument/codeLens: above kustomizations, the environment's summary and its agent's sync
//     status; above each resource document, its object's state; faults on the lens;
//   - gitopsLens/clusterStatus notifications, gitopsLens/clusterEnvironments, gitopsLens/liveDiff;
//   - gitopsLens/agentAction, refused unless the agentActions setting is on.
// Read-only otherwise: the cluster code only reads and dry-runs.

import path from 'node:path';
import os from 'node:os';
import { parseAllDocuments } from 'yaml';
import { CodeLensRefreshRequest, type CodeLens, type Connection } from 'vscode-languageserver/node';
import {
  closeSessions, diffEnvironment, findKubeconfig, linkEnvironments, noKubeconfigMessage, requestAgentAction, summarizeDiff,
  EnvironmentMonitor, type AgentRef, type AgentStatus, type EnvironmentDiff, type EnvironmentLink, type LinkSetting, type ObjectDiff,
} from '../cluster/index';
import {
  AgentActionRequest, ClusterEnvironmentsRequest, ClusterSettingsRequest, ClusterStatusNotification, LiveDiffRequest,
  type AgentActionParams, AgentActionResult, AgentStatusInfo, ClusterEnvironmentsResult, ClusterLinkInfo, ClusterSettings, ClusterStatusParams,
  LiveDiffParams, LiveDiffResult,
} from '../protocol';
import { isKustomizationFile } from '../workspace/roots';
import { pathToUri, uriToPath } from '../workspace/uri';
import type { Environment, WorkspaceView } from '../workspace/workspace';
import { textOf } from './common';

/** The command the client registers: opens the diff editor (args: link id, object id or nothing). */
export const SHOW_LIVE_DIFF = 'gitopsLens.showLiveDiff';
/** The command the client registers: shows a link, how it was found and the agent's status (arg: link id). */
export const SHOW_CLUSTER_STATUS = 'gitopsLens.showClusterStatus';

export interface ClusterLensHost {
  ws: WorkspaceView;
  /** Asks the client to re-request code lenses. */
  refreshLenses(): void;
  sendStatus(p: ClusterStatusParams): void;
  log(message: string): void;
}

interface LinkState {
  info: ClusterLinkInfo;
  link: EnvironmentLink;
  env: Environment;
  monitor: EnvironmentMonitor;
  diff?: EnvironmentDiff;
  status?: AgentStatus;
  busy: boolean;
  retryMs: number;
  retryTimer?: NodeJS.Timeout;
}

const TRANSIENT = new Set(['unreachable', 'timeout', 'server', 'unauthorized', 'gone']);
const DEFAULTS: ClusterSettings = { liveDiff: 'auto', kubeconfig: '', contexts: {}, discoverContexts: [], agentActions: false };

export class ClusterLens {
  private settings: ClusterSettings | undefined;
  private settingsJson = '';
  private enabled = false;
  private reason: string | undefined = 'waiting for the client\'s cluster settings';
  private kubeconfig: string | undefined;
  private links = new Map<string, LinkState>();
  private linkFaults: string[] = [];
  private relinkTimer: NodeJS.Timeout | undefined;
  private relinkBackoff = 2000;
  private linking = 0;
  private refreshTimer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(private readonly host: ClusterLensHost) {}

  // ---- inputs ---------------------------------------------------------------------------------

  applySettings(raw: Partial<ClusterSettings> | undefined): void {
    const s: ClusterSettings = { ...DEFAULTS, ...(raw ?? {}) };
    const json = JSON.stringify(s);
    if (json === this.settingsJson) return;
    this.settingsJson = json;
    this.settings = s;
    this.kubeconfig = s.kubeconfig ? expandHome(s.kubeconfig) : undefined;
    if (s.liveDiff === 'off') { this.enabled = false; this.reason = 'live diff is off (gitopsLens.cluster.liveDiff)'; }
    else if (s.liveDiff === 'on') { this.enabled = true; this.reason = undefined; }
    else {
      const where = findKubeconfig(this.kubeconfig);
      this.enabled = where.found.length > 0 || where.inCluster;
      this.reason = this.enabled ? undefined : noKubeconfigMessage(where);
    }
    this.host.log(`cluster: live diff ${this.enabled ? `on (kubeconfig ${this.kubeconfig ?? 'default'})` : `off: ${this.reason}`}`);
    this.disposeLinks();
    closeSessions();
    this.relinkBackoff = 2000;
    this.relink(0);
  }

  /** The set of environments changed: link again. */
  environmentsChanged(): void {
    if (this.settings) this.relink(500);
  }

  /** A file changed (buffer or disk): recompute the environments whose render read it. */
  fileChanged(file: string): void {
    for (const st of this.links.values()) {
      const reads = !st.diff || st.diff.status === 'error' || st.diff.files.includes(file) || (st.diff.files.length === 0);
      if (!reads) continue;
      st.busy = true;
      st.monitor.invalidate();
    }
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.relinkTimer);
    clearTimeout(this.refreshTimer);
    this.disposeLinks();
    closeSessions();
  }

  // ---- linking --------------------------------------------------------------------------------

  private disposeLinks(): void {
    for (const st of this.links.values()) { st.monitor.dispose(); clearTimeout(st.retryTimer); }
    this.links.clear();
    this.linkFaults = [];
    this.scheduleRefresh();
  }

  private relink(delay: number): void {
    clearTimeout(this.relinkTimer);
    if (this.disposed) return;
    this.relinkTimer = setTimeout(() => void this.doRelink(), delay);
  }

  private async doRelink(): Promise<void> {
    const gen = ++this.linking;
    if (!this.enabled || !this.settings) { this.disposeLinks(); return; }
    const ws = this.host.ws;
    const byRepo = new Map<string, Environment[]>();
    for (const e of ws.environments) {
      const l = byRepo.get(e.folder.repoRoot) ?? [];
      l.push(e);
      byRepo.set(e.folder.repoRoot, l);
    }
    const found: { link: EnvironmentLink; env: Environment }[] = [];
    const faults: string[] = [];
    let transient = false;
    await Promise.all([...byRepo].map(async ([repoRoot, envs]) => {
      const settings = this.linkSettings(envs);
      const r = await linkEnvironments({
        dirs: envs.map((e) => e.dir), repoRoot, kubeconfig: this.kubeconfig, settings,
        contexts: this.settings!.discoverContexts.length ? this.settings!.discoverContexts : undefined,
      });
      for (const l of r.links) { const env = envs.find((e) => e.dir === l.dir); if (env) found.push({ link: l, env }); }
      for (const f of r.faults) {
        if (f.fault.kind === 'notFound') continue; // a CRD not installed: that agent is simply not there
        if (TRANSIENT.has(f.fault.kind)) transient = true;
        const m = `${f.context ? `${f.context}: ` : ''}${f.fault.message}`;
        if (!faults.includes(m)) faults.push(m);
      }
    }));
    if (gen !== this.linking || this.disposed) return;
    this.linkFaults = faults;
    const wanted = new Map<string, { link: EnvironmentLink; env: Environment }>();
    for (const f of found) wanted.set(linkId(f.link), f);
    for (const [id, st] of this.links) {
      const w = wanted.get(id);
      if (!w || JSON.stringify(w.link.agent) !== JSON.stringify(st.link.agent) || w.env.key !== st.env.key) {
        st.monitor.dispose(); clearTimeout(st.retryTimer); this.links.delete(id);
      } else st.info = this.info(w.link, w.env); // how may change
    }
    for (const [id, w] of wanted) if (!this.links.has(id)) this.startLink(id, w.link, w.env);
    if (faults.length) this.host.log(`cluster: linking: ${faults.join('; ')}`);
    this.host.log(`cluster: ${this.links.size} linked environment(s)${[...this.links.values()].map((s) => `\n  ${s.info.environment} → ${s.info.how}`).join('')}`);
    this.scheduleRefresh();
    for (const st of this.links.values()) this.host.sendStatus(this.statusOf(st));
    // The cluster could not be asked (down, credentials): ask again later, backing off.
    if (transient) { this.relink(this.relinkBackoff); this.relinkBackoff = Math.min(this.relinkBackoff * 2, 30_000); }
    else this.relinkBackoff = 2000;
  }

  private linkSettings(envs: Environment[]): LinkSetting[] {
    const out: LinkSetting[] = [];
    const folders = new Set(envs.map((e) => e.folder));
    for (const [key, v] of Object.entries(this.settings?.contexts ?? {})) {
      const context = typeof v === 'string' ? v : v?.context;
      if (!context) continue;
      const agent = typeof v === 'object' && v.agent ? parseAgent(v.agent) : undefined;
      for (const f of folders) out.push({ dir: path.resolve(f.path, key), context, agent });
    }
    return out;
  }

  private info(link: EnvironmentLink, env: Environment): ClusterLinkInfo {
    const ws = this.host.ws;
    const unique = ws.environments.filter((x) => x.name === env.name).length === 1;
    return {
      id: linkId(link), folder: pathToUri(link.dir), environment: env.id, label: unique ? env.name : env.id,
      context: link.context, agent: link.agent, foundBy: link.foundBy, how: link.how,
    };
  }

  private startLink(id: string, link: EnvironmentLink, env: Environment): void {
    const st: LinkState = { info: this.info(link, env), link, env, busy: true, retryMs: 2000, monitor: undefined as unknown as EnvironmentMonitor };
    st.monitor = new EnvironmentMonitor({
      dir: link.dir, agent: link.agent, host: this.host.ws.host, kubeconfig: this.kubeconfig, context: link.context,
      repoRoot: env.folder.repoRoot, debounceMs: Number(process.env.GITOPS_LENS_CLUSTER_DEBOUNCE_MS ?? 400),
      onUpdate: (u) => {
        if (this.links.get(id) !== st) return;
        if (u.diff) this.onDiff(st, u.diff);
        if (u.status) this.onStatus(st, u.status);
        this.host.sendStatus(this.statusOf(st));
        this.scheduleRefresh();
      },
    });
    this.links.set(id, st);
    st.monitor.start();
  }

  private onDiff(st: LinkState, d: EnvironmentDiff): void {
    st.diff = d;
    st.busy = false;
    clearTimeout(st.retryTimer);
    // The cluster could not be reached or objects not compared for a passing reason: try again, backing off.
    const transient = (d.status === 'error' && d.fault && TRANSIENT.has(d.fault.kind)) || d.objects.some((o) => o.state === 'error' && o.fault && TRANSIENT.has(o.fault.kind));
    if (transient) {
      st.retryTimer = setTimeout(() => { st.busy = true; st.monitor.invalidate(); }, st.retryMs);
      st.retryMs = Math.min(st.retryMs * 2, 30_000);
    } else st.retryMs = 2000;
  }

  private onStatus(st: LinkState, s: AgentStatus): void {
    const wasFault = !!st.status?.fault;
    st.status = s;
    // Out, or back: recompute so the diff says so too.
    if (!!s.fault !== wasFault && (!s.fault || TRANSIENT.has(s.fault.kind))) { st.busy = true; st.monitor.invalidate(); }
  }

  // ---- outputs --------------------------------------------------------------------------------

  private scheduleRefresh(): void {
    if (this.refreshTimer || this.disposed) return;
    this.refreshTimer = setTimeout(() => { this.refreshTimer = undefined; this.host.refreshLenses(); }, 100);
  }

  statusOf(st: LinkState): ClusterStatusParams {
    const d = st.diff;
    const label = st.info.label;
    const outage = st.status?.fault && TRANSIENT.has(st.status.fault.kind) ? st.status.fault : undefined;
    let summary: string;
    let state: ClusterStatusParams['state'];
    if (outage) {
      summary = `${label} (${st.link.context}): ${outage.message}${d && d.status !== 'error' ? ` (last result: ${summarizeDiff(d)})` : ''}`;
      state = 'error';
    } else if (!d) {
      summary = `${label} (${st.link.context}): comparing with the cluster…`;
      state = 'comparing';
    } else {
      summary = summarizeDiff(d, label);
      if (d.status === 'partial' && !/partial/.test(summary)) summary += ' (partial)';
      state = d.status;
    }
    return {
      link: st.info, state, summary, busy: st.busy,
      counts: d?.counts, approximate: d?.approximate, mode: d?.mode,
      fault: outage ?? d?.fault, notes: d?.notes ?? [],
      agent: st.status ? agentInfo(st.status) : undefined,
    };
  }

  list(): ClusterEnvironmentsResult {
    return {
      enabled: this.enabled, reason: this.reason, faults: this.linkFaults,
      environments: [...this.links.values()].map((st) => this.statusOf(st)),
    };
  }

  codeLenses(file: string): CodeLens[] {
    if (!this.enabled || !this.links.size) return [];
    const ws = this.host.ws;
    const envDirs = new Set(ws.environmentsForFile(file).map((e) => e.dir));
    const states = [...this.links.values()].filter((st) => envDirs.has(st.env.dir));
    if (!states.length) return [];
    const at = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 0 } });
    const out: CodeLens[] = [];
    if (isKustomizationFile(file)) {
      for (const st of states) {
        const s = this.statusOf(st);
        const icon = s.state === 'error' ? '$(warning) ' : s.state === 'partial' ? '$(warning) ' : s.busy ? '$(sync~spin) ' : '';
        out.push({ range: at(0), command: { title: icon + s.summary, command: SHOW_LIVE_DIFF, arguments: [st.info.id] } });
        out.push({ range: at(0), command: { title: agentLine(st), command: SHOW_CLUSTER_STATUS, arguments: [st.info.id] } });
      }
      return out;
    }
    // A resource file: one lens per document and linked environment, with that document's object(s).
    const text = textOf(ws, file);
    if (text === undefined) return [];
    const docs = documentStarts(text);
    for (const st of states) {
      const head = `${st.info.label} (${st.link.context}): `;
      if (!st.diff || (st.diff.status === 'error')) {
        const s = this.statusOf(st);
        out.push({ range: at(docs[0] ?? 0), command: { title: (s.state === 'error' ? '$(warning) ' : '') + s.summary, command: SHOW_LIVE_DIFF, arguments: [st.info.id] } });
        continue;
      }
      const outage = st.status?.fault && TRANSIENT.has(st.status.fault.kind) ? st.status.fault : undefined;
      const mine = st.diff.objects.filter((o) => o.source?.file === file);
      const perDoc = new Map<number, ObjectDiff[]>();
      for (const o of mine) {
        const line = o.source?.range?.start.line ?? 0;
        let doc = docs[0] ?? 0;
        for (const s of docs) if (s <= line) doc = s;
        const l = perDoc.get(doc) ?? [];
        l.push(o);
        perDoc.set(doc, l);
      }
      for (const [line, objs] of [...perDoc].sort((a, b) => a[0] - b[0])) {
        for (const o of objs) {
          const title = (outage ? '$(warning) ' : o.state === 'error' ? '$(warning) ' : '') + head + objectLine(o) + (outage ? ` — ${outage.message}` : '');
          out.push({ range: at(line), command: { title, command: SHOW_LIVE_DIFF, arguments: [st.info.id, o.id] } });
        }
      }
    }
    return out;
  }

  async liveDiff(p: LiveDiffParams): Promise<LiveDiffResult | null> {
    const st = this.links.get(p.link);
    if (!st) return null;
    let d = st.diff;
    if (!d) d = await diffEnvironment({ dir: st.link.dir, agent: st.link.agent, host: this.host.ws.host, kubeconfig: this.kubeconfig, context: st.link.context, deadlineMs: 60_000 });
    const where = `${st.info.label}, ${st.link.context}`;
    if (p.object) {
      const id = p.object;
      const o = d.objects.find((x) => x.id.kind === id.kind && x.id.name === id.name && (x.id.namespace ?? '') === (id.namespace ?? '') && group(x.id.apiVersion) === group(id.apiVersion));
      if (!o) return { title: `${id.kind} ${id.name} (${where}): not in the last comparison`, live: '', desired: '', state: 'unknown', approximate: false };
      const note = o.state === 'error' ? `# not compared: ${o.fault?.message ?? 'error'}\n` : '';
      return {
        title: `${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name}: live ↔ after this change (${where}${o.approximate ? ', approximate' : ''})`,
        live: note + (o.live ?? (o.state === 'new' ? '# not in the cluster (new)\n' : '')),
        desired: note + (o.desired ?? (o.state === 'prune' ? '# removed from the render (to prune)\n' : '')),
        state: o.state, approximate: o.approximate,
      };
    }
    let live = '';
    let desired = '';
    const shown = d.objects.filter((o) => o.state !== 'unchanged' && o.state !== 'skipped');
    for (const o of shown) {
      const head = `# ${o.id.kind} ${o.id.namespace ? `${o.id.namespace}/` : ''}${o.id.name}: ${o.state === 'prune' ? 'to prune' : o.state}${o.state === 'error' ? ` (${o.fault?.message ?? 'error'})` : ''}\n`;
      live += `---\n${head}${o.live ?? ''}`;
      desired += `---\n${head}${o.desired ?? ''}`;
    }
    if (d.status === 'error') live = desired = `# ${d.fault?.message ?? 'the comparison failed'}\n`;
    else if (!shown.length) live = desired = '# in sync\n';
    return { title: `${st.info.label}: live ↔ after this change (${where}: ${summarizeDiff(d)})`, live, desired, state: d.status, approximate: d.approximate };
  }

  async agentAction(p: AgentActionParams): Promise<AgentActionResult> {
    if (!this.settings?.agentActions) return { ok: false, message: 'agent actions are disabled: turn on gitopsLens.cluster.agentActions.enabled to allow them' };
    const st = this.links.get(p.link);
    if (!st?.link.agent) return { ok: false, message: 'this environment is not linked to an agent object' };
    const r = await requestAgentAction(st.link.agent, p.action, { kubeconfig: this.kubeconfig, context: st.link.context, allowed: true });
    this.host.log(`cluster: agent action ${p.action} on ${st.info.id}: ${r.message}`);
    return { ok: r.ok, message: r.message };
  }
}

function linkId(l: EnvironmentLink): string {
  return `${pathToUri(l.dir)}#${l.context}`;
}

function group(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

function parseAgent(s: string): AgentRef | undefined {
  const m = /^(flux|argocd)\/([^/]+)\/([^/]+)$/.exec(s);
  return m ? { kind: m[1] as AgentRef['kind'], namespace: m[2]!, name: m[3]! } : undefined;
}

function expandHome(p: string): string {
  return p.startsWith('~/') || p === '~' ? path.join(os.homedir(), p.slice(1)) : p;
}

function agentInfo(s: AgentStatus): AgentStatusInfo {
  return {
    found: s.found, sync: s.sync, health: s.health, operationPhase: s.operationPhase, revision: s.revision, ready: s.ready,
    lastAttemptedRevision: s.lastAttemptedRevision, suspended: s.suspended, revisionVsHead: s.revisionVsHead, summary: s.summary,
    fault: s.fault ? { kind: s.fault.kind, message: s.fault.message } : undefined,
  };
}

/** The agent's status as a lens: `Flux apps: Ready (ReconciliationSucceeded) · applied main@abc1234 (HEAD)`. */
function agentLine(st: LinkState): string {
  const a = st.link.agent;
  if (!a) return `linked by ${st.info.foundBy === 'setting' ? 'setting' : st.info.foundBy} (no agent object)`;
  const who = `${a.kind === 'flux' ? 'Flux' : 'Argo CD'} ${a.name}`;
  const s = st.status;
  if (!s) return `${who}: …`;
  if (s.fault) return `$(warning) ${who}: ${s.fault.message}`;
  return `${who}: ${s.summary || 'no status yet'}`;
}

function objectLine(o: ObjectDiff): string {
  const approx = o.approximate ? ' (approximate)' : '';
  switch (o.state) {
    case 'unchanged': return `in sync${o.note ? ` (${o.note})` : ''}`;
    case 'changed': return `changed · ${o.paths.slice(0, 3).join(', ')}${o.paths.length > 3 ? ` +${o.paths.length - 3}` : ''}${approx}`;
    case 'new': return `new${approx}`;
    case 'prune': return 'to prune';
    case 'skipped': return `skipped${o.note ? ` (${o.note})` : ''}`;
    default: return `not compared: ${o.fault?.message ?? 'error'}`;
  }
}

/** The line each YAML document's content starts on. */
function documentStarts(text: string): number[] {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const lineOf = (off: number): number => {
    let lo = 0; let hi = lineStarts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (lineStarts[mid]! <= off) lo = mid; else hi = mid - 1; }
    return lo;
  };
  try {
    const docs = parseAllDocuments(text, { uniqueKeys: false });
    const list = Array.isArray(docs) ? docs : [];
    return list.map((d) => lineOf((d.contents?.range?.[0]) ?? d.range[0]));
  } catch {
    return [0];
  }
}

/** Wires the feature to the connection (code lenses, the cluster requests, shutdown); returns it for the file hooks. */
export function registerClusterLens(connection: Connection, ws: WorkspaceView): ClusterLens {
  const lens = new ClusterLens({
    ws,
    refreshLenses: () => { void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => { /* client without refresh support */ }); },
    sendStatus: (p) => { void connection.sendNotification(ClusterStatusNotification, p); },
    log: (m) => connection.console.log(m),
  });
  const guard = <P, R>(name: string, fn: (p: P) => R | Promise<R>, fallback: R) => async (p: P): Promise<R> => {
    try { return await fn(p); } catch (e) { connection.console.error(`${name} failed: ${(e as Error).stack ?? e}`); return fallback; }
  };
  connection.onCodeLens(guard('codeLens', (p) => lens.codeLenses(uriToPath(p.textDocument.uri)), []));
  connection.onRequest(ClusterSettingsRequest, guard('clusterSettings', (p) => lens.applySettings(p), undefined));
  connection.onRequest(ClusterEnvironmentsRequest, guard('clusterEnvironments', () => lens.list(), { enabled: false, faults: [], environments: [] }));
  connection.onRequest(LiveDiffRequest, guard('liveDiff', (p) => lens.liveDiff(p), null));
  connection.onRequest(AgentActionRequest, guard('agentAction', (p) => lens.agentAction(p), { ok: false, message: 'failed (see the log)' }));
  connection.onShutdown(() => lens.dispose());
  return lens;
}
