// The example GitOps repository (examples/gitops-repo) builds with the engine, through the disk
// host the CLI uses, to what `kubectl kustomize` (kustomize v5.5.0) printed for it. The expected
// ids and values below were read once from kubectl's output; when kubectl is on PATH the suite
// also compares every folder with it live (as documents: same objects, same order).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';

import { Engine, renderYaml, type BuildResult } from '../../server/src/engine/index';
import { DiskHost } from '../../server/src/workspace/disk-host';

const REPO = path.resolve(__dirname, '../../examples/gitops-repo');
const engine = new Engine(new DiskHost());

type Obj = Record<string, any>;
interface Built { result: BuildResult; yaml: string; docs: Obj[] }

const cache = new Map<string, Built>();
function buildDir(rel: string): Built {
  let b = cache.get(rel);
  if (!b) {
    const result = engine.build(path.join(REPO, rel));
    const yaml = renderYaml(result.resources);
    b = { result, yaml, docs: parseAllDocuments(yaml).map((d) => d.toJS() as Obj) };
    cache.set(rel, b);
  }
  return b;
}

const id = (o: Obj) => `${o.kind} ${o.metadata.namespace ? o.metadata.namespace + '/' : ''}${o.metadata.name}`;
function find(docs: Obj[], kind: string, name: string): Obj {
  const o = docs.find((d) => d.kind === kind && d.metadata.name === name);
  assert.ok(o, `no ${kind} ${name}`);
  return o;
}
const container = (deploy: Obj) => deploy.spec.template.spec.containers[0];

/** Every folder holding a kustomization (components build only as part of something else). */
function kustomizationDirs(): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const abs = path.join(REPO, rel);
    const k = path.join(abs, 'kustomization.yaml');
    if (fs.existsSync(k) && !/^kind:\s*Component\s*$/m.test(fs.readFileSync(k, 'utf8'))) out.push(rel);
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) if (e.isDirectory()) walk(path.join(rel, e.name));
  };
  walk('.');
  return out.sort();
}

// Resource ids per cluster, in kustomize's output order (legacy sort).
const EXPECTED_IDS: Record<string, string[]> = {
  dev: [
    'Namespace api', 'Namespace ingress-nginx', 'Namespace web',
    'ConfigMap api/api-config-ttkhdcb5hd', 'ConfigMap ingress-nginx/ingress-nginx-controller',
    'ConfigMap kube-system/cluster-info', 'ConfigMap web/web-config-846b95c5db',
    'Secret api/api-credentials-74295km6h9', 'Service api/api', 'Service web/web',
    'Deployment api/api', 'Deployment web/web', 'IngressClass nginx',
  ],
  staging: [
    'Namespace api', 'Namespace ingress-nginx', 'Namespace web',
    'ConfigMap api/api-config-g564ckmm5f', 'ConfigMap ingress-nginx/ingress-nginx-controller',
    'ConfigMap kube-system/cluster-info', 'ConfigMap web/web-config-28h8k8tg4f',
    'Secret api/api-credentials-74295km6h9', 'Service api/api', 'Service web/web',
    'Deployment api/api', 'Deployment web/web', 'IngressClass nginx',
  ],
  prod: [
    'Namespace api', 'Namespace ingress-nginx', 'Namespace web',
    'ConfigMap api/api-config-g564ckmm5f', 'ConfigMap ingress-nginx/ingress-nginx-controller',
    'ConfigMap web/web-config-28h8k8tg4f', 'Secret api/api-credentials-74295km6h9',
    'Service api/api', 'Service web/web', 'Deployment api/api', 'Deployment web/web',
    'PodDisruptionBudget api/api', 'HorizontalPodAutoscaler web/web', 'IngressClass nginx',
  ],
};

// Per environment: replicas and pinned images of both apps.
const EXPECTED_APPS: Record<string, { web: [number, string]; api: [number, string] }> = {
  dev: { web: [1, 'ghcr.io/example/web:1.5.0-rc.2'], api: [1, 'ghcr.io/example/api:2.3.0-rc.1'] },
  staging: { web: [2, 'ghcr.io/example/web:1.4.2'], api: [2, 'ghcr.io/example/api:2.2.7'] },
  prod: {
    web: [4, 'registry.example.com/shop/web:1.4.1'],
    api: [3, 'ghcr.io/example/api:2.2.7@sha256:4b7d0c2e8f1a9d3b6c5e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4'],
  },
};

describe('examples/gitops-repo clusters', () => {
  for (const env of ['dev', 'staging', 'prod']) {
    test(`clusters/${env}: documents, counts, replicas and pinned images`, () => {
      const { docs } = buildDir(`clusters/${env}`);
      assert.deepEqual(docs.map(id), EXPECTED_IDS[env]);
      for (const app of ['web', 'api'] as const) {
        const d = find(docs, 'Deployment', app);
        const [replicas, image] = EXPECTED_APPS[env]![app];
        assert.equal(d.spec.replicas, replicas, `${env} ${app} replicas`);
        assert.equal(container(d).image, image, `${env} ${app} image`);
        // base labels (includeSelectors) reach the selector and the pod template
        assert.equal(d.spec.selector.matchLabels['app.kubernetes.io/name'], app);
        assert.equal(d.spec.template.metadata.labels['app.kubernetes.io/name'], app);
      }
      for (const d of docs) assert.equal(d.metadata.annotations?.['example.com/cluster'], env, `${id(d)} cluster annotation`);
    });
  }

  test('generated names are hashed and references follow them', () => {
    const { docs } = buildDir('clusters/prod');
    const api = find(docs, 'Deployment', 'api');
    assert.deepEqual(container(api).envFrom, [
      { configMapRef: { name: 'api-config-g564ckmm5f' } },
      { secretRef: { name: 'api-credentials-74295km6h9' } },
    ]);
    const web = find(docs, 'Deployment', 'web');
    assert.equal(web.spec.template.spec.volumes[0].configMap.name, 'web-config-28h8k8tg4f');
    // secretGenerator from an env file: base64 values, comments skipped
    const secret = find(docs, 'Secret', 'api-credentials-74295km6h9');
    assert.equal(secret.type, 'Opaque');
    assert.deepEqual(Object.keys(secret.data).sort(), ['DB_PASSWORD', 'DB_USER']);
    assert.equal(Buffer.from(secret.data.DB_USER, 'base64').toString(), 'shop');
    // configMapGenerator with disableNameSuffixHash keeps its name
    assert.equal(find(docs, 'ConfigMap', 'ingress-nginx-controller').data['proxy-body-size'], '8m');
  });

  test('dev merges generator literals into the base ConfigMaps', () => {
    const { docs } = buildDir('clusters/dev');
    assert.equal(find(docs, 'ConfigMap', 'api-config-ttkhdcb5hd').data.CACHE_TTL_SECONDS, '0');
    assert.equal(find(docs, 'ConfigMap', 'web-config-846b95c5db').data.LOG_LEVEL, 'debug');
    // Flux substitutes ${...} after the build; kustomize leaves it alone
    assert.equal(find(docs, 'ConfigMap', 'cluster-info').data.region, '${REGION:=eu-west-1}');
  });

  test('prod patches: strategic merge and JSON 6902, file and inline', () => {
    const { docs } = buildDir('clusters/prod');
    const web = find(docs, 'Deployment', 'web');
    assert.deepEqual(web.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    assert.equal(container(web).ports[0].containerPort, 8081);
    assert.deepEqual(container(web).resources, { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } });
    assert.equal(web.spec.template.spec.topologySpreadConstraints[0].topologyKey, 'topology.kubernetes.io/zone');
    const api = find(docs, 'Deployment', 'api');
    assert.equal(api.spec.template.spec.terminationGracePeriodSeconds, 60);
    assert.deepEqual(container(api).env, [{ name: 'DB_POOL_SIZE', value: '40' }]);
  });

  test('the monitoring component reaches staging and prod, not dev', () => {
    for (const [env, scraped] of [['dev', false], ['staging', true], ['prod', true]] as const) {
      for (const app of ['web', 'api']) {
        const ann = find(buildDir(`clusters/${env}`).docs, 'Deployment', app).spec.template.metadata.annotations;
        assert.equal(ann['prometheus.io/scrape'], scraped ? 'true' : undefined, `${env} ${app}`);
      }
    }
  });

  test('the old staging overlay uses the deprecated commonLabels (and says so)', () => {
    const { result, docs } = buildDir('clusters/staging');
    assert.ok(result.warnings.some((w) => /commonLabels' is deprecated/.test(w.message)), JSON.stringify(result.warnings));
    const api = find(docs, 'Deployment', 'api');
    assert.equal(api.metadata.labels.tier, 'backend');
    assert.equal(api.spec.selector.matchLabels.tier, 'backend');
    assert.equal(find(docs, 'Deployment', 'web').metadata.labels.tier, undefined);
    assert.equal(buildDir('clusters/prod').result.warnings.length, 0);
  });
});

describe('examples/gitops-repo GitOps objects', () => {
  const load = (rel: string) => parseAllDocuments(fs.readFileSync(path.join(REPO, rel), 'utf8')).map((d) => d.toJS() as Obj);
  test('Flux Kustomizations point at cluster folders that exist', () => {
    for (const env of ['dev', 'staging']) {
      const [repo, ks] = load(`bootstrap/flux/${env}.yaml`);
      assert.equal(repo!.kind, 'GitRepository');
      assert.equal(ks!.apiVersion, 'kustomize.toolkit.fluxcd.io/v1');
      assert.equal(ks!.spec.sourceRef.name, repo!.metadata.name);
      assert.equal(ks!.spec.path, `./clusters/${env}`);
      assert.ok(fs.existsSync(path.join(REPO, ks!.spec.path, 'kustomization.yaml')));
    }
  });
  test('the Argo CD Application points at clusters/prod', () => {
    const [app] = load('bootstrap/argocd/prod.yaml');
    assert.equal(app!.apiVersion, 'argoproj.io/v1alpha1');
    assert.equal(app!.kind, 'Application');
    assert.equal(app!.spec.source.path, 'clusters/prod');
    assert.ok(fs.existsSync(path.join(REPO, app!.spec.source.path, 'kustomization.yaml')));
  });
});

describe('examples/gitops-repo against kubectl kustomize', () => {
  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  const skip = kubectl.status === 0 || process.env.CI ? false : 'kubectl is not on PATH';
  const dirs = kustomizationDirs();
  test('every folder is covered', () => {
    assert.equal(dirs.length, 13, dirs.join(' '));
  });
  for (const rel of dirs) {
    test(`${rel} builds to kubectl's documents`, { skip }, () => {
      const k = spawnSync('kubectl', ['kustomize', path.join(REPO, rel)], { encoding: 'utf8' });
      assert.equal(k.status, 0, k.stderr);
      const expected = parseAllDocuments(k.stdout).map((d) => d.toJS());
      assert.deepStrictEqual(buildDir(rel).docs, expected);
    });
  }
});
