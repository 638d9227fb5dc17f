// Builds the preview text from a render: a header, a `# Source:` comment over each document (the
// file it came from and the roots it passed through), Secret values masked; and maps positions in
// that text back to documents and field paths, for go-to-definition and hover; and keeps a place in
// the preview across re-renders (anchors) and finds the rendered document of a source line (scroll
// sync). Pure: no vscode import, unit-tested in test/client/.
import { isMap, isPair, isScalar, isSeq, parseAllDocuments, parseDocument, type Node } from 'yaml';
import type { FieldOriginInfo, RenderedDocument, RenderResult } from '../../../server/src/protocol';

export interface PreviewDocument {
  doc: RenderedDocument;
  /** Line of the `# Source:` comment (or of the body when sources are hidden). */
  headerLine: number;
  /** First line of the YAML body and the line after it, in the preview text. */
  bodyStart: number;
  bodyEnd: number;
  body: string;
}

export interface PreviewModel {
  text: string;
  documents: PreviewDocument[];
  result: RenderResult | undefined;
}

export interface BuildOptions {
  maskSecrets: boolean;
  showSources: boolean;
  /** Workspace-relative path of a file URI, for comments. */
  relative(uri: string): string;
  /** Header lines describing what was rendered. */
  title: string;
}

export const MASK = '<masked>';

export function buildPreview(result: RenderResult | null | undefined, o: BuildOptions): PreviewModel {
  const out: string[] = [`# ${o.title}`];
  if (!result) {
    out.push('# Nothing to render: the environment is not known to the language server (yet).');
    return { text: out.join('\n') + '\n', documents: [], result: undefined };
  }
  const e = result.environment;
  out.push(`# ${e.kind === 'root' ? 'root' : e.foundBy}; ${result.documents.length} document(s), render ${result.version}`);
  if (result.renderer) out.push(`# Rendered by ${result.renderer.name} (${result.renderer.command}) from the saved files: unsaved edits are not included (gitopsLens.renderer).`);
  if (result.error) {
    const where = result.error.uri ? ` (${o.relative(result.error.uri)}${result.error.range ? `:${result.error.range.start.line + 1}` : ''})` : '';
    out.push(`# ERROR: ${oneLine(result.error.message)}${where}`);
    if (result.stale) out.push('# Showing the last successful render.');
  }
  for (const w of result.warnings.slice(0, 20)) out.push(`# warning: ${oneLine(w.message)}`);
  const lines = result.yaml.split('\n');
  const documents: PreviewDocument[] = [];
  result.documents.forEach((doc, i) => {
    out.push('---');
    const headerLine = out.length;
    if (o.showSources) out.push(`# Source: ${sourceComment(doc, o.relative)}`);
    let body = lines.slice(doc.range.start.line, doc.range.end.line).join('\n');
    if (i === result.documents.length - 1 && doc.range.end.line >= lines.length) body = body.replace(/\n$/, '');
    if (o.maskSecrets && doc.kind === 'Secret') body = maskSecret(body);
    const bodyLines = body.replace(/\n$/, '').split('\n');
    const bodyStart = out.length;
    out.push(...bodyLines);
    documents.push({ doc, headerLine, bodyStart, bodyEnd: out.length, body: bodyLines.join('\n') });
  });
  return { text: out.join('\n') + '\n', documents, result };
}

function oneLine(s: string): string { return s.replace(/\s*\n\s*/g, ' '); }

export function sourceComment(doc: RenderedDocument, relative: (uri: string) => string): string {
  let s = relative(doc.origin.uri);
  if (doc.origin.range) s += `:${doc.origin.range.start.line + 1}`;
  if (doc.origin.generator) s += ` (${doc.origin.generator})`;
  if (doc.via.length) s += ` via ${doc.via.map(relative).join(' > ')}`;
  return s;
}

/** Replaces the values of `data` and `stringData` in a Secret with a mask (keys stay visible). */
export function maskSecret(body: string): string {
  const d = parseDocument(body);
  if (d.errors.length || !isMap(d.contents)) return body;
  let changed = false;
  for (const key of ['data', 'stringData']) {
    const m = d.contents.get(key, true);
    if (!isMap(m)) continue;
    for (const p of m.items) { if (isPair(p)) { p.value = d.createNode(MASK); changed = true; } }
  }
  return changed ? d.toString({ lineWidth: 0 }) : body;
}

export function documentAt(model: PreviewModel, line: number): PreviewDocument | undefined {
  return model.documents.find((d) => line >= d.headerLine && line < d.bodyEnd);
}

/** A place in a preview that survives a re-render: a document (by id) and a line offset in it, or a header line. */
export type PreviewAnchor = { doc: string; offset: number } | { line: number };

/** The identity of a rendered document across renders (kind, namespace, name). */
export function docKey(d: RenderedDocument): string { return `${d.kind}|${d.namespace ?? ''}|${d.name}`; }

/** The anchor of `line` (e.g. the first visible line): the document around it and how far into it. */
export function anchorAt(model: PreviewModel, line: number): PreviewAnchor {
  // The `---` before a document belongs to it (one line above its header).
  const d = model.documents.find((x) => line >= x.headerLine - 1 && line < x.bodyEnd);
  return d ? { doc: docKey(d.doc), offset: line - d.headerLine } : { line };
}

/** The line of an anchor in a (new) model: the same document's line, clamped to it; undefined when that document is gone. */
export function lineOfAnchor(model: PreviewModel, a: PreviewAnchor): number | undefined {
  if ('line' in a) return Math.max(0, a.line);
  const d = model.documents.find((x) => docKey(x.doc) === a.doc);
  if (!d) return undefined;
  return Math.max(d.headerLine - 1, Math.min(d.headerLine + a.offset, d.bodyEnd - 1));
}

/**
 * The rendered document that shows source line `line` of file `uri` (for scroll sync): the last
 * document from that file whose source document starts at or before the line, else the first from it.
 */
export function documentForSource(model: PreviewModel, uri: string, line: number): PreviewDocument | undefined {
  const from = model.documents.filter((d) => d.doc.origin.uri === uri && !d.doc.origin.generator);
  let best: PreviewDocument | undefined;
  for (const d of from) {
    const start = d.doc.origin.range?.start.line ?? 0;
    if (start <= line && (!best || start >= (best.doc.origin.range?.start.line ?? 0))) best = d;
  }
  return best ?? from[0];
}

/** The field path at a position of a YAML text: dotted keys, `[i]` for sequence items, and its segments. */
export function pathAt(body: string, line: number, character: number): { path: string; segments: (string | number)[] } | undefined {
  const lines = body.split('\n');
  if (line < 0 || line >= lines.length) return undefined;
  // On the indentation (or a `- `) of a line: take the key that starts it.
  const text = lines[line]!;
  const lead = /^[\s-]*/.exec(text)![0].length;
  let offset = Math.max(character, Math.min(lead, text.length));
  for (let i = 0; i < line; i++) offset += lines[i]!.length + 1;
  const doc = parseDocument(body);
  const segments: (string | number)[] = [];
  let node: unknown = doc.contents;
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find((p) => within(p.key as Node, offset) || within(p.value as Node, offset)
        || (isScalar(p.key) && p.key.range && offset >= p.key.range[0] && p.value && (p.value as Node).range && offset <= (p.value as Node).range![1]));
      if (!pair) break;
      segments.push(isScalar(pair.key) ? String(pair.key.value) : String(pair.key));
      if (within(pair.key as Node, offset)) break;
      node = pair.value;
    } else if (isSeq(node)) {
      const i = node.items.findIndex((it) => within(it as Node, offset));
      if (i < 0) break;
      segments.push(i);
      node = node.items[i];
    } else break;
  }
  if (!segments.length) return undefined;
  return { path: formatPath(segments), segments };
}

function within(n: Node | null | undefined, offset: number): boolean {
  return !!n && !!n.range && offset >= n.range[0] && offset <= n.range[1];
}

export function formatPath(segments: (string | number)[]): string {
  let s = '';
  for (const seg of segments) s += typeof seg === 'number' ? `[${seg}]` : s ? `.${seg}` : seg;
  return s;
}

/** The field origin that set this path (the field itself or its nearest ancestor that a step set). */
export function fieldOriginFor(doc: RenderedDocument, path: string): FieldOriginInfo | undefined {
  let best: FieldOriginInfo | undefined;
  for (const f of doc.fields) {
    if (f.path === path || path.startsWith(f.path + '.') || path.startsWith(f.path + '[')) {
      if (!best || f.path.length > best.path.length) best = f;
    }
  }
  return best;
}

/**
 * The line and column of a path inside a source YAML text (the document containing `nearLine`), or
 * of its nearest ancestor that exists there.
 */
export function locateInSource(text: string, segments: (string | number)[], nearLine: number): { line: number; character: number } | undefined {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const toPos = (off: number) => {
    let lo = 0; let hi = lineStarts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (lineStarts[mid]! <= off) lo = mid; else hi = mid - 1; }
    return { line: lo, character: off - lineStarts[lo]! };
  };
  const nearOffset = lineStarts[Math.min(nearLine, lineStarts.length - 1)] ?? 0;
  // Split the stream into documents by `---` lines, and parse the one that holds nearLine.
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  const doc = list.find((d) => d.range && nearOffset >= d.range[0] && nearOffset <= d.range[2]) ?? list[0];
  if (!doc) return undefined;
  for (let n = segments.length; n > 0; n--) {
    const node = doc.getIn(segments.slice(0, n), true) as Node | undefined;
    if (node && (node as Node).range) {
      // Point at the key of a pair when we can: the line that sets the value.
      const parent = n > 0 ? doc.getIn(segments.slice(0, n - 1), true) : undefined;
      const last = segments[n - 1];
      if (isMap(parent) && typeof last === 'string') {
        const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === last);
        if (pair && isScalar(pair.key) && pair.key.range) return toPos(pair.key.range[0]);
      }
      return toPos(node.range![0]);
    }
  }
  return undefined;
}
