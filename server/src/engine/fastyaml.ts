// A fast reader for the YAML that manifests are written in: block mappings and sequences (compact
// `- key: v` items, a sequence at its parent key's indentation), plain scalars (one line or folded
// over several), single- and double-quoted scalars (folding, escapes), literal and folded block
// scalars (chomping, indentation detected or indicated), comments, `---` between documents, and
// flow collections of scalars written on one line (`[]`, `{}`, `[a, "b"]`, `{k: v}`).
//
// It gives what yamlio's full path gives (the `yaml` package, go-yaml's resolution of plain scalars:
// goyaml.resolvePlain) for the same text: each document's value, its range (the range the `yaml`
// package gives the document's top node, trailing comments included as that package includes them),
// the annotations kept as text and, on request, the scalar facts yamlio.scalarFacts reads. Whatever
// it is not sure of (anchors, aliases, tags, merge keys, `?` keys, tabs where indentation could be,
// directives, `...`, duplicate keys, keys that are not strings, top-level scalars, empty block
// scalars, multi-line flow collections, anything malformed) makes it give up: `fastParseYaml`
// returns undefined and the full path reads the file, errors included. test/engine/fastyaml.test.ts
// and fastyaml-corpus.ts hold it to that, value for value and range for range.

import { foldedRoundTrip, resolvePlain } from './goyaml';
import type { JsonObject, JsonValue, Range, ScalarFacts } from './resource';

export interface FastDocument {
  value: JsonValue;
  range: Range;
  rawAnnotations?: Map<string, [string, JsonValue]>;
  /** With FastOptions.facts: how the document wrote its scalars (yamlio.scalarFacts). */
  facts?: FastFacts;
}

/** How a document wrote its scalars (resource.ScalarFacts), as the fast reader notes them. */
export type FastFacts = ScalarFacts;

export interface FastOptions {
  /** go-yaml v3 (resources) or v2 (kustomization files) for plain scalars. */
  version: 2 | 3;
  /** Keep the text of metadata.annotations' plain values (yamlio.annotationsAsText). */
  annotationsAsText: boolean;
  /** Give folded block scalars back as kustomize's output step does (goyaml.foldedRoundTrip). */
  roundTripFolded: boolean;
  /** Also note each document's scalar facts (FastDocument.facts). */
  facts?: boolean;
}

/** Why the fast path gave up (tests and the corpus script read it). */
export class FastBail {
  constructor(readonly reason: string) {}
}

const NL = 10, SP = 32, TAB = 9, HASH = 35, COLON = 58, DASH = 45, DQ = 34, SQ = 39, LBRACK = 91, RBRACK = 93;
const LBRACE = 123, RBRACE = 125, COMMA = 44, PIPE = 124, GT = 62, DOT = 46, BSLASH = 92;

// Characters a plain scalar may not start with (`-`, `?` and `:` may, when no space follows them).
const INDICATOR = new Uint8Array(128);
for (const c of '-?:,[]{}#&*!|>\'"%@`') INDICATOR[c.charCodeAt(0)] = 1;

// Characters that make the whole text the full path's: other line breaks, controls, a byte order mark.
// eslint-disable-next-line no-control-regex
const ODD_CHARS = /[\x00-\x08\x0B-\x1F\x7F-\x9F\u2028\u2029\uFEFF]/;

// The kinds of a document's last scalar, which decide how far the `yaml` package's range of the
// document reaches when comment lines follow it.
const LEAF_INLINE = 0; // plain, quoted or flow: indented comment lines right after it join it
const LEAF_BLOCK = 1; // block scalar
const LEAF_EMPTY_MAP = 2; // `key:` with no value
const LEAF_EMPTY_SEQ = 3; // `-` with no value

// Value shapes the annotations rule needs.
const SHAPE_PLAIN = 0, SHAPE_OTHER = 1, SHAPE_COLLECTION = 2;

// Which map a block map is, for annotationsAsText: the document's top map, its metadata, the annotations.
const MAP_OTHER = 0, MAP_TOP = 1, MAP_METADATA = 2, MAP_ANNOTATIONS = 3;

const hasOwn = Object.prototype.hasOwnProperty;

const MAX_DEPTH = 256;

/**
 * The documents of `text`, or undefined when the text holds anything this reader does not handle
 * with certainty (then the `yaml` package must read it).
 */
export function fastParseYaml(text: string, opts: FastOptions): FastDocument[] | undefined {
  try {
    return new Reader(text, opts).stream();
  } catch {
    // FastBail, or anything unforeseen: the full path decides.
    return undefined;
  }
}

/** The same, throwing FastBail with the reason instead of returning undefined (tests). */
export function fastParseYamlOrBail(text: string, opts: FastOptions): FastDocument[] {
  return new Reader(text, opts).stream();
}

function bail(reason: string): never {
  throw new FastBail(reason);
}

class Reader {
  private readonly s: string;
  private readonly len: number;
  private readonly version: 2 | 3;
  private readonly opts: FastOptions;

  /** Position of the content (or marker) found by nextContent, and its line's indentation. */
  private pos = 0;
  private ind = 0;
  /** What nextContent found: content, `---`, or the end of the text. */
  private at: 'content' | 'doc' | 'eof' = 'content';

  /** The open block collections' indentations, outermost first. */
  private readonly stack: number[] = [];
  private depth = 0;

  /** The last scalar read: its kind, where its own text ends, how deep it sat, where its indicator was. */
  private leafKind = LEAF_INLINE;
  private leafEnd = 0;
  private leafFrom = 0;
  private leafDepth = 0;
  private leafUnsure = false;

  /** The shape and (plain) source text of the last value read. */
  private shape = SHAPE_OTHER;
  private plainText = '';

  private raw: Map<string, [string, JsonValue]> | undefined;
  private facts: FastFacts | undefined;

  /** Line counting for ranges (offsets asked in increasing order). */
  private lcOffset = 0;
  private lcLine = 0;
  private lcLineStart = 0;

  constructor(text: string, opts: FastOptions) {
    this.s = text;
    this.len = text.length;
    this.version = opts.version;
    this.opts = opts;
  }

  stream(): FastDocument[] {
    const s = this.s;
    if (ODD_CHARS.test(s)) bail('unusual characters');
    // A text whose last line holds only spaces is left to the full path (its block scalars' ends).
    if (this.len && s.charCodeAt(this.len - 1) !== NL) {
      const last = s.slice(s.lastIndexOf('\n') + 1);
      if (!last.trim()) bail('last line blank without a line break');
    }
    const docs: FastDocument[] = [];
    this.nextContent(0);
    // A first document may go without `---`; every other starts at one.
    if (this.at === 'content') docs.push(this.document());
    while (this.at === 'doc') {
      // `---`, then spaces and perhaps a comment.
      let p = this.pos + 3;
      while (s.charCodeAt(p) === SP) p++;
      const c = s.charCodeAt(p);
      if (c === HASH) {
        if (p === this.pos + 3) bail('comment touching ---');
      } else if (c === TAB) bail('tab after ---');
      else if (p < this.len && c !== NL) bail('content after ---');
      const emptyAt = p;
      this.nextContent(this.lineAfter(p));
      if (this.atContent()) docs.push(this.document());
      else {
        const empty: FastDocument = { value: null, range: this.range(emptyAt, emptyAt) };
        if (this.opts.facts) empty.facts = { empty: new Set(), quoted: new Set(), plainText: new Map() };
        docs.push(empty);
      }
    }
    return docs;
  }

  /** One document whose first content nextContent found. */
  private document(): FastDocument {
    const s = this.s;
    const start = this.pos;
    const m = this.ind;
    this.raw = undefined;
    this.facts = this.opts.facts ? { empty: new Set(), quoted: new Set(), plainText: new Map() } : undefined;
    this.depth = 0;
    let value: JsonValue;
    const c = s.charCodeAt(start);
    if (c === DASH && this.isBlank(start + 1)) value = this.blockSeq(m);
    else {
      const key = this.scanKey(start);
      if (key === undefined) bail('top-level scalar or flow collection');
      value = this.blockMap(m, this.opts.annotationsAsText ? MAP_TOP : MAP_OTHER, key, this.facts ? '' : undefined);
    }
    if (this.at === 'content') bail('content after the top node');
    const docEnd = this.at === 'doc' ? this.pos : this.len;
    const end = this.documentEnd(docEnd);
    const doc: FastDocument = { value, range: this.range(start, end) };
    if (this.raw) doc.rawAnnotations = this.raw;
    if (this.facts) doc.facts = this.facts;
    return doc;
  }

  // ---------- lines ----------

  /** Whether nextContent found content (a method: the compiler would keep what `at` was narrowed to). */
  private atContent(): boolean {
    return this.at === 'content';
  }

  /** Whether a plain scalar (block context) may start at p. */
  private plainStart(p: number): boolean {
    const c = this.s.charCodeAt(p);
    if (c >= 128 || !INDICATOR[c]) return true;
    return (c === DASH || c === 63 /* ? */ || c === COLON) && !this.isBlank(p + 1) && this.s.charCodeAt(p + 1) !== TAB;
  }

  /** Whether the character at p ends a token: a space, a line break or the end. */
  private isBlank(p: number): boolean {
    const c = this.s.charCodeAt(p);
    return c === SP || c === NL || p >= this.len;
  }

  /** The start of the line after the one p is on. */
  private lineAfter(p: number): number {
    const nl = this.s.indexOf('\n', p);
    return nl < 0 ? this.len : nl + 1;
  }

  /**
   * From the start of a line, skips blank and comment lines to the next content: sets pos (its
   * first character), ind (its line's indentation) and at.
   */
  private nextContent(p: number): void {
    const s = this.s, len = this.len;
    while (p < len) {
      const ls = p;
      while (s.charCodeAt(p) === SP) p++;
      const c = s.charCodeAt(p);
      if (c === NL) { p++; continue; }
      if (p >= len) break;
      if (c === TAB) bail('tab in indentation');
      if (c === HASH) { p = this.lineAfter(p); continue; }
      this.pos = p;
      this.ind = p - ls;
      if (p === ls && (c === DASH || c === DOT) && s.charCodeAt(p + 1) === c && s.charCodeAt(p + 2) === c && this.isBlank(p + 3)) {
        if (c === DOT) bail('document end marker');
        this.at = 'doc';
        return;
      }
      if (c === 37 /* % */ && p === ls) bail('directive');
      this.at = 'content';
      return;
    }
    this.pos = len;
    this.ind = 0;
    this.at = 'eof';
  }

  /** Whether a comment line sits between the line starting at ls and the content above it. */
  private commentAbove(ls: number): boolean {
    const s = this.s;
    while (ls > 0) {
      const prev = s.lastIndexOf('\n', ls - 2) + 1;
      let q = prev;
      while (s.charCodeAt(q) === SP) q++;
      const c = s.charCodeAt(q);
      if (c === HASH) return true;
      if (c !== NL) return false;
      ls = prev;
    }
    return false;
  }

  private range(start: number, end: number): Range {
    const a = this.lineCol(start);
    const b = this.lineCol(end);
    return { start: a, end: b };
  }

  private lineCol(offset: number): { line: number; character: number } {
    if (offset < this.lcOffset) { this.lcOffset = 0; this.lcLine = 0; this.lcLineStart = 0; }
    const s = this.s;
    let p = this.lcOffset;
    for (;;) {
      const nl = s.indexOf('\n', p);
      if (nl < 0 || nl >= offset) break;
      this.lcLine++;
      this.lcLineStart = nl + 1;
      p = nl + 1;
    }
    this.lcOffset = offset;
    return { line: this.lcLine, character: offset - this.lcLineStart };
  }

  // ---------- collections ----------

  private push(indent: number): void {
    // Nesting no manifest has is left to the `yaml` package, whose error (or value) it was before:
    // the engine's recursive steps are not made for thousands of levels.
    if (this.depth >= MAX_DEPTH) bail('nesting too deep');
    this.stack[this.depth++] = indent;
  }

  /**
   * A block mapping at indentation m whose first key (already scanned by scanKey) starts at pos;
   * `firstKey` is that key, pos is past its `:`. `prefix`: the facts' key path to it (each key
   * followed by NUL), undefined when no facts are noted there.
   */
  private blockMap(m: number, which: number, firstKey: string, prefix?: string): JsonObject {
    const s = this.s;
    const obj: JsonObject = {};
    this.push(m);
    let key = firstKey;
    for (;;) {
      if (key === '__proto__' || key === '<<') bail('special key');
      if (hasOwn.call(obj, key)) bail('duplicate key');
      const child = which === MAP_TOP && key === 'metadata' ? MAP_METADATA : which === MAP_METADATA && key === 'annotations' ? MAP_ANNOTATIONS : MAP_OTHER;
      const path = prefix === undefined ? undefined : prefix + key;
      // annotationsAsText leaves nothing of an annotation's collection to see.
      let value = this.mapValue(m, child, path === undefined || which === MAP_ANNOTATIONS ? undefined : `${path}\u0000`);
      if (path !== undefined) this.note(path, value, which === MAP_ANNOTATIONS);
      if (which === MAP_ANNOTATIONS) value = this.annotationText(key, value);
      obj[key] = value;
      if (this.at !== 'content' || this.ind < m) break;
      if (this.ind > m) bail('more-indented content after a value');
      const k = this.scanKey(this.pos);
      if (k === undefined) bail(s.charCodeAt(this.pos) === DASH ? 'sequence item in a mapping' : 'not a key');
      key = k;
    }
    this.depth--;
    return obj;
  }

  /** Notes the facts of the scalar just read (yamlio.scalarFacts); annotations as annotationsAsText leaves them. */
  private note(path: string, value: JsonValue, annotation: boolean): void {
    const f = this.facts!;
    if (this.shape === SHAPE_PLAIN) {
      if (annotation) return;
      if (this.plainText === '') f.empty.add(path);
      else if (typeof value !== 'string') f.plainText.set(path, this.plainText);
    } else if (this.shape === SHAPE_OTHER) f.quoted.add(path);
  }

  /** annotationsAsText: a plain value that reads as something else keeps its text; a collection is "". */
  private annotationText(key: string, value: JsonValue): JsonValue {
    if (this.shape === SHAPE_COLLECTION) return '';
    if (this.shape !== SHAPE_PLAIN) return value;
    const text = this.plainText;
    if (value !== text) {
      (this.raw ??= new Map()).set(key, [text, value]);
      return text;
    }
    return value;
  }

  /** The value after a key's `:` (pos is just past it), in a mapping at indentation m. */
  private mapValue(m: number, which: number, prefix: string | undefined): JsonValue {
    const s = this.s;
    const colon = this.pos - 1;
    let p = this.pos;
    while (s.charCodeAt(p) === SP) p++;
    const c = s.charCodeAt(p);
    if (c === TAB) bail('tab after :');
    if (c === NL || p >= this.len || c === HASH) {
      // The value is on the lines below, or there is none.
      const emptyAt = p;
      this.nextContent(this.lineAfter(p));
      if (this.at === 'content') {
        const q = this.pos;
        const cq = s.charCodeAt(q);
        const isItem = cq === DASH && this.isBlank(q + 1);
        if (this.ind > m || (this.ind === m && isItem)) {
          if (isItem) { const v = this.blockSeq(this.ind); this.shape = SHAPE_COLLECTION; return v; }
          const key = this.scanKey(q);
          if (key !== undefined) { const v = this.blockMap(this.ind, which, key, prefix); this.shape = SHAPE_COLLECTION; return v; }
          if (this.ind === m) bail('unreachable');
          // A one-line flow collection below its key (helm's `toYaml | nindent` writes `{}` so).
          if (cq === LBRACK || cq === LBRACE) { const v = this.flow(q, which, prefix); return v; }
          return this.plainValue(q, m);
        }
      }
      this.leafKind = LEAF_EMPTY_MAP;
      this.leafUnsure = false;
      this.leafEnd = emptyAt;
      this.leafFrom = colon + 1;
      this.leafDepth = this.depth;
      this.shape = SHAPE_PLAIN;
      this.plainText = '';
      return resolvePlain('', this.version).value;
    }
    return this.inlineValue(p, m, which, prefix);
  }

  /** A block sequence at indentation m; pos is at its first `-`. */
  private blockSeq(m: number): JsonValue[] {
    const s = this.s;
    const arr: JsonValue[] = [];
    this.push(m);
    for (;;) {
      const dash = this.pos;
      let p = dash + 1;
      while (s.charCodeAt(p) === SP) p++;
      const c = s.charCodeAt(p);
      if (c === TAB) bail('tab after -');
      if (c === NL || p >= this.len || c === HASH) {
        const emptyAt = p;
        this.nextContent(this.lineAfter(p));
        let done = false;
        if (this.at === 'content' && this.ind > m) {
          const q = this.pos;
          if (s.charCodeAt(q) === DASH && this.isBlank(q + 1)) arr.push(this.blockSeq(this.ind));
          else {
            const key = this.scanKey(q);
            if (key !== undefined) arr.push(this.blockMap(this.ind, MAP_OTHER, key));
            else if (s.charCodeAt(q) === LBRACK || s.charCodeAt(q) === LBRACE) arr.push(this.flow(q, MAP_OTHER, undefined));
            else arr.push(this.plainValue(q, m));
          }
          done = true;
        }
        if (!done) {
          // A comment line above a later empty item is part of that item for the `yaml` package (its range); left to it.
          this.leafUnsure = arr.length > 0 && this.commentAbove(dash - m);
          this.leafKind = LEAF_EMPTY_SEQ;
          this.leafEnd = emptyAt;
          this.leafFrom = dash + 1;
          this.leafDepth = this.depth;
          arr.push(resolvePlain('', this.version).value);
        }
      } else {
        // The item's value starts on this line, at column `column`.
        const column = m + (p - dash);
        if (c === DASH && this.isBlank(p + 1)) {
          this.pos = p;
          this.ind = column;
          arr.push(this.blockSeq(column));
        } else {
          const key = this.scanKey(p);
          if (key !== undefined) {
            this.ind = column;
            arr.push(this.blockMap(column, MAP_OTHER, key));
          } else arr.push(this.inlineValue(p, m));
        }
      }
      if (this.at !== 'content' || this.ind < m) break;
      if (this.ind > m) bail('more-indented content after an item');
      if (!(s.charCodeAt(this.pos) === DASH && this.isBlank(this.pos + 1))) break; // the parent mapping's next key
    }
    this.depth--;
    return arr;
  }

  /**
   * A key at p: a plain scalar or a one-line quoted scalar followed by `:` and a space or the end of
   * the line. Returns the key (pos past the `:`), or undefined when the line holds no key.
   */
  private scanKey(p: number): string | undefined {
    const s = this.s;
    const c = s.charCodeAt(p);
    let key: string;
    let colon: number;
    if (c === DQ || c === SQ) {
      const end = c === DQ ? this.doubleQuotedLine(p) : this.singleQuotedLine(p);
      if (end < 0) return undefined;
      if (s.charCodeAt(end) !== COLON || !this.isBlank(end + 1)) {
        if (s.charCodeAt(end) === COLON || s.charCodeAt(end) === SP) {
          // `"k" :` or `"k":x` — leave it to the full path.
          let q = end;
          while (s.charCodeAt(q) === SP) q++;
          if (s.charCodeAt(q) === COLON) bail('unusual quoted key');
        }
        return undefined;
      }
      key = this.quoted;
      colon = end;
    } else {
      if (!this.plainStart(p)) return undefined;
      let i = p;
      for (;;) {
        const d = s.charCodeAt(i);
        if (d === NL || i >= this.len) return undefined;
        if (d === COLON) {
          const n = s.charCodeAt(i + 1);
          if (n === SP || n === NL || i + 1 >= this.len) break;
          if (n === TAB) bail('tab after :');
        } else if (d === HASH) {
          if (s.charCodeAt(i - 1) === SP) return undefined;
        } else if (d === TAB) bail('tab in a plain scalar');
        i++;
      }
      if (s.charCodeAt(i - 1) === SP) bail('space before :');
      key = s.slice(p, i);
      if (resolvePlain(key, this.version).kind !== 'str') bail('key that is not a string');
      colon = i;
    }
    if (colon - p > 1000) bail('long key');
    this.pos = colon + 1;
    return key;
  }

  // ---------- scalars ----------

  /** A value that starts on its key's or its `-`'s line, at p; m is the enclosing collection's indentation. */
  private inlineValue(p: number, m: number, which = MAP_OTHER, prefix?: string): JsonValue {
    const s = this.s;
    const c = s.charCodeAt(p);
    if (c === PIPE || c === GT) return this.blockScalar(p, m);
    if (c === DQ || c === SQ) {
      const v = this.quotedValue(p, m);
      return v;
    }
    if (c === LBRACK || c === LBRACE) return this.flow(p, which, prefix);
    if (c === DASH && this.isBlank(p + 1)) bail('sequence on a key\'s line');
    if (!this.plainStart(p)) bail('indicator');
    return this.plainValue(p, m);
  }

  /**
   * A plain scalar starting at p, continued on lines indented more than m. Leaves nextContent's
   * state after it.
   */
  private plainValue(p: number, m: number): JsonValue {
    const s = this.s;
    if (!this.plainStart(p)) bail('indicator');
    let text = this.plainLine(p);
    let end = this.lineAfter(this.plainEnd);
    if (!this.plainComment) {
      // Continuation lines.
      let q = end;
      let blanks = 0;
      for (;;) {
        if (q >= this.len) break;
        const ls = q;
        while (s.charCodeAt(q) === SP) q++;
        const c = s.charCodeAt(q);
        if (c === NL) { blanks++; q++; continue; }
        if (q >= this.len) break;
        if (c === TAB) bail('tab in indentation');
        if (q - ls <= m || c === HASH) break;
        const more = this.plainLine(q);
        text += blanks ? '\n'.repeat(blanks) : ' ';
        text += more;
        blanks = 0;
        end = q = this.lineAfter(this.plainEnd);
        if (this.plainComment) break;
      }
    }
    this.leafKind = LEAF_INLINE;
    this.leafUnsure = false;
    this.leafEnd = end;
    this.leafDepth = this.depth;
    this.shape = SHAPE_PLAIN;
    this.plainText = text;
    this.nextContent(end);
    return resolvePlain(text, this.version).value;
  }

  private plainEnd = 0;
  private plainComment = false;

  /** One line of a plain scalar from p: its text (trailing spaces dropped); sets plainEnd and plainComment. */
  private plainLine(p: number): string {
    const s = this.s, len = this.len;
    let i = p;
    let last = p;
    this.plainComment = false;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === NL || i >= len) break;
      if (c === SP) { i++; continue; }
      if (c === COLON) {
        const n = s.charCodeAt(i + 1);
        if (n === SP || n === NL || n === TAB || i + 1 >= len) bail('mapping in a plain scalar');
      } else if (c === HASH) {
        if (s.charCodeAt(i - 1) === SP) { this.plainComment = true; break; }
      } else if (c === TAB) bail('tab in a plain scalar');
      i++;
      last = i;
    }
    this.plainEnd = i;
    return s.slice(p, last);
  }

  /** The rest of a line after a scalar or flow collection ends at p: spaces, maybe a comment. Returns the next line's start. */
  private restOfLine(p: number): number {
    const s = this.s;
    const from = p;
    while (s.charCodeAt(p) === SP) p++;
    const c = s.charCodeAt(p);
    if (c === NL || p >= this.len) return p >= this.len ? this.len : p + 1;
    if (c === HASH && p > from) return this.lineAfter(p);
    bail('content after a scalar');
  }

  private quoted = '';

  /** A quoted value at p (block context, continuation lines indented more than m). */
  private quotedValue(p: number, m: number): JsonValue {
    const end = this.s.charCodeAt(p) === DQ ? this.doubleQuoted(p, m) : this.singleQuoted(p, m);
    const next = this.restOfLine(end);
    this.leafKind = LEAF_INLINE;
    this.leafUnsure = false;
    this.leafEnd = next;
    this.leafDepth = this.depth;
    this.shape = SHAPE_OTHER;
    this.nextContent(next);
    return this.quoted;
  }

  /** A double-quoted scalar on one line at p: sets `quoted`, returns the position after the closing quote, or -1. */
  private doubleQuotedLine(p: number): number {
    const s = this.s;
    for (let i = p + 1; i < this.len; i++) {
      const c = s.charCodeAt(i);
      if (c === NL) return -1;
      if (c === BSLASH) { if (s.charCodeAt(i + 1) === NL) return -1; i++; continue; }
      if (c === DQ) return this.doubleQuoted(p, -1);
    }
    return -1;
  }

  private singleQuotedLine(p: number): number {
    const s = this.s;
    for (let i = p + 1; i < this.len; i++) {
      const c = s.charCodeAt(i);
      if (c === NL) return -1;
      if (c === SQ) {
        if (s.charCodeAt(i + 1) === SQ) { i++; continue; }
        return this.singleQuoted(p, -1);
      }
    }
    return -1;
  }

  /**
   * A line break inside a quoted scalar at i (the `\n`): the folded text it becomes and where the
   * next line's text starts (the scalar's lines below must be indented more than m).
   */
  private foldBreak(i: number, m: number): [string, number] {
    const s = this.s;
    let blanks = 0;
    let q = i + 1;
    for (;;) {
      const ls = q;
      while (s.charCodeAt(q) === SP) q++;
      const c = s.charCodeAt(q);
      if (q >= this.len) bail('unterminated quoted scalar');
      if (c === TAB) bail('tab in a quoted scalar\'s indentation');
      if (c === NL) { blanks++; q++; continue; }
      if (q - ls <= m) bail('quoted scalar not indented');
      break;
    }
    return [blanks ? '\n'.repeat(blanks) : ' ', q];
  }

  /** Drops the spaces a raw segment ends with (before a folded line break). */
  private static trimEnd(seg: string): string {
    let e = seg.length;
    while (e > 0 && seg.charCodeAt(e - 1) === SP) e--;
    if (e > 0 && seg.charCodeAt(e - 1) === TAB) bail('tab before a line break');
    return e === seg.length ? seg : seg.slice(0, e);
  }

  /** A double-quoted scalar at p: sets `quoted`, returns the position after the closing quote. m < 0: one line only. */
  private doubleQuoted(p: number, m: number): number {
    const s = this.s, len = this.len;
    let out = '';
    let seg = p + 1;
    let i = seg;
    for (;;) {
      if (i >= len) bail('unterminated quoted scalar');
      const c = s.charCodeAt(i);
      if (c === DQ) {
        out += s.slice(seg, i);
        this.quoted = out;
        return i + 1;
      }
      if (c === NL) {
        if (m < 0) bail('multi-line key');
        out += Reader.trimEnd(s.slice(seg, i));
        const [fold, next] = this.foldBreak(i, m);
        out += fold;
        seg = i = next;
        continue;
      }
      if (c === BSLASH) {
        out += s.slice(seg, i);
        const e = s.charCodeAt(i + 1);
        let n = 2;
        switch (e) {
          case 48: out += '\0'; break; // 0
          case 97: out += '\x07'; break; // a
          case 98: out += '\b'; break; // b
          case 116: case TAB: out += '\t'; break; // t
          case 110: out += '\n'; break; // n
          case 118: out += '\v'; break; // v
          case 102: out += '\f'; break; // f
          case 114: out += '\r'; break; // r
          case 101: out += '\x1b'; break; // e
          case SP: out += ' '; break;
          case DQ: out += '"'; break;
          case 47: out += '/'; break; // /
          case BSLASH: out += '\\'; break;
          case 78: out += '\x85'; break; // N
          case 95: out += '\xa0'; break; // _
          case 76: out += '\u2028'; break; // L
          case 80: out += '\u2029'; break; // P
          case 120: case 117: case 85: { // x u U
            const digits = e === 120 ? 2 : e === 117 ? 4 : 8;
            const hex = s.slice(i + 2, i + 2 + digits);
            if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex)) bail('bad escape');
            const cp = parseInt(hex, 16);
            if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) bail('escape out of range');
            out += String.fromCodePoint(cp);
            n = 2 + digits;
            break;
          }
          case NL: {
            // An escaped line break: no space, the next line's indentation dropped.
            if (m < 0) bail('multi-line key');
            const [fold, next] = this.foldBreak(i + 1, m);
            if (fold !== ' ') bail('empty lines after an escaped line break');
            seg = i = next;
            continue;
          }
          default: bail('unknown escape');
        }
        i += n;
        seg = i;
        continue;
      }
      i++;
    }
  }

  /** A single-quoted scalar at p: sets `quoted`, returns the position after the closing quote. m < 0: one line only. */
  private singleQuoted(p: number, m: number): number {
    const s = this.s, len = this.len;
    let out = '';
    let seg = p + 1;
    let i = seg;
    for (;;) {
      if (i >= len) bail('unterminated quoted scalar');
      const c = s.charCodeAt(i);
      if (c === SQ) {
        out += s.slice(seg, i);
        if (s.charCodeAt(i + 1) === SQ) { out += '\''; i += 2; seg = i; continue; }
        this.quoted = out;
        return i + 1;
      }
      if (c === NL) {
        if (m < 0) bail('multi-line key');
        out += Reader.trimEnd(s.slice(seg, i));
        const [fold, next] = this.foldBreak(i, m);
        out += fold;
        seg = i = next;
        continue;
      }
      i++;
    }
  }

  /** A literal or folded block scalar whose header is at p, in a collection at indentation m. */
  private blockScalar(p: number, m: number): string {
    const s = this.s, len = this.len;
    const folded = s.charCodeAt(p) === GT;
    let chomp = 0; // -1 strip, 0 clip, 1 keep
    let explicit = 0; // an indentation indicator: the content is indented m + explicit
    let i = p + 1;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === DASH || c === 43 /* + */) {
        if (chomp) bail('two chomping indicators');
        chomp = c === DASH ? -1 : 1;
        i++;
      } else if (c >= 49 && c <= 57) {
        if (explicit) bail('two indentation indicators');
        explicit = c - 48;
        i++;
      } else if (c === 48) bail('indentation indicator 0');
      else break;
    }
    {
      const from = i;
      while (s.charCodeAt(i) === SP) i++;
      const c = s.charCodeAt(i);
      if (c === HASH) { if (i === from) bail('comment touching a block header'); }
      else if (c !== NL && i < len) bail('content after a block header');
    }
    let q = this.lineAfter(i);
    // Leading empty lines, then the first content line fixes the indentation.
    let lead = 0;
    let leadMax = 0;
    let ci = -1;
    for (;;) {
      if (q >= len) bail('empty block scalar');
      const ls = q;
      while (s.charCodeAt(q) === SP) q++;
      const c = s.charCodeAt(q);
      if (c === NL) { lead++; if (q - ls > leadMax) leadMax = q - ls; q++; continue; }
      if (q >= len) bail('empty block scalar');
      ci = q - ls;
      if (explicit) {
        if (ci < m + explicit) bail(ci <= m ? 'empty block scalar' : 'block scalar line less indented');
        ci = m + explicit;
      }
      if (ci <= m) bail('empty block scalar');
      if (c === TAB) bail('tab after a block scalar\'s indentation');
      if (leadMax > ci) bail('leading empty line more indented');
      q = ls;
      break;
    }
    // Lines: the text after the indentation (content), or null for an empty line.
    const lines: (string | null)[] = [];
    for (let k = 0; k < lead; k++) lines.push(null);
    let lastContent = -1;
    let contentEnd = q; // after the last content line
    let stop = len; // the first line that is not the scalar's
    for (;;) {
      if (q >= len) { stop = len; break; }
      const ls = q;
      while (s.charCodeAt(q) === SP) q++;
      const sp = q - ls;
      const c = s.charCodeAt(q);
      if (c === NL || q >= len) {
        if (sp > ci) {
          // A line of spaces only, more than the indentation: content. (With an indicator the `yaml` package's end of the scalar may differ.)
          if (explicit) bail('more-indented empty line with an indentation indicator');
          lines.push(s.slice(ls + ci, q));
          lastContent = lines.length - 1;
          contentEnd = q >= len ? len : q + 1;
        } else lines.push(null);
        if (q >= len) { stop = len; break; }
        q++;
        continue;
      }
      if (sp < ci) {
        if (sp > m || c === TAB) bail('block scalar line less indented');
        stop = ls;
        break;
      }
      const nl = s.indexOf('\n', q);
      const e = nl < 0 ? len : nl;
      lines.push(s.slice(ls + ci, e));
      lastContent = lines.length - 1;
      contentEnd = q = nl < 0 ? len : nl + 1;
    }
    const trailing = lines.length - 1 - lastContent;
    let value = '';
    if (!folded) {
      for (let k = 0; k <= lastContent; k++) {
        if (k) value += '\n';
        value += lines[k] ?? '';
      }
    } else {
      let prevFolded = false; // the previous content line is not more-indented
      let empties = 0;
      let seen = false;
      for (let k = 0; k <= lastContent; k++) {
        const line = lines[k];
        if (line === null || line === undefined) { empties++; continue; }
        const spaced = line.charCodeAt(0) === SP || line.charCodeAt(0) === TAB;
        if (!seen) value += '\n'.repeat(empties);
        else if (prevFolded && !spaced) value += empties ? '\n'.repeat(empties) : ' ';
        else value += '\n'.repeat(empties + 1);
        value += line;
        empties = 0;
        seen = true;
        prevFolded = !spaced;
      }
    }
    if (chomp >= 0) value += '\n';
    if (chomp > 0) value += '\n'.repeat(trailing);
    const tokenEnd = chomp > 0 ? stop : contentEnd;
    // go-yaml keeps no final line break the text does not have (yamlio.keepNoFinalBreak).
    if (tokenEnd === len && value.endsWith('\n') && s.charCodeAt(len - 1) !== NL) value = value.slice(0, -1);
    if (folded && this.opts.roundTripFolded) value = foldedRoundTrip(value);
    this.leafKind = LEAF_BLOCK;
    this.leafUnsure = false;
    this.leafEnd = tokenEnd;
    this.leafDepth = this.depth;
    this.shape = SHAPE_OTHER;
    this.nextContent(chomp > 0 ? stop : contentEnd);
    return value;
  }

  // ---------- flow collections (one line, scalars only) ----------

  private flow(p: number, which: number, prefix: string | undefined): JsonValue {
    const s = this.s;
    const map = s.charCodeAt(p) === LBRACE;
    const close = map ? RBRACE : RBRACK;
    let i = p + 1;
    while (s.charCodeAt(i) === SP) i++;
    let value: JsonValue;
    if (s.charCodeAt(i) === close) {
      value = map ? {} : [];
      i++;
    } else if (map) {
      const obj: JsonObject = {};
      for (;;) {
        const c = s.charCodeAt(i);
        let key: string;
        if (c === DQ || c === SQ) {
          const e = c === DQ ? this.doubleQuotedLine(i) : this.singleQuotedLine(i);
          if (e < 0) bail('flow key');
          key = this.quoted;
          i = e;
        } else {
          const e = this.flowPlainEnd(i, true);
          key = s.slice(i, e);
          if (resolvePlain(key, this.version).kind !== 'str') bail('flow key that is not a string');
          i = e;
        }
        if (s.charCodeAt(i) !== COLON || s.charCodeAt(i + 1) !== SP) bail('flow key without ": "');
        if (key === '__proto__' || key === '<<' || hasOwn.call(obj, key)) bail('flow key');
        i += 2;
        while (s.charCodeAt(i) === SP) i++;
        const [v, e] = this.flowScalar(i);
        if (prefix !== undefined) this.note(prefix + key, v, which === MAP_ANNOTATIONS);
        obj[key] = which === MAP_ANNOTATIONS ? this.annotationText(key, v) : v;
        i = this.flowNext(e, close);
        if (i < 0) break;
      }
      i = -i;
      value = obj;
    } else {
      const arr: JsonValue[] = [];
      for (;;) {
        const [v, e] = this.flowScalar(i);
        arr.push(v);
        i = this.flowNext(e, close);
        if (i < 0) break;
      }
      i = -i;
      value = arr;
    }
    const next = this.restOfLine(i);
    this.leafKind = LEAF_INLINE;
    this.leafUnsure = false;
    this.leafEnd = next;
    this.leafDepth = this.depth;
    this.shape = SHAPE_COLLECTION;
    this.nextContent(next);
    return value;
  }

  /** After a flow item ending at e: the next item's start, or -(position after the closing bracket). */
  private flowNext(e: number, close: number): number {
    const s = this.s;
    while (s.charCodeAt(e) === SP) e++;
    const c = s.charCodeAt(e);
    if (c === close) return -(e + 1);
    if (c !== COMMA) bail('flow collection');
    e++;
    while (s.charCodeAt(e) === SP) e++;
    const d = s.charCodeAt(e);
    if (d === close || d === COMMA) bail('empty flow item');
    return e;
  }

  /** A scalar inside a flow collection at i: [value, its end]. */
  private flowScalar(i: number): [JsonValue, number] {
    const s = this.s;
    const c = s.charCodeAt(i);
    if (c === DQ || c === SQ) {
      const e = c === DQ ? this.doubleQuotedLine(i) : this.singleQuotedLine(i);
      if (e < 0) bail('flow quoted scalar');
      this.shape = SHAPE_OTHER;
      return [this.quoted, e];
    }
    const e = this.flowPlainEnd(i, false);
    const text = s.slice(i, e);
    this.shape = SHAPE_PLAIN;
    this.plainText = text;
    return [resolvePlain(text, this.version).value, e];
  }

  /** The end of a plain scalar in a flow collection at i (a key stops at its `:`). */
  private flowPlainEnd(i: number, key: boolean): number {
    const s = this.s;
    const c0 = s.charCodeAt(i);
    if (c0 < 128 && INDICATOR[c0] && !(c0 === DASH && !this.isBlank(i + 1) && s.charCodeAt(i + 1) !== COMMA)) bail('flow indicator');
    let last = i;
    let j = i;
    for (;;) {
      const c = s.charCodeAt(j);
      if (j >= this.len || c === NL) bail('multi-line flow collection');
      if (c === COMMA || c === RBRACK || c === RBRACE) break;
      if (c === LBRACK || c === LBRACE || c === TAB) bail('flow collection');
      if (c === COLON) { if (key && last === j) break; bail('colon in a flow scalar'); }
      if (c === HASH && s.charCodeAt(j - 1) === SP) bail('comment in a flow collection');
      j++;
      if (c !== SP) last = j;
    }
    if (last === i) bail('empty flow scalar');
    return last;
  }

  // ---------- the document's range ----------

  /**
   * The end of an empty value of a mapping at indentation 0 that a `---` follows. The `yaml` package
   * takes the `---` for the mapping's next item and gives it the lines after the value's first
   * line break, counted from the last comment line indented more than 0: the value keeps what comes
   * before that second line break, and reaches the end of it when a comment is among it.
   */
  private emptyBeforeDocStart(docEnd: number): number {
    const s = this.s;
    // The tokens after the `:`: spaces, comments and line breaks, as [kind, end]; kind 0 break, 1 comment, 2 spaces.
    const tokens: [number, number][] = [];
    let breaks: number[] = [];
    let p = this.leafFrom;
    let indent = 0; // a comment on the key's line sits at the mapping's indentation, 0
    while (p < docEnd) {
      const c = s.charCodeAt(p);
      if (c === SP) {
        const from = p;
        while (s.charCodeAt(p) === SP) p++;
        if (s.charCodeAt(from - 1) === NL || from === this.leafFrom) indent = from === this.leafFrom ? 0 : p - from;
        tokens.push([2, p]);
      } else if (c === HASH) {
        const nl = s.indexOf('\n', p);
        p = nl < 0 || nl > docEnd ? docEnd : nl;
        if (indent > 0) breaks = [];
        tokens.push([1, p]);
      } else if (c === NL) {
        breaks.push(tokens.length);
        tokens.push([0, ++p]);
        indent = 0;
      } else bail('content after an empty value');
    }
    const kept = breaks.length >= 2 ? tokens.slice(0, breaks[1]) : tokens;
    const last = kept[kept.length - 1];
    return kept.some((t) => t[0] === 1) && last ? last[1] : this.leafEnd;
  }

  /**
   * Where the `yaml` package's range of the document's top node ends: after its last scalar, plus
   * the comment lines that follow it which that package counts in (a comment line indented more
   * than the scalar's collection joins an inline scalar; comment lines that stay in a collection
   * below the top one count; an empty value takes every comment line after it).
   */
  private documentEnd(docEnd: number): number {
    const s = this.s;
    if (this.leafKind === LEAF_EMPTY_SEQ && this.leafUnsure) bail('comment above a last empty item');
    const k = this.leafDepth - 1;
    if (this.leafKind === LEAF_EMPTY_MAP && docEnd < this.len && this.stack[k] === 0) return this.emptyBeforeDocStart(docEnd);
    if (this.leafKind === LEAF_EMPTY_MAP || this.leafKind === LEAF_EMPTY_SEQ) {
      // Every line after the indicator is the empty value's: with a comment among them, the range reaches their end.
      const hash = s.indexOf('#', this.leafFrom);
      return hash >= 0 && hash < docEnd ? docEnd : this.leafEnd;
    }
    const kIndent = this.stack[k]!;
    let absorbed = this.leafEnd;
    if (this.leafKind === LEAF_INLINE) {
      let q = this.leafEnd;
      while (q < docEnd) {
        const ls = q;
        while (s.charCodeAt(q) === SP) q++;
        if (s.charCodeAt(q) === HASH) {
          if (q - ls <= kIndent) break;
          absorbed = q = this.lineAfter(q);
        } else q = this.lineAfter(q);
      }
    }
    if (absorbed >= docEnd || k < 1) return absorbed;
    let maxIndent = -1;
    for (let q = absorbed; q < docEnd;) {
      const ls = q;
      while (s.charCodeAt(q) === SP) q++;
      if (s.charCodeAt(q) === HASH && q - ls > maxIndent) maxIndent = q - ls;
      q = this.lineAfter(q);
    }
    for (let j = k; j >= 1; j--) {
      const ind = this.stack[j]!;
      if (ind > 0 && maxIndent >= ind) return docEnd;
    }
    return absorbed;
  }
}
