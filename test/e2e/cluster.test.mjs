// Live diff in a real VS Code (code-server + headless Chromium) against the real test API server
// (test/cluster): a fixture repository whose `deploy` folder is deployed as a Flux Kustomization
// (objects applied as kustomize-controller would, status through /status). The extension links the
// folder through the Kustomization it finds in the cluster, shows the CodeLens, opens the diff
// editor for the changed Deployment from it, and the status bar shows the sync status. The audit
// log then shows that the extension made only reads and dry-runs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { launchVSCode } from './harness.mjs';
import { makeVsix } from '../package/vsix.mjs';
import { auditEventsSince, ensureCluster } from '../cluster/harness.mjs';
import { serverSideApply } from '../cluster/kube.mjs';

const NS = 'e2e-lens';
const REPO_URL = 'https://example.com/e2e/live-diff.git';
const KS = `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${NS}/kustomizations/deploy`;
const LABELS = { 'kustomize.toolkit.fluxcd.io/name': 'deploy', 'kustomize.toolkit.fluxcd.io/namespace': NS };

let c;
let vscode;
let page;
let workspace;
let auditStart = 0;
const times = [];

const deployment = (replicas, extra = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', ...extra },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'main', image: 'nginx:1.25' }] } } },
});
const configMap = (extra = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', ...extra }, data: { mode: 'fast' } });

async function apply(p, obj, fieldManager) {
  const res = await serverSideApply(c.admin, p, obj, { fieldManager, force: true });
  if (res.status !== 200 && res.status !== 201) throw new Error(`apply ${p}: ${res.status} ${res.text}`);
}

async function step(name, fn) {
  const s = Date.now();
  try { return await vscode.run(name, fn); } finally { times.push(`${name} ${((Date.now() - s) / 1000).toFixed(1)}s`); }
}

/** The texts of the CodeLenses shown in the active editor. */
async function lensTexts() {
  return (await page.locator('.editor-group-container.active .codelens-decoration').allInnerTexts())
    .flatMap((t) => t.split(/\s\|\s/)).map((t) => t.replace(/\s+/g, ' ').trim()); // lenses on one line share a decoration
}

async function waitLens(re, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await lensTexts();
    if (last.some((t) => re.test(t))) return last;
    if (Date.now() > end) throw new Error(`no CodeLens matching ${re} after ${timeoutMs} ms; shown: ${JSON.stringify(last)}`);
    await page.waitForTimeout(300);
  }
}

describe('e2e cluster: CodeLens, diff editor, status bar, read-only', () => {
  before(async () => {
    c = await ensureCluster();
    auditStart = fs.existsSync(c.auditLog) ? fs.statSync(c.auditLog).size : 0;
    // The cluster as Flux left it: replicas 2 applied, the repository now says 3.
    const del = await c.request('DELETE', `/api/v1/namespaces/${NS}`);
    if (del.status === 200 || del.status === 202) {
      for (let i = 0; i < 120 && (await c.request('GET', `/api/v1/namespaces/${NS}`)).status !== 404; i++) await new Promise((r) => setTimeout(r, 500));
    }
    await c.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } });
    await apply(`/apis/source.toolkit.fluxcd.io/v1/namespaces/${NS}/gitrepositories/repo`, { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'repo', namespace: NS }, spec: { url: REPO_URL, interval: '1m', ref: { branch: 'main' } } }, 'test-setup');
    await apply(KS, { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'deploy', namespace: NS }, spec: { interval: '5m', prune: true, path: './deploy', targetNamespace: NS, sourceRef: { kind: 'GitRepository', name: 'repo' } } }, 'test-setup');
    await apply(`/apis/apps/v1/namespaces/${NS}/deployments/web`, deployment(2, { namespace: NS, labels: LABELS }), 'kustomize-controller');
    await apply(`/api/v1/namespaces/${NS}/configmaps/settings`, configMap({ namespace: NS, labels: LABELS }), 'kustomize-controller');

    workspace = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-lens-e2e-cluster-')), 'live-repo');
    const write = (rel, text) => { fs.mkdirSync(path.dirname(path.join(workspace, rel)), { recursive: true }); fs.writeFileSync(path.join(workspace, rel), text); };
    write('deploy/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - web.yaml\n  - settings.yaml\n');
    write('deploy/web.yaml', [
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', 'spec:', '  replicas: 3', '  selector:', '    matchLabels:', '      app: web',
      '  template:', '    metadata:', '      labels:', '        app: web', '    spec:', '      containers:', '        - name: main', '          image: nginx:1.25', '',
    ].join('\n'));
    write('deploy/settings.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n');
    const git = (...args) => execFileSync('git', ['-C', workspace, ...args], { encoding: 'utf8' }).trim();
    git('init', '-q', '-b', 'main');
    git('remote', 'add', 'origin', REPO_URL);
    git('add', '.');
    git('-c', 'user.name=e2e', '-c', 'user.email=e2e@example.com', 'commit', '-qm', 'deploy');
    const head = git('rev-parse', 'HEAD');
    const st = await c.request('PATCH', `${KS}/status`, {
      contentType: 'application/merge-patch+json',
      body: { status: {
        conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: 'Applied revision', lastTransitionTime: new Date().toISOString() }],
        lastAppliedRevision: `main@sha1:${head}`, lastAttemptedRevision: `main@sha1:${head}`,
        inventory: { entries: [{ id: `${NS}_web_apps_Deployment`, v: 'v1' }, { id: `${NS}_settings__ConfigMap`, v: 'v1' }] },
      } },
    });
    assert.equal(st.status, 200, st.text);

    const made = makeVsix();
    // As most users have it: $KUBECONFIG (code-server inherits this process's environment). The
    // gitopsLens.cluster.kubeconfig setting is machine-scoped, so a remote window such as
    // code-server's ignores it in user settings; the server test covers the setting.
    process.env.KUBECONFIG = c.kubeconfig;
    vscode = await launchVSCode({ vsix: made.vsix, workspace, name: 'cluster' });
    page = vscode.page;
  });

  after(async () => {
    process.stdout.write(`# e2e cluster steps: ${times.join(', ')}\n`);
    await vscode?.close();
    c?.release();
  });

  test('the CodeLens above the changed Deployment, and its diff editor', async () => {
    await step('open web.yaml', () => vscode.openFile('deploy/web.yaml'));
    const shown = await step('CodeLens: changed', () => waitLens(/^deploy \(admin\): changed · spec\.replicas$/));
    assert.deepEqual(shown, ['deploy (admin): changed · spec.replicas']);

    await step('click the CodeLens', async () => {
      await page.locator('.editor-group-container.active .codelens-decoration a', { hasText: 'deploy (admin): changed' }).first().click();
      await page.locator('.tab.active', { hasText: 'live ↔ after this change' }).waitFor({ timeout: 20_000 });
      await page.locator('.monaco-diff-editor').first().waitFor();
    });
    await step('the diff editor shows the change', async () => {
      const diff = page.locator('.monaco-diff-editor').first();
      const original = diff.locator('.editor.original .view-lines');
      const modified = diff.locator('.editor.modified .view-lines');
      await original.locator('.view-line', { hasText: 'replicas: 2' }).first().waitFor({ timeout: 15_000 });
      await modified.locator('.view-line', { hasText: 'replicas: 3' }).first().waitFor({ timeout: 15_000 });
      const title = await page.locator('.tab.active').first().innerText();
      assert.match(title, /Deployment e2e-lens\/web: live ↔ after this change/);
      assert.equal(await original.locator('.view-line', { hasText: 'kustomize.toolkit.fluxcd.io/name: deploy' }).count() > 0, true, 'the live side is the live object');
    });
  });

  test('the kustomization lens: the environment summary and the Flux status; the status bar', async () => {
    await step('open kustomization.yaml', () => vscode.openFile('deploy/kustomization.yaml'));
    const shown = await step('CodeLens: environment', () => waitLens(/^deploy \(admin\): 1 changed$/));
    assert.ok(shown.some((t) => /^Flux deploy: Ready \(ReconciliationSucceeded\) · applied main@[0-9a-f]{7} \(HEAD\)$/.test(t)), JSON.stringify(shown));
    await step('the lens tooltip says how the folder was linked', async () => {
      const a = page.locator('.editor-group-container.active .codelens-decoration a', { hasText: 'deploy (admin): 1 changed' }).first();
      const title = await a.getAttribute('title');
      assert.match(title ?? '', /Linked: Flux Kustomization e2e-lens\/deploy in context admin: spec.path \.\/deploy, GitRepository e2e-lens\/repo https:\/\/example.com\/e2e\/live-diff.git matches the workspace remote/, String(title));
    });
    await step('status bar', async () => {
      const item = page.locator('.statusbar-item', { hasText: 'deploy (admin): Ready' }).first();
      await item.waitFor({ timeout: 20_000 });
      assert.match(await item.innerText(), /deploy \(admin\): Ready \(ReconciliationSucceeded\) · applied main@[0-9a-f]{7} \(HEAD\)/);
    });
  });

  test('the Environments view shows the link and the sync status', async () => {
    await step('environments view', async () => {
      await page.locator('.activitybar .action-item a[aria-label^="GitOps Lens"]').first().click();
      const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Environments' }) }).first();
      const row = view.locator('.monaco-list-row', { hasText: 'admin: 1 changed' }).first();
      await row.waitFor({ timeout: 20_000 });
      assert.match((await row.innerText()).replace(/\s+/g, ' '), /deploy .*admin: 1 changed · Ready \(ReconciliationSucceeded\) · applied main@[0-9a-f]{7} \(HEAD\)/);
    });
  });

  test('audit log: the extension made only reads and dry-runs (no agent action)', async () => {
    const events = auditEventsSince(c.auditLog, auditStart)
      .filter((e) => String(e.userAgent ?? '').startsWith('gitops-lens/'));
    assert.ok(events.length > 5, `${events.length} requests from the extension`);
    const writes = events.filter((e) => !['get', 'list', 'watch'].includes(e.verb));
    for (const e of writes) assert.match(e.requestURI, /[?&]dryRun=All(&|$)/, `${e.verb} ${e.requestURI} is not a dry-run`);
    assert.ok(events.some((e) => e.verb === 'watch'), 'the status is watched');
    const ks = await c.request('GET', KS);
    assert.equal(ks.body.metadata.annotations?.['reconcile.fluxcd.io/requestedAt'], undefined);
  });
});
