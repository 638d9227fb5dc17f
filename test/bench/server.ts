// Language-server bench: a generated monorepo of apps (base + dev/staging/prod overlays each, one
// component shared by every overlay), served by `dist/server.js --stdio` over JSON-RPC.
//
//   npm run build && node --import tsx test/bench/server.ts [--apps 167] [--iterations 40] [--json FILE]
//
// Measures: initial index time (initialize) and time until every environment is rendered and its
// diagnostics published; completion p95 in patches[].target.name (target <= 20 ms, items checked);
// diagnostics p95 after an edit of one overlay's kustomization (target <= 100 ms); re-render of every
// environment after an edit of the shared component; peak RSS of the server (target <= 300 MB).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { CompletionList, Diagnostic } from 'vscode-languageserver-protocol';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: number): number => { const i = argv.indexOf(name); return i >= 0 ? Number(argv[i + 1]) : dflt; };
const APPS = opt('--apps', 167);
const ITER = opt('--iterations', 40);
const jsonArg = argv.indexOf('--json');
const repo = path.resolve(__dirname, '../..');

function generate(root: string): void {
  const w = (p: string, t: string) => { fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true }); fs.writeFileSync(path.join(root, p), t); };
  w('components/observability/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonAnnotations:\n  observability/scrape: "true"\nlabels:\n- pairs:\n    observability: enabled\n');
  for (let i = 0; i < APPS; i++) {
    const app = `app${String(i).padStart(3, '0')}`;
    w(`apps/${app}/base/kustomization.yaml`, 'resources:\n- deployment.yaml\n- service.yaml\nconfigMapGenerator:\n- name: settings\n  literals:\n  - LOG_LEVEL=info\n');
    w(`apps/${app}/base/deployment.yaml`, `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${app}\n  labels:\n    app: ${app}\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: ${app}\n  template:\n    metadata:\n      labels:\n        app: ${app}\n    spec:\n      containers:\n      - name: main\n        image: registry.example.com/${app}:1.0.0\n        envFrom:\n        - configMapRef:\n            name: settings\n      - name: proxy\n        image: envoyproxy/envoy:v1.30\n`);
    w(`apps/${app}/base/service.yaml`, `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${app}\nspec:\n  selector:\n    app: ${app}\n  ports:\n  - port: 80\n`);
    for (const env of ['dev', 'staging', 'prod']) {
      w(`apps/${app}/overlays/${env}/kustomization.yaml`, overlay(env));
      w(`apps/${app}/overlays/${env}/replicas.yaml`, `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${app}\nspec:\n  replicas: ${env === 'prod' ? 5 : 1}\n`);
    }
  }
}

function overlay(env: string, extra = ''): string {
  return `resources:\n- ../../base\ncomponents:\n- ../../../../components/observability\nnamespace: ${env}\nnameSuffix: -${env}\npatches:\n- path: replicas.yaml\n- target:\n    kind: Deployment\n    name: app000\n  patch: |\n    - op: add\n      path: /metadata/annotations/env\n      value: ${env}\nimages:\n- name: envoyproxy/envoy\n  newTag: v1.31\n${extra}`;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-lens-server-bench-'));
  generate(root);
  const uri = (p: string) => pathToFileURL(path.join(root, p)).href;
  const child = spawn(process.execPath, [path.join(repo, 'dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env } });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const diagWaiters: { uri: string; test: (d: Diagnostic[]) => boolean; resolve: () => void }[] = [];
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => {
    for (const w of [...diagWaiters]) if (w.uri === p.uri && w.test(p.diagnostics)) { diagWaiters.splice(diagWaiters.indexOf(w), 1); w.resolve(); }
  });
  conn.onRequest(() => null);
  conn.listen();
  const settled = async () => { for (;;) { const s = await conn.sendRequest<{ idle: boolean }>('gitopsLens/status'); if (s.idle) return; await new Promise((r) => setTimeout(r, 20)); } };

  const t0 = performance.now();
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'mono' }] });
  const indexMs = performance.now() - t0;
  await conn.sendNotification('initialized', {});
  await settled();
  const allRenderedMs = performance.now() - t0;
  const envs = await conn.sendRequest<{ environments: { state: string }[] }>('gitopsLens/environments', {});
  const pending = envs.environments.filter((e) => e.state === 'pending').length;
  if (pending) console.log(`  (${pending} environments still pending after settling)`);

  // Completion in patches[].target.name of an open overlay.
  const pick = `app${String(Math.min(42, APPS - 1)).padStart(3, '0')}`;
  const k = `apps/${pick}/overlays/prod/kustomization.yaml`;
  const kText = overlay('prod');
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(k), languageId: 'yaml', version: 1, text: kText } });
  await settled();
  const lines = kText.split('\n');
  const line = lines.findIndex((l) => l.includes('name: app000'));
  const completionMs: number[] = [];
  let items: string[] = [];
  for (let i = 0; i < ITER; i++) {
    const s = performance.now();
    const res = await conn.sendRequest<CompletionList>('textDocument/completion', { textDocument: { uri: uri(k) }, position: { line, character: lines[line]!.length } });
    completionMs.push(performance.now() - s);
    items = res.items.map((x) => x.label);
  }
  const completionOk = items.includes(pick) && !items.includes('settings');

  // Diagnostics after an edit of the open overlay's kustomization: alternately add and remove an unknown field.
  let version = 1;
  const diagMs: number[] = [];
  for (let i = 0; i < ITER; i++) {
    const bad = i % 2 === 0;
    const text = overlay('prod', bad ? 'nameSufix: -x\n' : '');
    const s = performance.now();
    const done = new Promise<void>((resolve) => diagWaiters.push({ uri: uri(k), test: (d) => d.some((x) => String(x.message).includes('nameSufix')) === bad, resolve }));
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri: uri(k), version: ++version }, contentChanges: [{ text }] });
    await done;
    diagMs.push(performance.now() - s);
    await settled();
  }

  // An edit of the component every overlay includes: all environments re-render (open ones first).
  const comp = 'components/observability/kustomization.yaml';
  const compText = fs.readFileSync(path.join(root, comp), 'utf8');
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(comp), languageId: 'yaml', version: 1, text: compText } });
  await settled();
  const s2 = performance.now();
  await conn.sendNotification('textDocument/didChange', { textDocument: { uri: uri(comp), version: 2 }, contentChanges: [{ text: compText.replace('"true"', '"false"') }] });
  await settled();
  const sharedEditMs = performance.now() - s2;

  const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  await conn.sendRequest('shutdown'); await conn.sendNotification('exit');
  conn.dispose();
  child.kill();

  const r = {
    apps: APPS, overlays: APPS * 3, environments: envs.environments.length,
    indexMs: Math.round(indexMs), allRenderedMs: Math.round(allRenderedMs),
    completionP50: +pct(completionMs, 50).toFixed(1), completionP95: +pct(completionMs, 95).toFixed(1), completionOk, completionItems: items.length,
    diagnosticsP50: +pct(diagMs, 50).toFixed(1), diagnosticsP95: +pct(diagMs, 95).toFixed(1),
    sharedComponentEditAllRerenderedMs: Math.round(sharedEditMs),
    peakRssMB: Math.round(hwm),
  };
  const mark = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  console.log(`language server on ${r.apps} apps / ${r.overlays} overlays (${r.environments} environments)`);
  console.log(`  initialize (scan + graph):              ${r.indexMs} ms`);
  console.log(`  every environment rendered + diagnosed: ${r.allRenderedMs} ms`);
  console.log(`  completion patches[].target.name:       p50 ${r.completionP50} ms, p95 ${r.completionP95} ms (target <= 20) ${mark(r.completionP95 <= 20 && completionOk)}; items ok: ${completionOk}`);
  console.log(`  diagnostics after overlay edit:         p50 ${r.diagnosticsP50} ms, p95 ${r.diagnosticsP95} ms (target <= 100) ${mark(r.diagnosticsP95 <= 100)}`);
  console.log(`  shared component edit, all re-rendered: ${r.sharedComponentEditAllRerenderedMs} ms`);
  console.log(`  peak RSS:                               ${r.peakRssMB} MB (target <= 300) ${mark(r.peakRssMB <= 300)}`);
  if (jsonArg >= 0) fs.writeFileSync(argv[jsonArg + 1]!, JSON.stringify(r, null, 2));
  fs.rmSync(root, { recursive: true, force: true });
}

void main();
