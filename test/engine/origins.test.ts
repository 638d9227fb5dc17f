// The origins API: where each resource came from (`origin`) and who set each field (`fieldOrigins`),
// across base -> component -> overlay. Lines in these tests are 1-based (the engine's ranges are
// 0-based, as LSP counts them). Cases the engine does not yet support are `todo` with what is missing.
//
// Run: node --import tsx --test test/engine/origins.test.ts

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { harness, type Built, type Harness } from './harness';
import type { Resource } from '../../server/src/engine/resource';

type Step = [by: string, file: string, line: number | undefined, value: unknown];

function find(b: Built, kind: string, name: string): Resource {
  const r = b.resources.find((x) => x.kind === kind && (x.name === name || x.originalName() === name));
  assert.ok(r, `no ${kind} ${name} in:\n${b.yaml}`);
  return r;
}

/** The history of one field: [by, file relative to the harness root, 1-based line, value], oldest first. */
function history(t: Harness, r: Resource, path: string): Step[] {
  return (r.fieldOrigins.get(path) ?? []).map((c) => [
    c.by,
    c.source.file.startsWith(t.root + '/') ? c.source.file.slice(t.root.length + 1) : c.source.file,
    c.source.range ? c.source.range.start.line + 1 : undefined,
    c.value,
  ]);
}

function sourceOf(t: Harness, r: Resource): { file: string; start?: number; end?: number } {
  const s = r.origin.source;
  return {
    file: s.file.slice(t.root.length + 1),
    ...(s.range ? { start: s.range.start.line + 1, end: s.range.end.line + 1 } : {}),
  };
}

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.25
`;

const CMS = `apiVersion: v1
kind: ConfigMap
metadata:
  name: one
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: two
data:
  k: v
`;

/** base (resources, a generator, images) <- component (patch file, annotations, labels) <- overlay. */
function layered(): Harness {
  const t = harness();
  t.writeK('base', [
    'resources:', //                1
    '- deploy.yaml', //             2
    '- cms.yaml', //                3
    'configMapGenerator:', //       4
    '- name: gen', //               5
    '  literals:', //               6
    '  - a=1', //                   7
    'images:', //                   8
    '- name: nginx', //             9
    '  newTag: "1.26"', //          10
    '',
  ].join('\n'));
  t.writeF('base/deploy.yaml', DEPLOY);
  t.writeF('base/cms.yaml', CMS);
  t.writeC('comp', [
    // 1-2: apiVersion, kind
    'patches:', //                  3
    '- path: replicas.yaml', //     4
    'commonAnnotations:', //        5
    '  team: blue', //              6
    '',
  ].join('\n'));
  t.writeF('comp/replicas.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n');
  t.writeK('overlay', [
    'resources:', //                1
    '- ../base', //                 2
    'components:', //               3
    '- ../comp', //                 4
    'namePrefix: prod-', //         5
    'namespace: prod', //           6
    'replicas:', //                 7
    '- name: web', //               8
    '  count: 5', //                9
    'images:', //                   10
    '- name: nginx', //             11
    '  newName: mirror/nginx', //   12
    'labels:', //                   13
    '- pairs:', //                  14
    '    env: prod', //             15
    '  includeSelectors: true', //  16
    '',
  ].join('\n'));
  return t;
}

describe('origin.source', () => {
  test('each document of a multi-document file: the file and the range of its document', () => {
    const t = harness();
    t.writeK('app', 'resources:\n- cms.yaml\n');
    t.writeF('app/cms.yaml', CMS);
    const b = t.build('app');
    const one = find(b, 'ConfigMap', 'one');
    const two = find(b, 'ConfigMap', 'two');
    assert.deepEqual(sourceOf(t, one), { file: 'app/cms.yaml', start: 1, end: 5 });
    assert.deepEqual(sourceOf(t, two), { file: 'app/cms.yaml', start: 6, end: 12 });
    assert.equal(one.origin.docIndex, 0);
    assert.equal(two.origin.docIndex, 1);
    assert.equal(one.origin.generator, undefined);
  });

  test('a resource of a base built through an overlay and a component keeps its base file', () => {
    const t = layered();
    const b = t.build('overlay');
    assert.deepEqual(sourceOf(t, find(b, 'Deployment', 'web')), { file: 'base/deploy.yaml', start: 1, end: 18 });
    assert.deepEqual(sourceOf(t, find(b, 'ConfigMap', 'two')), { file: 'base/cms.yaml', start: 6, end: 12 });
  });

  test('a generated object points at its generator entry', () => {
    const t = layered();
    const gen = find(t.build('overlay'), 'ConfigMap', 'gen');
    assert.equal(gen.origin.generator, 'configMapGenerator');
    assert.equal(sourceOf(t, gen).file, 'base/kustomization.yaml');
    assert.equal(sourceOf(t, gen).start, 5);
  });

  test('an object made by a generators: entry names the builtin that made it', () => {
    const t = harness();
    t.writeK('app', 'generators:\n- gen.yaml\n');
    t.writeF('app/gen.yaml', 'apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata:\n  name: plug\nliterals:\n- x=y\n');
    const r = find(t.build('app'), 'ConfigMap', 'plug');
    assert.deepEqual(r.origin.configuredBy, { kind: 'ConfigMapGenerator', name: 'plug' });
    assert.equal(sourceOf(t, r).file, 'app/gen.yaml');
  });

  test('via lists every kustomization root the resource passed through, innermost first', () => {
    const t = layered();
    const r = find(t.build('overlay'), 'Deployment', 'web');
    assert.equal(r.origin.via[0], t.abs('base'));
    assert.equal(r.origin.via.at(-1), t.abs('overlay'));
  });
});

describe('fieldOrigins of transformers', () => {
  test('namespace, namePrefix, labels, replicas and images point at their overlay entries', () => {
    const t = layered();
    const r = find(t.build('overlay'), 'Deployment', 'web');
    assert.deepEqual(history(t, r, 'metadata.namespace'), [['namespace', 'overlay/kustomization.yaml', 6, 'prod']]);
    assert.deepEqual(history(t, r, 'metadata.name'), [['namePrefix', 'overlay/kustomization.yaml', 5, 'prod-web']]);
    assert.deepEqual(history(t, r, 'metadata.labels.env'), [['labels', 'overlay/kustomization.yaml', 14, 'prod']]);
    assert.deepEqual(history(t, r, 'spec.selector.matchLabels.env'), [['labels', 'overlay/kustomization.yaml', 14, 'prod']]);
  });

  test('a field changed at every level keeps its history: base images, then overlay images', () => {
    const t = layered();
    const r = find(t.build('overlay'), 'Deployment', 'web');
    assert.deepEqual(history(t, r, 'spec.template.spec.containers[0].image'), [
      ['images', 'base/kustomization.yaml', 9, 'nginx:1.26'],
      ['images', 'overlay/kustomization.yaml', 11, 'mirror/nginx:1.26'],
    ]);
  });

  test('base -> component -> overlay: the component patch file line, then the overlay replicas entry', () => {
    const t = layered();
    const r = find(t.build('overlay'), 'Deployment', 'web');
    assert.deepEqual(history(t, r, 'spec.replicas'), [
      ['patches', 'comp/replicas.yaml', 6, 3],
      ['replicas', 'overlay/kustomization.yaml', 8, 5],
    ]);
    assert.deepEqual(history(t, r, 'metadata.annotations.team'), [['commonAnnotations', 'comp/kustomization.yaml', 6, 'blue']]);
    assert.deepEqual(history(t, r, 'spec.template.metadata.annotations.team'), [['commonAnnotations', 'comp/kustomization.yaml', 6, 'blue']]);
  });

  test('a transformers: entry configuring a builtin points at that entry', () => {
    const t = harness();
    t.writeK('app', 'resources:\n- cms.yaml\ntransformers:\n- |-\n  apiVersion: builtin\n  kind: PrefixSuffixTransformer\n  metadata:\n    name: p\n  prefix: t-\n  fieldSpecs:\n  - path: metadata/name\n');
    t.writeF('app/cms.yaml', CMS);
    const r = find(t.build('app'), 'ConfigMap', 'one');
    const h = history(t, r, 'metadata.name');
    assert.equal(h.length, 1);
    assert.deepEqual(h[0]!.slice(1), ['app/kustomization.yaml', 4, 't-one']);
  });
});

describe('fieldOrigins of generators', () => {
  test('a generated name: the generator entry, then the overlay prefix, then the hash suffix', () => {
    const t = layered();
    const gen = find(t.build('overlay'), 'ConfigMap', 'gen');
    const h = history(t, gen, 'metadata.name');
    assert.deepEqual(h.map((s) => s.slice(0, 3)), [
      ['configMapGenerator', 'base/kustomization.yaml', 5],
      ['namePrefix', 'overlay/kustomization.yaml', 5],
      ['hash suffix', 'base/kustomization.yaml', 5],
    ]);
    assert.deepEqual(h.map((s) => s[3]), ['gen', 'prod-gen', gen.name]);
    assert.match(gen.name, /^prod-gen-[a-z0-9]{10}$/);
  });

  test('each generated data key points at the literal, file or env entry that produced it, with its value', () => {
    const t = harness();
    t.writeK('app', [
      'configMapGenerator:', // 1
      '- name: cfg', //        2
      '  literals:', //        3
      '  - a=1', //            4
      '  files:', //           5
      '  - b.txt', //          6
      '  envs:', //            7
      '  - c.env', //          8
      '',
    ].join('\n'));
    t.writeF('app/b.txt', 'bee');
    t.writeF('app/c.env', 'C=sea\n');
    const r = find(t.build('app'), 'ConfigMap', 'cfg');
    assert.deepEqual(history(t, r, 'data.a'), [['configMapGenerator', 'app/kustomization.yaml', 4, '1']]);
    assert.deepEqual(history(t, r, 'data.b.txt'), [['configMapGenerator', 'app/kustomization.yaml', 6, 'bee']]);
    assert.deepEqual(history(t, r, 'data.C'), [['configMapGenerator', 'app/kustomization.yaml', 8, 'sea']]);
  });

  test('behavior: merge keeps the base keys from the base entry and takes new ones from the overlay entry', () => {
    const t = harness();
    t.writeK('base', 'configMapGenerator:\n- name: gen\n  literals:\n  - a=1\n  - b=2\n');
    t.writeK('overlay', 'resources:\n- ../base\nconfigMapGenerator:\n- name: gen\n  behavior: merge\n  literals:\n  - b=3\n');
    const r = find(t.build('overlay'), 'ConfigMap', 'gen');
    // Each key points at the literal that set it.
    assert.deepEqual(history(t, r, 'data.a').map((s) => s.slice(0, 3)), [['configMapGenerator', 'base/kustomization.yaml', 4]]);
    assert.deepEqual(history(t, r, 'data.b').map((s) => s.slice(0, 3)).at(-1), ['configMapGenerator', 'overlay/kustomization.yaml', 7]);
  });
});

describe('fieldOrigins of patches', () => {
  test('an inline strategic merge patch points at its kustomization entry', () => {
    const t = harness();
    t.writeK('app', 'resources:\n- deploy.yaml\npatches:\n- patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: web\n    spec:\n      minReadySeconds: 10\n');
    t.writeF('app/deploy.yaml', DEPLOY);
    const r = find(t.build('app'), 'Deployment', 'web');
    assert.deepEqual(history(t, r, 'spec.minReadySeconds'), [['patches', 'app/kustomization.yaml', 4, 10]]);
  });

  test('a strategic merge patch file points at the line that set each field', () => {
    const t = harness();
    t.writeK('app', 'resources:\n- deploy.yaml\npatches:\n- path: p.yaml\n');
    t.writeF('app/deploy.yaml', DEPLOY);
    t.writeF('app/p.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:2\n');
    const r = find(t.build('app'), 'Deployment', 'web');
    assert.deepEqual(history(t, r, 'spec.template.spec.containers[0].image'), [['patches', 'app/p.yaml', 10, 'nginx:2']]);
  });

  test('patchesStrategicMerge files point at the patch line', () => {
    const t = harness();
    t.writeK('app', 'resources:\n- deploy.yaml\npatchesStrategicMerge:\n- psm.yaml\n');
    t.writeF('app/deploy.yaml', DEPLOY);
    t.writeF('app/psm.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n');
    const r = find(t.build('app'), 'Deployment', 'web');
    assert.deepEqual(history(t, r, 'spec.replicas').map((s) => s.slice(1)), [['app/psm.yaml', 6, 2]]);
  });

  test('an inline JSON 6902 patch points at its kustomization entry', () => {
    const t = harness();
    t.writeK('app', 'resources:\n- cms.yaml\npatches:\n- target:\n    name: two\n  patch: |-\n    - op: add\n      path: /data/x\n      value: y\n');
    t.writeF('app/cms.yaml', CMS);
    const r = find(t.build('app'), 'ConfigMap', 'two');
    // `y` is a bool to go-yaml v2, which kustomize converts JSON 6902 patches with (kubectl prints `x: true`).
    assert.deepEqual(history(t, r, 'data.x'), [['patches', 'app/kustomization.yaml', 6, true]]);
  });

  test('a JSON 6902 patch file points at the operation that set the field', () => {
    const t = harness();
    t.writeK('app', 'resources:\n- cms.yaml\npatches:\n- target:\n    name: two\n  path: ops.yaml\n');
    t.writeF('app/cms.yaml', CMS);
    t.writeF('app/ops.yaml', '- op: test\n  path: /data/k\n  value: v\n- op: add\n  path: /data/x\n  value: y\n');
    const r = find(t.build('app'), 'ConfigMap', 'two');
    assert.deepEqual(history(t, r, 'data.x'), [['patches', 'app/ops.yaml', 4, true]]);
  });
});

describe('fieldOrigins of replacements, vars and name references', () => {
  test('an inline replacement points at its entry', () => {
    const t = harness();
    t.writeK('app', 'resources:\n- cms.yaml\nreplacements:\n- source:\n    kind: ConfigMap\n    name: two\n    fieldPath: data.k\n  targets:\n  - select:\n      name: one\n    fieldPaths:\n    - data.copied\n    options:\n      create: true\n');
    t.writeF('app/cms.yaml', CMS);
    const r = find(t.build('app'), 'ConfigMap', 'one');
    assert.deepEqual(history(t, r, 'data.copied'), [['replacements', 'app/kustomization.yaml', 4, 'v']]);
  });

  test('a replacement from a path file points at that file', () => {
    const t = harness();
    t.writeK('app', 'resources:\n- cms.yaml\nreplacements:\n- path: repl.yaml\n');
    t.writeF('app/cms.yaml', CMS);
    t.writeF('app/repl.yaml', 'source:\n  kind: ConfigMap\n  name: two\n  fieldPath: data.k\ntargets:\n- select:\n    name: one\n  fieldPaths:\n  - data.copied\n  options:\n    create: true\n');
    const r = find(t.build('app'), 'ConfigMap', 'one');
    const h = history(t, r, 'data.copied');
    assert.equal(h.length, 1);
    assert.deepEqual(h[0]!.slice(1, 2), ['app/repl.yaml']);
  });

  test('a $(VAR) expansion points at the var declaration', () => {
    const t = harness();
    t.writeK('app', 'resources:\n- cms.yaml\n- pod.yaml\nvars:\n- name: V\n  objref:\n    kind: ConfigMap\n    name: two\n    apiVersion: v1\n  fieldref:\n    fieldpath: data.k\n');
    t.writeF('app/cms.yaml', CMS);
    t.writeF('app/pod.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox\n    args: ["$(V)"]\n');
    const r = find(t.build('app'), 'Pod', 'p');
    assert.deepEqual(history(t, r, 'spec.containers[0].args[0]'), [['vars', 'app/kustomization.yaml', 5, 'v']]);
  });

  test('a name-reference fix-up points at what renamed the referenced object', () => {
    const t = harness();
    t.writeK('app', 'namePrefix: p-\nresources:\n- deploy.yaml\nconfigMapGenerator:\n- name: cfg\n  literals:\n  - a=1\n');
    t.writeF('app/deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx\n        envFrom:\n        - configMapRef:\n            name: cfg\n');
    const b = t.build('app');
    const r = find(b, 'Deployment', 'web');
    const cm = find(b, 'ConfigMap', 'cfg');
    const h = history(t, r, 'spec.template.spec.containers[0].envFrom[0].configMapRef.name');
    assert.equal(h.length, 1);
    assert.equal(h[0]![0], 'nameReference');
    assert.equal(h[0]![3], cm.name);
    assert.equal(h[0]![1], 'app/kustomization.yaml');
  });
});
