// The live cluster in the client: sends the gitopsLens.cluster.* settings to the server, opens the
// diff editor (live ↔ after this change) on two read-only virtual documents, keeps a status bar
// item with the active environment's sync/health and revision vs HEAD, and holds the two commands
// that ask an agent to act (refused unless gitopsLens.cluster.agentActions.enabled is on). The code
// lenses themselves come from the server (textDocument/codeLens).
import * as vscode from 'vscode';
import {
  AgentActionRequest, ClusterEnvironmentsRequest, ClusterSettingsRequest, ClusterStatusNotification, EnvironmentsForFileRequest, LiveDiffRequest, COMMANDS, SECTION, type ClusterObjectId, type ClusterSettings, type ClusterStatusParams,
} from '../../../server/src/protocol';
import { setting } from '../settings';
import type { ServerConnection } from '../server';
import { ClusterStore, setClusterStore, statusLine, statusTooltip } from './store';

const LIVE_SCHEME = 'gitops-lens-live';
function clusterSettings(): ClusterSettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const live = setting<string>(c, 'cluster.liveDiff');
  return {
    liveDiff: live === 'on' || live === 'off' ? live : 'auto',
    kubeconfig: setting(c, 'cluster.kubeconfig'),
    contexts: setting(c, 'cluster.contexts'),
    discoverContexts: setting(c, 'cluster.discoverContexts'),
    agentActions: setting(c, 'cluster.agentActions.enabled'),
  };
}

/** Read-only documents with the masked YAML of a live diff (their URIs name the object and side). */
class LiveDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private n = 0;
  put(name: string, side: 'live' | 'after', text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: LIVE_SCHEME, path: `/${name.replace(/[^\w.-]+/g, '-')}.${side}.yaml`, query: `n=${++this.n}` });
    this.texts.set(uri.toString(), text);
    if (this.texts.size > 200) this.texts.delete(this.texts.keys().next().value!);
    return uri;
  }
  provideTextDocumentContent(uri: vscode.Uri): string { return this.texts.get(uri.toString()) ?? '# closed: run the command again\n'; }
  dispose(): void { this.emitter.dispose(); }
}

export function registerCluster(context: vscode.ExtensionContext, server: ServerConnection, onChange: () => void): ClusterStore {
  const store = new ClusterStore();
  setClusterStore(store);
  const docs = new LiveDocuments();
  const status = new ClusterStatusBar(server, store);
  context.subscriptions.push(store, docs, status, { dispose: () => setClusterStore(undefined) });

  const sendSettings = async (): Promise<void> => {
    const s = clusterSettings();
    server.output.info(`Cluster settings: live diff ${s.liveDiff}, kubeconfig ${s.kubeconfig || '(default)'}, ${Object.keys(s.contexts).length} folder link(s), agent actions ${s.agentActions ? 'allowed' : 'off'}.`);
    await server.request(ClusterSettingsRequest, s, false);
    const all = await server.request0(ClusterEnvironmentsRequest);
    if (all) store.replace(all.environments);
  };
  server.onNotification(ClusterStatusNotification, (p) => store.set(p));
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(LIVE_SCHEME, docs),
    server.onDidChangeState((s) => { if (s === 'running') void sendSettings(); }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(`${SECTION}.cluster`)) return;
      server.output.info('Cluster settings changed; sending them to the server.');
      void sendSettings();
    }),
    store.onDidChange(() => { status.update(); onChange(); }),
    vscode.window.onDidChangeActiveTextEditor(() => status.update()),
  );
  if (server.state === 'running') void sendSettings();

  /** Lets the user pick a linked environment (when a command was not given one). */
  const pickLink = async (filter: (s: ClusterStatusParams) => boolean = () => true): Promise<ClusterStatusParams | undefined> => {
    const all = (await server.request0(ClusterEnvironmentsRequest))?.environments.filter(filter) ?? [];
    if (all.length <= 1) return all[0];
    const picked = await vscode.window.showQuickPick(all.map((s) => ({ label: `${s.link.label} (${s.link.context})`, description: s.summary, detail: s.link.how, s })), { placeHolder: 'Linked environment' });
    return picked?.s;
  };

  const showLiveDiff = async (linkId?: string, object?: ClusterObjectId): Promise<void> => {
    const link = linkId ?? (await pickLink())?.link.id;
    if (!link) { void vscode.window.showInformationMessage('GitOps Lens: no environment is linked to a cluster.'); return; }
    const r = await server.request(LiveDiffRequest, { link, object });
    if (!r) { void vscode.window.showWarningMessage('GitOps Lens: that environment is no longer linked.'); return; }
    const name = object ? `${object.kind}-${object.namespace ? `${object.namespace}-` : ''}${object.name}` : (store.byLink.get(link)?.link.label ?? 'environment');
    const left = docs.put(name, 'live', r.live);
    const right = docs.put(name, 'after', r.desired);
    await vscode.commands.executeCommand('vscode.diff', left, right, r.title, { preview: true });
  };

  const showClusterStatus = async (linkId?: string): Promise<void> => {
    const s = linkId ? store.byLink.get(linkId) : await pickLink();
    if (!s) return;
    const a = s.agent;
    const detail = [`Linked: ${s.link.how}`, `Live diff: ${s.summary}`, a && `Agent: ${a.fault?.message ?? a.summary}`, ...s.notes].filter(Boolean).join('\n');
    const choice = await vscode.window.showInformationMessage(statusLine(s), { modal: false, detail }, 'Open Live Diff', 'Show Output');
    if (choice === 'Open Live Diff') await showLiveDiff(s.link.id);
    else if (choice === 'Show Output') server.output.show();
  };

  const agentAction = (action: 'flux-reconcile' | 'argocd-refresh') => async (linkId?: string): Promise<void> => {
    if (!clusterSettings().agentActions) {
      const open = await vscode.window.showWarningMessage('GitOps Lens never writes to the cluster unless you allow it: turn on "gitopsLens.cluster.agentActions.enabled" to let this command annotate the agent object.', 'Open Setting');
      if (open) await vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.cluster.agentActions.enabled`);
      return;
    }
    const kind = action === 'flux-reconcile' ? 'flux' : 'argocd';
    const s = linkId ? store.byLink.get(linkId) : await pickLink((x) => x.link.agent?.kind === kind);
    if (!s?.link.agent || s.link.agent.kind !== kind) { void vscode.window.showInformationMessage(`GitOps Lens: no environment is linked to ${kind === 'flux' ? 'a Flux Kustomization' : 'an Argo CD Application'}.`); return; }
    const a = s.link.agent;
    const what = `${kind === 'flux' ? 'Kustomization' : 'Application'} ${a.namespace}/${a.name} in context ${s.link.context}`;
    const annotation = kind === 'flux' ? 'reconcile.fluxcd.io/requestedAt' : 'argocd.argoproj.io/refresh=normal';
    const ok = await vscode.window.showWarningMessage(`Annotate the ${what} with ${annotation}? This writes to the cluster.`, { modal: true }, kind === 'flux' ? 'Reconcile' : 'Refresh');
    if (!ok) return;
    const r = await server.request(AgentActionRequest, { link: s.link.id, action });
    if (r) void (r.ok ? vscode.window.showInformationMessage(`GitOps Lens: ${r.message}`) : vscode.window.showErrorMessage(`GitOps Lens: ${r.message}`));
  };

  const commands: Record<string, (...args: never[]) => unknown> = {
    [COMMANDS.showLiveDiff]: showLiveDiff,
    [COMMANDS.showClusterStatus]: showClusterStatus,
    [COMMANDS.requestFluxReconcile]: agentAction('flux-reconcile'),
    [COMMANDS.requestArgoRefresh]: agentAction('argocd-refresh'),
  };
  for (const [id, fn] of Object.entries(commands)) context.subscriptions.push(vscode.commands.registerCommand(id, fn as (...args: unknown[]) => unknown));
  status.update(0);
  return store;
}

/** The status bar item for the active file's linked environment(s): sync/health, revision vs HEAD, faults. */
class ClusterStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('gitopsLens.clusterStatus', vscode.StatusBarAlignment.Left, 49);
  private timer: NodeJS.Timeout | undefined;
  private seq = 0;
  constructor(private readonly server: ServerConnection, private readonly store: ClusterStore) { this.item.name = 'GitOps Lens: Cluster'; }

  update(delayMs = 150): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.compute(), delayMs);
  }

  private async compute(): Promise<void> {
    const seq = ++this.seq;
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || doc.uri.scheme !== 'file' || this.server.state !== 'running') { this.item.hide(); return; }
    const [res, all] = await Promise.all([
      this.server.request(EnvironmentsForFileRequest, { uri: doc.uri.toString() }, false),
      this.server.request0(ClusterEnvironmentsRequest),
    ]);
    if (seq !== this.seq) return;
    if (!res?.environments.length || !all?.enabled) { this.item.hide(); return; }
    const list = res.environments.flatMap((e) => this.store.forFolder(e.folder));
    if (!list.length) {
      if (!all.faults.length) { this.item.hide(); return; }
      this.item.text = '$(cloud-offline) cluster';
      this.item.tooltip = `GitOps Lens could not link this environment to the cluster:\n${all.faults.join('\n')}`;
      this.item.command = COMMANDS.showOutput;
      this.item.show();
      return;
    }
    const bad = list.some((s) => s.state === 'error' || s.agent?.fault);
    const busy = list.some((s) => s.busy || s.state === 'comparing');
    const main = list[0]!;
    this.item.text = `${bad ? '$(warning)' : busy ? '$(sync~spin)' : '$(cloud)'} ${statusLine(main)}${list.length > 1 ? ` +${list.length - 1}` : ''}`;
    this.item.tooltip = statusTooltip(list);
    this.item.command = { command: COMMANDS.showLiveDiff, title: 'Open Live Diff', arguments: [main.link.id] };
    this.item.show();
  }

  dispose(): void { clearTimeout(this.timer); this.item.dispose(); }
}
