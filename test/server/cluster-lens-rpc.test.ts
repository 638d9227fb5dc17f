// The cluster link's JSON-RPC wiring (cluster-lens/register.ts), with the server as a process: the
// client's gitopsLens/clusterSettings request links an environment, a gitopsLens/clusterStatus
// notification and a workspace/codeLens/refresh request reach the client, and textDocument/codeLens
// answers with the link's lenses. What the lenses say is tested in process (cluster-lens.test.ts).

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CodeLens } from 'vscode-languageserver-protocol';
import { COMMANDS } from '../../server/src/contributes';
import type { ClusterSettings, ClusterStatusParams } from '../../server/src/protocol';
import { ensureCluster, freshNamespace, tree, waitFor, type TestCluster } from '../cluster-diff/helpers';
import { Client, ensureBuilt } from './lsp';

const NS = 'sl-rpc';

let c: TestCluster;
let client: Client;
let dir: string;
/** Each status notification, with how many refresh requests had come before it. */
const statuses: { status: ClusterStatusParams; refreshes: number }[] = [];
let refreshes = 0;

before(async () => {
  ensureBuilt();
  // The cluster of cluster-lens.test.ts: one run starts it once.
  c = await ensureCluster({ name: 'server-cluster-lens' });
  await freshNamespace(c, NS);
  dir = tree({
    'apps/kustomization.yaml': `namespace: ${NS}\nresources:\n- cm.yaml\n`,
    'apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n',
  });
  client = await Client.start([dir], { GITOPS_LENS_CLUSTER_DEBOUNCE_MS: '100' });
  client.conn.onNotification('gitopsLens/clusterStatus', (p: ClusterStatusParams) => { statuses.push({ status: p, refreshes }); });
  client.conn.onRequest('workspace/codeLens/refresh', () => { refreshes++; return null; });
});

after(async () => {
  await client?.stop();
  c?.release();
});

test('cluster settings in, a status notification, a code lens refresh and the code lenses out', async () => {
  // The folder linked by a setting, to the admin context, without an agent object.
  const settings: ClusterSettings = { liveDiff: 'on', kubeconfig: c.kubeconfig, contexts: { apps: 'admin' }, discoverContexts: [], agentActions: false };
  await client.request('gitopsLens/clusterSettings', settings);
  const compared = await waitFor('a compared status', () => statuses.find((x) => x.status.state !== 'comparing' && !x.status.busy), { timeoutMs: 30_000 });
  const done = compared.status;
  assert.equal(done.summary, 'apps (admin): 1 new', `${JSON.stringify(statuses.map((s) => s.status.summary))}\n${client.errors().slice(-2000)}`);
  assert.equal(done.link.context, 'admin');
  assert.equal(done.link.foundBy, 'setting');
  // The lenses changed: the server asks the client to ask for them again.
  await waitFor('workspace/codeLens/refresh after the status', () => refreshes > compared.refreshes);
  const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: pathToFileURL(path.join(dir, 'apps/kustomization.yaml')).href } });
  const top = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  assert.deepEqual(lenses, [
    { range: top, command: { title: 'apps (admin): 1 new', command: COMMANDS.showLiveDiff, arguments: [done.link.id] } },
    { range: top, command: { title: 'linked by setting (no agent object)', command: COMMANDS.showClusterStatus, arguments: [done.link.id] } },
  ]);
  assert.ok(client.alive());
});
