// The fast YAML reader's scalars (fastyaml.ts has the whole story): plain scalars on one line or
// folded over several, single- and double-quoted scalars with their folding and escapes, and literal
// and folded block scalars, each read as the `yaml` package reads it, plain ones resolved as go-yaml
// resolves them.

import { foldedRoundTrip, resolvePlain } from './goyaml';
import type { JsonValue } from './resource';
import { bail, BSLASH, COLON, Cursor, DASH, DQ, GT, HASH, LEAF_BLOCK, LEAF_INLINE, NL, SHAPE_OTHER, SHAPE_PLAIN, SP, SQ, TAB } from './fastyaml-cursor';

export abstract class ScalarReader extends Cursor {
  /**
   * A plain scalar starting at p, continued on lines indented more than m. Leaves nextContent's
   * state after it.
   */
  protected plainValue(p: number, m: number): JsonValue {
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

  protected plainEnd = 0;
  protected plainComment = false;
  /** One line of a plain scalar from p: its text (trailing spaces dropped); sets plainEnd and plainComment. */
  protected plainLine(p: number): string {
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
  protected restOfLine(p: number): number {
    const s = this.s;
    const from = p;
    while (s.charCodeAt(p) === SP) p++;
    const c = s.charCodeAt(p);
    if (c === NL || p >= this.len) return p >= this.len ? this.len : p + 1;
    if (c === HASH && p > from) return this.lineAfter(p);
    bail('content after a scalar');
  }

  protected quoted = '';
  /** A quoted value at p (block context, continuation lines indented more than m). */
  protected quotedValue(p: number, m: number): JsonValue {
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
  protected doubleQuotedLine(p: number): number {
    const s = this.s;
    for (let i = p + 1; i < this.len; i++) {
      const c = s.charCodeAt(i);
      if (c === NL) return -1;
      if (c === BSLASH) { if (s.charCodeAt(i + 1) === NL) return -1; i++; continue; }
      if (c === DQ) return this.doubleQuoted(p, -1);
    }
    return -1;
  }

  protected singleQuotedLine(p: number): number {
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
  protected foldBreak(i: number, m: number): [string, number] {
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
  protected static trimEnd(seg: string): string {
    let e = seg.length;
    while (e > 0 && seg.charCodeAt(e - 1) === SP) e--;
    if (e > 0 && seg.charCodeAt(e - 1) === TAB) bail('tab before a line break');
    return e === seg.length ? seg : seg.slice(0, e);
  }

  /**
   * A line break at i inside a quoted scalar whose current run of text started at seg: that run (its
   * trailing spaces dropped) with the fold the break becomes, and where the next line's text starts.
   */
  private quotedLineBreak(seg: number, i: number, m: number): [string, number] {
    if (m < 0) bail('multi-line key');
    const text = ScalarReader.trimEnd(this.s.slice(seg, i));
    const [fold, next] = this.foldBreak(i, m);
    return [text + fold, next];
  }

  /** A double-quoted scalar at p: sets `quoted`, returns the position after the closing quote. m < 0: one line only. */
  protected doubleQuoted(p: number, m: number): number {
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
        const [text, next] = this.quotedLineBreak(seg, i, m);
        out += text;
        seg = i = next;
        continue;
      }
      if (c === BSLASH) {
        out += s.slice(seg, i);
        if (s.charCodeAt(i + 1) === NL) {
          // An escaped line break: no space, the next line's indentation dropped.
          if (m < 0) bail('multi-line key');
          const [fold, next] = this.foldBreak(i + 1, m);
          if (fold !== ' ') bail('empty lines after an escaped line break');
          seg = i = next;
          continue;
        }
        const [text, n] = escapeAt(s, i);
        out += text;
        i += n;
        seg = i;
        continue;
      }
      i++;
    }
  }

  /** A single-quoted scalar at p: sets `quoted`, returns the position after the closing quote. m < 0: one line only. */
  protected singleQuoted(p: number, m: number): number {
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
        const [text, next] = this.quotedLineBreak(seg, i, m);
        out += text;
        seg = i = next;
        continue;
      }
      i++;
    }
  }

  /** A literal or folded block scalar whose header is at p, in a collection at indentation m. */
  protected blockScalar(p: number, m: number): string {
    const s = this.s, len = this.len;
    const h = this.blockHeader(p);
    const { ci, lead, start } = this.blockIndentation(this.lineAfter(h.end), m, h.explicit);
    const b = this.blockLines(start, ci, m, lead, h.explicit);
    let value = h.folded ? foldBlockLines(b.lines, b.lastContent) : b.lines.slice(0, b.lastContent + 1).map((l) => l ?? '').join('\n');
    const trailing = b.lines.length - 1 - b.lastContent;
    if (h.chomp >= 0) value += '\n';
    if (h.chomp > 0) value += '\n'.repeat(trailing);
    const tokenEnd = h.chomp > 0 ? b.stop : b.contentEnd;
    // go-yaml keeps no final line break the text does not have (yamlio.keepNoFinalBreak).
    if (tokenEnd === len && value.endsWith('\n') && s.charCodeAt(len - 1) !== NL) value = value.slice(0, -1);
    if (h.folded && this.opts.roundTripFolded) value = foldedRoundTrip(value);
    this.leafKind = LEAF_BLOCK;
    this.leafUnsure = false;
    this.leafEnd = tokenEnd;
    this.leafDepth = this.depth;
    this.shape = SHAPE_OTHER;
    this.nextContent(tokenEnd);
    return value;
  }

  /** A block scalar's header at p: `|` or `>`, chomping (-1 strip, 0 clip, 1 keep), an indentation indicator; `end` is past it. */
  private blockHeader(p: number): { folded: boolean; chomp: number; explicit: number; end: number } {
    const s = this.s;
    const folded = s.charCodeAt(p) === GT;
    let chomp = 0;
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
    const from = i;
    while (s.charCodeAt(i) === SP) i++;
    const c = s.charCodeAt(i);
    if (c === HASH) { if (i === from) bail('comment touching a block header'); } else if (c !== NL && i < this.len) bail('content after a block header');
    return { folded, chomp, explicit, end: i };
  }

  /** Leading empty lines from q, then the first content line fixes the indentation (ci); `start` is that line's start. */
  private blockIndentation(q: number, m: number, explicit: number): { ci: number; lead: number; start: number } {
    const s = this.s, len = this.len;
    let lead = 0;
    let leadMax = 0;
    for (;;) {
      if (q >= len) bail('empty block scalar');
      const ls = q;
      while (s.charCodeAt(q) === SP) q++;
      const c = s.charCodeAt(q);
      if (c === NL) { lead++; if (q - ls > leadMax) leadMax = q - ls; q++; continue; }
      if (q >= len) bail('empty block scalar');
      let ci = q - ls;
      if (explicit) {
        if (ci < m + explicit) bail(ci <= m ? 'empty block scalar' : 'block scalar line less indented');
        ci = m + explicit;
      }
      if (ci <= m) bail('empty block scalar');
      if (c === TAB) bail('tab after a block scalar\'s indentation');
      if (leadMax > ci) bail('leading empty line more indented');
      return { ci, lead, start: ls };
    }
  }

  /**
   * The scalar's lines from q: the text after the indentation, or null for an empty line. `contentEnd`
   * is after the last content line, `stop` the first line that is not the scalar's.
   */
  private blockLines(q: number, ci: number, m: number, lead: number, explicit: number): { lines: (string | null)[]; lastContent: number; contentEnd: number; stop: number } {
    const s = this.s, len = this.len;
    const lines: (string | null)[] = [];
    for (let k = 0; k < lead; k++) lines.push(null);
    let lastContent = -1;
    let contentEnd = q;
    for (;;) {
      if (q >= len) return { lines, lastContent, contentEnd, stop: len };
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
        if (q >= len) return { lines, lastContent, contentEnd, stop: len };
        q++;
        continue;
      }
      if (sp < ci) {
        if (sp > m || c === TAB) bail('block scalar line less indented');
        return { lines, lastContent, contentEnd, stop: ls };
      }
      const nl = s.indexOf('\n', q);
      lines.push(s.slice(ls + ci, nl < 0 ? len : nl));
      lastContent = lines.length - 1;
      contentEnd = q = nl < 0 ? len : nl + 1;
    }
  }
}

/** A folded block scalar's lines joined as YAML folds them: a break between two plain lines is a space; more-indented lines keep theirs. */
function foldBlockLines(lines: readonly (string | null)[], lastContent: number): string {
  let value = '';
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
  return value;
}

/** What a double-quoted scalar's single-character escapes stand for, by the character after `\\`. */
const ESCAPES: Record<number, string> = {
  48: '\0', 97: '\x07', 98: '\b', 116: '\t', [TAB]: '\t', 110: '\n', 118: '\v', 102: '\f', 114: '\r', 101: '\x1b',
  [SP]: ' ', [DQ]: '"', 47: '/', [BSLASH]: '\\', 78: '\x85', 95: '\xa0', 76: '\u2028', 80: '\u2029',
};

/** The escape at s[i] (the `\\`) in a double-quoted scalar: its text and its length. */
function escapeAt(s: string, i: number): [string, number] {
  const e = s.charCodeAt(i + 1);
  const simple = ESCAPES[e];
  if (simple !== undefined) return [simple, 2];
  if (e !== 120 && e !== 117 && e !== 85) bail('unknown escape'); // x u U
  const digits = e === 120 ? 2 : e === 117 ? 4 : 8;
  const hex = s.slice(i + 2, i + 2 + digits);
  if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex)) bail('bad escape');
  const cp = parseInt(hex, 16);
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) bail('escape out of range');
  return [String.fromCodePoint(cp), 2 + digits];
}
