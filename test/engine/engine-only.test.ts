// What the engine does where kustomize itself would do something else, so the fixture cases
// (fixtures.test.ts: every tree a folder, judged by what `kubectl kustomize` prints) cannot hold it:
// the errors that stand where kustomize would fetch over the network (a remote resource) or run helm
// (helmCharts without a runner), the helm runner the engine is given instead of spawning helm itself,
// and a root folder that does not exist.
//
// Run: node --import tsx --test test/engine/engine-only.test.ts

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { dedent, harness } from './harness';
import type { HelmRequest } from '../../server/src/engine/index';

const CM = dedent(`
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: settings
  data:
    mode: base
`);

describe('engine-only errors (kustomize would fetch or run helm here)', () => {
  test('a remote resource is a clear error at its entry', () => {
    const t = harness();
    t.writeK('app', 'resources:\n- cm.yaml\n- https://github.com/example/repo//deploy?ref=v1\n');
    t.writeF('app/cm.yaml', CM);
    t.expectError('app', /remote resource 'https:\/\/github\.com\/example\/repo\/\/deploy\?ref=v1' is not fetched/, { file: 'app/kustomization.yaml', line: 3 });
  });

  test('a remote resource in git form is a clear error too', () => {
    const t = harness();
    t.writeK('app', 'resources:\n- github.com/example/repo/deploy?ref=v1\n');
    t.expectError('app', /remote resource 'github\.com\/example\/repo\/deploy\?ref=v1' is not fetched/, { file: 'app/kustomization.yaml', line: 2 });
  });

  test('helmCharts with --enable-helm but no helm runner names helm', () => {
    const t = harness();
    t.writeK('app', 'helmCharts:\n- name: podinfo\n  repo: https://stefanprodan.github.io/podinfo\n  version: 6.5.0\n');
    t.expectError('app', /helm/, { file: 'app/kustomization.yaml', line: 2 }, { enableHelm: true });
  });

  test('helmCharts with a helm runner: the chart, no namespace default, and the rendered objects', () => {
    const t = harness();
    t.writeK('app', 'namespace: apps\nhelmCharts:\n- name: podinfo\n  releaseName: pi\n  valuesInline:\n    replicaCount: 2\n');
    const calls: HelmRequest[] = [];
    const helm = (req: HelmRequest): string => {
      calls.push(req);
      return 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pi-podinfo\ndata:\n  replicas: "2"\n';
    };
    t.expectBuild('app', `
      apiVersion: v1
      data:
        replicas: "2"
      kind: ConfigMap
      metadata:
        name: pi-podinfo
        namespace: apps
    `, { enableHelm: true, helm });
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.chart.name, 'podinfo');
    assert.equal(calls[0]!.chart.namespace, undefined, "kustomize passes helm the chart's namespace only, not the kustomization's");
    assert.equal(calls[0]!.kustomizationDir, t.abs('app'));
  });

  test('building a folder that does not exist', () => {
    const t = harness();
    t.expectError('nowhere', /must build at directory: not a valid directory/);
  });

});
