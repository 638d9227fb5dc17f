// The fast YAML reader's lowest layer (fastyaml.ts has the whole story): the text, the cursor over
// its lines (content, indentation, comments, document markers), line and column counting for
// ranges, the stack of open block collections, what the last scalar read left behind, and the
// constants every layer shares. `bail` gives up: the `yaml` package reads the text instead.

import type { JsonValue, Range, ScalarFacts } from './resource';

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

export const NL = 10, SP = 32, TAB = 9, HASH = 35, COLON = 58, DASH = 45, DQ = 34, SQ = 39, LBRACK = 91, RBRACK = 93;
export const LBRACE = 123, RBRACE = 125, COMMA = 44, PIPE = 124, GT = 62, BSLASH = 92;
const DOT = 46;

// Characters a plain scalar may not start with (`-`, `?` and `:` may, when no space follows them).
export const INDICATOR = new Uint8Array(128);
for (const c of '-?:,[]{}#&*!|>\'"%@`') INDICATOR[c.charCodeAt(0)] = 1;

// Characters that make the whole text the full path's: other line breaks, controls, a byte order mark.
// eslint-disable-next-line no-control-regex
export const ODD_CHARS = /[\x00-\x08\x0B-\x1F\x7F-\x9F\u2028\u2029\uFEFF]/;

// The kinds of a document's last scalar, which decide how far the `yaml` package's range of the
// document reaches when comment lines follow it.
export const LEAF_INLINE = 0; // plain, quoted or flow: indented comment lines right after it join it
export const LEAF_BLOCK = 1; // block scalar
export const LEAF_EMPTY_MAP = 2; // `key:` with no value
export const LEAF_EMPTY_SEQ = 3; // `-` with no value

// Value shapes the annotations rule needs.
export const SHAPE_PLAIN = 0, SHAPE_OTHER = 1, SHAPE_COLLECTION = 2;

// Which map a block map is, for annotationsAsText: the document's top map, its metadata, the annotations.
export const MAP_OTHER = 0, MAP_TOP = 1, MAP_METADATA = 2, MAP_ANNOTATIONS = 3;

export const hasOwn = Object.prototype.hasOwnProperty;

const MAX_DEPTH = 256;

export function bail(reason: string): never {
  throw new FastBail(reason);
}

export abstract class Cursor {
  protected readonly s: string;
  protected readonly len: number;
  protected readonly version: 2 | 3;
  protected readonly opts: FastOptions;

  /** Position of the content (or marker) found by nextContent, and its line's indentation. */
  protected pos = 0;
  protected ind = 0;
  /** What nextContent found: content, `---`, or the end of the text. */
  protected at: 'content' | 'doc' | 'eof' = 'content';

  /** The open block collections' indentations, outermost first. */
  protected readonly stack: number[] = [];
  protected depth = 0;

  /** The last scalar read: its kind, where its own text ends, how deep it sat, where its indicator was. */
  protected leafKind = LEAF_INLINE;
  protected leafEnd = 0;
  protected leafFrom = 0;
  protected leafDepth = 0;
  protected leafUnsure = false;

  /** The shape and (plain) source text of the last value read. */
  protected shape = SHAPE_OTHER;
  protected plainText = '';

  protected raw: Map<string, [string, JsonValue]> | undefined;
  protected facts: FastFacts | undefined;

  /** Line counting for ranges (offsets asked in increasing order). */
  protected lcOffset = 0;
  protected lcLine = 0;
  protected lcLineStart = 0;

  constructor(text: string, opts: FastOptions) {
    this.s = text;
    this.len = text.length;
    this.version = opts.version;
    this.opts = opts;
  }

  /** Whether nextContent found content (a method: the compiler would keep what `at` was narrowed to). */
  protected atContent(): boolean {
    return this.at === 'content';
  }

  /** Whether a plain scalar (block context) may start at p. */
  protected plainStart(p: number): boolean {
    const c = this.s.charCodeAt(p);
    if (c >= 128 || !INDICATOR[c]) return true;
    return (c === DASH || c === 63 /* ? */ || c === COLON) && !this.isBlank(p + 1) && this.s.charCodeAt(p + 1) !== TAB;
  }

  /** Whether the character at p ends a token: a space, a line break or the end. */
  protected isBlank(p: number): boolean {
    const c = this.s.charCodeAt(p);
    return c === SP || c === NL || p >= this.len;
  }

  /** The start of the line after the one p is on. */
  protected lineAfter(p: number): number {
    const nl = this.s.indexOf('\n', p);
    return nl < 0 ? this.len : nl + 1;
  }

  /**
   * From the start of a line, skips blank and comment lines to the next content: sets pos (its
   * first character), ind (its line's indentation) and at.
   */
  protected nextContent(p: number): void {
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
  protected commentAbove(ls: number): boolean {
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

  protected range(start: number, end: number): Range {
    const a = this.lineCol(start);
    const b = this.lineCol(end);
    return { start: a, end: b };
  }

  protected lineCol(offset: number): { line: number; character: number } {
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
  protected push(indent: number): void {
    // Nesting no manifest has is left to the `yaml` package, whose error (or value) it was before:
    // the engine's recursive steps are not made for thousands of levels.
    if (this.depth >= MAX_DEPTH) bail('nesting too deep');
    this.stack[this.depth++] = indent;
  }

  /**
   * The end of an empty value of a mapping at indentation 0 that a `---` follows. The `yaml` package
   * takes the `---` for the mapping's next item and gives it the lines after the value's first
   * line break, counted from the last comment line indented more than 0: the value keeps what comes
   * before that second line break, and reaches the end of it when a comment is among it.
   */
  protected emptyBeforeDocStart(docEnd: number): number {
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
  protected documentEnd(docEnd: number): number {
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
