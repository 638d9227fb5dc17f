// Bad input is answered by diagnostics and the server stays alive: malformed YAML, a binary file, a
// 20 MB file, a cycle, an unsaved broken buffer, a file deleted under an open environment.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { before, describe, it } from 'node:test';
import type { CompletionList, Hover } from 'vscode-languageserver-protocol';
import type { RenderResult } from '../../server/src/protocol';
import { Client, ensureBuilt, fixture, formatDiagnostics } from './lsp';

before(() => ensureBuilt());

describe('bad input', () => {
  it('binary file, 20 MB file, malformed YAML, cycle: diagnostics, server alive', async () => {
    const f = fixture(`
//- /ws/bin/kustomization.yaml
resources:
- blob.yaml
//- /ws/big/kustomization.yaml
resources:
- huge.yaml
//- /ws/bad/kustomization.yaml
resources: [
//- /ws/a/kustomization.yaml
resources:
- ../b
//- /ws/b/kustomization.yaml
resources:
- ../a
//- /ws/ok/kustomization.yaml
resources:
- cm.yaml
//- /ws/ok/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: ok
`);
    fs.writeFileSync(f.path('ws/bin/blob.yaml'), Buffer.from([0, 1, 2, 3, 255, 254, 0, 10]));
    const line = 'key: ' + 'x'.repeat(1000) + '\n';
    fs.writeFileSync(f.path('ws/big/huge.yaml'), line.repeat(20 * 1024));
    const t0 = Date.now();
    const c = await Client.start([f.path('ws')]);
    try {
      assert.ok(Date.now() - t0 < 20_000);
      const got = formatDiagnostics(f, c.diagnostics).join('\n');
      assert.match(got, /ws\/bin\/kustomization\.yaml:2: error render: .*blob\.yaml: binary file, not YAML/);
      assert.match(got, /ws\/big\/kustomization\.yaml:2: error render: .*huge\.yaml: file too large to read as YAML \(19\.\d MB/);
      assert.match(got, /ws\/bad\/kustomization\.yaml:\d: error yaml:/);
      assert.match(got, /ws\/a\/kustomization\.yaml:2: error cycle: cycle detected: a -> b -> a/);
      const r = await c.request<RenderResult>('gitopsLens/render', { environment: 'ok' });
      assert.match(r.yaml, /name: ok/);
      // A broken unsaved buffer, then a request on it.
      const k = f.uri('ws/ok/kustomization.yaml');
      await c.open(k, 'resources:\n- cm.yaml\n');
      await c.change(k, 'resources:\n- cm.yaml\n  : : [\n\t\u0000');
      await c.settled();
      await c.request<CompletionList | null>('textDocument/completion', { textDocument: { uri: k }, position: { line: 2, character: 3 } });
      await c.request<Hover | null>('textDocument/hover', { textDocument: { uri: k }, position: { line: 3, character: 1 } });
      const failed = await c.request<RenderResult>('gitopsLens/render', { environment: 'ok' });
      assert.ok(failed.error);
      assert.equal(failed.stale, true);
      assert.match(failed.yaml, /name: ok/, 'the last good render is shown, marked stale');
      // Deleted under the server: watched-file notification.
      fs.rmSync(f.path('ws/ok/cm.yaml'));
      await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: f.uri('ws/ok/cm.yaml'), type: 3 }] });
      await c.change(k, 'resources:\n- cm.yaml\n');
      await c.settled();
      assert.match(formatDiagnostics(f, c.diagnostics).join('\n'), /ws\/ok\/kustomization\.yaml:2: error missing-file/);
      assert.ok(c.alive(), c.errors());
    } finally { await c.stop(); }
  });
});
