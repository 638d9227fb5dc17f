// gitopsLens.restartServer, gitopsLens.showOutput and gitopsLens.clearRemoteCache.
import * as vscode from 'vscode';
import { ClearRemoteCacheRequest } from '../../../server/src/protocol';
import type { ServerConnection } from '../server';

export function restartServerCommand(server: ServerConnection) {
  return async (): Promise<void> => {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Restarting the GitOps Lens language server' }, () => server.restart());
  };
}

export function showOutputCommand(server: ServerConnection) {
  return (): void => server.output.show(true);
}

export function clearRemoteCacheCommand(server: ServerConnection) {
  return async (): Promise<void> => {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Clearing the GitOps Lens remote sources cache' }, () => server.request0(ClearRemoteCacheRequest));
    void vscode.window.showInformationMessage('GitOps Lens: the remote sources cache is empty; remote bases are fetched again when gitopsLens.remote.enabled is on.');
  };
}
