// gitopsLens.openPreview / openPreviewToSide / selectPreviewEnvironment.
import * as vscode from 'vscode';
import type { PreviewProvider } from '../preview/provider';
import { parsePreviewUri } from '../preview/uri';
import type { ServerConnection } from '../server';
import { fileOf, previewTargetFor } from './pick';

export function openPreviewCommand(server: ServerConnection, previews: PreviewProvider, state: vscode.Memento, side: boolean) {
  return async (arg?: unknown): Promise<void> => {
    const uri = await fileOf(arg);
    if (!uri) {
      void vscode.window.showInformationMessage('GitOps Lens: open a kustomization (or a file it includes) to preview what it renders to.');
      return;
    }
    const target = await previewTargetFor(server, state, uri);
    if (target) await previews.open(target, side);
  };
}

/** Asks again which environment a base is rendered in (for the active base preview or file). */
export function selectPreviewEnvironmentCommand(server: ServerConnection, previews: PreviewProvider, state: vscode.Memento) {
  return async (): Promise<void> => {
    const active = vscode.window.activeTextEditor?.document.uri;
    const t = active ? parsePreviewUri(active) : undefined;
    const uri = t?.file ? vscode.Uri.parse(t.file) : await fileOf(undefined);
    if (!uri) return;
    const target = await previewTargetFor(server, state, uri, true);
    if (target) await previews.open(target, !t);
  };
}
