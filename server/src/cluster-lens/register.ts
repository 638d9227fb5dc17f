// The cluster link on the LSP connection: code lenses, the cluster requests and notifications,
// workspace/codeLens/refresh, and disposal at shutdown. Wiring only; the controller is controller.ts.

import { CodeLensRefreshRequest, type Connection } from 'vscode-languageserver/node';
import {
  AgentActionRequest, ClusterEnvironmentsRequest, ClusterSettingsRequest, ClusterStatusNotification, LiveDiffRequest,
} from '../protocol';
import { uriToPath } from '../workspace/uri';
import type { WorkspaceView } from '../workspace/view';
import { ClusterLens } from './controller';

/** Wires the cluster link to the connection; returns it for the file hooks. */
export function registerClusterLens(connection: Connection, ws: WorkspaceView): ClusterLens {
  const lens = new ClusterLens({
    ws,
    refreshLenses: () => { void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => { /* client without refresh support */ }); },
    sendStatus: (p) => { void connection.sendNotification(ClusterStatusNotification, p); },
    log: (m) => connection.console.log(m),
  }, { monitorDebounceMs: Number(process.env.GITOPS_LENS_CLUSTER_DEBOUNCE_MS ?? 400) });
  const guard = <P, R>(name: string, fn: (p: P) => R | Promise<R>, fallback: R) => async (p: P): Promise<R> => {
    try { return await fn(p); } catch (e) { connection.console.error(`${name} failed: ${(e as Error).stack ?? e}`); return fallback; }
  };
  connection.onCodeLens(guard('codeLens', (p) => lens.codeLenses(uriToPath(p.textDocument.uri)), []));
  connection.onRequest(ClusterSettingsRequest, guard('clusterSettings', (p) => lens.applySettings(p), undefined));
  connection.onRequest(ClusterEnvironmentsRequest, guard('clusterEnvironments', () => lens.list(), { enabled: false, faults: [], environments: [] }));
  connection.onRequest(LiveDiffRequest, guard('liveDiff', (p) => lens.liveDiff(p), null));
  connection.onRequest(AgentActionRequest, guard('agentAction', (p) => lens.agentAction(p), { ok: false, message: 'failed (see the log)' }));
  connection.onShutdown(() => lens.dispose());
  return lens;
}
