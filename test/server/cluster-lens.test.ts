// Live diff code lenses and cluster messages over JSON-RPC, against a real kube-apiserver
// (test/cluster). The live state is set up as Flux leaves it (kustomize-controller's field manager
// and labels, the Kustomization's status through /status); the language server links the folder
// to the Kustomization by its GitRepository URL and the workspace's git remote, and shows:
// in sync / changed / new / to prune, a status change arriving through the watch, the viewer's
// approximate comparison, and the API server stopped and started again. Runs on its own cluster,
// since it stops it.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CodeLens } from 'vscode-languageserver-protocol';
import type { ClusterEnvironmentsResult, ClusterSettings, ClusterStatusParams, LiveDiffResult } from '../../server/src/protocol';
import {
  applyAs, auditSince, deployment, ensureCluster, fluxKustomization, fluxLabels, freshNamespace, setStatus, tree, waitFor, type TestCluster,
} from '../cluster-diff/helpers';
import { Client, ensureBuilt } from './lsp';

const NS = 'sl-flux';
const REPO_URL = 'https://example.com/org/lens.git';
const KS = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps', namespace: NS } };
const cm = (ns: string | undefined, name: string, data: Record<string, string>, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(ns ? { namespace: ns } : {}), ...extra }, data });
const yaml = (o: unknown) => JSON.stringify(o, null, 1) + '\n';

let c: TestCluster;
let client: Client;
let ws: string;
let head: string;
let auditStart = 0;
const statuses: ClusterStatusParams[] = [];
let refreshes = 0;

const uri = (rel: string) => pathToFileURL(path.join(ws, rel)).href;
const lenses = async (rel: string): Promise<string[]> => (await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uri(rel) } }) ?? []).map((l) => l.command?.title ?? '');
/** Polls the lenses of a file until one matches. */
async function lensMatching(rel: string, re: RegExp, timeoutMs = 30_000): Promise<string[]> {
  let last: string[] = [];
  try {
    return await waitFor(`lens ${re} on ${rel}`, async () => { last = await lenses(rel); return last.some((t) => re.test(t)) ? last : undefined; }, { timeoutMs, intervalMs: 200 });
  } catch (e) {
    throw new Error(`${(e as Error).message}; last lenses: ${JSON.stringify(last)}; server log:\n${client.errors().slice(-3000)}`);
  }
}
const settings = (over: Partial<ClusterSettings> = {}): ClusterSettings => ({ liveDiff: 'on', kubeconfig: c.kubeconfig, contexts: {}, discoverContexts: [], agentActions: false, ...over });

before(async () => {
  ensureBuilt();
  c = await ensureCluster({ name: 'server-cluster-lens' });
  auditStart = fs.existsSync(c.auditLog) ? fs.statSync(c.auditLog).size : 0;
  await freshNamespace(c, NS);
  await fluxKustomization(c, NS, 'apps', { path: './apps', targetNamespace: NS }, REPO_URL);
  const labels = fluxLabels('apps', NS);
  await applyAs(c, deployment(NS, 'web', 2, 'nginx:1.25', { labels }), 'kustomize-controller');
  await applyAs(c, cm(NS, 'settings', { mode: 'fast' }, { labels }), 'kustomize-controller');

  ws = tree({
    'apps/kustomization.yaml': 'resources:\n- deploy.yaml\n- cm.yaml\n',
    'apps/deploy.yaml': yaml(deployment(undefined, 'web', 2)),
    'apps/cm.yaml': yaml(cm(undefined, 'settings', { mode: 'fast' })),
  });
  const git = (...args: string[]) => execFileSync('git', ['-C', ws, ...args], { encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  git('remote', 'add', 'origin', REPO_URL);
  git('add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'apps');
  head = git('rev-parse', 'HEAD');
  await setStatus(c, KS, {
    conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: 'Applied revision', lastTransitionTime: new Date().toISOString() }],
    lastAppliedRevision: `main@sha1:${head}`, lastAttemptedRevision: `main@sha1:${head}`,
    inventory: { entries: [`${NS}_web_apps_Deployment`, `${NS}_settings__ConfigMap`].map((id) => ({ id, v: 'v1' })) },
  });

  client = await Client.start([ws], { GITOPS_LENS_CLUSTER_DEBOUNCE_MS: '100' });
  client.conn.onNotification('gitopsLens/clusterStatus', (p: ClusterStatusParams) => { statuses.push(p); });
  client.conn.onRequest('workspace/codeLens/refresh', () => { refreshes++; return null; });
  await client.request('gitopsLens/clusterSettings', settings());
});

after(async () => {
  await client?.stop();
  c?.release();
});

describe('cluster lenses over JSON-RPC', () => {
  test('linked by the Flux Kustomization found in the cluster; in sync; the agent status with HEAD', async () => {
    const ls = await lensMatching('apps/kustomization.yaml', /^apps \(admin\): in sync$/);
    assert.ok(ls.some((t) => /^Flux apps: Ready \(ReconciliationSucceeded\) · applied main@[0-9a-f]{7} \(HEAD\)$/.test(t)), JSON.stringify(ls));
    assert.deepEqual(await lensMatching('apps/deploy.yaml', /in sync/), ['apps (admin): in sync']);
    const list = await client.request<ClusterEnvironmentsResult>('gitopsLens/clusterEnvironments', null);
    assert.equal(list.enabled, true);
    assert.equal(list.environments.length, 1);
    const e = list.environments[0]!;
    assert.equal(e.link.foundBy, 'flux');
    assert.match(e.link.how, /Flux Kustomization sl-flux\/apps in context admin: spec.path \.\/apps, GitRepository sl-flux\/repo https:\/\/example.com\/org\/lens.git matches the workspace remote/);
    assert.equal(e.agent?.revisionVsHead, 'head');
    assert.ok(statuses.some((s) => s.state === 'ok' && s.summary === 'apps (admin): in sync'));
  });

  test('unsaved edits and a cluster-side change: changed, new and to prune, per environment and per document', async () => {
    // Unsaved: replicas 3 and a new ConfigMap (in a buffer only).
    await client.open(uri('apps/deploy.yaml'), yaml(deployment(undefined, 'web', 2)));
    await client.change(uri('apps/deploy.yaml'), yaml(deployment(undefined, 'web', 3)));
    await client.open(uri('apps/extra.yaml'), yaml(cm(undefined, 'extra', { a: 'b' })));
    await client.open(uri('apps/kustomization.yaml'), 'resources:\n- deploy.yaml\n- cm.yaml\n');
    await client.change(uri('apps/kustomization.yaml'), 'resources:\n- deploy.yaml\n- cm.yaml\n- extra.yaml\n');
    // The agent applied one more object earlier that the render no longer has: to prune.
    await applyAs(c, cm(NS, 'legacy', { old: 'yes' }, { labels: fluxLabels('apps', NS) }), 'kustomize-controller');
    await setStatus(c, KS, { inventory: { entries: [`${NS}_web_apps_Deployment`, `${NS}_settings__ConfigMap`, `${NS}_legacy__ConfigMap`].map((id) => ({ id, v: 'v1' })) } });

    await lensMatching('apps/kustomization.yaml', /^apps \(admin\): 1 changed · 1 new · 1 to prune$/);
    assert.deepEqual(await lenses('apps/deploy.yaml'), ['apps (admin): changed · spec.replicas']);
    assert.deepEqual(await lenses('apps/extra.yaml'), ['apps (admin): new']);
    assert.deepEqual(await lenses('apps/cm.yaml'), ['apps (admin): in sync']);

    const id = (await client.request<ClusterEnvironmentsResult>('gitopsLens/clusterEnvironments', null)).environments[0]!.link.id;
    const one = await client.request<LiveDiffResult>('gitopsLens/liveDiff', { link: id, object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: 'web' } });
    assert.equal(one.state, 'changed');
    assert.match(one.live, /replicas: 2/);
    assert.match(one.desired, /replicas: 3/);
    assert.match(one.title, /Deployment sl-flux\/web: live ↔ after this change \(apps, admin\)/);
    const all = await client.request<LiveDiffResult>('gitopsLens/liveDiff', { link: id });
    assert.match(all.live, /# ConfigMap sl-flux\/legacy: to prune/);
    assert.match(all.desired, /# ConfigMap sl-flux\/extra: new\n[^]*name: extra/);
    assert.doesNotMatch(all.live, /# ConfigMap sl-flux\/settings/, 'unchanged objects are left out');
  });

  test('a status change arriving through the watch updates the lens (codeLens/refresh) and the status notification', async () => {
    const n = statuses.length;
    const r = refreshes;
    await setStatus(c, KS, {
      conditions: [{ type: 'Ready', status: 'False', reason: 'ReconciliationFailed', message: 'apply failed', lastTransitionTime: new Date().toISOString() }],
      lastAttemptedRevision: 'main@sha1:0123456789abcdef0123456789abcdef01234567',
    });
    const s = await waitFor('status notification', () => statuses.slice(n).find((x) => x.agent?.sync === 'NotReady'));
    assert.equal(s.agent?.ready?.reason, 'ReconciliationFailed');
    assert.equal(s.agent?.lastAttemptedRevision, 'main@sha1:0123456789abcdef0123456789abcdef01234567');
    await waitFor('codeLens/refresh', () => refreshes > r);
    const ls = await lensMatching('apps/kustomization.yaml', /^Flux apps: NotReady \(ReconciliationFailed\)/);
    assert.ok(ls.some((t) => /applied main@[0-9a-f]{7} \(HEAD\) · attempted main@0123456/.test(t)), JSON.stringify(ls));
  });

  test('with the viewer context (no dry-run rights) the lens says approximate', async () => {
    await client.request('gitopsLens/clusterSettings', settings({ contexts: { apps: { context: 'viewer', agent: `flux/${NS}/apps` } } }));
    const ls = await lensMatching('apps/kustomization.yaml', /^apps \(viewer\): .*\(approximate\)$/);
    assert.ok(ls.some((t) => /^apps \(viewer\): 1 changed · 1 new · 1 to prune \(approximate\)$/.test(t)), JSON.stringify(ls));
    assert.ok(ls.some((t) => t === 'apps (admin): 1 changed · 1 new · 1 to prune'), 'the link found in the cluster stays beside the setting\'s');
    const env = (await client.request<ClusterEnvironmentsResult>('gitopsLens/clusterEnvironments', null)).environments.find((e) => e.link.context === 'viewer')!;
    assert.equal(env.link.foundBy, 'setting');
    assert.match(env.link.how, /^setting: apps → context viewer \(Flux Kustomization sl-flux\/apps\)$/);
    assert.match((await lenses('apps/deploy.yaml')).join('\n'), /apps \(viewer\): changed · spec.replicas \(approximate\)/);
    await client.request('gitopsLens/clusterSettings', settings());
    await lensMatching('apps/kustomization.yaml', /^apps \(admin\): 1 changed/);
    assert.ok(!(await lenses('apps/kustomization.yaml')).some((t) => t.includes('viewer')));
  });

  test('agent actions are refused while the setting is off', async () => {
    const id = (await client.request<ClusterEnvironmentsResult>('gitopsLens/clusterEnvironments', null)).environments[0]!.link.id;
    const r = await client.request<{ ok: boolean; message: string }>('gitopsLens/agentAction', { link: id, action: 'flux-reconcile' });
    assert.equal(r.ok, false);
    assert.match(r.message, /agent actions are disabled/);
    const ks = await c.request('GET', `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${NS}/kustomizations/apps`);
    assert.equal(ks.body.metadata.annotations?.['reconcile.fluxcd.io/requestedAt'], undefined);
  });

  test('the API server stopped: a fault lens, no hang; started again: the lens recovers', { timeout: 240_000 }, async () => {
    await lensMatching('apps/kustomization.yaml', /^apps \(admin\): 1 changed · 1 new · 1 to prune$/);
    await c.stop();
    const t0 = Date.now();
    const down = await lensMatching('apps/kustomization.yaml', /^\$\(warning\) apps \(admin\): .*unreachable/, 60_000);
    assert.ok(Date.now() - t0 < 60_000);
    assert.ok(down.some((t) => /^\$\(warning\) Flux apps: .*unreachable/.test(t)), JSON.stringify(down));
    assert.match((await lenses('apps/deploy.yaml')).join('\n'), /\$\(warning\).*unreachable/);
    const st = await client.request<ClusterEnvironmentsResult>('gitopsLens/clusterEnvironments', null);
    assert.equal(st.environments[0]!.state, 'error');
    assert.equal(st.environments[0]!.fault?.kind, 'unreachable');
    // The editor keeps working meanwhile.
    const t1 = Date.now();
    await client.request('textDocument/hover', { textDocument: { uri: uri('apps/kustomization.yaml') }, position: { line: 0, character: 2 } });
    assert.ok(Date.now() - t1 < 2000, 'hover answers while the cluster is down');

    await c.start();
    await lensMatching('apps/kustomization.yaml', /^apps \(admin\): 1 changed · 1 new · 1 to prune$/, 90_000);
    const ls = await lensMatching('apps/kustomization.yaml', /^Flux apps: NotReady/, 60_000);
    assert.ok(!ls.some((t) => t.includes('$(warning)')), JSON.stringify(ls));
    assert.ok(client.alive());
  });

  test('audit log: the server made only reads and dry-runs', async () => {
    const events = auditSince(c.auditLog, auditStart).filter((e) => String(e.userAgent ?? '').startsWith('gitops-lens/'));
    assert.ok(events.length > 10, `${events.length} events`);
    const writes = events.filter((e) => !['get', 'list', 'watch'].includes(e.verb));
    for (const e of writes) assert.match(e.requestURI, /[?&]dryRun=All(&|$)/, `${e.verb} ${e.requestURI} is not a dry-run`);
    assert.ok(events.some((e) => e.verb === 'watch'));
  });
});

describe('partial results', () => {
  test('a kind whose CRD is not installed: that document\'s lens says so, the environment is partial', async () => {
    const widget = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 1\n';
    await client.open(uri('apps/widget.yaml'), widget);
    await client.change(uri('apps/kustomization.yaml'), 'resources:\n- deploy.yaml\n- cm.yaml\n- extra.yaml\n- widget.yaml\n');
    const ls = await lensMatching('apps/kustomization.yaml', /^\$\(warning\) apps \(admin\): 1 changed · 1 new · 1 to prune · 1 not compared \(partial\)$/);
    assert.ok(ls.length >= 2);
    assert.deepEqual(await lenses('apps/widget.yaml'), ['$(warning) apps (admin): not compared: the cluster does not serve example.com/v1 Widget (CRD not installed?)']);
    assert.deepEqual(await lenses('apps/deploy.yaml'), ['apps (admin): changed · spec.replicas'], 'the rest is still compared');
    await client.change(uri('apps/kustomization.yaml'), 'resources:\n- deploy.yaml\n- cm.yaml\n- extra.yaml\n');
    await lensMatching('apps/kustomization.yaml', /^apps \(admin\): 1 changed · 1 new · 1 to prune$/);
  });
});

describe('agent actions (the only writes)', () => {
  test('with the setting on, an explicit request annotates the Flux Kustomization, and nothing else is written', async () => {
    const offset = fs.statSync(c.auditLog).size;
    await client.request('gitopsLens/clusterSettings', settings({ agentActions: true }));
    const id = await waitFor('linked again', async () => (await client.request<ClusterEnvironmentsResult>('gitopsLens/clusterEnvironments', null)).environments[0]?.link.id);
    const wrong = await client.request<{ ok: boolean; message: string }>('gitopsLens/agentAction', { link: id, action: 'argocd-refresh' });
    assert.equal(wrong.ok, false);
    const r = await client.request<{ ok: boolean; message: string }>('gitopsLens/agentAction', { link: id, action: 'flux-reconcile' });
    assert.ok(r.ok, r.message);
    const ks = await c.request('GET', `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${NS}/kustomizations/apps`);
    assert.ok(ks.body.metadata.annotations['reconcile.fluxcd.io/requestedAt']);
    const writes = auditSince(c.auditLog, offset).filter((e) => String(e.userAgent ?? '').startsWith('gitops-lens/') && !['get', 'list', 'watch'].includes(e.verb) && !/[?&]dryRun=All/.test(e.requestURI));
    assert.deepEqual(writes.map((e) => `${e.verb} ${e.requestURI.split('?')[0]}`), [`patch /apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${NS}/kustomizations/apps`]);
  });
});

describe('live diff setting', () => {
  test('auto without any kubeconfig: off, saying where it looked; no lenses', async () => {
    const home = fs.mkdtempSync(path.join(path.dirname(ws), 'home-'));
    const other = await Client.start([ws], { HOME: home, KUBECONFIG: '' });
    try {
      await other.request('gitopsLens/clusterSettings', { liveDiff: 'auto', kubeconfig: '', contexts: {}, discoverContexts: [], agentActions: false });
      const list = await other.request<ClusterEnvironmentsResult>('gitopsLens/clusterEnvironments', null);
      assert.equal(list.enabled, false);
      assert.match(list.reason ?? '', /^no kubeconfig found \(looked at \$KUBECONFIG \(not set\), .*home-[^/]+\/\.kube\/config \(missing\)\)/);
      assert.deepEqual(await other.request('textDocument/codeLens', { textDocument: { uri: uri('apps/kustomization.yaml') } }), []);
    } finally {
      await other.stop();
    }
  });
});
