// What the client knows of the live cluster: the last gitopsLens/clusterStatus of each linked
// environment (by link id), for the status bar, the Environments view and the commands.
import * as vscode from 'vscode';
import { COMMANDS, type ClusterStatusParams, type EnvironmentInfo } from '../../../server/src/protocol';

export class ClusterStore implements vscode.Disposable {
  readonly byLink = new Map<string, ClusterStatusParams>();
  private readonly emitter = new vscode.EventEmitter<ClusterStatusParams | undefined>();
  readonly onDidChange = this.emitter.event;

  set(p: ClusterStatusParams): void { this.byLink.set(p.link.id, p); this.emitter.fire(p); }
  replace(all: ClusterStatusParams[]): void {
    this.byLink.clear();
    for (const p of all) this.byLink.set(p.link.id, p);
    this.emitter.fire(undefined);
  }
  /** The links of an environment folder (a file:// URI). */
  forFolder(folderUri: string): ClusterStatusParams[] {
    const norm = (u: string) => vscode.Uri.parse(u).path.replace(/\/$/, '');
    return [...this.byLink.values()].filter((s) => norm(s.link.folder) === norm(folderUri));
  }
  dispose(): void { this.emitter.dispose(); }
}

/** The store the Environments view reads (set by registerCluster). */
let clusterStore: ClusterStore | undefined;
export function setClusterStore(s: ClusterStore | undefined): void { clusterStore = s; }

const REL: Record<string, string> = { head: 'HEAD', behind: 'behind HEAD', 'ahead-or-diverged': 'not an ancestor of HEAD', unknown: 'unknown vs HEAD' };

/** One line for a link: the agent's sync/health and revision vs HEAD, else the diff summary. */
export function statusLine(s: ClusterStatusParams): string {
  if (s.fault && s.state === 'error') return s.summary;
  const a = s.agent;
  if (a && !a.fault && a.found) return `${s.link.label} (${s.link.context}): ${a.summary}${a.revision && a.revisionVsHead === 'unknown' ? ' (unknown vs HEAD)' : ''}`;
  return s.summary;
}

/** Markdown: the link and how it was found, the diff, the agent's status. */
export function statusTooltip(list: ClusterStatusParams[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', true);
  for (const s of list) {
    md.appendMarkdown(`**${s.link.label}** → context \`${s.link.context}\`${s.link.agent ? `, ${s.link.agent.kind === 'flux' ? 'Flux Kustomization' : 'Argo CD Application'} \`${s.link.agent.namespace}/${s.link.agent.name}\`` : ''}\n\n`);
    md.appendMarkdown(`Linked by ${s.link.foundBy === 'setting' ? 'a setting' : `the ${s.link.foundBy === 'flux' ? 'Flux Kustomization' : 'Argo CD Application'} found in the cluster`}: ${s.link.how}\n\n`);
    md.appendMarkdown(`Live diff: ${s.summary}${s.busy ? ' (updating…)' : ''}${s.mode ? ` — ${s.mode}` : ''}\n\n`);
    const a = s.agent;
    if (a) {
      if (a.fault) md.appendMarkdown(`Agent: ${a.fault.message}\n\n`);
      else if (!a.found) md.appendMarkdown(`Agent: ${a.summary}\n\n`);
      else {
        const parts = [
          a.sync && `sync ${a.sync}`, a.health && `health ${a.health}`, a.operationPhase && `last operation ${a.operationPhase}`,
          a.ready && `Ready ${a.ready.status}${a.ready.reason ? ` (${a.ready.reason})` : ''}`, a.suspended && 'suspended',
          a.revision && `revision \`${a.revision}\` (${REL[a.revisionVsHead] ?? a.revisionVsHead})`,
          a.lastAttemptedRevision && a.lastAttemptedRevision !== a.revision && `last attempted \`${a.lastAttemptedRevision}\``,
        ].filter(Boolean);
        md.appendMarkdown(`Agent: ${parts.join(' · ')}\n\n`);
      }
    }
    for (const n of s.notes) md.appendMarkdown(`- ${n}\n`);
  }
  return md;
}

/** For the Environments view: a short description and a tooltip for an environment's links. */
export function clusterDecoration(env: EnvironmentInfo): { description: string; tooltip: vscode.MarkdownString } | undefined {
  const list = clusterStore?.forFolder(env.folder) ?? [];
  if (!list.length) return undefined;
  const one = (s: ClusterStatusParams): string => {
    const diff = s.state === 'comparing' ? 'comparing…' : s.summary.replace(`${s.link.label} (${s.link.context}): `, '');
    const agent = s.state !== 'error' && s.agent?.found && !s.agent.fault ? ` · ${s.agent.summary}` : '';
    return `${s.link.context}: ${diff}${agent}`;
  };
  return { description: list.map(one).join('; '), tooltip: statusTooltip(list) };
}

/**
 * Code lens middleware: LSP commands carry no tooltip, so the cluster lenses get theirs here — the
 * link, how it was found, and the agent's status (from the last gitopsLens/clusterStatus).
 */
export function withClusterTooltips(lenses: vscode.CodeLens[] | null | undefined): vscode.CodeLens[] | null | undefined {
  for (const l of lenses ?? []) {
    const c = l.command;
    if (!c || (c.command !== COMMANDS.showLiveDiff && c.command !== COMMANDS.showClusterStatus)) continue;
    const s = clusterStore?.byLink.get(String(c.arguments?.[0] ?? ''));
    if (!s) continue;
    const agent = s.agent ? `\nAgent: ${s.agent.fault?.message ?? s.agent.summary}` : '';
    c.tooltip = `${c.command === COMMANDS.showLiveDiff ? 'Open the diff: live ↔ after this change' : 'Show the link and sync status'}\nLinked: ${s.link.how}${agent}`;
  }
  return lenses;
}
