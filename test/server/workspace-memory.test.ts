// What the workspace keeps of a render (workspace/workspace.ts): whole for a root an open document is
// read by or a feature asked for lately; in outline (identities, sources, passage) for the others,
// so memory does not grow with the environments times their size. In process, on a tree in memory.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { memoryIO } from '../../server/src/workspace/memory-io';
import { Workspace } from '../../server/src/workspace/workspace';

function tree(): Record<string, string> {
  const dir = '/ws';
  const files: Record<string, string> = {};
  const w = (rel: string, text: string) => { files[path.join(dir, rel)] = text; };
  w('base/kustomization.yaml', 'resources:\n- deploy.yaml\n');
  w('base/deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx\n');
  for (const env of ['dev', 'prod']) w(`clusters/${env}/kustomization.yaml`, `resources:\n- ../../base\nnamePrefix: ${env}-\nreplicas:\n- name: web\n  count: ${env === 'prod' ? 3 : 1}\n`);
  return files;
}

test('renders no open document reads are kept in outline; a feature asking gets the whole render', async () => {
  const dir = '/ws';
  {
    const ws = new Workspace(memoryIO(tree()), { debounceMs: 0 });
    ws.addFolder('file:///ws', dir);
    ws.rebuildGraph();
    ws.renderAll();
    await ws.idle();
    const prod = path.join(dir, 'clusters/prod');
    const kept = ws.renders.get(prod)!;
    assert.equal(kept.outlineOnly, true);
    const [outline] = kept.result!.resources;
    // The outline answers what selectors and diagnostics ask: identity, labels, previous ids, passage.
    assert.deepEqual(outline!.obj, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'prod-web', labels: { app: 'web' } } });
    assert.equal(outline!.previousIds[0]?.name, 'web');
    assert.deepEqual(outline!.origin.via, [path.join(dir, 'base'), prod]);
    // A feature asking for it gets it whole (rendered again), and it stays whole.
    const whole = ws.render(prod);
    assert.equal(whole.outlineOnly, undefined);
    assert.equal((whole.result!.resources[0]!.obj.spec as { replicas: number }).replicas, 3);
    assert.ok(whole.result!.resources[0]!.fieldOrigins.has('spec.replicas'));
    assert.equal(ws.render(prod), whole);
    // An open document the render reads keeps it whole too.
    ws.host.setBuffer(path.join(dir, 'clusters/dev/kustomization.yaml'), 'resources:\n- ../../base\nnamePrefix: dev-\n');
    ws.fileChanged(path.join(dir, 'clusters/dev/kustomization.yaml'));
    await ws.idle();
    assert.equal(ws.renders.get(path.join(dir, 'clusters/dev'))!.outlineOnly, undefined);
  }
});
