// The rendered-manifest preview: a read-only YAML document per environment under the gitops-lens
// scheme, re-rendered whenever the server re-renders that environment (unsaved edits included),
// with go-to-definition, hover and links from every rendered field back to the line that set it.
import * as vscode from 'vscode';
import { RenderRequest, type DidRenderParams, type RenderParams } from '../../../server/src/protocol';
import type { ServerConnection } from '../server';
import { settings } from '../settings';
import { anchorAt, buildPreview, documentAt, documentForSource, fieldOriginFor, lineOfAnchor, locateInSource, pathAt, type PreviewAnchor, type PreviewModel } from './model';
import { parsePreviewUri, previewUri, SCHEME, type PreviewTarget } from './uri';

export class PreviewProvider implements vscode.TextDocumentContentProvider, vscode.DefinitionProvider, vscode.HoverProvider, vscode.DocumentLinkProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly models = new Map<string, PreviewModel>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Where each visible editor of a preview was scrolled to before a re-render (restored after it). */
  private readonly anchors = new Map<string, { editor: vscode.TextEditor; anchor: PreviewAnchor }[]>();
  private syncTimer: NodeJS.Timeout | undefined;

  constructor(private readonly server: ServerConnection) {
    this.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(SCHEME, this),
      vscode.languages.registerDefinitionProvider({ scheme: SCHEME }, this),
      vscode.languages.registerHoverProvider({ scheme: SCHEME }, this),
      vscode.languages.registerDocumentLinkProvider({ scheme: SCHEME }, this),
      vscode.workspace.onDidCloseTextDocument((d) => { if (d.uri.scheme === SCHEME) this.models.delete(d.uri.toString()); }),
      server.onDidChangeState((s) => { if (s === 'running') this.refreshAll(); }),
      vscode.workspace.onDidChangeTextDocument((e) => { if (e.document.uri.scheme === SCHEME) this.restoreScroll(e.document.uri); }),
      // Scroll sync, as the Markdown preview: the preview follows the source editor (never the other way).
      vscode.window.onDidChangeTextEditorVisibleRanges((e) => this.syncSoon(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((e) => { if (e) this.syncSoon(e); }),
    );
  }

  /** Remembers the first visible line of each editor showing `uri`, as a document and an offset in it. */
  private saveScroll(uri: vscode.Uri): void {
    const model = this.models.get(uri.toString());
    if (!model) return;
    const saved = vscode.window.visibleTextEditors
      .filter((e) => e.document.uri.toString() === uri.toString() && e.visibleRanges.length)
      .map((editor) => ({ editor, anchor: anchorAt(model, editor.visibleRanges[0]!.start.line) }));
    if (saved.length) this.anchors.set(uri.toString(), saved);
  }

  /** After a re-render: scrolls each editor back to the same place in the same document. */
  private restoreScroll(uri: vscode.Uri): void {
    const saved = this.anchors.get(uri.toString());
    const model = this.models.get(uri.toString());
    if (!saved || !model) return;
    this.anchors.delete(uri.toString());
    for (const { editor, anchor } of saved) {
      const line = lineOfAnchor(model, anchor);
      if (line === undefined || line >= editor.document.lineCount) continue;
      editor.revealRange(new vscode.Range(line, 0, line, 0), vscode.TextEditorRevealType.AtTop);
    }
  }

  private syncSoon(source: vscode.TextEditor): void {
    if (source.document.uri.scheme !== 'file') return;
    clearTimeout(this.syncTimer);
    this.syncTimer = setTimeout(() => this.syncFrom(source), 60);
  }

  /** Reveals, in every visible preview, the rendered document of the source editor's first visible line. */
  syncFrom(source: vscode.TextEditor): void {
    if (!source.visibleRanges.length || !settings(source.document.uri).scrollSync) return;
    const uri = source.document.uri.toString();
    const line = source.visibleRanges[0]!.start.line;
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.scheme !== SCHEME) continue;
      const model = this.models.get(editor.document.uri.toString());
      const d = model && documentForSource(model, uri, line);
      if (!d) continue;
      const offset = Math.max(0, line - (d.doc.origin.range?.start.line ?? 0));
      const target = Math.min(d.headerLine + offset, d.bodyEnd - 1);
      const top = editor.visibleRanges[0]?.start.line;
      if (top !== target) editor.revealRange(new vscode.Range(target, 0, target, 0), vscode.TextEditorRevealType.AtTop);
    }
  }

  /** Open preview documents (URIs VS Code holds a document for). */
  openPreviews(): vscode.Uri[] {
    return vscode.workspace.textDocuments.filter((d) => d.uri.scheme === SCHEME && !d.isClosed).map((d) => d.uri);
  }

  model(uri: vscode.Uri): PreviewModel | undefined { return this.models.get(uri.toString()); }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const t = parsePreviewUri(uri);
    if (!t) return '# Not a GitOps Lens preview address.\n';
    const title = `${t.file ? `${this.relative(t.file, t)} as rendered in` : 'Rendered'} ${t.environment === '.' ? t.label : t.environment} (read-only preview)`;
    if (this.server.state !== 'running') {
      if (!(await this.server.whenRunning(15_000))) {
        return `# ${title}\n# Waiting for the GitOps Lens language server (${this.server.state}); this preview refreshes when it is running.\n`;
      }
    }
    const s = settings(vscode.Uri.parse(t.workspaceFolder));
    // Masked by the server unless the setting is off: unmasked values are only ever asked for to be shown.
    const params: RenderParams = { environment: t.environment, workspaceFolder: t.workspaceFolder, maskSecrets: s.maskSecrets };
    if (t.file) params.uri = t.file;
    const result = await this.server.request(RenderRequest, params, false);
    this.server.output.debug(`render ${t.environment}${t.file ? ` (${t.file})` : ''}: v${result?.version ?? '-'}, ${result?.documents.length ?? 0} documents${s.maskSecrets ? '' : ', secrets unmasked'}`);
    const model = buildPreview(result, { maskSecrets: s.maskSecrets, showSources: s.showSources && !t.compare, relative: (u) => this.relative(u, t), title });
    this.models.set(uri.toString(), model);
    return model.text;
  }

  private relative(uri: string, t: PreviewTarget): string {
    const ws = vscode.Uri.parse(t.workspaceFolder).path.replace(/\/$/, '');
    const p = vscode.Uri.parse(uri).path;
    return p.startsWith(ws + '/') ? p.slice(ws.length + 1) : p;
  }

  /** Re-renders one preview soon (coalesces bursts of didRender). */
  refresh(uri: vscode.Uri, delayMs = 30): void {
    const key = uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.set(key, setTimeout(() => { this.pending.delete(key); this.saveScroll(uri); this.changeEmitter.fire(uri); }, delayMs));
  }

  refreshAll(): void { for (const u of this.openPreviews()) this.refresh(u); }

  /** The server re-rendered an environment: refresh the previews of it. */
  onDidRender(p: DidRenderParams): void {
    this.server.output.debug(`didRender ${p.environment.id} v${p.version} changed=${p.changed}${p.error ? ` error=${p.error.message}` : ''}`);
    if (!p.changed && !p.error) return;
    for (const u of this.openPreviews()) {
      const t = parsePreviewUri(u);
      if (t && t.environment === p.environment.id && sameFolder(t.workspaceFolder, p.environment.workspaceFolder)) this.refresh(u);
    }
  }

  async provideDefinition(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Location | undefined> {
    const target = await this.originAt(document, position);
    return target?.location;
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const target = await this.originAt(document, position);
    if (!target) return undefined;
    const t = parsePreviewUri(document.uri)!;
    const where = `${this.relative(target.location.uri.toString(), t)}:${target.location.range.start.line + 1}`;
    const md = new vscode.MarkdownString(`**${target.path}** — ${target.by ? `set by \`${target.by}\` in` : 'as written in'} [${where}](${target.location.uri.with({ fragment: `L${target.location.range.start.line + 1}` })})`);
    return new vscode.Hover(md);
  }

  provideDocumentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
    const model = this.models.get(document.uri.toString());
    if (!model || !settings().showSources) return [];
    const links: vscode.DocumentLink[] = [];
    for (const d of model.documents) {
      const line = d.headerLine;
      if (line >= document.lineCount) continue;
      const text = document.lineAt(line).text;
      const m = /^# Source: (\S+)/.exec(text);
      if (!m) continue;
      const fileUri = vscode.Uri.parse(d.doc.origin.uri);
      const start = '# Source: '.length;
      const link = new vscode.DocumentLink(new vscode.Range(line, start, line, start + m[1]!.length),
        fileUri.with({ fragment: d.doc.origin.range ? `L${d.doc.origin.range.start.line + 1}` : '' }));
      link.tooltip = 'Open the source of this document';
      links.push(link);
    }
    return links;
  }

  /** Where the field under the cursor came from: the step that set it, else the source line as written. */
  async originAt(document: vscode.TextDocument, position: vscode.Position): Promise<{ location: vscode.Location; path: string; by?: string } | undefined> {
    const model = this.models.get(document.uri.toString());
    if (!model) return undefined;
    const d = documentAt(model, position.line);
    if (!d) return undefined;
    const originUri = vscode.Uri.parse(d.doc.origin.uri);
    const originRange = toRange(d.doc.origin.range);
    if (position.line < d.bodyStart) return { location: new vscode.Location(originUri, originRange), path: `${d.doc.kind}/${d.doc.name}` };
    const at = pathAt(d.body, position.line - d.bodyStart, position.character);
    if (!at) return { location: new vscode.Location(originUri, originRange), path: `${d.doc.kind}/${d.doc.name}` };
    const f = fieldOriginFor(d.doc, at.path);
    if (f) return { location: new vscode.Location(vscode.Uri.parse(f.uri), toRange(f.range)), path: at.path, by: f.by };
    if (d.doc.origin.generator) return { location: new vscode.Location(originUri, originRange), path: at.path, by: d.doc.origin.generator };
    try {
      const src = await vscode.workspace.openTextDocument(originUri);
      const pos = locateInSource(src.getText(), at.segments, d.doc.origin.range?.start.line ?? 0);
      if (pos) return { location: new vscode.Location(originUri, new vscode.Position(pos.line, pos.character)), path: at.path };
    } catch { /* the file is gone: fall back to the document */ }
    return { location: new vscode.Location(originUri, originRange), path: at.path };
  }

  /** Opens a preview (to the side, like the Markdown preview, or in the active column). */
  async open(target: PreviewTarget, side: boolean, reveal?: { kind: string; name: string; namespace?: string }): Promise<vscode.TextEditor> {
    const uri = previewUri(target);
    let doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== 'yaml') doc = await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: side ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active, preserveFocus: side, preview: false });
    if (reveal) this.reveal(editor, reveal);
    return editor;
  }

  reveal(editor: vscode.TextEditor, r: { kind: string; name: string; namespace?: string }): void {
    const model = this.models.get(editor.document.uri.toString());
    const d = model?.documents.find((x) => x.doc.kind === r.kind && x.doc.name === r.name && (r.namespace === undefined || (x.doc.namespace ?? '') === r.namespace));
    if (!d) return;
    const range = new vscode.Range(d.headerLine, 0, d.headerLine, 0);
    editor.selection = new vscode.Selection(d.bodyStart, 0, d.bodyStart, 0);
    editor.revealRange(range, vscode.TextEditorRevealType.AtTop);
  }

  dispose(): void {
    for (const t of this.pending.values()) clearTimeout(t);
    clearTimeout(this.syncTimer);
    for (const d of this.disposables) d.dispose();
    this.changeEmitter.dispose();
  }
}

function toRange(r: { start: { line: number; character: number }; end: { line: number; character: number } } | undefined): vscode.Range {
  return r ? new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character) : new vscode.Range(0, 0, 0, 0);
}

function sameFolder(a: string, b: string): boolean {
  return vscode.Uri.parse(a).path.replace(/\/$/, '') === vscode.Uri.parse(b).path.replace(/\/$/, '');
}
