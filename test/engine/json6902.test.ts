// JSON 6902 patches: expected results and error messages were produced by running `kubectl kustomize`
// (kustomize v5.5.0) with each patch as a `patches: - path: ... target: {kind: ConfigMap}` entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyJson6902, parseJson6902 } from '../../server/src/engine/filters/json6902';
import { deepClone, KustomizeError, type JsonObject, type JsonValue } from '../../server/src/engine/resource';

interface Case {
  name: string;
  target: JsonObject;
  patch: string;
  expected?: JsonValue;
  error?: string;
}

const CASES: Case[] = [
  {
    name: 'replace-missing-key',
    target: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c'}, 'data': {'a': '1'}},
    patch: '[{"op": "replace", "path": "/data/b", "value": "2"}]',
    expected: {'apiVersion': 'v1', 'data': {'a': '1', 'b': '2'}, 'kind': 'ConfigMap', 'metadata': {'name': 'c'}},
  },
  {
    name: 'add-missing-parent',
    target: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c'}, 'data': {'a': '1'}},
    patch: '[{"op": "add", "path": "/x/y", "value": "2"}]',
    error: 'add operation does not apply: doc is missing path: "/x/y": missing value',
  },
  {
    name: 'remove-missing',
    target: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c'}, 'data': {'a': '1'}},
    patch: '[{"op": "remove", "path": "/data/b"}]',
    error: "error in remove for path: '/data/b': Unable to remove nonexistent key: b: missing value",
  },
  {
    name: 'remove-missing-parent',
    target: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c'}, 'data': {'a': '1'}},
    patch: '[{"op": "remove", "path": "/x/b"}]',
    error: 'remove operation does not apply: doc is missing path: "/x/b": missing value',
  },
  {
    name: 'replace-missing-parent',
    target: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c'}, 'data': {'a': '1'}},
    patch: '[{"op": "replace", "path": "/x/b", "value": 1}]',
    error: 'replace operation does not apply: doc is missing path: /x/b: missing value',
  },
  {
    name: 'test-fail',
    target: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c'}, 'data': {'a': '1'}},
    patch: '- op: test\n  path: /data/a\n  value: "2"\n',
    error: 'testing value /data/a failed: test failed',
  },
  {
    name: 'test-ok-then-ops',
    target: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c'}, 'data': {'a': '1', 'x/y': 's', 't~': 'u'}, 'list': [1, 2, 3]},
    patch: '- {op: test, path: /data/a, value: "1"}\n- {op: move, from: /data/x~1y, path: /data/moved}\n- {op: copy, from: /data/t~0, path: /data/copied}\n- {op: add, path: /list/-, value: 4}\n- {op: add, path: /list/0, value: 0}\n- {op: replace, path: /list/-1, value: 9}\n- {op: remove, path: /list/1}\n',
    expected: {'apiVersion': 'v1', 'data': {'a': '1', 'copied': 'u', 'moved': 's', 't~': 'u'}, 'kind': 'ConfigMap', 'list': [0, 2, 3, 9], 'metadata': {'name': 'c'}},
  },
  {
    name: 'array-out-of-range',
    target: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c'}, 'list': [1, 2]},
    patch: '[{"op": "replace", "path": "/list/5", "value": 1}]',
    error: 'replace operation does not apply: doc is missing key: /list/5: missing value',
  },
  {
    name: 'array-add-out-of-range',
    target: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c'}, 'list': [1, 2]},
    patch: '[{"op": "add", "path": "/list/3", "value": 1}]',
    error: "error in add for path: '/list/3': Unable to access invalid index: 3: invalid index referenced",
  },
  {
    name: 'array-add-bad-index',
    target: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c'}, 'list': [1, 2]},
    patch: '[{"op": "add", "path": "/list/x", "value": 1}]',
    error: "error in add for path: '/list/x': value was not a proper array index: 'x': strconv.Atoi: parsing \"x\": invalid syntax",
  },
  {
    name: 'remove-array-missing',
    target: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c'}, 'list': [1, 2]},
    patch: '[{"op": "remove", "path": "/list/2"}]',
    error: "error in remove for path: '/list/2': Unable to access invalid index: 2: invalid index referenced",
  },
  {
    name: 'bad-op',
    target: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c'}, 'list': [1, 2]},
    patch: '[{"op": "frob", "path": "/list/0"}]',
    error: 'Unexpected kind: frob',
  },
  {
    name: 'move-missing-from',
    target: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c'}, 'data': {'a': '1'}},
    patch: '[{"op": "move", "from": "/data/zz", "path": "/data/b"}]',
    error: "error in move for path: 'zz': Unable to remove nonexistent key: zz: missing value",
  },
  {
    name: 'copy-missing-from',
    target: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c'}, 'data': {'a': '1'}},
    patch: '[{"op": "copy", "from": "/data/zz", "path": "/data/b"}]',
    expected: {'apiVersion': 'v1', 'data': {'a': '1', 'b': null}, 'kind': 'ConfigMap', 'metadata': {'name': 'c'}},
  },
  {
    name: 'test-missing',
    target: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c'}, 'data': {'a': '1'}},
    patch: '[{"op": "test", "path": "/data/zz", "value": "1"}]',
    error: 'testing value /data/zz failed: test failed',
  },
  {
    name: 'test-missing-null',
    target: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c'}, 'data': {'a': '1'}},
    patch: '[{"op": "test", "path": "/data/zz", "value": null}]',
    expected: {'apiVersion': 'v1', 'data': {'a': '1'}, 'kind': 'ConfigMap', 'metadata': {'name': 'c'}},
  },
  {
    name: 'add-replaces-existing',
    target: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c'}, 'data': {'a': '1'}},
    patch: '[{"op": "add", "path": "/data/a", "value": {"n": [1]}}]',
    expected: {'apiVersion': 'v1', 'data': {'a': {'n': [1]}}, 'kind': 'ConfigMap', 'metadata': {'name': 'c'}},
  },
  {
    name: 'replace-array-dash',
    target: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c'}, 'list': [1, 2]},
    patch: '[{"op": "replace", "path": "/list/-", "value": 1}]',
    error: 'replace operation does not apply: doc is missing key: /list/-: missing value',
  },
  {
    name: 'path-through-scalar',
    target: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c'}, 'data': {'a': '1'}},
    patch: '[{"op": "add", "path": "/data/a/b", "value": 1}]',
    error: 'add operation does not apply: doc is missing path: "/data/a/b": missing value',
  },
  {
    name: 'remove-negative',
    target: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c'}, 'list': [1, 2, 3]},
    patch: '[{"op": "remove", "path": "/list/-1"}]',
    expected: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'list': [1, 2], 'metadata': {'name': 'c'}},
  },
  {
    name: 'add-root-empty-path',
    target: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c'}, 'list': [1, 2, 3]},
    patch: '[{"op": "add", "path": "", "value": {"a": 1}}]',
    error: 'add operation does not apply: doc is missing path: "": missing value',
  },
  {
    name: 'missing-path-field',
    target: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c'}, 'list': [1, 2, 3]},
    patch: '[{"op": "add", "value": 1}]',
    error: 'add operation failed to decode path: missing value',
  },
];

for (const c of CASES) {
  test(`json6902: ${c.name}`, () => {
    const before = deepClone(c.target);
    if (c.error !== undefined) {
      assert.throws(() => applyJson6902(c.target, c.patch), (e: unknown) => e instanceof KustomizeError && e.message === c.error);
    } else {
      assert.deepEqual(applyJson6902(c.target, c.patch), c.expected);
    }
    assert.deepEqual(c.target, before, 'target is not modified');
  });
}

test('json6902: parsed operations are accepted as well as text', () => {
  const t: JsonObject = { a: { b: [1] } };
  assert.deepEqual(applyJson6902(t, [{ op: 'add', path: '/a/b/-', value: { c: null } }]), { a: { b: [1, { c: null }] } });
});

test('json6902: parse JSON text, YAML text, and reject what kustomize rejects', () => {
  assert.deepEqual(parseJson6902('[{"op":"remove","path":"/a"}]'), [{ op: 'remove', path: '/a' }]);
  assert.deepEqual(parseJson6902('# ops\n- op: add\n  path: /a\n  value: {b: 1}\n'), [{ op: 'add', path: '/a', value: { b: 1 } }]);
  assert.deepEqual(parseJson6902('- {op: test, path: /x, value: "1"}\n---\n- {op: remove, path: /y}\n'), [{ op: 'test', path: '/x', value: '1' }]);
  assert.throws(() => parseJson6902(''), /empty json patch operations/);
  assert.throws(() => parseJson6902('op: add\npath: /a\n'), /cannot unmarshal object into Go value of type jsonpatch.Patch/);
  assert.throws(() => parseJson6902('- add\n'), /cannot unmarshal string into Go value of type jsonpatch.Operation/);
  // Text starting with '[' must be JSON, as in kustomize.
  assert.throws(() => parseJson6902('[{op: add, path: /a}]'), KustomizeError);
});

test('json6902: pointer escapes and paths through lists', () => {
  const t: JsonObject = { 'a/b': { '~c': 1 }, l: [{ n: 'x' }, { n: 'y' }] };
  assert.deepEqual(applyJson6902(t, '[{"op":"replace","path":"/a~1b/~0c","value":2},{"op":"add","path":"/l/1/m","value":true},{"op":"remove","path":"/l/-2/n"}]'),
    { 'a/b': { '~c': 2 }, l: [{}, { n: 'y', m: true }] });
});
