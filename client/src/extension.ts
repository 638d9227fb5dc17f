// The extension's composition root: the language server connection, the rendered preview, the
// Environments view, the status bar and the commands, wired to the server's notifications and to
// settings changes (which take effect without a reload).
import * as vscode from 'vscode';
import { COMMANDS, DidChangeEnvironmentsNotification, DidRenderNotification } from '../../server/src/protocol';
import { compareEnvironmentsCommand } from './commands/compare';
import { openPreviewCommand, selectPreviewEnvironmentCommand } from './commands/preview';
import { openEnvironmentCommand, openResourceCommand } from './commands/resource';
import { clearRemoteCacheCommand, restartServerCommand, showOutputCommand } from './commands/server';
import { PreviewProvider } from './preview/provider';
import { ServerConnection } from './server';
import { registerCluster } from './cluster/index';
import { SECTION } from './settings';
import { StatusBar } from './status';
import { EnvironmentsView } from './views/environments';

let server: ServerConnection | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  server = new ServerConnection(context.asAbsolutePath('dist/server.js'));
  const previews = new PreviewProvider(server);
  const view = new EnvironmentsView(server);
  const status = new StatusBar(server);
  context.subscriptions.push(server, previews, view, status);
  registerCluster(context, server, () => view.refresh(300)); // live diff, cluster status bar, agent commands: cluster/

  server.onNotification(DidRenderNotification, (p) => { previews.onDidRender(p); view.refresh(400); status.update(); });
  server.onNotification(DidChangeEnvironmentsNotification, () => { view.refresh(); status.update(); });
  context.subscriptions.push(
    server.onDidChangeState(() => { view.refresh(0); status.update(0); }),
    vscode.window.onDidChangeActiveTextEditor(() => status.update()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      server!.output.info('Settings changed; applying them.');
      if (e.affectsConfiguration(`${SECTION}.preview`)) previews.refreshAll();
      if (e.affectsConfiguration(`${SECTION}.diagnostics`)) server!.refilterDiagnostics();
      if (e.affectsConfiguration(`${SECTION}.exclude`)) { view.refresh(0); server!.refilterDiagnostics(); }
    }),
  );

  const state = context.workspaceState;
  const commands: Record<string, (...args: never[]) => unknown> = {
    [COMMANDS.openPreview]: openPreviewCommand(server, previews, state, false),
    [COMMANDS.openPreviewToSide]: openPreviewCommand(server, previews, state, true),
    [COMMANDS.selectPreviewEnvironment]: selectPreviewEnvironmentCommand(server, previews, state),
    [COMMANDS.compareEnvironments]: compareEnvironmentsCommand(server),
    [COMMANDS.openResource]: openResourceCommand(previews),
    [COMMANDS.openEnvironment]: openEnvironmentCommand(previews),
    [COMMANDS.refreshEnvironments]: () => view.refresh(0),
    [COMMANDS.restartServer]: restartServerCommand(server),
    [COMMANDS.showOutput]: showOutputCommand(server),
    [COMMANDS.clearRemoteCache]: clearRemoteCacheCommand(server),
  };
  for (const [id, fn] of Object.entries(commands)) context.subscriptions.push(vscode.commands.registerCommand(id, fn as (...args: unknown[]) => unknown));

  context.subscriptions.push(...trackKustomizationFolders());
  status.update(0);
  await server.start();
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}

/** Keeps the context key `gitopsLens.kustomizationFolders` (for the explorer menu on folders) up to date. */
function trackKustomizationFolders(): vscode.Disposable[] {
  const GLOB = '**/{kustomization.yaml,kustomization.yml,Kustomization}';
  const update = async () => {
    const files = await vscode.workspace.findFiles(GLOB, '**/node_modules/**', 10_000);
    const dirs = [...new Set(files.map((f) => vscode.Uri.joinPath(f, '..').fsPath))];
    await vscode.commands.executeCommand('setContext', 'gitopsLens.kustomizationFolders', dirs);
  };
  void update();
  const watcher = vscode.workspace.createFileSystemWatcher(GLOB, false, true, false);
  let timer: NodeJS.Timeout | undefined;
  const later = () => { clearTimeout(timer); timer = setTimeout(() => void update(), 500); };
  return [watcher, watcher.onDidCreate(later), watcher.onDidDelete(later), { dispose: () => clearTimeout(timer) }];
}
