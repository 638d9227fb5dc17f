// The node-ipc transport (what the VS Code client uses): the server forked with --node-ipc answers
// initialize, renders and publishes diagnostics over the IPC channel, and exits on shutdown/exit.

import { fork } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, describe, it } from 'node:test';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import type { RenderResult, StatusResult } from '../../server/src/protocol';
import { check, expect } from './check';
import { ensureBuilt, fixture, formatDiagnostics, repo } from './lsp';

before(() => ensureBuilt());

describe('transports', () => {
  it('--node-ipc: initialize, render, diagnostics, shutdown', async () => {
    const f = fixture(`
//- /ws/app/kustomization.yaml
resources:
- cm.yaml
- missing.yaml
//- /ws/app/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: hello
`);
    const child = fork(path.join(repo, 'dist', 'server.js'), ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr!.on('data', (d) => { stderr += String(d); });
    const conn = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    const diagnostics = new Map<string, Diagnostic[]>();
    conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => { diagnostics.set(p.uri, p.diagnostics); });
    conn.onRequest(() => null);
    conn.listen();
    try {
      const init = await conn.sendRequest<{ capabilities: { hoverProvider?: boolean } }>('initialize', {
        processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: [{ uri: pathToFileURL(f.path('ws')).href, name: 'ws' }],
      });
      await conn.sendNotification('initialized', {});
      for (let i = 0; i < 500; i++) {
        const s = await conn.sendRequest<StatusResult>('gitopsLens/status');
        if (s.idle) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      const r = await conn.sendRequest<RenderResult>('gitopsLens/render', { environment: 'app' });
      const k = pathToFileURL(f.path('ws/app/kustomization.yaml')).href;
      for (let i = 0; i < 100 && !diagnostics.has(k); i++) await new Promise((res) => setTimeout(res, 10));
      const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
      await conn.sendRequest('shutdown');
      await conn.sendNotification('exit');
      const out = [`hoverProvider: ${init.capabilities.hoverProvider}`, r.yaml.trimEnd(), formatDiagnostics(f, diagnostics).join('\n'), `exit code: ${await exited}`];
      try {
        check(out.join('\n').split(f.dir).join('<tmp>'), expect`
          hoverProvider: true
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: hello
          ws/app/kustomization.yaml:3: error missing-file: accumulating resources from 'missing.yaml': open <tmp>/ws/app/missing.yaml: no such file or directory
          exit code: 0
        `);
      } catch (e) {
        throw new Error(`${(e as Error).message}\nserver stderr:\n${stderr}`, { cause: e });
      }
    } finally {
      conn.dispose();
      if (child.exitCode === null) child.kill();
    }
  });
});
