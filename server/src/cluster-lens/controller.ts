// The live cluster in the editor: links each environment to a cluster context and its agent object
// (settings, or Argo CD Applications / Flux Kustomizations found in the cluster), keeps one
// EnvironmentMonitor per link (on the workspace's buffer host, so unsaved edits count; invalidated by
// edits to the files its render read), relinks and retries with backoff while the cluster cannot be
// asked, and answers from them: code lenses (lenses.ts), statuses (status.ts), live diffs
// (live-diff.ts), agent actions (refused unless the agentActions setting is on). Read-only
// otherwise: the cluster code only reads and dry-runs. No LSP connection here: register.ts wires it.

import type { CodeLens } from 'vscode-languageserver';
import {
  closeSessions, diffEnvironment, linkEnvironments, requestAgentAction,
  EnvironmentMonitor, type AgentStatus, type EnvironmentDiff, type EnvironmentLink,
} from '../cluster/index';
import type {
  AgentActionParams, AgentActionResult, ClusterEnvironmentsResult, ClusterLinkInfo, ClusterSettings, ClusterStatusParams, LiveDiffParams, LiveDiffResult,
} from '../protocol';
import { pathToUri } from '../workspace/uri';
import type { Environment } from '../workspace/types';
import type { WorkspaceView } from '../workspace/view';
import { clusterLenses } from './lenses';
import { linkId, TRANSIENT, type LinkState } from './link-state';
import { liveDiffResult } from './live-diff';
import { linkSettings, resolveSettings } from './settings';
import { statusOf } from './status';

export interface ClusterLensHost {
  ws: WorkspaceView;
  /** Asks the client to re-request code lenses. */
  refreshLenses(): void;
  sendStatus(p: ClusterStatusParams): void;
  log(message: string): void;
}

export interface ClusterLensOptions {
  /** How long a monitor waits after an edit or a cluster event before comparing again (default 400 ms). */
  monitorDebounceMs?: number;
}

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

  constructor(private readonly host: ClusterLensHost, private readonly options: ClusterLensOptions = {}) {}

  // ---- inputs ---------------------------------------------------------------------------------

  applySettings(raw: Partial<ClusterSettings> | undefined): void {
    const r = resolveSettings(raw);
    const json = JSON.stringify(r.settings);
    if (json === this.settingsJson) return;
    this.settingsJson = json;
    this.settings = r.settings;
    this.kubeconfig = r.kubeconfig;
    this.enabled = r.enabled;
    this.reason = r.reason;
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
    const byRepo = new Map<string, Environment[]>();
    for (const e of this.host.ws.environments) {
      const l = byRepo.get(e.folder.repoRoot) ?? [];
      l.push(e);
      byRepo.set(e.folder.repoRoot, l);
    }
    const found: { link: EnvironmentLink; env: Environment }[] = [];
    const faults: string[] = [];
    let transient = false;
    await Promise.all([...byRepo].map(async ([repoRoot, envs]) => {
      const settings = linkSettings(this.settings, envs);
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
    for (const st of this.links.values()) this.host.sendStatus(statusOf(st));
    // The cluster could not be asked (down, credentials): ask again later, backing off.
    if (transient) { this.relink(this.relinkBackoff); this.relinkBackoff = Math.min(this.relinkBackoff * 2, 30_000); } else this.relinkBackoff = 2000;
  }

  private info(link: EnvironmentLink, env: Environment): ClusterLinkInfo {
    const unique = this.host.ws.environments.filter((x) => x.name === env.name).length === 1;
    return {
      id: linkId(link), folder: pathToUri(link.dir), environment: env.id, label: unique ? env.name : env.id,
      context: link.context, agent: link.agent, foundBy: link.foundBy, how: link.how,
    };
  }

  private startLink(id: string, link: EnvironmentLink, env: Environment): void {
    const st: LinkState = { info: this.info(link, env), link, env, busy: true, retryMs: 2000, monitor: undefined as unknown as EnvironmentMonitor };
    st.monitor = new EnvironmentMonitor({
      dir: link.dir, agent: link.agent, host: this.host.ws.host, kubeconfig: this.kubeconfig, context: link.context,
      repoRoot: env.folder.repoRoot, debounceMs: this.options.monitorDebounceMs ?? 400,
      onUpdate: (u) => {
        if (this.links.get(id) !== st) return;
        if (u.diff) this.onDiff(st, u.diff);
        if (u.status) this.onStatus(st, u.status);
        this.host.sendStatus(statusOf(st));
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

  list(): ClusterEnvironmentsResult {
    return {
      enabled: this.enabled, reason: this.reason, faults: this.linkFaults,
      environments: [...this.links.values()].map((st) => statusOf(st)),
    };
  }

  codeLenses(file: string): CodeLens[] {
    if (!this.enabled || !this.links.size) return [];
    return clusterLenses(this.host.ws, file, this.links.values());
  }

  async liveDiff(p: LiveDiffParams): Promise<LiveDiffResult | null> {
    const st = this.links.get(p.link);
    if (!st) return null;
    const d = st.diff ?? await diffEnvironment({ dir: st.link.dir, agent: st.link.agent, host: this.host.ws.host, kubeconfig: this.kubeconfig, context: st.link.context, deadlineMs: 60_000 });
    return liveDiffResult(st, d, p.object);
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
