// Where a cursor is inside a YAML file: the path of keys and indexes to the node under it (for
// hover, definition), and, for completion in half-typed text, the path and whether a key or a value
// is being typed (found by parsing the text with a sentinel at the cursor).

import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';
import type { Position, Range } from '../engine/index';

export type YamlPath = (string | number)[];

export function offsetAt(text: string, pos: Position): number {
  let line = 0, i = 0;
  while (line < pos.line) {
    const nl = text.indexOf('\n', i);
    if (nl < 0) return text.length;
    i = nl + 1; line++;
  }
  return Math.min(i + pos.character, text.length);
}

export interface NodeAt {
  docIndex: number;
  path: YamlPath;
  /** The cursor is on a key (path ends with that key). */
  isKey: boolean;
  /** The scalar under the cursor, if any. */
  value?: unknown;
  range: Range;
}

/** The innermost node at `offset` of a parsed multi-document YAML text. */
export function nodeAt(text: string, offset: number): NodeAt | undefined {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: false });
  if (!Array.isArray(docs)) return undefined;
  const toRange = (a: number, b: number): Range => {
    const s = lines.linePos(a), e = lines.linePos(b);
    return { start: { line: s.line - 1, character: s.col - 1 }, end: { line: e.line - 1, character: e.col - 1 } };
  };
  for (let di = 0; di < docs.length; di++) {
    const doc = docs[di]!;
    const r = doc.range;
    if (offset < r[0] || offset > r[2]) continue;
    const path: YamlPath = [];
    let node = doc.contents as Node | null;
    for (;;) {
      if (isMap(node)) {
        let next: Node | null = null;
        for (const pair of node.items) {
          const k = pair.key as Node | null;
          const v = pair.value as Node | null;
          const key = isScalar(k) ? String(k.value) : String(k);
          if (k?.range && offset >= k.range[0] && offset <= k.range[1]) {
            return { docIndex: di, path: [...path, key], isKey: true, value: key, range: toRange(k.range[0], k.range[1]) };
          }
          if (v?.range && offset >= v.range[0] && offset <= v.range[1]) { path.push(key); next = v; break; }
        }
        if (!next) return { docIndex: di, path, isKey: false, range: node.range ? toRange(node.range[0], node.range[1]) : toRange(offset, offset) };
        node = next;
      } else if (isSeq(node)) {
        let next: Node | null = null;
        node.items.forEach((it, i) => {
          const n = it as Node | null;
          if (!next && n?.range && offset >= n.range[0] && offset <= n.range[1]) { path.push(i); next = n; }
        });
        if (!next) return { docIndex: di, path, isKey: false, range: node.range ? toRange(node.range[0], node.range[1]) : toRange(offset, offset) };
        node = next;
      } else if (isScalar(node)) {
        return { docIndex: di, path, isKey: false, value: node.value, range: node.range ? toRange(node.range[0], node.range[1]) : toRange(offset, offset) };
      } else {
        return { docIndex: di, path, isKey: false, range: toRange(offset, offset) };
      }
    }
  }
  return undefined;
}

const SENTINEL = 'GITOPSLENSCURSOR';

export interface CursorContext {
  docIndex: number;
  /** Path of the mapping (key context) or of the value (value context) being typed. */
  path: YamlPath;
  kind: 'key' | 'value';
  /** The text typed so far of the key or value. */
  prefix: string;
  /** The range the completion replaces (the typed word). */
  replace: Range;
  /** For a value: the key it belongs to (last string segment of path). */
  key?: string;
}

/** What is being typed at `pos`: a key of the mapping at `path`, or the value at `path`. */
export function cursorContext(text: string, pos: Position): CursorContext | undefined {
  const offset = offsetAt(text, pos);
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEndRaw = text.indexOf('\n', offset);
  const lineEnd = lineEndRaw < 0 ? text.length : lineEndRaw;
  const before = text.slice(lineStart, offset);
  const after = text.slice(offset, lineEnd);
  // The word being typed: back to a space, a dash-space, a colon-space or a quote.
  const m = before.match(/[^\s"'[\],{}]*$/);
  let prefix = m ? m[0] : '';
  // Drop the rest of the word after the cursor from the patched text.
  const restWord = (after.match(/^[^\s:"'\],}]*/) ?? [''])[0];
  const tail = after.slice(restWord.length);
  const lead = before.slice(0, before.length - prefix.length);
  let patched: string;
  if (/^\s*(-\s+)*$/.test(lead)) {
    // A key (or a bare list item) being typed: make it `word<SENTINEL>: ` unless a colon follows.
    patched = text.slice(0, offset) + SENTINEL + (tail.trimStart().startsWith(':') ? tail : ': ' + tail) + text.slice(lineEnd);
  } else {
    patched = text.slice(0, offset) + SENTINEL + tail + text.slice(lineEnd);
  }
  if (prefix.startsWith('-') && /^\s*-$/.test(before)) prefix = '';
  const found = findSentinel(patched);
  if (!found) return undefined;
  const replace: Range = { start: { line: pos.line, character: pos.character - prefix.length }, end: { line: pos.line, character: pos.character + restWord.length } };
  const key = [...found.path].reverse().find((x) => typeof x === 'string') as string | undefined;
  return { ...found, prefix, replace, key: found.kind === 'value' ? key : undefined };
}

function findSentinel(text: string): { docIndex: number; path: YamlPath; kind: 'key' | 'value' } | undefined {
  const docs = parseAllDocuments(text, { uniqueKeys: false });
  if (!Array.isArray(docs)) return undefined;
  for (let di = 0; di < docs.length; di++) {
    const hit = search(docs[di]!.contents as Node | null, []);
    if (hit) return { docIndex: di, ...hit };
  }
  return undefined;
  function search(node: Node | null, path: YamlPath): { path: YamlPath; kind: 'key' | 'value' } | undefined {
    if (isMap(node)) {
      for (const pair of node.items) {
        const k = pair.key as Node | null;
        const key = isScalar(k) ? String(k.value) : '';
        if (key.includes(SENTINEL)) {
          const v = pair.value as Node | null;
          // `- word<S>:` with nothing after is a bare list item or a new key; callers decide by schema.
          if (!isScalar(v) || v.value === null) return { path, kind: 'key' };
          return { path, kind: 'key' };
        }
        const r = search(pair.value as Node | null, [...path, key]);
        if (r) return r;
      }
    } else if (isSeq(node)) {
      for (let i = 0; i < node.items.length; i++) {
        const r = search(node.items[i] as Node | null, [...path, i]);
        if (r) return r;
      }
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes(SENTINEL)) {
      return { path, kind: 'value' };
    }
    return undefined;
  }
}
