// A tiny LSP client for the server tests: spawns `dist/server.js --stdio`, speaks JSON-RPC over the
// child's stdio (vscode-jsonrpc), answers the server's requests, and collects published diagnostics.
// Fixtures are check.ts's: one string of files, each after a `//- /path` line, written to a temporary folder.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { StatusRequest } from '../../server/src/protocol';
import { parseFixture } from './check';

export const repo = path.resolve(__dirname, '..', '..');

/** Builds dist/server.js when it is missing or older than any server source file. */
export function ensureBuilt(): void {
  const out = path.join(repo, 'dist', 'server.js');
  const newest = (dir: string): number => {
    let t = 0;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
    }
    return t;
  };
  if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= newest(path.join(repo, 'server', 'src'))) return;
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repo, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

export interface Fixture {
  dir: string;
  /** Absolute path of each file, by its fixture path. */
  files: Map<string, string>;
  path(p: string): string;
  uri(p: string): string;
}

/** Writes a fixture (check.ts's `//- /path` format) into a fresh temp folder; `/ws/...` paths become `<tmp>/ws/...`. */
export function fixture(spec: string): Fixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-lens-server-'));
  const files = new Map<string, string>();
  for (const [name, text] of Object.entries(parseFixture(spec).files)) {
    const abs = path.join(dir, name);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
    files.set(name, abs);
  }
  const p = (x: string) => path.join(dir, x);
  return { dir, files, path: p, uri: (x: string) => pathToFileURL(p(x)).href };
}

export class Client {
  readonly conn: MessageConnection;
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly notifications: { method: string; params: unknown }[] = [];
  private stderr = '';

  private constructor(readonly child: ChildProcess) {
    this.conn = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    child.stderr!.on('data', (d) => { this.stderr += String(d); });
    this.conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => { this.diagnostics.set(p.uri, p.diagnostics); });
    this.conn.onNotification((method, params) => { this.notifications.push({ method, params }); });
    this.conn.onRequest(() => null);
    this.conn.listen();
  }

  static async start(folders: string[], env: Record<string, string> = {}, initializationOptions?: unknown): Promise<Client> {
    ensureBuilt();
    const child = spawn(process.execPath, [path.join(repo, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const c = new Client(child);
    await c.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true } },
      workspaceFolders: folders.map((f) => ({ uri: pathToFileURL(f).href, name: path.basename(f) })),
      ...(initializationOptions === undefined ? {} : { initializationOptions }),
    });
    await c.conn.sendNotification('initialized', {});
    await c.settled();
    return c;
  }

  /** Waits until the server has nothing queued (diagnostics are then published). */
  async settled(timeoutMs = 30_000): Promise<void> {
    const t0 = Date.now();
    for (;;) {
      const s = await this.conn.sendRequest(StatusRequest);
      if (s.idle) { await new Promise((r) => setTimeout(r, 5)); const again = await this.conn.sendRequest(StatusRequest); if (again.idle) return; }
      if (Date.now() - t0 > timeoutMs) throw new Error('server did not settle');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private versions = new Map<string, number>();

  async open(uri: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  }

  async change(uri: string, text: string): Promise<void> {
    const v = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, v);
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text }] });
  }

  async close(uri: string): Promise<void> {
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.conn.sendRequest(method, params) as Promise<R>;
  }

  /** workspace/didChangeConfiguration with `settings` (flat, or VS Code's nested `{ gitopsLens: {...} }`), then waits until settled. */
  async configure(settings: unknown): Promise<void> {
    await this.conn.sendNotification('workspace/didChangeConfiguration', { settings });
    await new Promise((r) => setTimeout(r, 20));
    await this.settled();
  }

  alive(): boolean { return this.child.exitCode === null; }
  errors(): string { return this.stderr; }

  async stop(): Promise<void> {
    try { await this.conn.sendRequest('shutdown'); await this.conn.sendNotification('exit'); } catch { /* gone */ }
    this.conn.dispose();
    if (this.child.exitCode === null) this.child.kill();
  }
}

/** Diagnostics as compact lines: `file:line: severity code: message`. */
export function formatDiagnostics(f: Fixture, byUri: Map<string, Diagnostic[]>): string[] {
  const out: string[] = [];
  const sev = ['', 'error', 'warning', 'info', 'hint'];
  for (const [uri, list] of byUri) {
    const file = path.relative(f.dir, new URL(uri).pathname);
    for (const d of list) out.push(`${file}:${d.range.start.line + 1}: ${sev[d.severity ?? 1]} ${d.code ?? ''}: ${d.message}`);
  }
  return out.sort();
}
