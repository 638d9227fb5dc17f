// The engine APIs the language server builds on: partial renders that collect every error,
// the files a failed build read, how many resources each targeted patch selected, and where any
// rendered field came from.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Engine, KustomizeError, MemoryHost } from '../../server/src/engine/index';

const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: b\n`;
const line = (e: { source?: { range?: { start: { line: number } } } }) => (e.source?.range?.start.line ?? -1) + 1;

describe('collectErrors', () => {
  test('renders what can be rendered and reports each failing entry at its line', () => {
    const h = new MemoryHost({
      '/a/kustomization.yaml': 'resources:\n- ok.yaml\n- missing.yaml\npatches:\n- path: nope.yaml\nnamePrefix: x-\nimages:\n- name: nginx\n  newTag: "2"\n',
      '/a/ok.yaml': CM('c'),
    });
    const r = new Engine(h).build('/a', { collectErrors: true });
    assert.deepEqual(r.resources.map((x) => x.name), ['x-c']);
    assert.deepEqual(r.errors.map((e) => [e.source?.file, line(e)]), [['/a/kustomization.yaml', 3], ['/a/kustomization.yaml', 5]]);
    assert.match(r.errors[0]!.message, /missing\.yaml/);
  });

  test('without it the first error is thrown, as kustomize fails, carrying the files read so far', () => {
    const h = new MemoryHost({ '/a/kustomization.yaml': 'resources:\n- ok.yaml\n- missing.yaml\n', '/a/ok.yaml': CM('c') });
    assert.throws(() => new Engine(h).build('/a'), (e: unknown) => {
      assert.ok(e instanceof KustomizeError);
      assert.ok(e.filesRead?.includes('/a/ok.yaml'), String(e.filesRead));
      return true;
    });
  });

  test('an unreadable root still answers with the error instead of throwing', () => {
    const r = new Engine(new MemoryHost({ '/a/kustomization.yaml': 'resources: [\n' })).build('/a', { collectErrors: true });
    assert.equal(r.resources.length, 0);
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0]!.source?.file, '/a/kustomization.yaml');
  });
});

describe('selections', () => {
  test('each targeted patch says how many resources it selected', () => {
    const h = new MemoryHost({
      '/a/kustomization.yaml': 'resources:\n- cms.yaml\npatches:\n- target:\n    kind: ConfigMap\n  patch: |-\n    - op: add\n      path: /data/x\n      value: y\n- target:\n    name: nothing-.*\n  patch: |-\n    - op: add\n      path: /data/x\n      value: y\n',
      '/a/cms.yaml': CM('one') + '---\n' + CM('two'),
    });
    const r = new Engine(h).build('/a');
    assert.deepEqual(r.selections.map((s) => [line({ source: s.source }), s.matched]), [[4, 2], [10, 0]]);
  });
});

describe('fieldSource', () => {
  test('a patched field points at the patch line; an untouched one at its base line, across a reordering merge', () => {
    const h = new MemoryHost({
      '/base/kustomization.yaml': 'resources:\n- d.yaml\n',
      '/base/d.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n      - name: side\n        image: side:1\n      - name: web\n        image: web:1\n',
      '/prod/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: p.yaml\n',
      '/prod/p.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 5\n  template:\n    spec:\n      containers:\n      - name: web\n        env:\n        - name: A\n          value: b\n',
    });
    const e = new Engine(h);
    const d = e.build('/prod').resources[0]!;
    const at = (p: string) => { const s = e.fieldSource(d, p); return [s?.file, line({ source: s })]; };
    assert.deepEqual(at('spec.replicas'), ['/prod/p.yaml', 6]);
    // The merge put the patched container first: [0] is web, [1] is side.
    assert.equal((d.obj as any).spec.template.spec.containers[1].name, 'side');
    assert.deepEqual(at('spec.template.spec.containers[1].image'), ['/base/d.yaml', 11]);
    assert.deepEqual(at('spec.template.spec.containers[0].image'), ['/base/d.yaml', 13]);
    assert.deepEqual(at('spec.template.spec.containers[0].env[0].value'), ['/prod/p.yaml', 13]);
  });
});
