// Tests of the test cluster itself: each asserts what the real API server
// (and controller manager) does, so a fake could not pass them.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { CRD_RESOURCES } from './crds.mjs';
import { objectPath, request, serverSideApply, waitFor } from './kube.mjs';
import { ensureCluster } from './harness.mjs';
import * as clusterApi from './cluster.mjs';

/** @type {Awaited<ReturnType<typeof ensureCluster>>} */
let c;
const run = Date.now().toString(36);

before(async () => {
  c = await ensureCluster();
});
after(async () => {
  await c?.release();
});

function auditEvents() {
  return fs
    .readFileSync(c.auditLog, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

function etcdVersion(port) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/version' }, (res) => {
      let s = '';
      res.on('data', (d) => (s += d));
      res.on('end', () => resolve(JSON.parse(s)));
    }).on('error', reject);
  });
}

/** True when pid is no process, or one that exited and awaits its reaper. */
function processGone(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

const deployment = (name, replicas) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default', labels: { app: name } },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
  },
});

test('/version answers with the real server version; etcd is the pinned one', async () => {
  const res = await c.request('GET', '/version');
  assert.equal(res.status, 200);
  assert.equal(res.body.gitVersion, c.versions.kubernetes);
  const [, major, minor] = c.versions.kubernetes.match(/^v(\d+)\.(\d+)/);
  assert.equal(res.body.major, major);
  assert.equal(res.body.minor, minor);
  assert.match(res.body.goVersion, /^go1\./);
  const state = clusterApi.status({ name: c.name });
  const etcd = await etcdVersion(state.ports.etcdClient);
  assert.equal(`v${etcd.etcdserver}`, c.versions.etcd);
});

test('the kubeconfig has admin (current) and viewer contexts that kubectl can use', () => {
  const kubeconfig = fs.readFileSync(c.kubeconfig, 'utf8');
  assert.match(kubeconfig, /^current-context: admin$/m);
  assert.match(kubeconfig, /^- name: viewer$/m);
  const out = execFileSync('kubectl', [`--kubeconfig=${c.kubeconfig}`, 'get', 'namespace', 'kube-system', '-o', 'jsonpath={.metadata.name}'], {
    encoding: 'utf8',
  });
  assert.equal(out, 'kube-system');
});

test('the GitOps CRDs are served, validated, and have a status subresource', async () => {
  const names = (await c.request('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions')).body.items.map((i) => i.metadata.name);
  for (const r of CRD_RESOURCES) {
    assert.ok(names.includes(r.name), `${r.name} installed`);
    const disc = await c.request('GET', `/apis/${r.group}/${r.version}`);
    assert.equal(disc.status, 200, `${r.group}/${r.version} served`);
    const kinds = disc.body.resources.map((x) => x.name);
    assert.ok(kinds.includes(r.plural), `${r.plural} served`);
    assert.ok(kinds.includes(`${r.plural}/status`), `${r.plural}/status served`);
  }
  assert.deepEqual(
    CRD_RESOURCES.map((r) => `${r.group}/${r.version} ${r.kind}`).sort(),
    [
      'argoproj.io/v1alpha1 AppProject',
      'argoproj.io/v1alpha1 Application',
      'helm.toolkit.fluxcd.io/v2 HelmRelease',
      'kustomize.toolkit.fluxcd.io/v1 Kustomization',
      'source.toolkit.fluxcd.io/v1 GitRepository',
    ],
  );

  // Schema validation: a Kustomization needs interval, prune and sourceRef.
  const ksPath = objectPath('kustomize.toolkit.fluxcd.io/v1', 'kustomizations', { namespace: 'default' });
  const bad = await c.request('POST', ksPath, {
    body: { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: `bad-${run}` }, spec: { interval: '5m' } },
  });
  assert.equal(bad.status, 422, bad.text);
  assert.match(bad.text, /prune/);
  const badUrl = await c.request('POST', objectPath('source.toolkit.fluxcd.io/v1', 'gitrepositories', { namespace: 'default' }), {
    body: { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: `bad-${run}` }, spec: { interval: '1m', url: 'ftp://x' } },
  });
  assert.equal(badUrl.status, 422, badUrl.text);

  // Status is ignored on the main resource and written through /status.
  const name = `ks-${run}`;
  const created = await c.request('POST', ksPath, {
    body: {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name },
      spec: { interval: '5m', prune: true, path: './apps', sourceRef: { kind: 'GitRepository', name: 'repo' } },
      status: { lastAppliedRevision: 'main@sha1:abc' },
    },
  });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.body.status, undefined);
  assert.equal(created.body.spec.force, false, 'schema default applied');
  const condition = { type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: 'Applied revision: main@sha1:abc', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
  const st = await c.request('PATCH', `${ksPath}/${name}/status`, {
    body: { status: { lastAppliedRevision: 'main@sha1:abc', conditions: [condition] } },
    contentType: 'application/merge-patch+json',
  });
  assert.equal(st.status, 200, st.text);
  const got = await c.request('GET', `${ksPath}/${name}`);
  assert.equal(got.body.status.lastAppliedRevision, 'main@sha1:abc');
  assert.equal(got.body.status.conditions[0].reason, 'ReconciliationSucceeded');
  assert.equal(got.body.metadata.generation, 1, 'a status write does not bump the generation');

  // An Argo CD Application with its required fields, and one without.
  const appPath = objectPath('argoproj.io/v1alpha1', 'applications', { namespace: 'default' });
  const app = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: `app-${run}` },
    spec: { project: 'default', source: { repoURL: 'https://example.invalid/repo.git', path: 'apps', targetRevision: 'HEAD' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'default' } },
  };
  assert.equal((await c.request('POST', appPath, { body: app })).status, 201);
  const noDest = await c.request('POST', appPath, { body: { ...app, metadata: { name: `bad-${run}` }, spec: { project: 'default' } } });
  assert.equal(noDest.status, 422, noDest.text);
});

test('server-side apply of a Deployment defaults and records managed fields; a dry-run apply changes nothing', async () => {
  const name = `web-${run}`;
  const p = objectPath('apps/v1', 'deployments', { namespace: 'default', name });
  const applied = await serverSideApply(c.admin, p, deployment(name, 1), { fieldManager: 'gitops-lens-test' });
  assert.equal(applied.status, 201, applied.text);
  // Defaulting done by the real server:
  assert.equal(applied.body.spec.strategy.type, 'RollingUpdate');
  assert.equal(applied.body.spec.revisionHistoryLimit, 10);
  assert.equal(applied.body.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent');
  assert.equal(applied.body.spec.template.spec.restartPolicy, 'Always');
  const mf = applied.body.metadata.managedFields.find((m) => m.manager === 'gitops-lens-test');
  assert.equal(mf.operation, 'Apply');
  assert.ok(mf.fieldsV1['f:spec']['f:replicas'], 'the applier owns spec.replicas');
  const rv = applied.body.metadata.resourceVersion;

  // Dry run: the answer shows the change, the store does not get it.
  const dry = await serverSideApply(c.admin, p, deployment(name, 5), { fieldManager: 'gitops-lens-test', dryRun: true });
  assert.equal(dry.status, 200, dry.text);
  assert.equal(dry.body.spec.replicas, 5);
  const after1 = await c.request('GET', p);
  assert.equal(after1.body.spec.replicas, 1);
  assert.equal(after1.body.metadata.generation, 1, 'the spec was not written');
  // (resourceVersion may move: the deployment controller writes status.)
  assert.ok(Number(after1.body.metadata.resourceVersion) >= Number(rv));
  const dryNew = await serverSideApply(c.admin, objectPath('apps/v1', 'deployments', { namespace: 'default', name: `${name}-new` }), deployment(`${name}-new`, 1), { dryRun: true });
  assert.equal(dryNew.status, 201, dryNew.text);
  assert.equal((await c.request('GET', objectPath('apps/v1', 'deployments', { namespace: 'default', name: `${name}-new` }))).status, 404);

  // A second manager that sets replicas conflicts unless it forces.
  const conflict = await serverSideApply(c.admin, p, deployment(name, 3), { fieldManager: 'someone-else', force: false });
  assert.equal(conflict.status, 409, conflict.text);
  assert.match(conflict.text, /conflict/i);

  // The controller manager is live: the Deployment gets a ReplicaSet.
  await waitFor('a ReplicaSet of the deployment', async () => {
    const rs = await c.request('GET', `/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3D${name}`);
    return rs.body.items?.length === 1;
  });
});

test('the viewer context reads everything but Secrets and may not write, not even in dry run', async () => {
  const viewer = c.as('viewer');
  assert.equal((await viewer.request('GET', '/apis/apps/v1/namespaces/default/deployments')).status, 200);
  assert.equal((await viewer.request('GET', '/api/v1/namespaces/default/configmaps')).status, 200);
  assert.equal((await viewer.request('GET', '/apis/argoproj.io/v1alpha1/applications')).status, 200);
  assert.equal((await viewer.request('GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles')).status, 200);

  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: `s-${run}`, namespace: 'default' }, stringData: { k: 'v' } };
  assert.equal((await c.request('POST', '/api/v1/namespaces/default/secrets', { body: secret })).status, 201);
  const list = await viewer.request('GET', '/api/v1/namespaces/default/secrets');
  assert.equal(list.status, 403, list.text);
  assert.equal(list.body.reason, 'Forbidden');
  assert.equal((await viewer.request('GET', `/api/v1/namespaces/default/secrets/s-${run}`)).status, 403);
  assert.equal((await viewer.request('GET', '/api/v1/secrets')).status, 403);

  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `v-${run}`, namespace: 'default' }, data: { a: '1' } };
  assert.equal((await viewer.request('POST', '/api/v1/namespaces/default/configmaps', { body: cm })).status, 403);
  const dry = await serverSideApply(c.viewer, `/api/v1/namespaces/default/configmaps/v-${run}`, cm, { dryRun: true });
  assert.equal(dry.status, 403, dry.text);
  assert.equal((await viewer.request('DELETE', '/apis/apps/v1/namespaces/default/deployments/none')).status, 403);

  // The server agrees: a SelfSubjectAccessReview as the viewer.
  const review = await viewer.request('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
    body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: 'patch', group: 'apps', resource: 'deployments', namespace: 'default' } } },
  });
  assert.equal(review.status, 201);
  assert.equal(review.body.status.allowed, false);
});

test('a new namespace gets its default service account, and a deleted one finishes deleting', async () => {
  const ns = `ns-${run}`;
  assert.equal((await c.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } })).status, 201);
  const sa = await waitFor('the default service account', async () => {
    const r = await c.request('GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`);
    return r.status === 200 && r.body;
  });
  assert.equal(sa.metadata.namespace, ns);
  await waitFor('kube-root-ca.crt in the namespace', async () => (await c.request('GET', `/api/v1/namespaces/${ns}/configmaps/kube-root-ca.crt`)).status === 200);

  // Aggregated roles are filled by the controller manager.
  const adminRole = await c.request('GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles/admin');
  assert.ok(adminRole.body.aggregationRule, 'admin is an aggregated role');
  assert.ok(adminRole.body.rules?.length > 0, 'and its rules were aggregated');

  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'content' }, data: { a: '1' } };
  assert.equal((await c.request('POST', `/api/v1/namespaces/${ns}/configmaps`, { body: cm })).status, 201);
  const del = await c.request('DELETE', `/api/v1/namespaces/${ns}`);
  assert.equal(del.status, 200);
  assert.equal(del.body.status.phase, 'Terminating');
  await waitFor('the namespace to be gone', async () => (await c.request('GET', `/api/v1/namespaces/${ns}`)).status === 404, { timeoutMs: 60000 });
});

test('the audit log records every request with user, verb and dry run', async () => {
  const name = `audit-${run}`;
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { a: '1' } };
  await serverSideApply(c.admin, `/api/v1/namespaces/default/configmaps/${name}`, cm, { dryRun: true, fieldManager: 'audit-test' });
  await serverSideApply(c.admin, `/api/v1/namespaces/default/configmaps/${name}`, cm, { fieldManager: 'audit-test' });
  await c.request('GET', `/api/v1/namespaces/default/configmaps/${name}`);
  await c.as('viewer').request('DELETE', `/api/v1/namespaces/default/configmaps/${name}`);

  const mine = await waitFor('four audit events', () => {
    const ev = auditEvents().filter((e) => e.objectRef?.name === name && e.stage === 'ResponseComplete');
    return ev.length >= 4 && ev;
  });
  const byVerb = (verb) => mine.filter((e) => e.verb === verb);
  const patches = byVerb('patch');
  assert.equal(patches.length, 2);
  assert.ok(patches.every((e) => e.user.username === 'gitops-lens-admin'));
  assert.equal(patches.filter((e) => /dryRun=All/.test(e.requestURI)).length, 1);
  assert.ok(patches.every((e) => /fieldManager=audit-test/.test(e.requestURI)));
  assert.equal(byVerb('get')[0].responseStatus.code, 200);
  const denied = byVerb('delete')[0];
  assert.equal(denied.user.username, 'gitops-lens-viewer');
  assert.equal(denied.responseStatus.code, 403);
  assert.equal(denied.annotations['authorization.k8s.io/decision'], 'forbid');
  assert.equal(denied.level, 'Metadata');
});

test('a watch from a resourceVersion streams the events that follow it', async () => {
  const list = await c.request('GET', '/api/v1/namespaces/default/configmaps');
  const rv = list.body.metadata.resourceVersion;
  const name = `watched-${run}`;
  // The server ends the watch after 3 s; meanwhile create and change one object.
  const watching = request(c.viewer, 'GET', `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${rv}&timeoutSeconds=3`, { timeoutMs: 10000 });
  await c.request('POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { v: '1' } } });
  await c.request('PATCH', `/api/v1/namespaces/default/configmaps/${name}`, { body: { data: { v: '2' } }, contentType: 'application/merge-patch+json' });
  const res = await watching;
  assert.equal(res.status, 200);
  const events = res.text.split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((e) => e.object?.metadata?.name === name);
  assert.deepEqual(events.map((e) => [e.type, e.object.data.v]), [['ADDED', '1'], ['MODIFIED', '2']]);
});

test('npm run test-cluster -- up reports the running cluster with AUDIT_LOG and, last, KUBECONFIG', () => {
  const cli = new URL('./cli.mjs', import.meta.url).pathname;
  const res = spawnSync(process.execPath, [cli, 'up', '--name', c.name], { encoding: 'utf8' });
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stderr, /already running/);
  const lines = res.stdout.trim().split('\n');
  assert.equal(lines.at(-1), `KUBECONFIG=${c.kubeconfig}`);
  assert.ok(lines.includes(`AUDIT_LOG=${c.auditLog}`));
  assert.ok(lines.includes(`SERVER=${c.server}`));
  const st = spawnSync(process.execPath, [cli, 'status', '--name', c.name], { encoding: 'utf8' });
  assert.equal(st.status, 0);
  assert.equal(JSON.parse(st.stdout).running, true);
});

test('stop and start keep the objects; while stopped the server is gone (on a cluster of its own)', async (t) => {
  // Its own cluster, so the shared one never goes away under other suites
  // (or under another engineer's run on the same machine).
  const own = await ensureCluster({ name: `restart-${process.pid}` });
  t.after(async () => {
    own.release();
    await clusterApi.down({ name: own.name });
  });
  assert.notEqual(own.server, c.server);
  const name = `keep-${run}`;
  const created = await own.request('POST', '/api/v1/namespaces/default/configmaps', {
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { kept: 'yes' } },
  });
  assert.equal(created.status, 201);
  const before = clusterApi.status({ name: own.name });
  const pids = Object.values(before.pids);
  assert.equal(pids.length, 3);

  await own.stop();
  const stopped = clusterApi.status({ name: own.name });
  assert.equal(stopped.running, false);
  for (const pid of pids) assert.ok(processGone(pid), `process ${pid} is gone`);
  await assert.rejects(request(own.admin, 'GET', '/version', { timeoutMs: 2000 }), /ECONNREFUSED/);

  const t0 = Date.now();
  await own.start();
  const seconds = (Date.now() - t0) / 1000;
  const got = await own.request('GET', `/api/v1/namespaces/default/configmaps/${name}`);
  assert.equal(got.status, 200);
  assert.equal(got.body.metadata.uid, created.body.metadata.uid);
  assert.equal(got.body.data.kept, 'yes');
  assert.ok(seconds < 60, `restart took ${seconds} s`);
  // A second up is a no-op that reports the running cluster.
  const again = await clusterApi.up({ name: own.name });
  assert.equal(again.alreadyRunning, true);
  assert.equal(again.server, own.server);
  // The shared cluster was not touched.
  assert.equal((await c.request('GET', '/readyz')).status, 200);
});
