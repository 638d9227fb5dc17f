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

import { resolvePlain } from './goyaml';
import type { JsonObject, JsonValue } from './resource';
import { bail, COLON, DASH, DQ, type FastDocument, type FastOptions, GT, HASH, LBRACE, LBRACK, LEAF_EMPTY_MAP, LEAF_EMPTY_SEQ, MAP_ANNOTATIONS, MAP_METADATA, MAP_OTHER, MAP_TOP, NL, ODD_CHARS, PIPE, SHAPE_COLLECTION, SHAPE_PLAIN, SP, SQ, TAB, hasOwn } from './fastyaml-cursor';
import { FlowReader } from './fastyaml-flow';

export { FastBail, type FastDocument, type FastFacts, type FastOptions } from './fastyaml-cursor';

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

class Reader extends FlowReader {
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
  protected document(): FastDocument {
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
  /**
   * A block mapping at indentation m whose first key (already scanned by scanKey) starts at pos;
   * `firstKey` is that key, pos is past its `:`. `prefix`: the facts' key path to it (each key
   * followed by NUL), undefined when no facts are noted there.
   */
  protected blockMap(m: number, which: number, firstKey: string, prefix?: string): JsonObject {
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

  /** The value after a key's `:` (pos is just past it), in a mapping at indentation m. */
  protected mapValue(m: number, which: number, prefix: string | undefined): JsonValue {
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
  protected blockSeq(m: number): JsonValue[] {
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
  protected scanKey(p: number): string | undefined {
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
  protected inlineValue(p: number, m: number, which = MAP_OTHER, prefix?: string): JsonValue {
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
}
