// `gitops-lens render FILE` of Flux HelmReleases against `helm template` (the helm built by
// build-helm.mjs) given the same release name, namespace and merged values. The merged values are
// written here by hand for each case, from helm-controller's rules (valuesFrom in order, a
// targetPath set over the merge, spec.values last), never computed by the project's code.
// postRenderers are checked against `kubectl kustomize` over helm's output.

import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments, stringify } from 'yaml';
import { CLI, ensureCli } from '../support/dist';

const CHART = path.join(__dirname, 'fixtures', 'charts', 'web');
let helm = '';
let repo = '';

const docs = (text: string): unknown[] => parseAllDocuments(text).map((d) => d.toJS()).filter((d) => d !== null);
const key = (d: unknown) => { const o = d as { kind: string; metadata: { name: string; namespace?: string } }; return `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`; };
const sorted = (ds: unknown[]) => [...ds].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

function write(rel: string, text: string): string {
  const p = path.join(repo, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

function render(file: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [CLI, 'render', file, '--helm-command', helm], { encoding: 'utf8' });
}

/** `helm template` with the given release, namespace and values (written as they are given), and flags. */
function helmTemplate(release: string, namespace: string, values: unknown, flags: string[]): string {
  const v = path.join(repo, '..', `values-${release}.yaml`);
  fs.writeFileSync(v, stringify(values));
  return execFileSync(helm, ['template', release, path.join(repo, 'charts/web'), '--namespace', namespace, '--values', v, ...flags], { encoding: 'utf8' });
}

before(() => {
  ensureCli();
  const built = spawnSync(process.execPath, [path.join(__dirname, 'build-helm.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  assert.equal(built.status, 0, 'building helm failed');
  helm = built.stdout.trim();
  repo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-lens-hr-')), 'repo');
  fs.cpSync(CHART, path.join(repo, 'charts/web'), { recursive: true });
  execFileSync('git', ['init', '-q', repo]);
});
after(() => { if (repo) fs.rmSync(path.dirname(repo), { recursive: true, force: true }); });

describe('render: Flux HelmRelease with its chart at a path of the repository', () => {
  it('valuesFrom (ConfigMap in the same file, Secret elsewhere in the repository, a targetPath, an optional one missing) and values: the objects helm template gives', () => {
    write('infra/secrets/web-values.yaml', `apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-secret-values\n  namespace: apps\ndata:\n  values.yaml: ${Buffer.from('image:\n  tag: "1.27"\nconfig:\n  token: from-secret\n').toString('base64')}\n  replicas: Mw==\n`);
    const file = write('apps/web/release.yaml', `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-values
  namespace: apps
data:
  values.yaml: |
    replicaCount: 2
    config:
      greeting: hi
      color: green
    podLabels:
      tier: front
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: apps
spec:
  interval: 10m
  targetNamespace: web-prod
  chart:
    spec:
      chart: ./charts/web
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
  valuesFrom:
  - kind: ConfigMap
    name: web-values
  - kind: Secret
    name: web-secret-values
  - kind: Secret
    name: web-secret-values
    valuesKey: replicas
    targetPath: replicaCount
  - kind: ConfigMap
    name: not-there
    optional: true
  values:
    config:
      color: red
    env:
    - name: MODE
      value: prod
`);
    const got = render(file);
    assert.equal(got.stderr, '');
    assert.equal(got.status, 0);
    // helm-controller's merge, by hand: the ConfigMap, then the Secret's values.yaml, then
    // replicaCount=3 (typed as --set types it) set over the merge with spec.values, then spec.values.
    const merged = {
      replicaCount: 3,
      config: { greeting: 'hi', color: 'red', token: 'from-secret' },
      podLabels: { tier: 'front' },
      image: { tag: '1.27' },
      env: [{ name: 'MODE', value: 'prod' }],
    };
    const want = helmTemplate('web-prod-web', 'web-prod', merged, ['--include-crds', '--skip-tests']);
    assert.deepEqual(sorted(docs(got.stdout)), sorted(docs(want)));
  });

  it('releaseName, the CRD policy Skip, tests on, hooks off', () => {
    const file = write('apps/other/release.yaml', `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: other
  namespace: apps
spec:
  releaseName: custom
  install:
    crds: Skip
    disableHooks: true
  test:
    enable: true
  chart:
    spec:
      chart: charts/web
      sourceRef:
        kind: GitRepository
        name: flux-system
`);
    const got = render(file);
    assert.equal(got.status, 0, got.stderr);
    assert.deepEqual(sorted(docs(got.stdout)), sorted(docs(helmTemplate('custom', 'apps', {}, ['--no-hooks']))));
  });

  it('postRenderers: kustomize patches and images over helm output, as kubectl kustomize applies them', () => {
    const file = write('apps/patched/release.yaml', `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: patched
  namespace: apps
spec:
  chart:
    spec:
      chart: ./charts/web
      sourceRef:
        kind: GitRepository
        name: flux-system
  postRenderers:
  - kustomize:
      patches:
      - target:
          kind: Deployment
        patch: |
          - op: add
            path: /metadata/annotations
            value:
              patched-by: flux
      images:
      - name: nginx
        newTag: "1.29"
`);
    const got = render(file);
    assert.equal(got.status, 0, got.stderr);
    const dir = path.join(repo, '..', 'post');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'helm.yaml'), helmTemplate('patched', 'apps', {}, ['--include-crds', '--skip-tests']));
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources:\n- helm.yaml\npatches:\n- target:\n    kind: Deployment\n  patch: |\n    - op: add\n      path: /metadata/annotations\n      value:\n        patched-by: flux\nimages:\n- name: nginx\n  newTag: "1.29"\n');
    const want = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
    assert.deepEqual(sorted(docs(got.stdout)), sorted(docs(want)));
  });

  it('a release name past 53 characters is shortened as helm-controller does (40 characters, a dash, 12 of its SHA-256)', () => {
    // targetNamespace-name is 64 characters; `printf %s NAME | sha256sum` begins 378856cfd1a9.
    const file = write('apps/long/release.yaml', 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: a-release-name-long-enough-to-pass-the-helm-limit-of-53\n  namespace: apps\nspec:\n  targetNamespace: web-prod\n  chart:\n    spec:\n      chart: ./charts/web\n      sourceRef:\n        kind: GitRepository\n        name: flux-system\n');
    const got = render(file);
    assert.equal(got.status, 0, got.stderr);
    assert.deepEqual(sorted(docs(got.stdout)), sorted(docs(helmTemplate('web-prod-a-release-name-long-enough-to-p-378856cfd1a9', 'web-prod', {}, ['--include-crds', '--skip-tests']))));
  });

  it('a chart that is not in the repository, and a chartRef: a clear message, exit 1', () => {
    const missing = write('apps/missing/release.yaml', 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: gone\n  namespace: apps\nspec:\n  chart:\n    spec:\n      chart: ./charts/gone\n      sourceRef:\n        kind: GitRepository\n        name: flux-system\n');
    const ref = write('apps/ref/release.yaml', 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: oci\n  namespace: apps\nspec:\n  chartRef:\n    kind: OCIRepository\n    name: podinfo\n');
    const out = [render(missing), render(ref)].map((r) => `${r.status}: ${r.stderr.trim()}`);
    assert.deepEqual(out, [
      '1: gitops-lens: HelmRelease gone: no chart at charts/gone in this repository (GitRepository flux-system)',
      '1: gitops-lens: HelmRelease oci: spec.chartRef (OCIRepository podinfo) is not rendered yet; only a chart at a path of this repository (spec.chart.spec with a GitRepository source) is',
    ]);
  });
});

describe('render: Argo CD Application with a Helm source at a path of the repository', () => {
  /** helm template as Argo CD's repo-server runs it, with the arguments written here. */
  const argo = (args: string[]) => execFileSync(helm, ['template', path.join(repo, 'charts/web'), ...args], { encoding: 'utf8' });

  it('releaseName, destination namespace, valueFiles (relative, and $ref from another source), valuesObject, parameters, skipTests: the objects helm template gives', () => {
    write('charts/web/values-prod.yaml', 'replicaCount: 4\nconfig:\n  color: prod-blue\n');
    write('env/prod/web-values.yaml', 'podLabels:\n  env: prod\nconfig:\n  greeting: hello-prod\n');
    const file = write('argo/web.yaml', `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
  namespace: argocd
spec:
  project: default
  destination:
    server: https://kubernetes.default.svc
    namespace: web-prod
  sources:
  - repoURL: https://example.com/org/repo.git
    targetRevision: main
    ref: values
  - repoURL: https://example.com/org/repo.git
    targetRevision: main
    path: charts/web
    helm:
      releaseName: web-prod
      valueFiles:
      - values-prod.yaml
      - $values/env/prod/web-values.yaml
      - missing.yaml
      ignoreMissingValueFiles: true
      valuesObject:
        image:
          tag: "1.28"
      parameters:
      - name: service.port
        value: "8080"
      - name: config.note
        value: a,b
        forceString: true
      skipTests: true
`);
    const got = render(file);
    assert.equal(got.status, 0, got.stderr);
    const extra = path.join(repo, '..', 'argo-values.yaml');
    fs.writeFileSync(extra, 'image:\n  tag: "1.28"\n');
    const want = argo(['--name-template', 'web-prod', '--namespace', 'web-prod', '--set', 'service.port=8080', '--set-string', 'config.note=a\\,b',
      '--values', path.join(repo, 'charts/web/values-prod.yaml'), '--values', path.join(repo, 'env/prod/web-values.yaml'), '--values', extra, '--include-crds', '--skip-tests']);
    assert.deepEqual(sorted(docs(got.stdout)), sorted(docs(want)));
  });

  it('a single source with values text and skipCrds; the app name as release name', () => {
    const file = write('argo/simple.yaml', 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: simple\n  namespace: argocd\nspec:\n  destination:\n    namespace: apps\n  source:\n    repoURL: https://example.com/org/repo.git\n    path: charts/web\n    helm:\n      skipCrds: true\n      values: |\n        replicaCount: 5\n');
    const got = render(file);
    assert.equal(got.status, 0, got.stderr);
    const extra = path.join(repo, '..', 'simple-values.yaml');
    fs.writeFileSync(extra, 'replicaCount: 5\n');
    assert.deepEqual(sorted(docs(got.stdout)), sorted(docs(argo(['--name-template', 'simple', '--namespace', 'apps', '--values', extra]))));
  });

  it('a chart from a Helm repository without --enable-remote, a value file outside the repository: a clear message, exit 1', () => {
    const remote = write('argo/remote.yaml', 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: podinfo\nspec:\n  source:\n    repoURL: https://stefanprodan.github.io/podinfo\n    chart: podinfo\n    targetRevision: 6.5.0\n');
    const outside = write('argo/outside.yaml', 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: escape\nspec:\n  source:\n    repoURL: https://example.com/org/repo.git\n    path: charts/web\n    helm:\n      valueFiles:\n      - ../../../../etc/passwd\n');
    assert.deepEqual([render(remote), render(outside)].map((r) => `${r.status}: ${r.stderr.trim()}`), [
      '1: gitops-lens: Application podinfo: chart podinfo from https://stefanprodan.github.io/podinfo is not fetched: remote fetching is off (--enable-remote fetches it)',
      '1: gitops-lens: Application escape: valueFiles ../../../../etc/passwd: outside the repository',
    ]);
  });
});

describe('render --enable-remote: charts from a Helm repository served on 127.0.0.1', () => {
  let server: http.Server;
  let url = '';
  const requests: string[] = [];
  const cache = () => path.join(repo, '..', 'cache');
  const renderAsync = (file: string, ...flags: string[]) => new Promise<{ code: number; out: string; err: string }>((resolve) => {
    execFile(process.execPath, [CLI, 'render', file, '--helm-command', helm, ...flags], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cache(), HOME: path.join(repo, '..') } }, (e, out, err) => resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, out, err }));
  });

  before(async () => {
    // A chart repository: the chart packaged by helm, and its index.
    const site = path.join(repo, '..', 'site', 'charts');
    fs.mkdirSync(site, { recursive: true });
    execFileSync(helm, ['package', CHART, '--destination', site], { encoding: 'utf8' });
    server = http.createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      const file = path.join(site, '..', decodeURIComponent(new URL(req.url!, 'http://x').pathname));
      if (!file.startsWith(path.join(site, '..')) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404); res.end(); return; }
      res.writeHead(200);
      res.end(fs.readFileSync(file));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/charts`;
    execFileSync(helm, ['repo', 'index', site, '--url', url], { encoding: 'utf8' });
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('a HelmRelease from a HelmRepository and an Argo CD Helm-repository source: pulled once, the objects helm template gives; off, no request', async () => {
    const hr = write('remote/hr.yaml', `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: charts
  namespace: flux-system
spec:
  url: ${url}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: apps
spec:
  chart:
    spec:
      chart: web
      version: 0.1.x
      sourceRef:
        kind: HelmRepository
        name: charts
        namespace: flux-system
  values:
    replicaCount: 2
`);
    const app = write('remote/app.yaml', `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web-argo\nspec:\n  destination:\n    namespace: argo-apps\n  source:\n    repoURL: ${url}\n    chart: web\n    targetRevision: 0.1.0\n    helm:\n      valuesObject:\n        replicaCount: 3\n`);
    const off = await Promise.all([renderAsync(hr), renderAsync(app)]);
    assert.deepEqual(off.map((r) => `${r.code}: ${r.err.trim().replace(url, '<repo>')}`), [
      '1: gitops-lens: HelmRelease web: chart web from <repo> is not fetched: remote fetching is off (--enable-remote fetches it)',
      '1: gitops-lens: Application web-argo: chart web from <repo> is not fetched: remote fetching is off (--enable-remote fetches it)',
    ]);
    assert.deepEqual(requests, [], 'nothing fetched while fetching is off');
    const flux = await renderAsync(hr, '--enable-remote');
    assert.equal(flux.code, 0, flux.err);
    const values = path.join(repo, '..', 'remote-values.yaml');
    fs.writeFileSync(values, 'replicaCount: 2\n');
    const wantFlux = execFileSync(helm, ['template', 'web', CHART, '--namespace', 'apps', '--values', values, '--include-crds', '--skip-tests'], { encoding: 'utf8' });
    assert.deepEqual(sorted(docs(flux.out)), sorted(docs(wantFlux)));
    const argoOut = await renderAsync(app, '--enable-remote');
    assert.equal(argoOut.code, 0, argoOut.err);
    fs.writeFileSync(values, 'replicaCount: 3\n');
    const wantArgo = execFileSync(helm, ['template', CHART, '--name-template', 'web-argo', '--namespace', 'argo-apps', '--values', values, '--include-crds'], { encoding: 'utf8' });
    assert.deepEqual(sorted(docs(argoOut.out)), sorted(docs(wantArgo)));
    const asked = requests.length;
    const again = await renderAsync(hr, '--enable-remote');
    assert.equal(again.out, flux.out);
    assert.deepEqual(requests.slice(asked), [], 'a pulled chart is kept: the second render asks nothing');
  });
});
