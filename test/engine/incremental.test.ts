// Re-building with one Engine after an edit: the change shows in the output, and files whose version
// did not change are not read (so not parsed) again. A counting host between the engine and the
// MemoryHost / OverlayHost observes the reads.
//
// Run: node --import tsx --test test/engine/incremental.test.ts

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { harness, type Harness } from './harness';
import { Engine, MemoryHost, OverlayHost, type FileHost } from '../../server/src/engine/index';
import type { FileKind } from '../../server/src/engine/host';

/** Passes everything through and counts readFile calls per path. */
class CountingHost implements FileHost {
  reads = new Map<string, number>();
  constructor(private readonly inner: FileHost, private readonly withVersions = true) {}
  stat(path: string): FileKind | undefined { return this.inner.stat(path); }
  readFile(path: string): string {
    this.reads.set(path, (this.reads.get(path) ?? 0) + 1);
    return this.inner.readFile(path);
  }
  readDirectory(path: string): string[] { return this.inner.readDirectory(path); }
  get version(): ((path: string) => string | number | undefined) | undefined {
    return this.withVersions && this.inner.version ? (p) => this.inner.version!(p) : undefined;
  }
  realPath(path: string): string { return this.inner.realPath ? this.inner.realPath(path) : path; }
  /** Paths read since the last call, relative to `root`, sorted. */
  take(root: string): string[] {
    const out = [...this.reads.keys()].map((p) => p.slice(root.length + 1)).sort();
    this.reads.clear();
    return out;
  }
}

const DEPLOY = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n';
const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: base\n';

function tree(t: Harness): void {
  t.writeK('base', 'resources:\n- deploy.yaml\n- cm.yaml\n');
  t.writeF('base/deploy.yaml', DEPLOY);
  t.writeF('base/cm.yaml', CM);
  t.writeK('overlay', 'namePrefix: prod-\nresources:\n- ../base\npatches:\n- path: replicas.yaml\n');
  t.writeF('overlay/replicas.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n');
}

const ALL = ['base/cm.yaml', 'base/deploy.yaml', 'base/kustomization.yaml', 'overlay/kustomization.yaml', 'overlay/replicas.yaml'];

function replicas(t: Harness, dir = 'overlay'): unknown {
  const d = t.build(dir).resources.find((r) => r.kind === 'Deployment')!;
  return (d.obj.spec as { replicas?: unknown }).replicas;
}

function setup(): { t: Harness; mem: MemoryHost; overlay: OverlayHost; counting: CountingHost } {
  const mem = new MemoryHost();
  const overlay = new OverlayHost(mem);
  const counting = new CountingHost(overlay);
  const t = harness({ host: mem, engineHost: counting });
  tree(t);
  return { t, mem, overlay, counting };
}

describe('incremental builds with one Engine', () => {
  test('the first build reads every file once; an unchanged re-build reads none', () => {
    const { t, counting } = setup();
    const first = t.build('overlay');
    assert.deepEqual(counting.take(t.root), ALL);
    assert.ok([...counting.reads.values()].every((n) => n === 1));
    const second = t.build('overlay');
    assert.deepEqual(counting.take(t.root), []);
    assert.equal(second.yaml, first.yaml);
    assert.deepEqual([...second.result.files].sort(), ALL.map((p) => t.abs(p)), 'files still lists every input');
  });

  test('changing one file on the host: the change shows and only that file is read again', () => {
    const { t, counting } = setup();
    assert.equal(replicas(t), 3);
    counting.take(t.root);
    t.writeF('overlay/replicas.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 7\n');
    assert.equal(replicas(t), 7);
    assert.deepEqual(counting.take(t.root), ['overlay/replicas.yaml']);
  });

  test('an unsaved buffer over a base file wins, and closing it goes back to the file', () => {
    const { t, overlay, counting } = setup();
    const before = t.build('overlay').yaml;
    counting.take(t.root);

    overlay.setBuffer(t.abs('base/cm.yaml'), CM.replace('mode: base', 'mode: edited'), 1);
    const edited = t.build('overlay');
    assert.match(edited.yaml, /mode: edited/);
    assert.deepEqual(counting.take(t.root), ['base/cm.yaml']);

    overlay.setBuffer(t.abs('base/cm.yaml'), CM.replace('mode: base', 'mode: again'), 2);
    assert.match(t.build('overlay').yaml, /mode: again/);
    assert.deepEqual(counting.take(t.root), ['base/cm.yaml']);

    overlay.deleteBuffer(t.abs('base/cm.yaml'));
    assert.equal(t.build('overlay').yaml, before);
    assert.deepEqual(counting.take(t.root), ['base/cm.yaml']);
  });

  test('editing a kustomization re-reads it and the newly referenced file only', () => {
    const { t, counting } = setup();
    t.build('overlay');
    counting.take(t.root);
    t.writeF('overlay/extra.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: extra\n');
    t.writeK('overlay', 'namePrefix: prod-\nresources:\n- ../base\n- extra.yaml\npatches:\n- path: replicas.yaml\n');
    const b = t.build('overlay');
    assert.ok(b.resources.some((r) => r.kind === 'Secret' && r.name === 'prod-extra'));
    assert.deepEqual(counting.take(t.root), ['overlay/extra.yaml', 'overlay/kustomization.yaml']);
  });

  test('a build after an edit that breaks a file fails there, and fixing it builds again', () => {
    const { t, counting } = setup();
    t.build('overlay');
    t.writeF('base/deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: [web\n');
    t.expectError('overlay', /yaml/, { file: 'base/deploy.yaml' });
    t.writeF('base/deploy.yaml', DEPLOY);
    assert.equal(replicas(t), 3);
    counting.take(t.root);
    assert.equal(replicas(t), 3);
    assert.deepEqual(counting.take(t.root), [], 'the fixed file is cached again');
  });

  test('builds of two overlays share the parsed base', () => {
    const { t, counting } = setup();
    t.writeK('staging', 'nameSuffix: -stg\nresources:\n- ../base\n');
    t.build('overlay');
    counting.take(t.root);
    const b = t.build('staging');
    assert.deepEqual(b.resources.map((r) => r.name).sort(), ['settings-stg', 'web-stg']);
    assert.deepEqual(counting.take(t.root), ['staging/kustomization.yaml']);
  });

  test('results do not share objects between builds (a cached parse is copied)', () => {
    const { t } = setup();
    const a = t.build('overlay');
    (a.resources[0]!.obj.metadata as Record<string, unknown>).name = 'mutated';
    const b = t.build('overlay');
    assert.ok(b.resources.every((r) => r.name !== 'mutated'));
  });

  test('a host without versions is re-read every build, so edits are never missed', () => {
    const mem = new MemoryHost();
    const counting = new CountingHost(mem, false);
    const t = harness({ host: mem, engineHost: counting });
    tree(t);
    assert.equal(replicas(t), 3);
    counting.take(t.root);
    assert.equal(replicas(t), 3);
    assert.deepEqual(counting.take(t.root), ALL);
    t.writeF('overlay/replicas.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 8\n');
    assert.equal(replicas(t), 8);
  });
});

describe('a base reused from the sub-render cache brings its errors and patch counts (collectErrors)', () => {
  test('every overlay of a base with a remote resource and a patch that selects nothing sees both', () => {
    const host = new MemoryHost({
      '/ws/base/kustomization.yaml': 'resources:\n- https://github.com/example/platform//base?ref=v1\n- deploy.yaml\npatches:\n- target:\n    kind: Deployment\n    name: nothing-by-this-name\n  patch: |\n    - op: add\n      path: /metadata/labels/x\n      value: y\n',
      '/ws/base/deploy.yaml': DEPLOY,
      '/ws/dev/kustomization.yaml': 'resources:\n- ../base\n',
      '/ws/prod/kustomization.yaml': 'resources:\n- ../base\n',
    });
    const engine = new Engine(host);
    const seen = (dir: string) => {
      const r = engine.build(dir, { collectErrors: true });
      return { missing: r.errors.filter((e) => e.missing?.kind === 'remote').length, selections: r.selections.map((s) => s.matched) };
    };
    const dev = seen('/ws/dev');
    assert.deepEqual(dev, { missing: 1, selections: [0] });
    assert.deepEqual(seen('/ws/prod'), dev, 'the second overlay reuses the base and still sees its error and its patch count');
    assert.deepEqual(seen('/ws/dev'), dev);
  });
});

describe('included kustomizations', () => {
  test('an unsaved edit to an included overlay\'s kustomization re-renders it (the sub-render cache depends on that file)', () => {
    const disk = new MemoryHost({
      '/ws/base/kustomization.yaml': 'resources:\n- d.yaml\n',
      '/ws/base/d.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n',
      '/ws/overlay/kustomization.yaml': 'resources:\n- ../base\nreplicas:\n- name: web\n  count: 2\n',
      '/ws/cluster/kustomization.yaml': 'resources:\n- ../overlay\n',
    });
    const host = new OverlayHost(disk);
    const engine = new Engine(host);
    const replicas = () => (engine.build('/ws/cluster').resources[0]!.obj as { spec: { replicas: number } }).spec.replicas;
    assert.equal(replicas(), 2);
    host.setBuffer('/ws/overlay/kustomization.yaml', 'resources:\n- ../base\nreplicas:\n- name: web\n  count: 7\n', 1);
    assert.equal(replicas(), 7);
    host.setBuffer('/ws/overlay/kustomization.yaml', 'resources:\n- ../base\nnamePrefix: x-\nreplicas:\n- name: web\n  count: 7\n', 2);
    assert.equal(engine.build('/ws/cluster').resources[0]!.name, 'x-web');
    host.deleteBuffer('/ws/overlay/kustomization.yaml');
    assert.equal(replicas(), 2);
  });
});
