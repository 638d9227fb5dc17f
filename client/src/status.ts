// The status bar item: the environment(s) of the active file and the render state
// (rendering / ok / n problems), or the server's state when it is not running.
import * as vscode from 'vscode';
import { COMMANDS, environmentLabel, EnvironmentsForFileRequest, StatusRequest, type EnvironmentInfo } from '../../server/src/protocol';
import { SCHEME } from './preview/uri';
import type { ServerConnection } from './server';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('gitopsLens.status', vscode.StatusBarAlignment.Left, 50);
  private timer: NodeJS.Timeout | undefined;
  private seq = 0;

  constructor(private readonly server: ServerConnection) {
    this.item.name = 'GitOps Lens';
  }

  /** Recomputes soon (coalesces bursts of events). */
  update(delayMs = 100): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.compute(), delayMs);
  }

  private async compute(): Promise<void> {
    const seq = ++this.seq;
    const doc = vscode.window.activeTextEditor?.document;
    const st = this.server.state;
    if (st !== 'running') {
      this.item.text = st === 'starting' ? '$(sync~spin) GitOps Lens: starting' : '$(error) GitOps Lens: server stopped';
      this.item.tooltip = st === 'starting' ? 'The GitOps Lens language server is starting' : 'The GitOps Lens language server is not running: click to restart it';
      this.item.command = st === 'starting' ? COMMANDS.showOutput : COMMANDS.restartServer;
      this.item.show();
      return;
    }
    if (!doc || (doc.uri.scheme !== 'file' && doc.uri.scheme !== SCHEME)) { this.item.hide(); return; }
    if (doc.uri.scheme === SCHEME) { this.item.hide(); return; }
    const [res, status] = await Promise.all([
      this.server.request(EnvironmentsForFileRequest, { uri: doc.uri.toString() }, false),
      this.server.request0(StatusRequest),
    ]);
    if (seq !== this.seq) return;
    if (!res || !res.environments.length) { this.item.hide(); return; }
    const envs = res.environments;
    const names = envs.map(environmentLabel);
    const shown = names.length > 3 ? `${names.slice(0, 3).join(', ')} +${names.length - 3}` : names.join(', ');
    const problems = envs.reduce((n, e) => n + (e.problemCount ?? 0), 0);
    const busy = (status && !status.idle) || envs.some((e) => e.state === 'pending');
    const failed = envs.some((e) => e.state === 'failed');
    const state = busy ? 'rendering' : problems ? `${problems} problem${problems === 1 ? '' : 's'}` : failed ? 'failed' : 'ok';
    this.item.text = `${busy ? '$(sync~spin)' : problems || failed ? '$(warning)' : '$(layers)'} ${shown}: ${state}`;
    this.item.tooltip = tooltip(envs);
    this.item.command = { command: COMMANDS.openPreviewToSide, title: 'Open Rendered Preview to the Side', arguments: [doc.uri] };
    this.item.show();
    if (busy) this.update(500);
  }

  dispose(): void { clearTimeout(this.timer); this.item.dispose(); }
}

function tooltip(envs: EnvironmentInfo[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString('**GitOps Lens**: this file is rendered by\n\n');
  for (const e of envs) md.appendMarkdown(`- \`${e.id}\` (${e.kind}): ${e.state}${e.problemCount ? `, ${e.problemCount} problem(s)` : ''}\n`);
  md.appendMarkdown('\nClick to open the rendered preview to the side.');
  return md;
}
