// The live diff against a real kube-apiserver (test/cluster): live state is set up the way the
// agents leave it (their field manager and labels, status through /status), then GitOps Lens
// compares folders with it. Each test has its own namespace(s), so the suite shares the cluster.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { OverlayHost } from '../../server/src/engine/index';
import { DiskHost } from '../../server/src/workspace/disk-host';
import {
  ClusterSession, diffEnvironment, getAgentStatus, linkEnvironments, summarizeDiff, watchAgentStatus, EnvironmentMonitor,
  type AgentStatus, type EnvironmentDiff, type MonitorUpdate,
} from '../../server/src/cluster/index';
import {
  applyAs, argoApplication, auditSince, deployment, ensureCluster, fluxKustomization, fluxLabels, freshNamespace, kubectlApply, setStatus, tree, waitFor, type TestCluster,
} from './helpers';

let c: TestCluster;
let auditStart = 0;
const sessions: ClusterSession[] = [];
const session = (context = 'admin'): ClusterSession => {
  const s = new ClusterSession({ kubeconfig: c.kubeconfig, context });
  sessions.push(s);
  return s;
};

before(async () => {
  c = await ensureCluster();
  auditStart = fs.existsSync(c.auditLog) ? fs.statSync(c.auditLog).size : 0;
});
after(() => {
  for (const s of sessions) s.close();
  c?.release();
});

const byName = (d: EnvironmentDiff, kind: string, name: string) => d.objects.find((o) => o.id.kind === kind && o.id.name === name);

const cm = (ns: string | undefined, name: string, data: Record<string, string>, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(ns ? { namespace: ns } : {}), ...extra }, data });

test('Flux: in sync, then a changed replica count, a new object and an object to prune (unsaved buffer)', async () => {
  const ns = await freshNamespace(c, 'cd-flux');
  const dir = tree({
    'kustomization.yaml': 'resources: [deploy.yaml, cm.yaml]\n',
    'deploy.yaml': JSON.stringify(deployment(undefined, 'web', 2)),
    'cm.yaml': JSON.stringify(cm(undefined, 'settings', { mode: 'fast' })),
  });
  await fluxKustomization(c, ns, 'apps', { path: './apps', targetNamespace: ns });
  const labels = fluxLabels('apps', ns);
  await applyAs(c, deployment(ns, 'web', 2, 'nginx:1.25', { labels }), 'kustomize-controller');
  await applyAs(c, cm(ns, 'settings', { mode: 'fast' }, { labels }), 'kustomize-controller');
  const agent = { kind: 'flux' as const, namespace: ns, name: 'apps' };
  const s = session();

  const d1 = await diffEnvironment({ dir, session: s, agent });
  assert.equal(d1.status, 'ok', JSON.stringify(d1.fault ?? d1.objects.filter((o) => o.fault)));
  assert.equal(d1.mode, 'server-side-apply');
  assert.equal(d1.fieldManager, 'kustomize-controller');
  assert.deepEqual(d1.counts, { unchanged: 2, changed: 0, new: 0, prune: 0, error: 0, skipped: 0 }, JSON.stringify(d1.objects.map((o) => [o.id.name, o.paths])));
  assert.ok(d1.inSync);
  assert.equal(summarizeDiff(d1, 'apps'), 'apps (admin): in sync');

  // The agent applied one more object earlier, now gone from the render: to prune.
  await applyAs(c, cm(ns, 'legacy', { old: 'yes' }, { labels }), 'kustomize-controller');
  await setStatus(c, { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps', namespace: ns } }, {
    inventory: { entries: [`${ns}_web_apps_Deployment`, `${ns}_settings__ConfigMap`, `${ns}_legacy__ConfigMap`].map((id) => ({ id, v: id.includes('Deployment') ? 'v1' : 'v1' })) },
  });
  // An unlabelled object of someone else's in the same namespace is not the agent's to prune.
  await applyAs(c, cm(ns, 'not-ours', { x: '1' }), 'someone-else');
  // Unsaved edits: replicas 3 and a new ConfigMap.
  const host = new OverlayHost(new DiskHost());
  host.setBuffer(path.join(dir, 'deploy.yaml'), JSON.stringify(deployment(undefined, 'web', 3)), 1);
  host.setBuffer(path.join(dir, 'kustomization.yaml'), 'resources: [deploy.yaml, cm.yaml, extra.yaml]\n', 1);
  host.setBuffer(path.join(dir, 'extra.yaml'), JSON.stringify(cm(undefined, 'extra', { a: 'b' })), 1);
  const d2 = await diffEnvironment({ dir, host, session: s, agent });
  assert.equal(d2.status, 'ok');
  assert.deepEqual(d2.counts, { unchanged: 1, changed: 1, new: 1, prune: 1, error: 0, skipped: 0 });
  assert.deepEqual(byName(d2, 'Deployment', 'web')?.paths, ['spec.replicas']);
  assert.match(byName(d2, 'Deployment', 'web')!.desired!, /replicas: 3/);
  assert.match(byName(d2, 'Deployment', 'web')!.live!, /replicas: 2/);
  assert.equal(byName(d2, 'ConfigMap', 'extra')?.state, 'new');
  assert.equal(byName(d2, 'ConfigMap', 'legacy')?.state, 'prune');
  assert.equal(byName(d2, 'ConfigMap', 'not-ours'), undefined);
  assert.equal(byName(d2, 'Deployment', 'web')?.source?.file, path.join(dir, 'deploy.yaml'));
  assert.equal(summarizeDiff(d2, 'apps'), 'apps (admin): 1 changed · 1 new · 1 to prune');
  assert.ok(!d2.inSync);
});

test('a Secret change is shown masked, Argo CD style, and no value leaves the diff', async () => {
  const ns = await freshNamespace(c, 'cd-secret');
  await fluxKustomization(c, ns, 'sec', { path: './' });
  const labels = fluxLabels('sec', ns);
  await applyAs(c, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: ns, labels }, type: 'Opaque', stringData: { password: 'hunter2', user: 'admin-user' } }, 'kustomize-controller');
  const dir = tree({
    'kustomization.yaml': 'namespace: cd-secret\nresources: [secret.yaml]\n',
    'secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: db}\ntype: Opaque\nstringData:\n  password: hunter3-longer\n  user: admin-user\n',
  });
  const d = await diffEnvironment({ dir, session: session(), agent: { kind: 'flux', namespace: ns, name: 'sec' } });
  assert.equal(d.status, 'ok');
  const o = byName(d, 'Secret', 'db')!;
  assert.equal(o.state, 'changed');
  assert.deepEqual(o.paths, ['data.password']);
  const livePw = /password: (\++)/.exec(o.live!)![1]!;
  const desiredPw = /password: (\++)/.exec(o.desired!)![1]!;
  assert.notEqual(livePw.length, desiredPw.length, 'a changed value gets a placeholder of another length');
  assert.equal(/user: (\++)/.exec(o.live!)![1], /user: (\++)/.exec(o.desired!)![1], 'an unchanged value keeps its placeholder');
  const all = JSON.stringify(d);
  for (const secret of ['hunter2', 'hunter3-longer', 'admin-user']) {
    assert.ok(!all.includes(secret), `${secret} leaked`);
    assert.ok(!all.includes(Buffer.from(secret).toString('base64')), `${secret} leaked as base64`);
  }
});

test('Flux: postBuild substitute/substituteFrom, targetNamespace, images, patches and the Flux labels', async () => {
  const ns = await freshNamespace(c, 'cd-post');
  await applyAs(c, cm(ns, 'cluster-vars', { REPLICAS: '4', REGION: 'eu-west' }), 'test-setup');
  await applyAs(c, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'secret-vars', namespace: ns }, stringData: { DB_HOST: 'db.internal' } }, 'test-setup');
  await fluxKustomization(c, ns, 'post', {
    path: './', targetNamespace: ns,
    images: [{ name: 'nginx', newName: 'registry.local/nginx', newTag: '${TAG}' }],
    patches: [{ patch: '- op: add\n  path: /metadata/annotations\n  value: {team: blue}', target: { kind: 'Deployment' } }],
    postBuild: { substitute: { TAG: '1.27' }, substituteFrom: [{ kind: 'ConfigMap', name: 'cluster-vars' }, { kind: 'Secret', name: 'secret-vars' }, { kind: 'ConfigMap', name: 'absent', optional: true }] },
  });
  const dir = tree({
    'kustomization.yaml': 'resources: [deploy.yaml, cm.yaml]\n',
    'deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  replicas: ${REPLICAS}\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      containers: [{name: main, image: "nginx:1.25"}]\n',
    'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: conf}\ndata:\n  region: ${REGION}\n  db: ${DB_HOST}\n  zone: ${ZONE:=a}\n  literal: $${NOT_A_VAR}\n',
  });
  const labels = fluxLabels('post', ns);
  const want = deployment(ns, 'api', 4, 'registry.local/nginx:1.27', { labels, annotations: { team: 'blue' } });
  want.spec.selector = { matchLabels: { app: 'api' } };
  want.spec.template = { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'main', image: 'registry.local/nginx:1.27' }] } };
  await applyAs(c, want, 'kustomize-controller');
  await applyAs(c, cm(ns, 'conf', { region: 'eu-west', db: 'db.internal', zone: 'a', literal: '${NOT_A_VAR}' }, { labels }), 'kustomize-controller');
  const d = await diffEnvironment({ dir, session: session(), agent: { kind: 'flux', namespace: ns, name: 'post' } });
  assert.equal(d.status, 'ok', JSON.stringify(d.fault));
  assert.deepEqual(d.objects.map((o) => [o.id.kind, o.id.namespace, o.state, o.paths]), [['ConfigMap', ns, 'unchanged', []], ['Deployment', ns, 'unchanged', []]]);
});

test('Argo CD: source.kustomize options, tracking annotation, client-side three-way diff and ignoreDifferences', async () => {
  const appsNs = await freshNamespace(c, 'cd-argo-apps');
  const ns = await freshNamespace(c, 'cd-argo');
  const dir = tree({
    'kustomization.yaml': 'resources: [deploy.yaml]\n',
    'deploy.yaml': JSON.stringify(deployment(undefined, 'web', 2, 'nginx:1.25')),
  });
  const appSpec = (image: string, ignore = true) => ({
    destination: { server: 'https://kubernetes.default.svc', namespace: ns },
    source: { repoURL: 'https://example.com/org/argo.git', path: 'apps/web', targetRevision: 'main', kustomize: { namePrefix: 'gb-', commonLabels: { team: 'blue' }, images: [image] } },
    ...(ignore ? { ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }] } : {}),
  });
  await argoApplication(c, appsNs, 'guestbook', appSpec('nginx=registry.local/nginx:1.26'));
  // What Argo CD applied (client-side kubectl apply, last-applied annotation), then an HPA-like scale.
  const live = deployment(ns, 'gb-web', 2, 'registry.local/nginx:1.26', {
    labels: { team: 'blue' },
    annotations: { 'argocd.argoproj.io/tracking-id': `${appsNs}_guestbook:apps/Deployment:${ns}/gb-web` },
  });
  live.spec.selector.matchLabels = { app: 'web', team: 'blue' };
  live.spec.template.metadata.labels = { app: 'web', team: 'blue' };
  kubectlApply(c, live);
  c.kubectl(['scale', '-n', ns, 'deployment/gb-web', '--replicas=5']);
  kubectlApply(c, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gb-old', namespace: ns, annotations: { 'argocd.argoproj.io/tracking-id': `${appsNs}_guestbook:/ConfigMap:${ns}/gb-old` } }, data: { a: '1' } });
  await setStatus(c, { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'guestbook', namespace: appsNs } }, {
    resources: [{ group: 'apps', version: 'v1', kind: 'Deployment', namespace: ns, name: 'gb-web' }, { group: '', version: 'v1', kind: 'ConfigMap', namespace: ns, name: 'gb-old' }],
  });
  const agent = { kind: 'argocd' as const, namespace: appsNs, name: 'guestbook' };
  const s = session();
  const d1 = await diffEnvironment({ dir, session: s, agent });
  assert.equal(d1.status, 'ok', JSON.stringify(d1.fault ?? d1.objects));
  assert.equal(d1.mode, 'client-side-apply');
  const web = byName(d1, 'Deployment', 'gb-web')!;
  assert.equal(web.state, 'unchanged', `replicas are ignored: ${web.paths}`);
  assert.equal(byName(d1, 'ConfigMap', 'gb-old')?.state, 'prune');

  // Without ignoreDifferences the scale shows; a new image in the Application shows too.
  await argoApplication(c, appsNs, 'guestbook', appSpec('nginx=registry.local/nginx:1.27', false));
  const d2 = await diffEnvironment({ dir, session: s, agent });
  assert.deepEqual(byName(d2, 'Deployment', 'gb-web')?.paths, ['spec.replicas', 'spec.template.spec.containers[0].image']);
  assert.match(byName(d2, 'Deployment', 'gb-web')!.desired!, /image: registry.local\/nginx:1.27/);

  // With ServerSideApply=true the dry-run goes to the server as argocd-controller.
  await argoApplication(c, appsNs, 'guestbook', { ...appSpec('nginx=registry.local/nginx:1.26'), syncPolicy: { syncOptions: ['ServerSideApply=true'] } });
  const d3 = await diffEnvironment({ dir, session: s, agent });
  assert.equal(d3.mode, 'server-side-apply');
  assert.equal(d3.fieldManager, 'argocd-controller');
  assert.equal(byName(d3, 'Deployment', 'gb-web')?.state, 'unchanged', JSON.stringify(byName(d3, 'Deployment', 'gb-web')?.paths));
});

test('viewer context: 403 on Secrets, approximate diff for the rest, partial result', async () => {
  const ns = await freshNamespace(c, 'cd-view');
  await fluxKustomization(c, ns, 'view', { path: './', targetNamespace: ns });
  const labels = fluxLabels('view', ns);
  await applyAs(c, deployment(ns, 'web', 2, 'nginx:1.25', { labels }), 'kustomize-controller');
  await applyAs(c, cm(ns, 'settings', { a: '1' }, { labels }), 'kustomize-controller');
  await applyAs(c, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tok', namespace: ns, labels }, stringData: { t: 'sekrit' } }, 'kustomize-controller');
  const dir = tree({
    'kustomization.yaml': 'resources: [all.yaml]\n',
    'all.yaml': [JSON.stringify(deployment(undefined, 'web', 2)), JSON.stringify(cm(undefined, 'settings', { a: '2' })), 'apiVersion: v1\nkind: Secret\nmetadata: {name: tok}\nstringData: {t: sekrit}\n'].join('\n---\n'),
  });
  const d = await diffEnvironment({ dir, session: session('viewer'), agent: { kind: 'flux', namespace: ns, name: 'view' } });
  assert.equal(d.status, 'partial');
  assert.equal(d.mode, 'approximate');
  assert.ok(d.approximate);
  assert.equal(byName(d, 'Deployment', 'web')?.state, 'unchanged', JSON.stringify(byName(d, 'Deployment', 'web')?.paths));
  // Unchanged needs no dry-run (the live object holds the whole render); the change is approximate.
  assert.equal(byName(d, 'Deployment', 'web')?.approximate, false);
  assert.equal(byName(d, 'ConfigMap', 'settings')?.approximate, true);
  assert.equal(byName(d, 'ConfigMap', 'settings')?.state, 'changed');
  assert.deepEqual(byName(d, 'ConfigMap', 'settings')?.paths, ['data.a']);
  const sec = byName(d, 'Secret', 'tok')!;
  assert.equal(sec.state, 'error');
  assert.equal(sec.fault?.kind, 'forbidden');
  assert.ok(!JSON.stringify(d).includes('sekrit'));
  assert.match(summarizeDiff(d, 'view'), /view \(viewer\): 1 changed · 1 not compared \(approximate\)/);
});

test('status: Flux Ready and revisions, Argo CD sync/health/operation, HEAD comparison, changes through the watch', async () => {
  const ns = await freshNamespace(c, 'cd-watch');
  const repo = path.resolve(__dirname, '../..');
  const head = execFileSync('git', ['-C', repo, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  const parent = execFileSync('git', ['-C', repo, 'rev-parse', 'HEAD~1'], { encoding: 'utf8' }).trim();
  await fluxKustomization(c, ns, 'w', { path: './' });
  const ks = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'w', namespace: ns } };
  const agent = { kind: 'flux' as const, namespace: ns, name: 'w' };
  const seen: AgentStatus[] = [];
  const unsubscribe = watchAgentStatus(agent, (st) => seen.push(st), { session: session(), repoRoot: repo });
  try {
    await waitFor('first status', () => seen.length >= 1);
    assert.equal(seen[0]!.found, true);
    assert.equal(seen[0]!.sync, 'Unknown');
    await setStatus(c, ks, {
      conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: 'Applied revision', lastTransitionTime: new Date().toISOString() }],
      lastAppliedRevision: `main@sha1:${parent}`, lastAttemptedRevision: `main@sha1:${head}`,
    });
    const st = await waitFor('Ready through the watch', () => seen.find((x) => x.sync === 'Ready'));
    assert.equal(st.ready?.reason, 'ReconciliationSucceeded');
    assert.equal(st.revisionVsHead, 'behind');
    assert.equal(st.lastAttemptedRevision, `main@sha1:${head}`);
    assert.match(st.summary, /Ready \(ReconciliationSucceeded\) · applied main@[0-9a-f]{7} \(behind HEAD\) · attempted/);
    await applyAs(c, { ...ks, spec: { interval: '5m', prune: true, sourceRef: { kind: 'GitRepository', name: 'repo' }, path: './', suspend: true } }, 'test-setup');
    await waitFor('suspend through the watch', () => seen.find((x) => x.suspended));
  } finally {
    unsubscribe();
  }
  const n = seen.length;
  await setStatus(c, ks, { lastAppliedRevision: `main@sha1:${head}` });
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(seen.length, n, 'nothing after unsubscribe');

  const appsNs = await freshNamespace(c, 'cd-watch-apps');
  await argoApplication(c, appsNs, 'a', { destination: { namespace: ns, server: 'https://kubernetes.default.svc' }, source: { repoURL: 'https://example.com/x', path: 'a' } });
  await setStatus(c, { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'a', namespace: appsNs } }, {
    sync: { status: 'OutOfSync', revision: head }, health: { status: 'Degraded' }, operationState: { phase: 'Failed', message: 'one or more objects failed to apply', startedAt: new Date().toISOString() },
  });
  const a = await getAgentStatus({ kind: 'argocd', namespace: appsNs, name: 'a' }, { session: session(), repoRoot: repo });
  assert.equal(a.sync, 'OutOfSync');
  assert.equal(a.health, 'Degraded');
  assert.equal(a.operationPhase, 'Failed');
  assert.equal(a.revisionVsHead, 'head');
  const gone = await getAgentStatus({ kind: 'argocd', namespace: appsNs, name: 'nope' }, { session: session() });
  assert.equal(gone.found, false);
});

test('linking: Argo CD Application and Flux Kustomization matched by path and the git remote', async () => {
  const ns = await freshNamespace(c, 'cd-link');
  const repo = tree({
    '.git/config': '[core]\n\tbare = false\n[remote "origin"]\n\turl = git@github.com:Acme/deploy.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n',
    '.git/HEAD': 'ref: refs/heads/main\n',
    'apps/web/kustomization.yaml': 'resources: []\n',
    'clusters/prod/kustomization.yaml': 'resources: []\n',
    'other/kustomization.yaml': 'resources: []\n',
  });
  await argoApplication(c, ns, 'web', { destination: { namespace: ns, server: 'https://kubernetes.default.svc' }, source: { repoURL: 'https://github.com/acme/deploy', path: 'apps/web' } });
  await argoApplication(c, ns, 'elsewhere', { destination: { namespace: ns, server: 'https://kubernetes.default.svc' }, source: { repoURL: 'https://github.com/acme/other', path: 'other' } });
  await applyAs(c, { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'deploy', namespace: ns }, spec: { url: 'ssh://git@github.com/acme/deploy.git', interval: '1m' } }, 'test-setup');
  await applyAs(c, { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'prod', namespace: ns }, spec: { interval: '5m', prune: true, path: './clusters/prod', sourceRef: { kind: 'GitRepository', name: 'deploy' } } }, 'test-setup');
  const dirs = ['apps/web', 'clusters/prod', 'other'].map((d) => path.join(repo, d));
  const s = session();
  const r = await linkEnvironments({ dirs, contexts: ['admin'], session: () => s, settings: [{ dir: 'other', context: 'viewer' }] });
  const summary = r.links.map((l) => [path.relative(repo, l.dir), l.context, l.foundBy, l.agent?.name]);
  assert.deepEqual(summary, [
    ['apps/web', 'admin', 'argocd', 'web'],
    ['clusters/prod', 'admin', 'flux', 'prod'],
    ['other', 'viewer', 'setting', undefined],
  ]);
  assert.match(r.links[0]!.how, /Argo CD Application cd-link\/web in context admin: spec.source.path apps\/web/);
  assert.match(r.links[1]!.how, /Flux Kustomization cd-link\/prod .* GitRepository cd-link\/deploy/);
});

test('the monitor recomputes on an edit (debounced) and when a watched object changes', async () => {
  const ns = await freshNamespace(c, 'cd-mon');
  await fluxKustomization(c, ns, 'mon', { path: './', targetNamespace: ns });
  const labels = fluxLabels('mon', ns);
  await applyAs(c, cm(ns, 'm', { a: '1' }, { labels }), 'kustomize-controller');
  const dir = tree({ 'kustomization.yaml': 'resources: [m.yaml]\n', 'm.yaml': JSON.stringify(cm(undefined, 'm', { a: '1' })) });
  const host = new OverlayHost(new DiskHost());
  const updates: MonitorUpdate[] = [];
  const m = new EnvironmentMonitor({ dir, host, session: session(), agent: { kind: 'flux', namespace: ns, name: 'mon' }, debounceMs: 100, onUpdate: (u) => updates.push(u) });
  m.start();
  try {
    await waitFor('initial diff', () => updates.find((u) => u.diff));
    assert.ok(m.latestDiff?.inSync);
    for (let i = 0; i < 5; i++) { host.setBuffer(path.join(dir, 'm.yaml'), JSON.stringify(cm(undefined, 'm', { a: String(10 + i) })), i + 1); m.invalidate(); }
    await waitFor('diff after the edit', () => m.latestDiff?.counts.changed === 1);
    assert.equal(updates.filter((u) => u.diff && u.reason === 'edit').length, 1, 'five quick edits, one recompute');
    host.setBuffer(path.join(dir, 'm.yaml'), JSON.stringify(cm(undefined, 'm', { a: '1' })), 9);
    m.invalidate();
    await waitFor('in sync again', () => m.latestDiff?.inSync);
    await applyAs(c, cm(ns, 'm', { a: 'changed-live' }, { labels }), 'kubectl-edit');
    await waitFor('diff after a live change', () => m.latestDiff?.counts.changed === 1 && updates.some((u) => u.reason === 'objects'), { timeoutMs: 15_000 });
  } finally {
    m.dispose();
  }
});

test('CLI: gitops-lens diff exit codes 0 / 1 / 2, --json, masking', async () => {
  const ns = await freshNamespace(c, 'cd-cli');
  await fluxKustomization(c, ns, 'cli', { path: './', targetNamespace: ns });
  const labels = fluxLabels('cli', ns);
  await applyAs(c, cm(ns, 'c', { a: '1' }, { labels }), 'kustomize-controller');
  await applyAs(c, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: ns, labels }, stringData: { k: 'cli-secret-value' } }, 'kustomize-controller');
  const inSync = tree({ 'kustomization.yaml': 'resources: [c.yaml]\n', 'c.yaml': JSON.stringify(cm(undefined, 'c', { a: '1' })) });
  const changed = tree({ 'kustomization.yaml': 'resources: [c.yaml, s.yaml]\n', 'c.yaml': JSON.stringify(cm(undefined, 'c', { a: '2' })), 's.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {k: cli-secret-value-2}\n' });
  const cli = path.resolve(__dirname, '../../server/src/cli.ts');
  const run = (args: string[]) => {
    try {
      return { code: 0, out: execFileSync(process.execPath, ['--import', 'tsx', cli, 'diff', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }), err: '' };
    } catch (e) {
      const x = e as { status: number; stdout: string; stderr: string };
      return { code: x.status, out: x.stdout, err: x.stderr };
    }
  };
  const agentArg = ['--agent', `flux/${ns}/cli`, '--kubeconfig', c.kubeconfig];
  const r0 = run([inSync, ...agentArg, '--context', 'admin']);
  assert.equal(r0.code, 0, r0.err);
  const r1 = run([changed, ...agentArg]);
  assert.equal(r1.code, 1, r1.err);
  assert.match(r1.out, /~ ConfigMap cd-cli\/c \(changed: data.a\)/);
  assert.match(r1.out, /- {2}a: "1"\n\+ {2}a: "2"/);
  assert.match(r1.out, /~ Secret cd-cli\/s \(changed: data.k\)/);
  assert.ok(!r1.out.includes('cli-secret-value') && !r1.err.includes('cli-secret-value'));
  assert.ok(!r1.out.includes(Buffer.from('cli-secret-value').toString('base64')));
  const rj = run([changed, ...agentArg, '--json']);
  assert.equal(rj.code, 1);
  const j = JSON.parse(rj.out);
  assert.equal(j.counts.changed, 2);
  assert.equal(j.link.agent.name, 'cli');
  const r2 = run([changed, '--kubeconfig', c.kubeconfig, '--context', 'no-such-context']);
  assert.equal(r2.code, 2);
  assert.match(r2.err, /context "no-such-context" is not in the kubeconfig/);
  const r3 = run([path.join(changed, 'missing'), ...agentArg]);
  assert.equal(r3.code, 2);
});

test('audit log: every request GitOps Lens made was a read or a dry-run', async () => {
  const events = await waitFor('audit events', () => {
    const ev = auditSince(c.auditLog, auditStart).filter((e) => String(e.userAgent ?? '').startsWith('gitops-lens/'));
    return ev.length > 20 ? ev : undefined;
  });
  const writes = events.filter((e) => !['get', 'list', 'watch'].includes(e.verb));
  assert.ok(writes.length > 0, 'dry-runs were made');
  for (const e of writes) {
    assert.ok(['patch', 'create'].includes(e.verb), `${e.verb} ${e.requestURI}`);
    assert.match(e.requestURI, /[?&]dryRun=All(&|$)/, `${e.verb} ${e.requestURI} is not a dry-run`);
  }
  assert.ok(writes.some((e) => /fieldManager=kustomize-controller/.test(e.requestURI)));
  assert.ok(writes.some((e) => /fieldManager=argocd-controller/.test(e.requestURI)));
  assert.ok(events.some((e) => e.verb === 'watch'));
});
