// Builtin transformers, field spec walking and the transformer config, checked against what
// kustomize v5.5 produces (the case table in ./transformer-cases.ts was confirmed with
// `kubectl kustomize` on the equivalent kustomizations).

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { Resource, deepClone, KustomizeError, type JsonObject, type SourceRef } from '../../server/src/engine/resource';
import {
  defaultTransformerConfig, mergeTransformerConfig, parseTransformerConfig, emptyTransformerConfig, type TransformerConfig,
} from '../../server/src/engine/k8s/transformer-config';
import { isNamespaceable } from '../../server/src/engine/k8s/scope';
import { splitFieldSpecPath, walkFieldSpec, gvkMatches } from '../../server/src/engine/filters/fieldspec';
import { applyNamespace } from '../../server/src/engine/filters/namespace';
import { applyNamePrefix, applyNameSuffix } from '../../server/src/engine/filters/prefix-suffix';
import { applyLabels, labelEntryFieldSpecs, checkStringMap } from '../../server/src/engine/filters/labels';
import { applyAnnotations } from '../../server/src/engine/filters/annotations';
import { applyImage, splitImage, isImageMatched } from '../../server/src/engine/filters/images';
import { applyReplicas } from '../../server/src/engine/filters/replicas';
import { CASES, type CaseConfig } from './transformer-cases';

const SRC: SourceRef = { file: '/repo/app/kustomization.yaml', range: { start: { line: 3, character: 0 }, end: { line: 3, character: 20 } } };

function load(objs: JsonObject[]): Resource[] {
  return objs.map((o, i) => new Resource(deepClone(o), { source: { file: '/repo/app/r.yaml' }, docIndex: i, via: ['/repo/app'] }));
}

/** Runs the transformers a case configures, in the order kustomize runs them for one kustomization. */
function runCase(resources: Resource[], c: CaseConfig, cfg: TransformerConfig): void {
  if (c.namespace) {
    applyNamespace(resources, {
      namespace: c.namespace, fieldSpecs: cfg.namespace, source: SRC,
      unsetOnly: c.namespacePlugin?.unsetOnly, setRoleBindingSubjects: c.namespacePlugin?.setRoleBindingSubjects,
    });
  }
  if (c.namePrefix) applyNamePrefix(resources, c.namePrefix, { fieldSpecs: cfg.namePrefix, source: SRC });
  if (c.nameSuffix) applyNameSuffix(resources, c.nameSuffix, { fieldSpecs: cfg.nameSuffix, source: SRC });
  for (const l of c.labels ?? []) applyLabels(resources, l.pairs, { fieldSpecs: labelEntryFieldSpecs(l, cfg), source: SRC });
  if (c.commonLabels) applyLabels(resources, c.commonLabels, { fieldSpecs: cfg.commonLabels, source: SRC, by: 'commonLabels' });
  if (c.commonAnnotations) applyAnnotations(resources, c.commonAnnotations, { fieldSpecs: cfg.commonAnnotations, source: SRC });
  for (const r of c.replicas ?? []) applyReplicas(resources, r, { fieldSpecs: cfg.replicas, source: SRC });
  for (const img of c.images ?? []) applyImage(resources, img, { fieldSpecs: cfg.images, source: SRC });
}

describe('transformers produce what kustomize v5.5 produces', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const resources = load(c.input);
      let cfg = defaultTransformerConfig();
      if (c.config.configurations) cfg = mergeTransformerConfig(cfg, parseTransformerConfig(c.config.configurations));
      if ('error' in c.expected) {
        const want = c.expected.error;
        assert.throws(() => runCase(resources, c.config, cfg), (e: unknown) => e instanceof KustomizeError && e.message.startsWith(want));
        return;
      }
      runCase(resources, c.config, cfg);
      assert.deepEqual(resources.map((r) => r.obj), c.expected);
    });
  }
});

describe('field origins and ids', () => {
  test('prefix and suffix record the affixes, remember the id before renaming, and record the name change', () => {
    const [cm] = load([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } }]);
    const cfg = defaultTransformerConfig();
    applyNamePrefix([cm!], 'a-', { fieldSpecs: cfg.namePrefix, source: SRC });
    applyNameSuffix([cm!], '-z', { fieldSpecs: cfg.nameSuffix, source: SRC });
    assert.equal(cm!.name, 'a-cm-z');
    assert.deepEqual(cm!.prefixes, ['a-']);
    assert.deepEqual(cm!.suffixes, ['-z']);
    assert.deepEqual(cm!.previousIds.map((p) => p.name), ['cm', 'a-cm']);
    assert.equal(cm!.originalName(), 'cm');
    assert.deepEqual(cm!.fieldOrigins.get('metadata.name'), [
      { by: 'namePrefix', source: SRC, value: 'a-cm' },
      { by: 'nameSuffix', source: SRC, value: 'a-cm-z' },
    ]);
  });

  test('namespace remembers every id and records each field it sets', () => {
    const res = load([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'rb' }, subjects: [{ kind: 'ServiceAccount', name: 'default' }] },
    ]);
    applyNamespace(res, { namespace: 'ns1', fieldSpecs: defaultTransformerConfig().namespace, source: SRC });
    assert.deepEqual(res[0]!.previousIds, [{ name: 'cm', namespace: '', kind: 'ConfigMap', group: '' }]);
    assert.deepEqual(res[0]!.fieldOrigins.get('metadata.namespace'), [{ by: 'namespace', source: SRC, value: 'ns1' }]);
    assert.ok(res[1]!.fieldOrigins.has('subjects[0].namespace'));
  });

  test('labels record one origin per key and path; images and replicas record theirs', () => {
    const [d] = load([{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers: [{ name: 'a', image: 'nginx' }] } } } }]);
    const cfg = defaultTransformerConfig();
    applyLabels([d!], { app: 'x' }, { fieldSpecs: cfg.commonLabels, source: SRC, by: 'commonLabels' });
    applyReplicas([d!], { name: 'd', count: 2 }, { fieldSpecs: cfg.replicas, source: SRC });
    applyImage([d!], { name: 'nginx', newTag: '2' }, { fieldSpecs: cfg.images, source: SRC });
    for (const p of ['metadata.labels.app', 'spec.selector.matchLabels.app', 'spec.template.metadata.labels.app']) {
      assert.deepEqual(d!.fieldOrigins.get(p), [{ by: 'commonLabels', source: SRC, value: 'x' }], p);
    }
    assert.deepEqual(d!.fieldOrigins.get('spec.replicas'), [{ by: 'replicas', source: SRC, value: 2 }]);
    assert.equal(d!.fieldOrigins.get('spec.template.spec.containers[0].image')?.at(-1)?.value, 'nginx:2');
  });
});

describe('transformer errors', () => {
  test('an unknown setRoleBindingSubjects value is rejected', () => {
    assert.throws(
      () => applyNamespace(load([]), { namespace: 'x', fieldSpecs: [], source: SRC, setRoleBindingSubjects: 'some' }),
      /invalid value "some" for setRoleBindingSubjects/,
    );
  });
  test('label values must be strings; null reads as ""', () => {
    assert.throws(() => checkStringMap({ a: 1 }, 'Kustomization.commonLabels'),
      /cannot unmarshal number into Go struct field Kustomization.commonLabels of type string/);
    assert.throws(() => checkStringMap({ a: true }, 'Kustomization.commonLabels'), /unmarshal bool/);
    assert.deepEqual(checkStringMap({ a: 'b', c: null }, 'x'), { a: 'b', c: '' });
  });
  test('a labels entry whose fields disagree with the defaults on create fails to merge', () => {
    assert.throws(() => labelEntryFieldSpecs({ fields: [{ path: 'metadata/labels', create: false }] }, defaultTransformerConfig()),
      /failed to merge labels: conflicting fieldspecs/);
  });
  test('a field spec path through a scalar fails like kustomize', () => {
    const [r] = load([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: 'text' }]);
    assert.throws(() => applyLabels([r!], { a: 'b' }, { fieldSpecs: [{ path: 'data/labels', create: true }], source: SRC }),
      /considering field 'data\/labels' of object ConfigMap.v1.\[noGrp\]\/c.\[noNs\]: expected sequence or mapping node/);
  });
});

describe('field spec walking', () => {
  const cases: { name: string; path: string; expected: string[] }[] = [
    { name: 'plain', path: 'spec/template/spec', expected: ['spec', 'template', 'spec'] },
    { name: 'leading slash dropped', path: '/metadata/name', expected: ['metadata', 'name'] },
    { name: 'escaped slash stays in the key', path: 'metadata/annotations/example.com\\/team', expected: ['metadata', 'annotations', 'example.com/team'] },
    { name: 'list marker kept for the walker', path: 'spec/containers[]/image', expected: ['spec', 'containers[]', 'image'] },
  ];
  for (const c of cases) test(`split: ${c.name}`, () => assert.deepEqual(splitFieldSpecPath(c.path), c.expected));

  test('lists are traversed with or without [], and create never creates a [] field', () => {
    const [p] = load([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ env: [{ value: 'a' }, { value: 'b' }] }] } }]);
    const seen: string[] = [];
    walkFieldSpec(p!, { path: 'spec/containers/env/value' }, (h) => { seen.push(h.path); return undefined; });
    walkFieldSpec(p!, { path: 'spec/initContainers[]/image', create: true }, (h) => { seen.push(h.path); return 'x'; }, { createKind: 'scalar' });
    assert.deepEqual(seen, ['spec.containers[0].env[0].value', 'spec.containers[0].env[1].value']);
    assert.equal('initContainers' in (p!.obj.spec as JsonObject), false);
  });

  test('create makes missing maps only when a create kind is given; gvk must match', () => {
    const [d] = load([{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } }]);
    walkFieldSpec(d!, { path: 'spec/replicas', create: true }, () => 1);
    assert.equal(d!.obj.spec, undefined);
    walkFieldSpec(d!, { path: 'spec/replicas', create: true, kind: 'StatefulSet' }, () => 1, { createKind: 'scalar' });
    assert.equal(d!.obj.spec, undefined);
    walkFieldSpec(d!, { path: 'spec/replicas', create: true, group: 'apps', version: 'v1', kind: 'Deployment' }, (h) => {
      assert.equal(h.created, true);
      return 1;
    }, { createKind: 'scalar' });
    assert.deepEqual(d!.obj.spec, { replicas: 1 });
  });

  test('gvk selectors: empty parts match anything', () => {
    assert.ok(gvkMatches({ group: 'apps', version: 'v1', kind: 'Deployment' }, { kind: 'Deployment' }));
    assert.ok(!gvkMatches({ group: 'apps', version: 'v1', kind: 'Deployment' }, { group: 'batch', kind: 'Deployment' }));
    assert.ok(gvkMatches({ group: '', version: 'v1', kind: 'Service' }, {}));
  });
});

describe('images: matching and splitting', () => {
  const split: [string, string, string, string][] = [
    ['nginx', 'nginx', '', ''],
    ['nginx:1.2', 'nginx', '1.2', ''],
    ['nginx@sha256:abc', 'nginx', '', 'sha256:abc'],
    ['nginx:1.2@sha256:abc', 'nginx', '1.2', 'sha256:abc'],
    ['localhost:5000/app', 'localhost:5000/app', '', ''],
    ['localhost:5000/app:v1', 'localhost:5000/app', 'v1', ''],
    ['gcr.io/p/app:v1@sha256:x', 'gcr.io/p/app', 'v1', 'sha256:x'],
  ];
  for (const [image, name, tag, digest] of split) {
    test(`split ${image}`, () => assert.deepEqual(splitImage(image), { name, tag, digest }));
  }
  const match: [string, string, boolean][] = [
    ['nginx', 'nginx', true],
    ['nginx:1', 'nginx', true],
    ['nginx@sha256:0', 'nginx', true],
    ['nginx-extra', 'nginx', false],
    ['docker.io/nginx', 'nginx', false],
    ['myXreg/app', 'my.reg/app', true],
    ['nginx:1@md5:0', 'nginx', false],
  ];
  for (const [image, name, want] of match) {
    test(`${name} ${want ? 'matches' : 'does not match'} ${image}`, () => assert.equal(isImageMatched(image, name), want));
  }
});

describe('namespace scope (kyaml v1.21.2 table)', () => {
  const rows: [string, string, string, boolean][] = [
    ['', 'v1', 'Namespace', false],
    ['', 'v1', 'PersistentVolume', false],
    ['', 'v1', 'ConfigMap', true],
    ['rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', false],
    ['rbac.authorization.k8s.io', 'v1alpha1', 'ClusterRole', true],
    ['storage.k8s.io', 'v1', 'StorageClass', false],
    ['policy', 'v1beta1', 'PodSecurityPolicy', false],
    ['example.com', 'v1', 'Namespace', true],
    ['cert-manager.io', 'v1', 'ClusterIssuer', true],
  ];
  for (const [group, version, kind, want] of rows) {
    test(`${group || 'core'}/${version} ${kind} namespaceable=${want}`, () => assert.equal(isNamespaceable({ group, version, kind }), want));
  }
});

describe('transformer config', () => {
  test('defaults are complete and each call returns a fresh copy', () => {
    const a = defaultTransformerConfig();
    assert.equal(a.commonLabels.length, 32);
    assert.equal(a.varReference.length, 72);
    assert.equal(a.nameReference.find((n) => n.kind === 'ConfigMap')?.fieldSpecs.length, 52);
    assert.equal(a.nameReference.find((n) => n.kind === 'Secret')?.fieldSpecs.length, 70);
    assert.equal(a.nameReference.length, 16);
    assert.deepEqual(a.replicas.map((f) => f.kind), ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);
    a.namePrefix.push({ path: 'spec/x' });
    a.nameReference[0]!.fieldSpecs.length = 0;
    const b = defaultTransformerConfig();
    assert.equal(b.namePrefix.length, 1);
    assert.ok(b.nameReference[0]!.fieldSpecs.length > 0);
  });

  test('configurations file: parse and merge into the defaults', () => {
    const file = parseTransformerConfig({
      namePrefix: [{ path: 'spec/volumeName', kind: 'PersistentVolumeClaim' }],
      commonLabels: [{ path: 'spec/selector/matchLabels', kind: 'Deployment', create: true }, { path: 'spec/podSelector', kind: 'MyKind', create: true }],
      nameReference: [
        { kind: 'ConfigMap', version: 'v1', fieldSpecs: [{ path: 'spec/configRef', kind: 'MyKind' }, { path: 'spec/template/spec/volumes/configMap/name', kind: 'Deployment' }] },
        { kind: 'Gadget', group: 'example.com', fieldSpecs: [{ path: 'spec/gadget', kind: 'MyKind' }] },
      ],
      varReference: [{ path: 'spec/url', kind: 'MyKind' }],
      images: [{ path: 'spec/runner/image', kind: 'MyKind' }],
    });
    const d = defaultTransformerConfig();
    const m = mergeTransformerConfig(d, file);
    assert.equal(m.namePrefix.length, 2);
    assert.equal(m.commonLabels.length, d.commonLabels.length + 1, 'the duplicate Deployment selector is dropped');
    const cm = m.nameReference.filter((n) => n.kind === 'ConfigMap');
    assert.equal(cm.length, 1);
    assert.equal(cm[0]!.fieldSpecs.length, 53);
    assert.ok(m.nameReference.some((n) => n.kind === 'Gadget' && n.group === 'example.com'));
    assert.equal(m.varReference.length, 73);
    assert.equal(m.images.length, 5);
    assert.equal(d.namePrefix.length, 1, 'inputs are not changed');
  });

  test('merge: a spec with no kind dedupes against a kind-specific one with the same path', () => {
    const a = { ...emptyTransformerConfig(), commonAnnotations: [{ path: 'spec/x', kind: 'Foo', create: true }] };
    const b = { ...emptyTransformerConfig(), commonAnnotations: [{ path: 'spec/x', create: true }] };
    assert.equal(mergeTransformerConfig(a, b).commonAnnotations.length, 1);
    assert.equal(mergeTransformerConfig(b, a).commonAnnotations.length, 2);
  });

  test('merge: the same field with a different create is an error', () => {
    const file = parseTransformerConfig({ commonLabels: [{ path: 'metadata/labels', create: false }] });
    assert.throws(() => mergeTransformerConfig(defaultTransformerConfig(), file), /failed to merge CommonLabels fieldSpec: conflicting fieldspecs/);
  });

  test('parse is strict about keys and shapes', () => {
    assert.throws(() => parseTransformerConfig({ prefixes: [] }), /unknown field "prefixes"/);
    assert.throws(() => parseTransformerConfig({ images: [{ path: 'a', kinds: 'X' }] }), /unknown field "kinds"/);
    assert.throws(() => parseTransformerConfig({ images: { path: 'a' } }), /expected a list/);
    assert.deepEqual(parseTransformerConfig(null), emptyTransformerConfig());
  });
});
