// The bundled schema tables (server/src/schema/generated, from scripts/gen-schema-tables.mjs): the
// kinds they must cover, the versions they say they come from, and the API server's judgement on
// what used to be false alarms (base64 wrapped by kustomize, null values). test/cluster/schema.test.ts
// compares the checks with a real API server.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../server/src/engine/resource';
import { VERSIONS } from '../../server/src/schema/generated/versions';
import { BUILTIN_SOURCE, crdsOf, SchemaRegistry } from '../../server/src/schema/index';
import { child, resolve, type Shape } from '../../server/src/schema/shape';
import { check, expect } from './check';

const reg = new SchemaRegistry();
const problems = (obj: object) => {
  const o = obj as JsonObject;
  const info = reg.lookup(String(o.apiVersion), String(o.kind));
  assert.ok(info, `${o.apiVersion} ${o.kind} is checked`);
  return info.check(o).map((p) => `${p.kind} ${p.path.join('.')}: ${p.message}`);
};

describe('bundled schemas', () => {
  it('cover the current built-in, Flux and Argo CD kinds, each with its source', () => {
    const kinds: [string, string][] = [
      ['apps/v1', 'Deployment'], ['v1', 'Secret'],
      ['helm.toolkit.fluxcd.io/v2', 'HelmRelease'], ['source.toolkit.fluxcd.io/v1', 'OCIRepository'], ['source.toolkit.fluxcd.io/v1', 'HelmRepository'],
      ['kustomize.toolkit.fluxcd.io/v1', 'Kustomization'], ['notification.toolkit.fluxcd.io/v1', 'Receiver'],
      ['image.toolkit.fluxcd.io/v1', 'ImagePolicy'], ['image.toolkit.fluxcd.io/v1', 'ImageUpdateAutomation'],
      ['argoproj.io/v1alpha1', 'Application'], ['argoproj.io/v1alpha1', 'ApplicationSet'], ['argoproj.io/v1alpha1', 'AppProject'],
    ];
    // The versions the tables come from (versions.ts) are written as names, so a regeneration changes one line, not this table.
    const named = (t: string) => t.split(VERSIONS.kubernetes).join('{kubernetes}').split(VERSIONS.flux).join('{flux}').split(VERSIONS.argoCd).join('{argoCd}').replace(/-controller v[\d.]+/g, '-controller {version}');
    const out = kinds.map(([apiVersion, kind]) => `${apiVersion} ${kind}: ${named(reg.lookup(apiVersion, kind)?.source ?? '(not checked)')}`);
    out.push(`builtin source is BUILTIN_SOURCE: ${reg.lookup('apps/v1', 'Deployment')!.source === BUILTIN_SOURCE}`);
    check(out.join('\n'), expect`
      apps/v1 Deployment: Kubernetes {kubernetes} (API server OpenAPI)
      v1 Secret: Kubernetes {kubernetes} (API server OpenAPI)
      helm.toolkit.fluxcd.io/v2 HelmRelease: Flux {flux} CRD (helm-controller {version})
      source.toolkit.fluxcd.io/v1 OCIRepository: Flux {flux} CRD (source-controller {version})
      source.toolkit.fluxcd.io/v1 HelmRepository: Flux {flux} CRD (source-controller {version})
      kustomize.toolkit.fluxcd.io/v1 Kustomization: Flux {flux} CRD (kustomize-controller {version})
      notification.toolkit.fluxcd.io/v1 Receiver: Flux {flux} CRD (notification-controller {version})
      image.toolkit.fluxcd.io/v1 ImagePolicy: Flux {flux} CRD (image-reflector-controller {version})
      image.toolkit.fluxcd.io/v1 ImageUpdateAutomation: Flux {flux} CRD (image-automation-controller {version})
      argoproj.io/v1alpha1 Application: Argo CD {argoCd} CRD
      argoproj.io/v1alpha1 ApplicationSet: Argo CD {argoCd} CRD
      argoproj.io/v1alpha1 AppProject: Argo CD {argoCd} CRD
      builtin source is BUILTIN_SOURCE: true
    `);
    assert.match(VERSIONS.kubernetes, /^v1\.\d+\.\d+$/);
    assert.match(VERSIONS.flux, /^v2\./);
    assert.match(VERSIONS.argoCd, /^v3\./);
  });

  it('know the fields of the current versions (Kustomization spec.healthCheckExprs, HelmRelease chartRef, ApplicationSet template)', () => {
    const at = (apiVersion: string, kind: string, path: string) => {
      const info = reg.lookup(apiVersion, kind)!;
      let s = resolve(info.shape, info.defs);
      for (const seg of path.split('.')) s = child(s, /^\d+$/.test(seg) ? Number(seg) : seg, info.defs);
      return s;
    };
    const exprs = at('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'spec.healthCheckExprs.0');
    assert.ok(exprs?.p?.current && exprs.p.apiVersion, 'healthCheckExprs items');
    assert.ok(at('helm.toolkit.fluxcd.io/v2', 'HelmRelease', 'spec.chartRef.kind')?.e?.includes('OCIRepository'));
    assert.ok(at('argoproj.io/v1alpha1', 'ApplicationSet', 'spec.template.spec.source.repoURL'));
    assert.ok(at('apps/v1', 'Deployment', 'spec.template.spec.containers.0.imagePullPolicy')?.e?.includes('IfNotPresent'));
    // A custom resource's metadata is ObjectMeta, as for a built-in kind.
    assert.ok(at('argoproj.io/v1alpha1', 'Application', 'metadata.annotations'));
  });

  it('no problem for base64 wrapped at 70 columns (kustomize) nor for null values; real problems still reported', () => {
    const wrapped = `${Buffer.from('y'.repeat(200)).toString('base64').replace(/(.{70})/g, '$1\n')}\n`;
    assert.ok(wrapped.split('\n').length > 3);
    assert.deepEqual(problems({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', labels: null, annotations: { a: null } }, type: null, data: { key: wrapped, other: null }, stringData: null }), []);
    assert.deepEqual(problems({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: null, selector: { matchLabels: { a: 'b' } }, template: { spec: { containers: [{ name: 'c', image: 'i', env: [{ name: 'A', value: null }] }] } } } }), []);
    assert.deepEqual(problems({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'k' }, spec: { interval: '1m', prune: true, sourceRef: { kind: 'GitRepository', name: 'r' }, healthCheckExprs: [{ apiVersion: 'x/v1', kind: 'X', current: 'true' }], timeout: null } }), []);
    assert.deepEqual(problems({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { key: 'not base64!' } }), ['type data.key: must be base64 (illegal base64 data)']);
    assert.deepEqual(problems({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: null, template: { spec: { containers: [{ image: 'i' }] } } } }), [
      'required spec: missing required field "selector"',
      'required spec.template.spec.containers.0: missing required field "name"',
    ]);
  });
});

describe('workspace CRDs', () => {
  const crd = (desc: string, extra: object = {}) => ({
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com', names: { kind: 'Widget', plural: 'widgets' },
      versions: [{
        name: 'v1', served: true, storage: true,
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', description: desc, properties: {
          a: { type: 'object', properties: { port: { type: 'integer' }, name: { type: 'string' } } },
          b: { type: 'object', properties: { port: { type: 'integer' }, name: { type: 'string' } } },
          ...extra,
        } } } } },
      }],
    },
  });

  it('copies of one CRD share one shape, and repeated subtrees are shared; checks are unchanged', () => {
    const [one] = crdsOf(crd('Spec.'), '/w/a/crd.yaml');
    const [copy] = crdsOf(crd('Spec.'), '/w/b/crd.yaml');
    const [other] = crdsOf(crd('Spec.', { c: { type: 'string' } }), '/w/c/crd.yaml');
    assert.ok(one && copy && other);
    assert.equal(one.schema, copy.schema);
    assert.notEqual(one.schema, other.schema);
    const spec = (s: Shape) => s.p!.spec!.p!;
    assert.equal(spec(one.schema).a, spec(one.schema).b, 'two equal subtrees are one object');
    assert.equal(spec(one.schema).a, spec(other.schema).a, 'and shared across CRDs');
    const r = new SchemaRegistry();
    r.setCrds('/w/a/crd.yaml', [one]);
    r.setCrds('/w/c/crd.yaml', [other]);
    const info = r.lookup('example.com/v1', 'Widget')!;
    assert.match(info.source, /and 1 other definition/);
    const bad = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { a: { port: 'x' }, b: { port: 1 }, c: 1 } };
    // c is a string in one definition and unknown in the other: a problem only where both agree.
    assert.deepEqual(info.check(bad).map((p) => `${p.kind} ${p.path.join('.')}`), ['type spec.a.port']);
  });
});
