// gitopsLens.restartServer and gitopsLens.showOutput.
import * as vscode from 'vscode';
import type { ServerConnection } from '../server';

export function restartServerCommand(server: ServerConnection) {
  return async (): Promise<void> => {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Restarting the GitOps Lens language server' }, () => server.restart());
  };
}

export function showOutputCommand(server: ServerConnection) {
  return (): void => server.output.show(true);
}
