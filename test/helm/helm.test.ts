// helmCharts rendered with a real helm v3, compared with kubectl kustomize (kustomize v5.5.0) on the
// same trees: `node dist/cli.js build DIR --enable-helm --helm-command HELM` against
// `kubectl kustomize DIR --enable-helm --helm-command HELM`, document by document.
//
// helm comes from test/helm/build-helm.mjs (built once from the Go module proxy, then cached in
// ~/.cache/gitops-lens/helm/); dist/cli.js is rebuilt first when stale. Nothing here skips: when
// helm or kubectl cannot be had, the suite fails.
//
// Each case is a folder under fixtures/cases/, copied to a temp folder with the chart
// fixtures/charts/web placed in the chartHome that the case names (helm pull writes there too).
//
// Run: node --import tsx --test test/helm/helm.test.ts

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

import { CLI, ensureCli } from '../support/dist';
const FIXTURES = path.join(__dirname, 'fixtures');
const CHART = path.join(FIXTURES, 'charts', 'web');

/** Where each case's chart goes (its chartHome, from the kustomization dir that names it). */
const CASES: Record<string, { build: string; chartHomes: string[]; args?: string[] }> = {
  basic: { build: 'basic', chartHomes: ['basic/charts'] },
  globals: { build: 'globals', chartHomes: ['globals/vendor/charts'] },
  merge: { build: 'merge', chartHomes: ['merge/charts'] },
  overlay: { build: 'overlay/prod', chartHomes: ['overlay/base/charts'] },
  plugin: { build: 'plugin', chartHomes: ['plugin/helm'] },
  nsdefault: { build: 'nsdefault', chartHomes: ['nsdefault/charts'] },
  capabilities: { build: 'capabilities', chartHomes: ['capabilities/charts'] },
  pulled: { build: 'pulled', chartHomes: ['pulled/charts/web-0.1.0'] },
  restricted: { build: 'restricted/app', chartHomes: ['restricted/app/charts'] },
};

let tmp = '';
let helm = '';
let kubectl = '';
const nodeOnlyPath = path.dirname(process.execPath);

interface Out { status: number | null; stdout: string; stderr: string }

/** Copies fixtures/cases/NAME to the temp folder, with the chart in each chartHome; returns the folder to build. */
function lay(name: string, build: string, chartHomes: string[]): string {
  const dest = path.join(tmp, name);
  fs.rmSync(dest, { recursive: true, force: true });
  fs.cpSync(path.join(FIXTURES, 'cases', name), dest, { recursive: true });
  for (const home of chartHomes) fs.cpSync(CHART, path.join(tmp, home.replace(/^[^/]+/, name), 'web'), { recursive: true });
  return path.join(tmp, build.replace(/^[^/]+/, name));
}

function ours(args: string[], env: Record<string, string> = {}): Out {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: tmp, env: { PATH: nodeOnlyPath, HOME: tmp, ...env }, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function theirs(args: string[], env: Record<string, string> = {}): Out {
  const r = spawnSync(kubectl, ['kustomize', ...args], { encoding: 'utf8', cwd: tmp, env: { PATH: nodeOnlyPath, HOME: tmp, ...env }, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function docs(text: string): unknown[] {
  return parseAllDocuments(text).map((d) => {
    assert.equal(d.errors.length, 0, `output does not parse: ${d.errors.map((e) => e.message).join('; ')}`);
    return d.toJS();
  }).filter((d) => d !== null);
}

/** Builds DIR with both and asserts the same documents in the same order; returns them. */
function same(dir: string, extra: string[] = []): unknown[] {
  const args = ['--enable-helm', '--helm-command', helm, ...extra];
  const want = theirs([dir, ...args]);
  assert.equal(want.status, 0, `kubectl kustomize failed:\n${want.stderr}`);
  const got = ours(['build', dir, ...args]);
  assert.equal(got.status, 0, `gitops-lens build failed:\n${got.stderr}`);
  const w = docs(want.stdout);
  const g = docs(got.stdout);
  assert.ok(w.length > 0, 'kustomize rendered nothing');
  const kinds = (ds: unknown[]) => ds.map((d) => `${(d as { kind: string }).kind}/${(d as { metadata: { name: string } }).metadata.name}`);
  assert.deepEqual(kinds(g), kinds(w), 'the same resources in the same order');
  for (let i = 0; i < w.length; i++) assert.deepEqual(g[i], w[i], `document ${i} (${kinds(w)[i]})`);
  return g;
}

type Doc = { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: Record<string, unknown>; data?: Record<string, string> };
const find = (ds: unknown[], kind: string, name: string): Doc => {
  const d = (ds as Doc[]).find((x) => x.kind === kind && x.metadata.name === name);
  assert.ok(d, `${kind}/${name} rendered`);
  return d;
};

before(() => {
  ensureCli();
  const built = spawnSync(process.execPath, [path.join(__dirname, 'build-helm.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  assert.equal(built.status, 0, 'building helm with test/helm/build-helm.mjs failed (see above)');
  helm = built.stdout.trim();
  assert.ok(fs.existsSync(helm), `helm at ${helm}`);
  kubectl = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim()
    || ['/usr/local/bin/kubectl', '/usr/bin/kubectl'].find((p) => fs.existsSync(p)) || '';
  assert.ok(kubectl, 'kubectl (with kustomize v5.5.0) on PATH: the tests compare with it');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-lens-helm-'));
});

after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

describe('helmCharts, as kubectl kustomize --enable-helm renders them', () => {
  test('helm version tells the pinned version', () => {
    const v = execFileSync(helm, ['version', '--template', '{{.Version}}'], { encoding: 'utf8' }).trim();
    const pinned = /helm\.sh\/helm\/v3 (v3\.\d+\.\d+)/.exec(fs.readFileSync(path.join(__dirname, 'go', 'go.mod'), 'utf8'))?.[1];
    assert.equal(v, pinned);
    assert.ok(helm.endsWith(path.join(pinned!, 'helm')));
  });

  test('a cached helm is found again at once', () => {
    const t0 = Date.now();
    const again = execFileSync(process.execPath, [path.join(__dirname, 'build-helm.mjs')], { encoding: 'utf8' }).trim();
    assert.equal(again, helm);
    assert.ok(Date.now() - t0 < 2000, `cached run took ${Date.now() - t0} ms`);
  });

  test('name, releaseName, namespace and valuesInline with namePrefix, labels and a patch', () => {
    const c = CASES.basic!;
    const g = same(lay('basic', c.build, c.chartHomes));
    const d = find(g, 'Deployment', 'lens-demo-web');
    assert.equal(d.spec?.replicas, 3);
    assert.equal(d.metadata.labels?.team, 'platform');
    assert.equal(find(g, 'ConfigMap', 'lens-demo-web').data?.releaseNamespace, 'apps');
    assert.ok(!g.some((x) => (x as Doc).kind === 'CustomResourceDefinition'), 'no CRDs without includeCRDs');
  });

  test('chartHome from helmGlobals, valuesFile, additionalValuesFiles, valuesInline and includeCRDs', () => {
    const c = CASES.globals!;
    const g = same(lay('globals', c.build, c.chartHomes));
    find(g, 'CustomResourceDefinition', 'widgets.example.com');
    const cm = find(g, 'ConfigMap', 'shop-web');
    assert.equal(cm.data?.color, 'green');
    assert.equal(cm.data?.greeting, 'hi');
    assert.equal((find(g, 'Service', 'shop-web').spec as { type: string }).type, 'NodePort');
  });

  test('valuesMerge override, merge and replace', () => {
    const c = CASES.merge!;
    const g = same(lay('merge', c.build, c.chartHomes));
    assert.equal(find(g, 'ConfigMap', 'override-web').data?.color, 'inline');
    assert.equal(find(g, 'ConfigMap', 'merged-web').data?.color, 'from-file');
    assert.equal(find(g, 'ConfigMap', 'merged-web').data?.extra, 'only-inline');
    assert.equal(find(g, 'ConfigMap', 'replaced-web').data?.greeting, 'hello', 'replace ignores the valuesFile');
  });

  test('a chart inflated in a base, renamed, relabelled, moved and patched by an overlay', () => {
    const c = CASES.overlay!;
    const g = same(lay('overlay', c.build, c.chartHomes));
    const d = find(g, 'Deployment', 'prod-api-web');
    assert.equal(d.spec?.replicas, 6);
    assert.equal(d.metadata.namespace, 'prod');
  });

  test('a HelmChartInflationGenerator under generators:, chartHome in its own config', () => {
    const c = CASES.plugin!;
    const g = same(lay('plugin', c.build, c.chartHomes));
    assert.equal(find(g, 'Deployment', 'plug-web').spec?.replicas, 7);
  });

  test("the kustomization's namespace and .Release.Namespace", () => {
    const c = CASES.nsdefault!;
    const g = same(lay('nsdefault', c.build, c.chartHomes));
    const cm = find(g, 'ConfigMap', 'ns-web');
    assert.equal(cm.metadata.namespace, 'team-a');
    assert.equal(cm.data?.releaseNamespace, 'default', "helm is not given the kustomization's namespace");
  });

  test('kubeVersion, apiVersions, skipTests and skipHooks', () => {
    const c = CASES.capabilities!;
    const g = same(lay('capabilities', c.build, c.chartHomes));
    const caps = find(g, 'ConfigMap', 'caps-web');
    assert.equal(caps.data?.kubeVersion, 'v1.29.3');
    assert.equal(caps.data?.monitoring, 'enabled');
    assert.ok(!g.some((x) => (x as Doc).metadata.name === 'caps-web-test' || (x as Doc).metadata.name === 'caps-web-migrate'));
    find(g, 'Pod', 'hooks-web-test');
    find(g, 'Job', 'hooks-web-migrate');
  });

  test('a remote chart with a version, pulled before into chartHome/<name>-<version>: not fetched again', () => {
    const c = CASES.pulled!;
    const g = same(lay('pulled', c.build, c.chartHomes));
    find(g, 'Deployment', 'pulled-web');
  });

  test('a valuesFile outside the root with --load-restrictor LoadRestrictionsNone', () => {
    const c = CASES.restricted!;
    const g = same(lay('restricted', c.build, c.chartHomes), ['--load-restrictor', 'LoadRestrictionsNone']);
    assert.equal(find(g, 'Deployment', 'outside-web').spec?.replicas, 9);
  });

  test('--helm-kube-version and --helm-api-versions fill in for charts that set none', () => {
    const c = CASES.capabilities!;
    const g = same(lay('capabilities', c.build, c.chartHomes), ['--helm-kube-version', '1.30.0', '--helm-api-versions', 'monitoring.coreos.com/v1,example.com/v1']);
    assert.equal(find(g, 'ConfigMap', 'caps-web').data?.kubeVersion, 'v1.29.3', "the chart's own kubeVersion stays");
    const hooks = find(g, 'ConfigMap', 'hooks-web');
    assert.equal(hooks.data?.kubeVersion, 'v1.30.0');
    assert.equal(hooks.data?.monitoring, 'enabled');
  });

  test('--kubernetes-version renders charts for that cluster: as kubectl with --helm-kube-version', () => {
    const c = CASES.capabilities!;
    const dir = lay('capabilities', c.build, c.chartHomes);
    const args = ['--enable-helm', '--helm-command', helm];
    const want = theirs([dir, ...args, '--helm-kube-version', '1.31']);
    assert.equal(want.status, 0, want.stderr);
    const got = ours(['build', dir, ...args, '--kubernetes-version', 'v1.31']);
    assert.equal(got.status, 0, got.stderr);
    assert.equal(got.stdout, want.stdout);
    assert.equal(find(docs(got.stdout), 'ConfigMap', 'hooks-web').data?.kubeVersion, 'v1.31');
    const bad = ours(['build', dir, ...args, '--kubernetes-version', 'latest']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--kubernetes-version: 'latest' is not a Kubernetes version/);
  });

  test('no releaseName: kustomize asks helm for --generate-name, which helm template answers with release-name', () => {
    const g = same(lay('generate-name', 'generate-name', ['generate-name/charts']));
    find(g, 'Deployment', 'release-name-web');
  });
});

describe('helmCharts errors', () => {
  test('without --enable-helm: kustomize\'s words, at the entry', () => {
    const c = CASES.basic!;
    const dir = lay('basic', c.build, c.chartHomes);
    const want = theirs([dir]);
    assert.notEqual(want.status, 0);
    assert.match(want.stderr, /must specify --enable-helm/);
    const got = ours(['build', dir]);
    assert.equal(got.status, 1);
    assert.match(got.stderr, /^Error: .*kustomization\.yaml:\d+:\d+: must specify --enable-helm\n$/);
  });

  test('--enable-helm with no helm configured or on PATH: names helm and how to give it', () => {
    const c = CASES.basic!;
    const dir = lay('basic', c.build, c.chartHomes);
    const want = theirs([dir, '--enable-helm']);
    assert.notEqual(want.status, 0, 'kustomize fails too');
    assert.match(want.stderr, /helm/);
    const got = ours(['build', dir, '--enable-helm']);
    assert.equal(got.status, 1);
    assert.match(got.stderr, /^Error: .*kustomization\.yaml:\d+:\d+: helmCharts need a helm v3 binary.*no 'helm' on PATH.*--helm-command PATH/);
  });

  test('--helm-command naming no file: names it and how to give another', () => {
    const c = CASES.basic!;
    const dir = lay('basic', c.build, c.chartHomes);
    const missing = path.join(tmp, 'no-such-helm');
    const got = ours(['build', dir, '--enable-helm', '--helm-command', missing]);
    assert.equal(got.status, 1);
    assert.match(got.stderr, /^Error: .*kustomization\.yaml:\d+:\d+: helm binary '.*no-such-helm' was not found: .*--helm-command/);
  });

  test('a remote chart that cannot be fetched: helm pull fails, and says why', () => {
    const dir = lay('remote', 'remote', []);
    const args = ['--enable-helm', '--helm-command', helm];
    const want = theirs([dir, ...args]);
    assert.notEqual(want.status, 0, 'kustomize fails too');
    assert.match(want.stderr, /helm.* pull/);
    const got = ours(['build', dir, ...args]);
    assert.equal(got.status, 1);
    assert.match(got.stderr, /^Error: .*kustomization\.yaml:\d+:\d+: unable to run: '.*helm pull --untar --untardir \S+podinfo-6\.5\.0 --repo http:\/\/127\.0\.0\.1:9\/charts podinfo --version 6\.5\.0': .*(refused|127\.0\.0\.1:9)/s);
  });

  test('a valuesFile outside the root is refused by the load restrictor, as kustomize does', () => {
    const c = CASES.restricted!;
    const dir = lay('restricted', c.build, c.chartHomes);
    const args = ['--enable-helm', '--helm-command', helm];
    const want = theirs([dir, ...args]);
    assert.notEqual(want.status, 0);
    assert.match(want.stderr, /security; file '.*outside-values\.yaml' is not in or below '.*app'/);
    const got = ours(['build', dir, ...args]);
    assert.equal(got.status, 1);
    assert.match(got.stderr, /^Error: .*kustomization\.yaml:\d+:\d+: security; file '.*outside-values\.yaml' is not in or below '.*app'/);
  });

  test('a local chart that is not there and no repo', () => {
    const dir = lay('nsdefault', 'nsdefault', []);
    const args = ['--enable-helm', '--helm-command', helm];
    const want = theirs([dir, ...args]);
    assert.notEqual(want.status, 0);
    assert.match(want.stderr, /no repo specified for pull, no chart found at/);
    const got = ours(['build', dir, ...args]);
    assert.equal(got.status, 1);
    assert.match(got.stderr, /no repo specified for pull, no chart found at '.*charts[/\\]web'/);
  });
});
