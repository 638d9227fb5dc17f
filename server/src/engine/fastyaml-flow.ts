// The fast YAML reader's flow collections of scalars written on one line (`[]`, `{}`, `[a, "b"]`,
// `{k: v}`), and what it notes of the values it reads: annotations kept as their text, and the
// scalar facts a strategic merge heeds (fastyaml.ts has the whole story).

import { resolvePlain } from './goyaml';
import type { JsonObject, JsonValue } from './resource';
import { bail, COLON, COMMA, DASH, DQ, HASH, INDICATOR, LBRACE, LBRACK, LEAF_INLINE, MAP_ANNOTATIONS, NL, RBRACE, RBRACK, SHAPE_COLLECTION, SHAPE_OTHER, SHAPE_PLAIN, SP, SQ, TAB, hasOwn } from './fastyaml-cursor';
import { ScalarReader } from './fastyaml-scalars';

export abstract class FlowReader extends ScalarReader {
  /** Notes the facts of the scalar just read (yamlio.scalarFacts); annotations as annotationsAsText leaves them. */
  protected note(path: string, value: JsonValue, annotation: boolean): void {
    const f = this.facts!;
    if (this.shape === SHAPE_PLAIN) {
      if (annotation) return;
      if (this.plainText === '') f.empty.add(path);
      else if (typeof value !== 'string') f.plainText.set(path, this.plainText);
    } else if (this.shape === SHAPE_OTHER) f.quoted.add(path);
  }

  /** annotationsAsText: a plain value that reads as something else keeps its text; a collection is "". */
  protected annotationText(key: string, value: JsonValue): JsonValue {
    if (this.shape === SHAPE_COLLECTION) return '';
    if (this.shape !== SHAPE_PLAIN) return value;
    const text = this.plainText;
    if (value !== text) {
      (this.raw ??= new Map()).set(key, [text, value]);
      return text;
    }
    return value;
  }

  protected flow(p: number, which: number, prefix: string | undefined): JsonValue {
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
  protected flowNext(e: number, close: number): number {
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
  protected flowScalar(i: number): [JsonValue, number] {
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
  protected flowPlainEnd(i: number, key: boolean): number {
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
}
