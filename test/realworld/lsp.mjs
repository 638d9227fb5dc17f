// The language server opened on a folder as an editor opens it, for the harnesses that measure it on
// real repositories (precision, bench): dist/server.js over stdio JSON-RPC, default settings, every
// published diagnostic kept (the last list per file), "settled" when the server is idle and nothing
// new was published for two polls, peak RSS read from the kernel (VmHWM).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node.js';

export async function openServer(serverJs, dir, { settings } = {}) {
  const t0 = performance.now();
  const child = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env } });
  let stderr = '';
  child.stderr.on('data', (b) => { stderr += b; });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  /** uri → the last published diagnostics */
  const diagnostics = new Map();
  conn.onNotification('textDocument/publishDiagnostics', (p) => { diagnostics.set(p.uri, p.diagnostics); });
  conn.onNotification(() => undefined);
  conn.onRequest(() => null);
  conn.listen();
  const uri = pathToFileURL(dir).href;
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: [{ uri, name: path.basename(dir) }], ...(settings ? { initializationOptions: { settings } } : {}) });
  await conn.sendNotification('initialized', {});

  /** Resolves when every environment is rendered and its diagnostics published; the ms since start. */
  async function settled() {
    let quiet = 0, last = -1;
    while (quiet < 2) {
      await new Promise((r) => setTimeout(r, 100));
      const s = await conn.sendRequest('gitopsLens/status');
      const n = [...diagnostics.values()].reduce((a, d) => a + d.length, diagnostics.size);
      quiet = s.idle && n === last ? quiet + 1 : 0;
      last = n;
    }
    return performance.now() - t0;
  }

  /** The server process's peak resident set so far, in MB (Linux). */
  function peakRssMb() {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : undefined;
    } catch { return undefined; }
  }

  async function close() {
    try {
      await conn.sendRequest('shutdown');
      await conn.sendNotification('exit');
    } catch { /* gone already */ }
    child.kill();
    conn.dispose();
  }

  return { conn, uri, diagnostics, settled, peakRssMb, close, stderr: () => stderr };
}
