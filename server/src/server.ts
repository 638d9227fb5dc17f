// The language server's composition root: wires the LSP connection to the workspace model and to
// one feature module per request. No logic of its own beyond scheduling diagnostics.
// Transports: --stdio, --node-ipc, --socket=N (vscode-languageserver picks them from argv).

import path from 'node:path';
import {
  CodeActionKind, createConnection, DidChangeWatchedFilesNotification, FileChangeType, ProposedFeatures,
  TextDocuments, TextDocumentSyncKind, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions } from './features/code-actions';
import { completion } from './features/completion';
import { definition, references } from './features/definition';
import { documentLinks } from './features/links';
import { environmentInfo, environmentsForFile, listEnvironments } from './features/environments';
import { hover } from './features/hover';
import { renderRequest } from './features/render';
import { registerClusterLens } from './cluster-lens/register';
import {
  VERSION, ClearRemoteCacheRequest, DidChangeEnvironmentsNotification, DidRenderNotification, EnvironmentsForFileRequest, EnvironmentsRequest, RenderRequest, StatusRequest,
} from './protocol';
import { isKustomizationFile } from './workspace/roots';
import { pathToUri, uriToPath } from './workspace/uri';
import { Workspace } from './workspace/workspace';
import { DiagnosticsPublisher } from './publisher';
import { diskIO } from './workspace/disk-io';
import { readSettings } from './workspace/settings';
import { kubernetesVersion } from './kubernetes-version';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let canWatch = false;
let canFolders = false;
/** Set once the initial index is queued for rendering (after `initialized`). */
let ready = false;

const ws: Workspace = new Workspace(diskIO(), {
  debounceMs: Number(process.env.GITOPS_LENS_DEBOUNCE_MS ?? 40),
  onRendered(env, st, changed) {
    void connection.sendNotification(DidRenderNotification, {
      environment: environmentInfo(ws, env, published), version: st.version, changed,
      ...(st.error ? { error: { message: st.error.message, ...(st.error.source ? { uri: pathToUri(st.error.source.file), range: st.error.source.range } : {}) } } : {}),
    });
    diagnostics.rendered(env, st);
  },
  onIdle() { diagnostics.flush(); },
  onRemoteProgress(what, state) { connection.console.info(`remote: ${state === 'start' ? 'fetching' : state === 'done' ? 'fetched' : 'could not fetch'} ${what}`); },
  onEnvironmentsChanged() { void connection.sendNotification(DidChangeEnvironmentsNotification, listEnvironments(ws, undefined, published)); cluster.environmentsChanged(); },
});
const diagnostics = new DiagnosticsPublisher(ws, (file, list) => { void connection.sendDiagnostics({ uri: pathToUri(file), diagnostics: list }); }, (m) => connection.console.error(m));
const published = diagnostics.published;
/** Live diff and sync status (code lenses, cluster messages): cluster-lens/. */
const cluster = registerClusterLens(connection, ws);

connection.onInitialize((params): InitializeResult => {
  const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: path.basename(uriToPath(params.rootUri)) }] : []);
  ws.configure(readSettings(params.initializationOptions)); // before indexing: gitopsLens.exclude applies to the scan
  logKubernetesVersion();
  for (const f of folders) ws.addFolder(f.uri, uriToPath(f.uri), f.name);
  if (ws.settings.crdLocations.length) void ws.loadCrdLocations().then((problems) => { logCrdProblems(problems); ws.rerenderAll(); });
  canWatch = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  canFolders = !!params.capabilities.workspace?.workspaceFolders;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: [':', ' ', '/', '-', '.'], resolveProvider: false },
      hoverProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      documentLinkProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      codeLensProvider: { resolveProvider: false },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'gitops-lens', version: VERSION },
  };
});

connection.onInitialized(() => {
  if (canWatch) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [{ globPattern: '**/*.{yaml,yml,json,env,properties,txt}' }, { globPattern: '**/Kustomization' }],
    });
  }
  if (canFolders) {
    connection.workspace.onDidChangeWorkspaceFolders((ev) => {
      for (const f of ev.removed) ws.removeFolder(uriToPath(f.uri));
      for (const f of ev.added) ws.addFolder(f.uri, uriToPath(f.uri), f.name);
      ws.renderAll();
    });
  }
  for (const r of ws.roots.values()) diagnostics.add(r.file);
  for (const y of ws.yamlFiles) if (ws.roots.has(path.dirname(y))) diagnostics.add(y);
  ws.renderAll();
  ready = true;
});

function onBuffer(doc: TextDocument): void {
  const file = uriToPath(doc.uri);
  ws.host.setBuffer(file, doc.getText(), doc.version);
  if (isKustomizationFile(file) || /\.ya?ml$/i.test(file)) diagnostics.noteEdit(file);
  ws.fileChanged(file, 'changed');
  cluster.fileChanged(file);
}

documents.onDidOpen((e) => {
  const file = uriToPath(e.document.uri);
  const same = (() => { try { return ws.io.files.readFile(file) === e.document.getText(); } catch { return false; } })();
  ws.host.setBuffer(file, e.document.getText(), e.document.version);
  if (!same) onBuffer(e.document);
  else { diagnostics.add(file); ws.schedule(); }
});
documents.onDidChangeContent((e) => { if (e.document.version > 1 || ws.host.bufferText(uriToPath(e.document.uri)) !== e.document.getText()) onBuffer(e.document); });
documents.onDidClose((e) => {
  const file = uriToPath(e.document.uri);
  ws.host.deleteBuffer(file);
  diagnostics.noteEdit(file);
  ws.fileChanged(file, 'changed');
  cluster.fileChanged(file);
});

connection.onDidChangeWatchedFiles((ev) => {
  for (const c of ev.changes) {
    const file = uriToPath(c.uri);
    if (ws.host.isOpen(file) && c.type === FileChangeType.Changed) continue;
    diagnostics.noteEdit(file);
    ws.fileChanged(file, c.type === FileChangeType.Created ? 'created' : c.type === FileChangeType.Deleted ? 'deleted' : 'changed');
    cluster.fileChanged(file);
  }
});

const guard = <P, R>(name: string, fn: (p: P) => R, fallback: R) => (p: P): R => {
  try { return fn(p); } catch (e) { connection.console.error(`${name} failed: ${(e as Error).stack ?? e}`); return fallback; }
};

connection.onCompletion(guard('completion', (p) => completion(ws, uriToPath(p.textDocument.uri), p.position), null));
connection.onHover(guard('hover', (p) => hover(ws, uriToPath(p.textDocument.uri), p.position), null));
connection.onDefinition(guard('definition', (p) => definition(ws, uriToPath(p.textDocument.uri), p.position), null));
connection.onReferences(guard('references', (p) => references(ws, uriToPath(p.textDocument.uri), p.position), null));
connection.onDocumentLinks(guard('documentLinks', (p) => documentLinks(ws, uriToPath(p.textDocument.uri)), null));
connection.onCodeAction(guard('codeAction', (p) => codeActions(ws, uriToPath(p.textDocument.uri), p.range, p.context.diagnostics), null));

connection.onRequest(EnvironmentsRequest, guard('environments', (p) => listEnvironments(ws, p?.workspaceFolder, published), { environments: [] }));
connection.onRequest(EnvironmentsForFileRequest, guard('environmentsForFile', (p) => environmentsForFile(ws, p.uri, published), { environments: [], roots: [] }));
connection.onRequest(RenderRequest, guard('render', (p) => renderRequest(ws, p, published), null));

/**
 * Settings changes apply without a restart (workspace/changeConfiguration, flat or VS Code's nested
 * section): the workspace re-indexes / re-renders what they affect, diagnostics are published again,
 * and a renderer change tells clients to refresh their previews.
 */
connection.onDidChangeConfiguration((p) => {
  const { changed, crdProblems } = ws.applySettings(readSettings(p.settings, ws.settings));
  if (!changed.size) return;
  connection.console.info(`settings changed: ${[...changed].join(', ')}`);
  if (changed.has('kubernetesVersion')) logKubernetesVersion();
  void crdProblems.then(logCrdProblems);
  for (const f of [...published.keys(), ...[...ws.roots.values()].map((r) => r.file), ...ws.yamlFiles]) diagnostics.add(f);
  if (ws.isIdle()) diagnostics.flush();
  if (['renderer', 'kustomizePath', 'kubectlPath', 'helmPath'].some((k) => changed.has(k as never))) {
    for (const env of ws.environments) {
      const st = ws.renders.get(env.dir);
      void connection.sendNotification(DidRenderNotification, { environment: environmentInfo(ws, env, published), version: st?.version ?? 0, changed: true });
    }
  }
});

function logKubernetesVersion(): void {
  const v = ws.settings.kubernetesVersion;
  if (v.trim() && !kubernetesVersion(v)) connection.console.warn(`gitopsLens.kubernetesVersion: '${v}' is not a Kubernetes version (write it as 1.33); charts render with helm's default`);
}

function logCrdProblems(problems: string[]): void {
  for (const m of problems) connection.console.warn(`gitopsLens.schema.crdLocations: ${m}`);
}

connection.onRequest(ClearRemoteCacheRequest, () => { ws.clearRemoteCache(); connection.console.info('remote: cache cleared'); });
connection.onRequest(StatusRequest, () => ({ pendingRenders: ws.pendingCount(), idle: ready && ws.isIdle(), environments: ws.environments.length, roots: ws.roots.size }));

documents.listen(connection);
connection.listen();
