// gitopsLens.compareEnvironments: two environments' renders in VS Code's diff editor (what a
// promotion from the first to the second would change).
import * as vscode from 'vscode';
import type { EnvironmentInfo } from '../../../server/src/protocol';
import { previewUri } from '../preview/uri';
import type { ServerConnection } from '../server';
import { allEnvironments, pickEnvironment, targetOf } from './pick';

export function compareEnvironmentsCommand(server: ServerConnection) {
  return async (left?: string | EnvironmentInfo, right?: string | EnvironmentInfo): Promise<void> => {
    const envs = await allEnvironments(server);
    if (!envs) return;
    if (envs.length < 2) { void vscode.window.showInformationMessage('GitOps Lens: there are fewer than two environments to compare.'); return; }
    const find = (x: string | EnvironmentInfo | undefined) => typeof x === 'string' ? envs.find((e) => e.id === x || e.shortName === x) : x;
    const a = find(left) ?? await pickEnvironment(envs, 'Compare environment… (the left side, e.g. staging)');
    if (!a) return;
    const b = find(right) ?? await pickEnvironment(envs, `…with environment (the right side, e.g. prod); compared with ${a.id}`, undefined, a);
    if (!b) return;
    const ta = { ...targetOf(a), compare: true }; const tb = { ...targetOf(b), compare: true };
    await vscode.commands.executeCommand('vscode.diff', previewUri(ta), previewUri(tb), `${ta.label} ↔ ${tb.label} (rendered)`, { preview: false });
  };
}
