// The Environments view: per workspace folder, its environments (roots nothing includes, and the
// folders Flux Kustomizations / Argo CD Applications point at), their problem counts, and their
// rendered resources grouped by kind; a resource opens in the preview.
import * as vscode from 'vscode';
import { COMMANDS, environmentLabel, VIEWS, EnvironmentsRequest, RenderRequest, type EnvironmentInfo, type RenderedDocument } from '../../../server/src/protocol';
import type { ServerConnection } from '../server';
import { isExcluded, settings } from '../settings';
import { clusterDecoration } from '../cluster/store';

export type Node =
  | { type: 'folder'; folder: vscode.WorkspaceFolder; envs: EnvironmentInfo[] }
  | { type: 'env'; env: EnvironmentInfo }
  | { type: 'kind'; env: EnvironmentInfo; kind: string; docs: RenderedDocument[] }
  | { type: 'resource'; env: EnvironmentInfo; doc: RenderedDocument }
  | { type: 'message'; text: string };

export class EnvironmentsView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private timer: NodeJS.Timeout | undefined;
  readonly view: vscode.TreeView<Node>;

  constructor(private readonly server: ServerConnection) {
    this.view = vscode.window.createTreeView(VIEWS.environments, { treeDataProvider: this, showCollapseAll: true });
  }

  refresh(delayMs = 150): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.emitter.fire(undefined), delayMs);
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      if (this.server.state !== 'running') return [{ type: 'message', text: `Language server ${this.server.state}…` }];
      const res = await this.server.request(EnvironmentsRequest, {}, false);
      if (!res) return [{ type: 'message', text: 'Language server not available' }];
      const folders = vscode.workspace.workspaceFolders ?? [];
      const byFolder = folders.map((folder) => ({
        type: 'folder' as const, folder,
        envs: res.environments.filter((e) => samePath(e.workspaceFolder, folder.uri.toString()) && !isExcluded(settings(folder.uri), e.id)),
      }));
      if (byFolder.length === 1) return byFolder[0]!.envs.length ? byFolder[0]!.envs.map((env) => ({ type: 'env', env })) : [{ type: 'message', text: 'No kustomization roots found' }];
      return byFolder;
    }
    if (node.type === 'folder') return node.envs.map((env) => ({ type: 'env', env }));
    if (node.type === 'env') {
      const r = await this.server.request(RenderRequest, { environment: node.env.id, workspaceFolder: node.env.workspaceFolder }, false);
      if (!r) return [{ type: 'message', text: 'Not rendered' }];
      const kinds = new Map<string, RenderedDocument[]>();
      for (const d of r.documents) { const l = kinds.get(d.kind) ?? []; l.push(d); kinds.set(d.kind, l); }
      const out: Node[] = [];
      if (r.error) out.push({ type: 'message', text: `Error: ${r.error.message.split('\n')[0]}` });
      for (const [kind, docs] of [...kinds].sort((a, b) => a[0].localeCompare(b[0]))) out.push({ type: 'kind', env: r.environment, kind, docs });
      return out;
    }
    if (node.type === 'kind') return node.docs.map((doc) => ({ type: 'resource', env: node.env, doc }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.type) {
      case 'folder': {
        const t = new vscode.TreeItem(node.folder.name, vscode.TreeItemCollapsibleState.Expanded);
        t.iconPath = vscode.ThemeIcon.Folder;
        return t;
      }
      case 'env': {
        const e = node.env;
        const t = new vscode.TreeItem(environmentLabel(e), vscode.TreeItemCollapsibleState.Collapsed);
        const problems = e.problemCount ? `${e.problemCount} problem${e.problemCount === 1 ? '' : 's'}` : e.state === 'rendered' ? 'ok' : e.state;
        t.description = `${e.id} · ${e.kind} · ${problems}`;
        t.tooltip = new vscode.MarkdownString(`**${e.id}**\n\nFound as: ${e.foundBy}\n\nState: ${e.state}${e.problemCount !== undefined ? `, ${e.problemCount} problem(s)` : ''}`);
        t.iconPath = new vscode.ThemeIcon(e.state === 'failed' ? 'error' : e.state === 'pending' ? 'sync~spin' : e.problemCount ? 'warning' : e.kind === 'flux' || e.kind === 'argocd' ? 'cloud' : 'layers');
        const live = clusterDecoration(e); // linked to a cluster: its context, sync status and how it was linked
        if (live) { t.description = `${t.description} · ${live.description}`; (t.tooltip as vscode.MarkdownString).appendMarkdown('\n\n---\n\n').appendMarkdown(live.tooltip.value); }
        t.contextValue = 'gitopsLens.environment';
        t.id = `${e.workspaceFolder}#${e.id}`;
        return t;
      }
      case 'kind': {
        const t = new vscode.TreeItem(node.kind, vscode.TreeItemCollapsibleState.Collapsed);
        t.description = String(node.docs.length);
        t.iconPath = new vscode.ThemeIcon('symbol-class');
        t.id = `${node.env.workspaceFolder}#${node.env.id}#${node.kind}`;
        return t;
      }
      case 'resource': {
        const d = node.doc;
        const t = new vscode.TreeItem(d.name, vscode.TreeItemCollapsibleState.None);
        t.description = d.namespace ?? '';
        t.tooltip = `${d.kind} ${d.namespace ? `${d.namespace}/` : ''}${d.name}\nfrom ${vscode.workspace.asRelativePath(vscode.Uri.parse(d.origin.uri))}`;
        t.iconPath = new vscode.ThemeIcon('symbol-field');
        t.contextValue = 'gitopsLens.resource';
        t.id = `${node.env.workspaceFolder}#${node.env.id}#${d.kind}#${d.namespace ?? ''}#${d.name}`;
        t.command = { command: COMMANDS.openResource, title: 'Open in Preview', arguments: [node.env, { kind: d.kind, name: d.name, namespace: d.namespace ?? '' }] };
        return t;
      }
      default:
        return new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
    }
  }

  dispose(): void { clearTimeout(this.timer); this.view.dispose(); this.emitter.dispose(); }
}

function samePath(a: string, b: string): boolean {
  return vscode.Uri.parse(a).path.replace(/\/$/, '') === vscode.Uri.parse(b).path.replace(/\/$/, '');
}
