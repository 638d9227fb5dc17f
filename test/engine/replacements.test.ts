// Replacements and the kyaml field path walkers, checked against kustomize v5.5.0: every expected
// value and error message below was confirmed by running `kubectl kustomize` on an equivalent
// kustomization (resources + `replacements:`).

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parse, parseAllDocuments } from 'yaml';

import { Resource, KustomizeError, type JsonObject, type JsonValue, type SourceRef } from '../../server/src/engine/resource';
import { applyReplacements } from '../../server/src/engine/filters/replacements';
import {
  splitFieldPath, splitVarFieldPath, lookupField, matchFields, decodeScalar, resolvePlainScalar, formatPath,
} from '../../server/src/engine/filters/fieldpath';

const SRC: SourceRef = { file: '/repo/app/kustomization.yaml', range: { start: { line: 7, character: 0 }, end: { line: 7, character: 14 } } };

const RESOURCES = `
apiVersion: v1
kind: ConfigMap
metadata:
  name: src
  labels: {app: a}
data:
  num: "7"
  word: hello
  flag: "true"
  img: "nginx:1.2.3"
  list: "x,y,z"
  a.b: dotted
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: other
  labels: {app: b, tier: web}
  annotations: {note: yes-please}
data:
  x: "1"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: dep
  namespace: prod
  labels: {app: a}
  annotations:
    a.b/c: old
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: app
        image: foo:1.0
        args: ["-x", "-jar"]
        env:
        - {name: A, value: "1"}
        - {name: B, value: "2"}
      - name: myapp2
        image: bar:2.0
      - name: side
        image: baz:3.0
        env:
        - {name: A, value: "3"}
      initContainers: []
---
apiVersion: v1
kind: Tgt
metadata:
  name: t
spec:
  b: false
  f: 1.5
  n: null
  s: str
  m: {k: v}
  l: [1, 2]
`;

function load(text = RESOURCES): Resource[] {
  return parseAllDocuments(text).map((d, i) => new Resource(d.toJS() as JsonObject, { source: { file: '/repo/app/res.yaml' }, docIndex: i, via: ['/repo/app'] }));
}

function find(rs: Resource[], kind: string, name: string): Resource {
  const r = rs.find((x) => x.kind === kind && x.name === name);
  assert.ok(r, `${kind}/${name}`);
  return r;
}

function get(r: Resource, path: string): JsonValue | undefined {
  return lookupField(r.obj, splitFieldPath(path))?.value;
}

interface Case {
  name: string;
  /** YAML list of replacements, as written under `replacements:`. */
  replacements: string;
  /** `Kind/name` → field path → expected value (undefined: absent). */
  expect?: Record<string, Record<string, JsonValue | undefined>>;
  error?: string;
  prepare?: (rs: Resource[]) => void;
}

const CASES: Case[] = [
  // --- sources and default field paths
  {
    name: 'default source and target field path is metadata.name; a target selecting nothing is fine',
    replacements: `
- source: {kind: Deployment}
  targets:
  - select: {kind: ConfigMap, name: other}
  - select: {name: nope}`,
    expect: { 'ConfigMap/dep': { 'data.x': '1' } },
  },
  {
    name: 'source namespace default matches a resource without namespace',
    replacements: `
- source: {kind: ConfigMap, name: src, namespace: default, fieldPath: "data.[a.b]"}
  targets:
  - select: {namespace: default, name: other}
    fieldPaths: [data.x]`,
    expect: { 'ConfigMap/other': { 'data.x': 'dotted' } },
  },
  {
    name: 'escaped dot in a source path',
    replacements: `
- source: {kind: ConfigMap, name: src, fieldPath: "data.a\\\\.b"}
  targets:
  - select: {kind: ConfigMap, name: other}
    fieldPaths: [data.x]`,
    expect: { 'ConfigMap/other': { 'data.x': 'dotted' } },
  },
  {
    name: 'source list item by index, by last (-) and by exact [k=v]',
    replacements: `
- source: {kind: Deployment, fieldPath: spec.template.spec.containers.1.image}
  targets:
  - select: {kind: Tgt}
    fieldPaths: [spec.s]
- source: {kind: Deployment, fieldPath: spec.template.spec.containers.-.image}
  targets:
  - select: {kind: ConfigMap, name: other}
    fieldPaths: [data.x]
- source: {kind: Deployment, fieldPath: "spec.template.spec.containers.[image=bar:2.0].name"}
  targets:
  - select: {kind: ConfigMap, name: src}
    fieldPaths: [data.word]`,
    expect: { 'Tgt/t': { 'spec.s': 'bar:2.0' }, 'ConfigMap/other': { 'data.x': 'baz:3.0' }, 'ConfigMap/src': { 'data.word': 'myapp2' } },
  },
  {
    name: 'source delimiter and index pick one part; the part keeps its string type',
    replacements: `
- source: {kind: ConfigMap, name: src, fieldPath: data.img, options: {delimiter: ":", index: 1}}
  targets:
  - select: {kind: Tgt}
    fieldPaths: [spec.s]`,
    expect: { 'Tgt/t': { 'spec.s': '1.2.3' } },
  },
  // --- targets: paths
  {
    name: '[k=v] in a target is an unanchored regular expression; bracketed keys with dots and slashes; [=v] for scalar items',
    replacements: `
- source: {kind: ConfigMap, name: src, fieldPath: data.word}
  targets:
  - select: {kind: Deployment}
    fieldPaths: ["spec.template.spec.containers.[name=app].image", "metadata.annotations.[a.b/c]", "spec.template.spec.containers.[name=app].args.[=-jar]"]`,
    expect: {
      'Deployment/dep': {
        'spec.template.spec.containers.0.image': 'hello', 'spec.template.spec.containers.1.image': 'hello',
        'spec.template.spec.containers.2.image': 'baz:3.0', 'metadata.annotations.[a.b/c]': 'hello',
        'spec.template.spec.containers.0.args': ['-x', 'hello'],
      },
    },
  },
  {
    name: '* fans out over list items; create adds missing [name=X] items in each',
    replacements: `
- source: {kind: ConfigMap, name: src, fieldPath: "data.[a.b]"}
  targets:
  - select: {kind: Deployment}
    fieldPaths: ["spec.template.spec.containers.*.env.[name=A].value", "spec.template.spec.containers.*.env.[name=C].value"]
    options: {create: true}`,
    expect: {
      'Deployment/dep': {
        'spec.template.spec.containers.0.env': [{ name: 'A', value: 'dotted' }, { name: 'B', value: '2' }, { name: 'C', value: 'dotted' }],
        'spec.template.spec.containers.2.env': [{ name: 'A', value: 'dotted' }, { name: 'C', value: 'dotted' }],
        'spec.template.spec.containers.1.env': [{ name: 'A', value: 'dotted' }, { name: 'C', value: 'dotted' }],
      },
    },
  },
  // --- value types
  {
    name: 'an existing scalar keeps its type: "7" into an int, "true" into a bool, "7" into a float; strings take any text',
    replacements: `
- source: {kind: ConfigMap, name: src, fieldPath: data.num}
  targets:
  - select: {kind: Deployment}
    fieldPaths: [spec.replicas]
  - select: {kind: Tgt}
    fieldPaths: [spec.f]
- source: {kind: ConfigMap, name: src, fieldPath: data.flag}
  targets:
  - select: {kind: Tgt}
    fieldPaths: [spec.b]
- source: {kind: Tgt, fieldPath: spec.b}
  targets:
  - select: {kind: Tgt}
    fieldPaths: [spec.s]`,
    expect: { 'Deployment/dep': { 'spec.replicas': 7 }, 'Tgt/t': { 'spec.f': 7, 'spec.b': true, 'spec.s': 'true' } },
  },
  {
    name: 'a created scalar takes the type its text reads as (string "7" becomes 7); missing maps are created',
    replacements: `
- source: {kind: ConfigMap, name: src, fieldPath: data.num}
  targets:
  - select: {kind: ConfigMap, name: other}
    fieldPaths: [data.new, data.nested.x]
    options: {create: true}`,
    expect: { 'ConfigMap/other': { 'data.new': 7, 'data.nested': { x: 7 } } },
  },
  {
    name: 'a map or list target is replaced by the scalar with its own type',
    replacements: `
- source: {kind: ConfigMap, name: src, fieldPath: data.num}
  targets:
  - select: {kind: Tgt}
    fieldPaths: [spec.m, spec.l]`,
    expect: { 'Tgt/t': { 'spec.m': '7', 'spec.l': '7' } },
  },
  {
    name: 'a map source replaces maps and lists, creates, and leaves an empty string in a string scalar',
    replacements: `
- source: {kind: Tgt, fieldPath: spec.m}
  targets:
  - select: {kind: Tgt}
    fieldPaths: [spec.s, spec.l, spec.new.x]
    options: {create: true}`,
    expect: { 'Tgt/t': { 'spec.s': '', 'spec.l': { k: 'v' }, 'spec.new': { x: { k: 'v' } } } },
  },
  {
    name: 'a list source into a map field and into a string scalar (empty)',
    replacements: `
- source: {kind: Deployment, fieldPath: "spec.template.spec.containers.[name=app].env"}
  targets:
  - select: {kind: ConfigMap, name: other}
    fieldPaths: [data, metadata.labels.app]`,
    expect: { 'ConfigMap/other': { data: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], 'metadata.labels.app': '' } },
  },
  {
    name: 'create: list items by [k=v], by the append index and by [=v]',
    replacements: `
- source: {kind: Tgt, fieldPath: spec.b}
  targets:
  - select: {kind: Tgt}
    fieldPaths: [spec.c1, "spec.c2.[name=x].v", spec.c3.0, spec.l.2, "spec.c4.[=foo]"]
    options: {create: true}`,
    expect: { 'Tgt/t': { 'spec.c1': false, 'spec.c2': [{ name: 'x', v: false }], 'spec.c3': [false], 'spec.l': [1, 2, false], 'spec.c4': [false] } },
  },
  // --- target delimiter
  {
    name: 'target delimiter: replace a part, prefix with a negative index, append past the end, and on created fields',
    replacements: `
- source: {kind: ConfigMap, name: src, fieldPath: data.list, options: {delimiter: ",", index: 1}}
  targets:
  - select: {annotationSelector: "note"}
    fieldPaths: [data.x]
    options: {delimiter: ".", index: 5}
  - select: {kind: Deployment}
    fieldPaths: [spec.template.spec.containers.0.image]
    options: {delimiter: ":", index: -1}
  - select: {kind: Deployment}
    fieldPaths: ["spec.template.spec.containers.[name=side].image"]
    options: {delimiter: ":", index: 0}
  - select: {kind: Deployment}
    fieldPaths: ["spec.template.spec.initContainers.0.image", "spec.template.spec.x.y"]
    options: {delimiter: ":", index: 0, create: true}`,
    expect: {
      'ConfigMap/other': { 'data.x': '1.y' },
      'Deployment/dep': {
        'spec.template.spec.containers.0.image': 'y:foo:1.0', 'spec.template.spec.containers.2.image': 'y:3.0',
        'spec.template.spec.initContainers': [{ image: 'y' }], 'spec.template.spec.x': { y: 'y' },
      },
    },
  },
  // --- selection
  {
    name: 'reject by id and by label selector; select by label selector and reject by kind',
    replacements: `
- source: {kind: ConfigMap, name: src, fieldPath: data.num}
  targets:
  - select: {version: v1}
    reject: [{name: src}, {labelSelector: "tier=web"}]
    fieldPaths: [data.x]
    options: {create: true}
  - select: {labelSelector: "app=a"}
    reject: [{kind: ConfigMap}]
    fieldPaths: [spec.replicas]`,
    expect: {
      'ConfigMap/src': { 'data.x': undefined }, 'ConfigMap/other': { 'data.x': '1' },
      'Deployment/dep': { 'data.x': 7, 'spec.replicas': 7 }, 'Tgt/t': { 'data.x': 7 },
    },
  },
  {
    name: 'source and targets are found by names they had before renames',
    prepare: (rs) => {
      for (const r of rs) { r.rememberId(); r.name = `p-${r.name}`; }
      const cm = find(rs, 'ConfigMap', 'p-src');
      cm.rememberId();
      cm.namespace = 'moved';
    },
    replacements: `
- source: {kind: ConfigMap, name: src, fieldPath: data.word}
  targets:
  - select: {kind: ConfigMap, name: other}
    fieldPaths: [data.x]
  - select: {name: t}
    fieldPaths: [spec.s]
  - select: {kind: Deployment, name: p-dep}
    reject: [{name: p-src}]
    fieldPaths: [metadata.annotations.x]
    options: {create: true}`,
    expect: { 'ConfigMap/p-other': { 'data.x': 'hello' }, 'Tgt/p-t': { 'spec.s': 'hello' }, 'Deployment/p-dep': { 'metadata.annotations.x': 'hello' } },
  },
  // --- errors
  { name: 'no source', replacements: '- targets: [{select: {kind: Tgt}}]', error: 'replacements must specify a source and at least one target' },
  { name: 'no targets', replacements: '- source: {kind: Tgt}', error: 'replacements must specify a source and at least one target' },
  { name: 'empty targets', replacements: '- source: {kind: Tgt}\n  targets: []', error: 'replacements must specify a source and at least one target' },
  { name: 'target without select', replacements: '- source: {kind: Tgt}\n  targets: [{fieldPaths: [spec.s]}]', error: 'target must specify resources to select' },
  { name: 'source matches several', replacements: '- source: {version: v1}\n  targets: [{select: {kind: Tgt}}]', error: 'multiple matches for selector [noKind].v1.[noGrp]/[noName].[noNs]' },
  {
    name: 'source matches nothing (selector printed with path and options)',
    replacements: '- source: {kind: Nope, name: x, namespace: ns, group: g, version: v, fieldPath: a.b, options: {delimiter: "/", index: 2, create: true}}\n  targets: [{select: {kind: Tgt}}]',
    error: 'nothing selected by Nope.v.g/x.ns:a.b:/(2), create=true',
  },
  { name: 'source field missing', replacements: '- source: {kind: Tgt, fieldPath: spec.zzz}\n  targets: [{select: {kind: Tgt}}]', error: 'fieldPath `spec.zzz` is missing for replacement source Tgt.[noVer].[noGrp]/[noName].[noNs]' },
  { name: 'source [k=v] is exact', replacements: '- source: {kind: Deployment, fieldPath: "spec.template.spec.containers.[name=ap]"}\n  targets: [{select: {kind: Tgt}}]', error: 'fieldPath `spec.template.spec.containers.[name=ap]` is missing for replacement source Deployment.[noVer].[noGrp]/[noName].[noNs]' },
  { name: 'source [i] suffix is not an index', replacements: '- source: {kind: Tgt, fieldPath: "spec.l[0]"}\n  targets: [{select: {kind: Tgt}}]', error: 'fieldPath `spec.l[0]` is missing for replacement source Tgt.[noVer].[noGrp]/[noName].[noNs]' },
  { name: 'source null is missing', replacements: '- source: {kind: Tgt, fieldPath: spec.n}\n  targets: [{select: {kind: Tgt}}]', error: 'fieldPath `spec.n` is missing for replacement source Tgt.[noVer].[noGrp]/[noName].[noNs]' },
  { name: 'source wildcard', replacements: '- source: {kind: ConfigMap, name: src, fieldPath: data.*}\n  targets: [{select: {kind: Tgt}}]', error: 'error looking up replacement source: wildcard is not supported in PathGetter' },
  { name: 'source list selector without =', replacements: '- source: {kind: Deployment, fieldPath: "spec.template.spec.containers.[name]"}\n  targets: [{select: {kind: Tgt}}]', error: 'error looking up replacement source: list path element must contain fieldName=fieldValue for element to match' },
  {
    name: 'source key into a scalar',
    replacements: '- source: {kind: Deployment, fieldPath: "spec.template.spec.containers.[name=app].image.x"}\n  targets: [{select: {kind: Tgt}}]',
    error: 'error looking up replacement source: wrong node kind: expected MappingNode but got ScalarNode: node contents:\nfoo:1.0\n',
  },
  {
    name: 'source list selector on a map',
    replacements: '- source: {kind: Tgt, fieldPath: "spec.[name=app]"}\n  targets: [{select: {kind: Tgt}}]',
    error: 'error looking up replacement source: wrong node kind: expected SequenceNode but got MappingNode: node contents:\nb: false\nf: 1.5\nn: null\ns: str\nm:\n  k: v\nl:\n- 1\n- 2\n',
  },
  { name: 'source index out of bounds', replacements: '- source: {kind: ConfigMap, name: src, fieldPath: data.img, options: {delimiter: ":", index: 2}}\n  targets: [{select: {kind: Tgt}}]', error: 'options.index 2 is out of bounds for value nginx:1.2.3' },
  { name: 'source negative index', replacements: '- source: {kind: ConfigMap, name: src, fieldPath: data.img, options: {delimiter: ":", index: -1}}\n  targets: [{select: {kind: Tgt}}]', error: 'options.index -1 is out of bounds for value nginx:1.2.3' },
  { name: 'source delimiter on a map', replacements: '- source: {kind: Tgt, fieldPath: spec.m, options: {delimiter: "-"}}\n  targets: [{select: {kind: Tgt}, fieldPaths: [spec.s]}]', error: 'delimiter option can only be used with scalar nodes' },
  { name: 'target delimiter on a map', replacements: '- source: {kind: Tgt, fieldPath: spec.s}\n  targets: [{select: {kind: Tgt}, fieldPaths: [spec.m], options: {delimiter: "-"}}]', error: 'delimiter option can only be used with scalar nodes' },
  { name: 'target field missing', replacements: '- source: {kind: Tgt}\n  targets: [{select: {kind: Tgt}, fieldPaths: [spec.zzz]}]', error: 'unable to find field "spec.zzz" in replacement target' },
  { name: 'target index past the end', replacements: '- source: {kind: Tgt}\n  targets: [{select: {kind: Tgt}, fieldPaths: [spec.l.5]}]', error: 'unable to find field "spec.l.5" in replacement target: index 5 specified but only 2 elements found' },
  { name: 'target index past the append position with create', replacements: '- source: {kind: Tgt}\n  targets: [{select: {kind: Tgt}, fieldPaths: [spec.l.5], options: {create: true}}]', error: 'unable to find or create field "spec.l.5" in replacement target: index 5 specified but only 2 elements found' },
  {
    name: 'target * under a created map',
    replacements: '- source: {kind: Tgt, fieldPath: spec.b}\n  targets: [{select: {kind: Tgt}, fieldPaths: ["spec.c5.*.x"], options: {create: true}}]',
    error: 'unable to find or create field "spec.c5.*.x" in replacement target: wrong node kind: expected SequenceNode but got MappingNode: node contents:\n{}\n',
  },
  {
    name: 'target - is a key, not the last item',
    replacements: '- source: {kind: Tgt, fieldPath: spec.s}\n  targets: [{select: {kind: Tgt}, fieldPaths: [spec.l.-]}]',
    error: 'unable to find field "spec.l.-" in replacement target: wrong node kind: expected MappingNode but got SequenceNode: node contents:\n- 1\n- 2\n',
  },
  { name: 'text that is not an int into an int', replacements: '- source: {kind: ConfigMap, name: src, fieldPath: data.word}\n  targets: [{select: {kind: Deployment}, fieldPaths: [spec.replicas]}]', error: 'map[string]interface {}(nil): yaml: cannot decode !!str `hello` as a !!int' },
  { name: 'an int into a bool', replacements: '- source: {kind: ConfigMap, name: src, fieldPath: data.num}\n  targets: [{select: {kind: Tgt}, fieldPaths: [spec.b]}]', error: 'map[string]interface {}(nil): yaml: cannot decode !!int `7` as a !!bool' },
  { name: 'a bool into a float', replacements: '- source: {kind: ConfigMap, name: src, fieldPath: data.flag}\n  targets: [{select: {kind: Tgt}, fieldPaths: [spec.f]}]', error: 'map[string]interface {}(nil): yaml: cannot decode !!bool `true` as a !!float' },
  { name: 'a string into null', replacements: '- source: {kind: ConfigMap, name: src, fieldPath: data.word}\n  targets: [{select: {kind: Tgt}, fieldPaths: [spec.n]}]', error: 'map[string]interface {}(nil): yaml: cannot decode !!str `hello` as a !!null' },
  { name: 'a map into a float', replacements: '- source: {kind: Tgt, fieldPath: spec.m}\n  targets: [{select: {kind: Tgt}, fieldPaths: [spec.f]}]', error: 'map[string]interface {}(nil): yaml: cannot decode !!null `` as a !!float' },
  // --- shape errors (Go's JSON decoder wording)
  { name: 'shape: namespace not a string', replacements: '- source: {kind: Tgt, namespace: true}\n  targets: [{select: {kind: Tgt}}]', error: 'json: cannot unmarshal bool into Go struct field SourceSelector.source.namespace of type string' },
  { name: 'shape: targets not a list', replacements: '- source: {kind: Tgt}\n  targets: x', error: 'json: cannot unmarshal string into Go struct field Replacement.targets of type []*types.TargetSelector' },
  { name: 'shape: index not an int', replacements: '- source: {kind: Tgt, options: {index: "1"}}\n  targets: [{select: {kind: Tgt}}]', error: 'json: cannot unmarshal string into Go struct field FieldOptions.source.options.index of type int' },
  { name: 'shape: fieldPaths item not a string', replacements: '- source: {kind: Tgt}\n  targets: [{select: {kind: Tgt}, fieldPaths: [1]}]', error: 'json: cannot unmarshal number into Go struct field TargetSelector.targets.fieldPaths of type string' },
  { name: 'shape: select not a map', replacements: '- source: {kind: Tgt}\n  targets: [{select: Tgt}]', error: 'json: cannot unmarshal string into Go struct field TargetSelector.targets.select of type types.Selector' },
  { name: 'shape: replacement not a map', replacements: '- just-a-string', error: 'json: cannot unmarshal string into Go value of type types.Replacement' },
];

describe('applyReplacements (kustomize v5.5.0)', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const rs = load();
      c.prepare?.(rs);
      const reps = parse(c.replacements) as unknown[];
      if (c.error !== undefined) {
        // A text its target's type cannot take is kept and reported when the object is printed
        // (the engine fails the build then): the error waits on the resource.
        let thrown: unknown;
        try { applyReplacements(rs, reps, SRC); } catch (e) { thrown = e; }
        const e = thrown ?? rs.flatMap((r) => r.invalidScalars)[0];
        assert.ok(e instanceof KustomizeError, `expected the error ${c.error}`);
        assert.equal(e.message, c.error);
        assert.deepEqual(e.source, SRC);
        return;
      }
      applyReplacements(rs, reps, SRC);
      for (const [id, fields] of Object.entries(c.expect ?? {})) {
        const [kind, name] = id.split('/') as [string, string];
        const r = find(rs, kind, name);
        for (const [path, want] of Object.entries(fields)) assert.deepEqual(get(r, path), want, `${id} ${path}`);
      }
    });
  }

  test('changed fields record their origin with the concrete path', () => {
    const rs = load();
    applyReplacements(rs, parse(`
- source: {kind: ConfigMap, name: src, fieldPath: data.num}
  targets:
  - select: {kind: Deployment}
    fieldPaths: ["spec.template.spec.containers.[name=side].env.[name=A].value", spec.replicas]`) as unknown[], SRC);
    const d = find(rs, 'Deployment', 'dep');
    assert.deepEqual(d.fieldOrigins.get('spec.template.spec.containers[2].env[0].value'), [{ by: 'replacements', source: SRC, value: '7' }]);
    assert.deepEqual(d.fieldOrigins.get('spec.replicas'), [{ by: 'replacements', source: SRC, value: 7 }]);
    assert.equal(d.fieldOrigins.size, 2);
  });

  test('replacements run in order: a later one reads what an earlier one wrote', () => {
    const rs = load();
    applyReplacements(rs, parse(`
- source: {kind: ConfigMap, name: src, fieldPath: data.word}
  targets: [{select: {kind: Tgt}, fieldPaths: [spec.s]}]
- source: {kind: Tgt, fieldPath: spec.s}
  targets: [{select: {kind: ConfigMap, name: other}, fieldPaths: [data.x]}]`) as unknown[], SRC);
    assert.equal(get(find(rs, 'ConfigMap', 'other'), 'data.x'), 'hello');
  });
});

describe('field paths', () => {
  const splits: [string, string[]][] = [
    ['spec.template.spec.containers.[name=app].image', ['spec', 'template', 'spec', 'containers', '[name=app]', 'image']],
    ['metadata.annotations.[a.b/c]', ['metadata', 'annotations', 'a.b/c']],
    ['spec.[name=com.foo.app].x', ['spec', '[name=com.foo.app]', 'x']],
    ['data.a\\.b', ['data', 'a.b']],
    ['.a.b', ['a', 'b']],
    ['a.*.b', ['a', '*', 'b']],
    ['a[0]', ['a[0]']],
  ];
  for (const [p, want] of splits) test(`splitFieldPath ${p}`, () => assert.deepEqual(splitFieldPath(p), want));

  test('splitVarFieldPath turns x[0] into x.0', () => {
    assert.deepEqual(splitVarFieldPath('spec.ports[0].port'), ['spec', 'ports', '0', 'port']);
    assert.deepEqual(splitVarFieldPath('a.[1]'), ['a', '1']);
  });

  test('formatPath', () => assert.equal(formatPath(['a', 0, 'b', 'c.d', 1]), 'a[0].b.c.d[1]'));

  test('lookupField: exact [k=v], [=v] on scalars, - for last, negative index error, null is missing', () => {
    const o = { a: [{ n: 'x', v: 1 }, { n: 'xy', v: 2 }], s: ['p', 'q'], z: null };
    assert.deepEqual(lookupField(o, ['a', '[n=xy]', 'v']), { value: 2, path: ['a', 1, 'v'] });
    assert.deepEqual(lookupField(o, ['s', '[=q]'])?.path, ['s', 1]);
    assert.equal(lookupField(o, ['s', '-'])?.value, 'q');
    assert.equal(lookupField(o, ['z', 'k']), undefined);
    assert.throws(() => lookupField(o, ['s', '-1']), /array index -1 cannot be negative/);
  });

  test('matchFields: unanchored expressions, [=v] matches the item itself', () => {
    const o = { a: [{ n: 'x' }, { n: 'yx' }, { n: 'z' }] };
    assert.deepEqual(matchFields(o, ['a', '[n=x]', 'n']).map((m) => m.path), [['a', 0, 'n'], ['a', 1, 'n']]);
    assert.deepEqual(matchFields(o, ['a', '[n=^x$]']).map((m) => m.path), [['a', 0]]);
  });

  test('decodeScalar / resolvePlainScalar follow YAML 1.2 core scalars', () => {
    assert.deepEqual(resolvePlainScalar('0x1F'), { tag: 'int', value: 31 });
    assert.deepEqual(resolvePlainScalar('1_000'), { tag: 'int', value: 1000 });
    assert.deepEqual(resolvePlainScalar('1e3'), { tag: 'float', value: 1000 });
    assert.deepEqual(resolvePlainScalar('yes'), { tag: 'str', value: 'yes' });
    assert.deepEqual(resolvePlainScalar('~'), { tag: 'null', value: null });
    assert.equal(decodeScalar('3', 'float'), 3);
    assert.equal(decodeScalar('3', 'str'), '3');
    assert.throws(() => decodeScalar('1.5', 'int'), /cannot decode !!float `1.5` as a !!int/);
  });
});

describe('applyReplacements: per-entry sources', () => {
  test('errors and origins point at the entry given for each replacement', () => {
    const rs = load();
    const first: SourceRef = { file: '/repo/app/r1.yaml' };
    const second: SourceRef = { file: '/repo/app/r2.yaml' };
    const reps = parse(`
- source: {kind: ConfigMap, name: src, fieldPath: data.word}
  targets: [{select: {kind: Tgt}, fieldPaths: [spec.s]}]
- source: {kind: Nope}
  targets: [{select: {kind: Tgt}}]`) as unknown[];
    assert.throws(() => applyReplacements(rs, reps, SRC, [first, second]), (e: unknown) => {
      assert.ok(e instanceof KustomizeError);
      assert.deepEqual(e.source, second);
      return true;
    });
    assert.deepEqual(find(rs, 'Tgt', 't').fieldOrigins.get('spec.s')?.[0]?.source, first);
  });
});
