// Bad input is answered by diagnostics and the server stays alive: malformed YAML, a binary file, a
// 20 MB file, a cycle, an unsaved broken buffer, a file deleted under an open environment.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { before, describe, it } from 'node:test';
import type { CompletionList, Hover } from 'vscode-languageserver-protocol';
import type { RenderResult } from '../../server/src/protocol';
import { check, expect } from './check';
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
    const c = await Client.start([f.path('ws')]);
    try {
      const out = [formatDiagnostics(f, c.diagnostics).join('\n')];
      const r = await c.request<RenderResult>('gitopsLens/render', { environment: 'ok' });
      out.push('-- render ok', r.yaml.trimEnd());
      // A broken unsaved buffer, then requests on it.
      const k = f.uri('ws/ok/kustomization.yaml');
      await c.open(k, 'resources:\n- cm.yaml\n');
      await c.change(k, 'resources:\n- cm.yaml\n  : : [\n\t\u0000');
      await c.settled();
      await c.request<CompletionList | null>('textDocument/completion', { textDocument: { uri: k }, position: { line: 2, character: 3 } });
      await c.request<Hover | null>('textDocument/hover', { textDocument: { uri: k }, position: { line: 3, character: 1 } });
      const failed = await c.request<RenderResult>('gitopsLens/render', { environment: 'ok' });
      out.push(`-- broken buffer: stale ${failed.stale}, error: ${failed.error?.message}`, failed.yaml.trimEnd());
      // Deleted under the server: watched-file notification.
      fs.rmSync(f.path('ws/ok/cm.yaml'));
      await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: f.uri('ws/ok/cm.yaml'), type: 3 }] });
      await c.change(k, 'resources:\n- cm.yaml\n');
      await c.settled();
      out.push('-- cm.yaml deleted', formatDiagnostics(f, new Map([[k, c.diagnostics.get(k) ?? []]])).join('\n'));
      check(out.join('\n').split(f.dir).join('<tmp>'), expect`
        ws/a/kustomization.yaml:2: error cycle: cycle detected: a -> b -> a
        ws/b/kustomization.yaml:2: error cycle: cycle detected: b -> a -> b
        ws/bad/kustomization.yaml:2: error yaml: <tmp>/ws/bad/kustomization.yaml: yaml: line 2: Flow sequence in block collection must be sufficiently indented and end with a ]
        ws/big/kustomization.yaml:2: error render: <tmp>/ws/big/huge.yaml: file too large to read as YAML (19.6 MB; GitOps Lens reads up to 4 MB) (rendering big)
        ws/bin/kustomization.yaml:2: error render: <tmp>/ws/bin/blob.yaml: binary file, not YAML (rendering bin)
        -- render ok
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: ok
        -- broken buffer: stale true, error: <tmp>/ws/ok/kustomization.yaml: yaml: line 3: Sequence item without - indicator
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: ok
        -- cm.yaml deleted
        ws/ok/kustomization.yaml:2: error missing-file: accumulating resources from 'cm.yaml': open <tmp>/ws/ok/cm.yaml: no such file or directory
      `);
      assert.ok(c.alive(), c.errors());
    } finally { await c.stop(); }
  });
});
