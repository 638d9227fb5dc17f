// Live diff code lenses and cluster statuses, in process, against a real kube-apiserver
// (test/cluster). The live state is set up as Flux leaves it (kustomize-controller's field manager
// and labels, the Kustomization's status through /status); a Workspace on the disk (a temporary git
// repository) and a ClusterLens whose host records statuses, refresh requests and log lines. The
// link is found from the Kustomization's GitRepository URL and the repository's remote, and the
// lenses show: in sync / changed / new / to prune, a status change arriving through the watch, the
// viewer's approximate comparison, and the API server stopped and started again. Runs on its own
// cluster, since it stops it. The JSON-RPC wiring of the same controller: cluster-lens-rpc.test.ts.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ClusterLens } from '../../server/src/cluster-lens/controller';
import { hover } from '../../server/src/features/hover';
import type { ClusterSettings, ClusterStatusParams } from '../../server/src/protocol';
import { diskIO } from '../../server/src/workspace/disk-io';
import { Workspace } from '../../server/src/workspace/workspace';
import {
  applyAs, auditSince, deployment, ensureCluster, fluxKustomization, fluxLabels, freshNamespace, setStatus, tree, waitFor, type TestCluster,
} from '../cluster-diff/helpers';

const NS = 'sl-flux';
const REPO_URL = 'https://example.com/org/lens.git';
const KS = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps', namespace: NS } };
const ATTEMPTED = 'main@sha1:0123456789abcdef0123456789abcdef01234567';
const cm = (ns: string | undefined, name: string, data: Record<string, string>, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(ns ? { namespace: ns } : {}), ...extra }, data });
const yaml = (o: unknown) => JSON.stringify(o, null, 1) + '\n';
const inventory = (...ids: string[]) => ({ entries: ids.map((id) => ({ id, v: 'v1' })) });

/** A workspace on `dir` as the server builds one, rendered. */
async function workspaceOn(dir: string, onEnvironmentsChanged?: () => void): Promise<Workspace> {
  const w = new Workspace(diskIO(), { onEnvironmentsChanged });
  w.addFolder(pathToFileURL(dir).href, dir);
  w.renderAll();
  await w.idle();
  return w;
}

describe('cluster lenses', () => {
  let c: TestCluster;
  let dir: string;
  let ws: Workspace;
  let lens: ClusterLens;
  let head: string;
  let auditStart = 0;
  const statuses: ClusterStatusParams[] = [];
  let refreshes = 0;
  const log: string[] = [];

  const file = (rel: string) => path.join(dir, rel);
  const lenses = (rel: string): string[] => lens.codeLenses(file(rel)).map((l) => l.command?.title ?? '');
  /** The agent's lens for the Kustomization's status: applied HEAD, and a failed attempt after it. */
  const fluxLine = (ready: string) => `Flux apps: ${ready} · applied main@${head.slice(0, 7)} (HEAD)${ready.startsWith('NotReady') ? ' · attempted main@0123456' : ''}`;
  const settings = (over: Partial<ClusterSettings> = {}): ClusterSettings => ({ liveDiff: 'on', kubeconfig: c.kubeconfig, contexts: {}, discoverContexts: [], agentActions: false, ...over });
  const linkId = () => lens.list().environments[0]!.link.id;

  /** An unsaved edit, as the server takes one (onBuffer). */
  async function edit(rel: string, text: string): Promise<void> {
    ws.host.setBuffer(file(rel), text);
    ws.fileChanged(file(rel));
    lens.fileChanged(file(rel));
    await ws.idle();
  }

  /** Waits until the lenses of a file are `expected` (the monitors compare in the background); then compares them whole. */
  async function lensesBecome(rel: string, expected: string[], timeoutMs = 30_000): Promise<void> {
    try {
      await waitFor(`lenses of ${rel}`, () => JSON.stringify(lenses(rel)) === JSON.stringify(expected) || undefined, { timeoutMs, intervalMs: 100 });
    } catch { /* the comparison below says what they are */ }
    assert.deepEqual(lenses(rel), expected, `lenses of ${rel}; log:\n${log.slice(-5).join('\n')}`);
  }

  /** The same, for lenses whose words vary run to run (fault messages): one pattern per lens. */
  async function lensesMatch(rel: string, patterns: RegExp[], timeoutMs = 30_000): Promise<string[]> {
    const matches = (ls: string[]) => ls.length === patterns.length && ls.every((t, i) => patterns[i]!.test(t));
    try {
      await waitFor(`lenses of ${rel}`, () => matches(lenses(rel)) || undefined, { timeoutMs, intervalMs: 100 });
    } catch { /* said below */ }
    const ls = lenses(rel);
    assert.ok(matches(ls), `lenses of ${rel}: ${JSON.stringify(ls)}, expected ${patterns.join(', ')}; log:\n${log.slice(-5).join('\n')}`);
    return ls;
  }

  before(async () => {
    c = await ensureCluster({ name: 'server-cluster-lens' });
    auditStart = fs.existsSync(c.auditLog) ? fs.statSync(c.auditLog).size : 0;
    await freshNamespace(c, NS);
    await fluxKustomization(c, NS, 'apps', { path: './apps', targetNamespace: NS }, REPO_URL);
    const labels = fluxLabels('apps', NS);
    await applyAs(c, deployment(NS, 'web', 2, 'nginx:1.25', { labels }), 'kustomize-controller');
    await applyAs(c, cm(NS, 'settings', { mode: 'fast' }, { labels }), 'kustomize-controller');

    dir = tree({
      'apps/kustomization.yaml': 'resources:\n- deploy.yaml\n- cm.yaml\n',
      'apps/deploy.yaml': yaml(deployment(undefined, 'web', 2)),
      'apps/cm.yaml': yaml(cm(undefined, 'settings', { mode: 'fast' })),
    });
    const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();
    git('init', '-q', '-b', 'main');
    git('remote', 'add', 'origin', REPO_URL);
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'apps');
    head = git('rev-parse', 'HEAD');
    await setStatus(c, KS, {
      conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: 'Applied revision', lastTransitionTime: new Date().toISOString() }],
      lastAppliedRevision: `main@sha1:${head}`, lastAttemptedRevision: `main@sha1:${head}`,
      inventory: inventory(`${NS}_web_apps_Deployment`, `${NS}_settings__ConfigMap`),
    });

    ws = await workspaceOn(dir, () => lens?.environmentsChanged());
    lens = new ClusterLens({
      ws,
      refreshLenses: () => { refreshes++; },
      sendStatus: (p) => { statuses.push(p); },
      log: (m) => { log.push(m); },
    }, { monitorDebounceMs: 100 });
    lens.applySettings(settings());
  });

  after(() => {
    lens?.dispose();
    c?.release();
  });

  test('linked by the Flux Kustomization found in the cluster; in sync; the agent status with HEAD', async () => {
    await lensesBecome('apps/kustomization.yaml', ['apps (admin): in sync', fluxLine('Ready (ReconciliationSucceeded)')]);
    await lensesBecome('apps/deploy.yaml', ['apps (admin): in sync']);
    const list = lens.list();
    assert.equal(list.enabled, true);
    assert.deepEqual(list.faults, []);
    assert.equal(list.environments.length, 1);
    const e = list.environments[0]!;
    assert.equal(e.link.foundBy, 'flux');
    assert.equal(e.link.how, 'Flux Kustomization sl-flux/apps in context admin: spec.path ./apps, GitRepository sl-flux/repo https://example.com/org/lens.git matches the workspace remote');
    assert.equal(e.agent?.revisionVsHead, 'head');
    assert.ok(statuses.some((s) => s.state === 'ok' && s.summary === 'apps (admin): in sync'), JSON.stringify(statuses.map((s) => s.summary)));
  });

  test('unsaved edits and a cluster-side change: changed, new and to prune, per environment and per document', async () => {
    // Unsaved: replicas 3 and a new ConfigMap (in a buffer only).
    await edit('apps/deploy.yaml', yaml(deployment(undefined, 'web', 3)));
    await edit('apps/extra.yaml', yaml(cm(undefined, 'extra', { a: 'b' })));
    await edit('apps/kustomization.yaml', 'resources:\n- deploy.yaml\n- cm.yaml\n- extra.yaml\n');
    // The agent applied one more object earlier that the render no longer has: to prune.
    await applyAs(c, cm(NS, 'legacy', { old: 'yes' }, { labels: fluxLabels('apps', NS) }), 'kustomize-controller');
    await setStatus(c, KS, { inventory: inventory(`${NS}_web_apps_Deployment`, `${NS}_settings__ConfigMap`, `${NS}_legacy__ConfigMap`) });

    await lensesBecome('apps/kustomization.yaml', ['apps (admin): 1 changed · 1 new · 1 to prune', fluxLine('Ready (ReconciliationSucceeded)')]);
    assert.deepEqual(lenses('apps/deploy.yaml'), ['apps (admin): changed · spec.replicas']);
    assert.deepEqual(lenses('apps/extra.yaml'), ['apps (admin): new']);
    assert.deepEqual(lenses('apps/cm.yaml'), ['apps (admin): in sync']);

    const one = await lens.liveDiff({ link: linkId(), object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: 'web' } });
    assert.equal(one?.state, 'changed');
    assert.equal(one.title, 'Deployment sl-flux/web: live ↔ after this change (apps, admin)');
    assert.match(one.live, /replicas: 2/);
    assert.match(one.desired, /replicas: 3/);
    const all = await lens.liveDiff({ link: linkId() });
    assert.equal(all?.title, 'apps: live ↔ after this change (apps, admin: 1 changed · 1 new · 1 to prune)');
    assert.match(all.live, /# ConfigMap sl-flux\/legacy: to prune/);
    assert.match(all.desired, /# ConfigMap sl-flux\/extra: new\n[^]*name: extra/);
    assert.doesNotMatch(all.live, /# ConfigMap sl-flux\/settings/, 'unchanged objects are left out');
  });

  test('a status change arriving through the watch updates the lens (a refresh request) and the status', async () => {
    const n = statuses.length;
    const r = refreshes;
    await setStatus(c, KS, {
      conditions: [{ type: 'Ready', status: 'False', reason: 'ReconciliationFailed', message: 'apply failed', lastTransitionTime: new Date().toISOString() }],
      lastAttemptedRevision: ATTEMPTED,
    });
    const s = await waitFor('status', () => statuses.slice(n).find((x) => x.agent?.sync === 'NotReady'));
    assert.equal(s.agent?.ready?.reason, 'ReconciliationFailed');
    assert.equal(s.agent?.lastAttemptedRevision, ATTEMPTED);
    await waitFor('a refresh request', () => refreshes > r);
    await lensesBecome('apps/kustomization.yaml', ['apps (admin): 1 changed · 1 new · 1 to prune', fluxLine('NotReady (ReconciliationFailed)')]);
  });

  test('with the viewer context (no dry-run rights) the lens says approximate', async () => {
    lens.applySettings(settings({ contexts: { apps: { context: 'viewer', agent: `flux/${NS}/apps` } } }));
    // The link found in the cluster stays beside the setting's (links in the order of their context).
    await lensesBecome('apps/kustomization.yaml', [
      'apps (admin): 1 changed · 1 new · 1 to prune', fluxLine('NotReady (ReconciliationFailed)'),
      'apps (viewer): 1 changed · 1 new · 1 to prune (approximate)', fluxLine('NotReady (ReconciliationFailed)'),
    ]);
    const env = lens.list().environments.find((e) => e.link.context === 'viewer')!;
    assert.equal(env.link.foundBy, 'setting');
    assert.equal(env.link.how, 'setting: apps → context viewer (Flux Kustomization sl-flux/apps)');
    assert.deepEqual(lenses('apps/deploy.yaml'), ['apps (admin): changed · spec.replicas', 'apps (viewer): changed · spec.replicas (approximate)']);
    lens.applySettings(settings());
    await lensesBecome('apps/kustomization.yaml', ['apps (admin): 1 changed · 1 new · 1 to prune', fluxLine('NotReady (ReconciliationFailed)')]);
  });

  test('agent actions are refused while the setting is off', async () => {
    const r = await lens.agentAction({ link: linkId(), action: 'flux-reconcile' });
    assert.deepEqual(r, { ok: false, message: 'agent actions are disabled: turn on gitopsLens.cluster.agentActions.enabled to allow them' });
    const ks = await c.request('GET', `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${NS}/kustomizations/apps`);
    assert.equal(ks.body.metadata.annotations?.['reconcile.fluxcd.io/requestedAt'], undefined);
  });

  test('the API server stopped: a fault lens; started again: the lens recovers', { timeout: 240_000 }, async () => {
    await lensesBecome('apps/kustomization.yaml', ['apps (admin): 1 changed · 1 new · 1 to prune', fluxLine('NotReady (ReconciliationFailed)')]);
    const hoverBefore = hover(ws, file('apps/kustomization.yaml'), { line: 0, character: 2 });
    assert.ok(hoverBefore);
    await c.stop();
    // The fault's words name the address the client could not reach.
    await lensesMatch('apps/kustomization.yaml', [/^\$\(warning\) apps \(admin\): .*unreachable/, /^\$\(warning\) Flux apps: .*unreachable/], 60_000);
    await lensesMatch('apps/deploy.yaml', [/^\$\(warning\) apps \(admin\): changed · spec\.replicas — .*unreachable/]);
    const st = lens.list();
    assert.equal(st.environments[0]!.state, 'error');
    assert.equal(st.environments[0]!.fault?.kind, 'unreachable');
    // The editor keeps working meanwhile.
    assert.deepEqual(hover(ws, file('apps/kustomization.yaml'), { line: 0, character: 2 }), hoverBefore, 'hover answers while the cluster is down');

    await c.start();
    await lensesBecome('apps/kustomization.yaml', ['apps (admin): 1 changed · 1 new · 1 to prune', fluxLine('NotReady (ReconciliationFailed)')], 90_000);
  });

  test('audit log: the lens made only reads and dry-runs', () => {
    const events = auditSince(c.auditLog, auditStart).filter((e) => String(e.userAgent ?? '').startsWith('gitops-lens/'));
    assert.ok(events.length > 10, `${events.length} events`);
    const writes = events.filter((e) => !['get', 'list', 'watch'].includes(e.verb));
    for (const e of writes) assert.match(e.requestURI, /[?&]dryRun=All(&|$)/, `${e.verb} ${e.requestURI} is not a dry-run`);
    assert.ok(events.some((e) => e.verb === 'watch'));
  });

  test('partial results: a kind whose CRD is not installed: that document\'s lens says so, the environment is partial', async () => {
    await edit('apps/widget.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 1\n');
    await edit('apps/kustomization.yaml', 'resources:\n- deploy.yaml\n- cm.yaml\n- extra.yaml\n- widget.yaml\n');
    await lensesBecome('apps/kustomization.yaml', ['$(warning) apps (admin): 1 changed · 1 new · 1 to prune · 1 not compared (partial)', fluxLine('NotReady (ReconciliationFailed)')]);
    assert.deepEqual(lenses('apps/widget.yaml'), ['$(warning) apps (admin): not compared: the cluster does not serve example.com/v1 Widget (CRD not installed?)']);
    assert.deepEqual(lenses('apps/deploy.yaml'), ['apps (admin): changed · spec.replicas'], 'the rest is still compared');
    await edit('apps/kustomization.yaml', 'resources:\n- deploy.yaml\n- cm.yaml\n- extra.yaml\n');
    await lensesBecome('apps/kustomization.yaml', ['apps (admin): 1 changed · 1 new · 1 to prune', fluxLine('NotReady (ReconciliationFailed)')]);
  });

  test('agent actions (the only writes): with the setting on, an explicit request annotates the Flux Kustomization, and nothing else is written', async () => {
    const offset = fs.statSync(c.auditLog).size;
    lens.applySettings(settings({ agentActions: true }));
    const id = await waitFor('linked again', () => lens.list().environments[0]?.link.id);
    const wrong = await lens.agentAction({ link: id, action: 'argocd-refresh' });
    assert.equal(wrong.ok, false);
    const r = await lens.agentAction({ link: id, action: 'flux-reconcile' });
    assert.ok(r.ok, r.message);
    const ks = await c.request('GET', `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${NS}/kustomizations/apps`);
    assert.ok(ks.body.metadata.annotations['reconcile.fluxcd.io/requestedAt']);
    const writes = auditSince(c.auditLog, offset).filter((e) => String(e.userAgent ?? '').startsWith('gitops-lens/') && !['get', 'list', 'watch'].includes(e.verb) && !/[?&]dryRun=All/.test(e.requestURI));
    assert.deepEqual(writes.map((e) => `${e.verb} ${e.requestURI.split('?')[0]}`), [`patch /apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${NS}/kustomizations/apps`]);
  });
});

// After the suite above: applying settings closes the cluster sessions every lens in the process shares.
describe('live diff setting', () => {
  test('auto without any kubeconfig: off, saying where it looked; no lenses', async () => {
    const dir = tree({ 'apps/kustomization.yaml': 'resources:\n- cm.yaml\n', 'apps/cm.yaml': yaml(cm(undefined, 'settings', { mode: 'fast' })) });
    const home = fs.mkdtempSync(path.join(path.dirname(dir), 'home-'));
    const ws = await workspaceOn(dir);
    const lens = new ClusterLens({ ws, refreshLenses: () => {}, sendStatus: () => {}, log: () => {} });
    // Where the search looks: $KUBECONFIG, then ~/.kube/config.
    const saved = { HOME: process.env.HOME, KUBECONFIG: process.env.KUBECONFIG };
    process.env.HOME = home;
    process.env.KUBECONFIG = '';
    try {
      lens.applySettings({ liveDiff: 'auto', kubeconfig: '', contexts: {}, discoverContexts: [], agentActions: false });
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
    try {
      const list = lens.list();
      assert.equal(list.enabled, false);
      assert.equal(list.reason, `no kubeconfig found (looked at $KUBECONFIG (not set), ${home}/.kube/config (missing)): point at one with KUBECONFIG=FILE, \`--kubeconfig FILE\` (CLI) or the gitopsLens.cluster.kubeconfig setting`);
      assert.deepEqual(lens.codeLenses(path.join(dir, 'apps/kustomization.yaml')), []);
    } finally {
      lens.dispose();
    }
  });
});
