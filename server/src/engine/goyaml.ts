// The rules of kustomize's Go YAML stack that decide what a plain scalar means and how values are
// written, implemented from their specification (not translated code):
//
// - Resources are read with go-yaml v3; kustomization files with go-yaml v2 (YAML 1.1 booleans). Both
//   resolve an unquoted scalar by its first character: digits and signs may be ints (Go's base-0
//   syntax: 0x, 0o, 0b, leading-0 octal, underscores ignored), then uint64, then floats of a restricted
//   syntax; `.`-led text may be a float; a fixed table names null, bool, ±inf and NaN. Everything else
//   is a string: `.`, `=`, `1e`, `<<` as a value, `nUll`.
// - v3 reads `2001-12-14` (4-digit year, Go's four layouts) as a time, which kustomize's output step
//   (v3 decode → encoding/json → JSONToYAML) prints as RFC 3339 (`"2001-12-14T00:00:00Z"`); v2 keeps
//   timestamps as the text.
// - The output is go-yaml v2's Marshal of the JSON-decoded object: integral numbers print as digits,
//   other floats with Go's shortest %g (exponent from 1e6 up and below 1e-4: `1.0000005e+06`,
//   `1e-05`), map keys in v2's "natural" order, and strings quoted when v2 would read them as
//   another type.

import { KustomizeError } from './resource';

type PlainKind = 'null' | 'bool' | 'int' | 'float' | 'timestamp' | 'merge' | 'str';
export interface Resolved { kind: PlainKind; value: string | number | boolean | null }

const V3_TABLE: Record<string, Resolved> = {};
const V2_TABLE: Record<string, Resolved> = {};
for (const [words, r] of [
  ['true True TRUE', { kind: 'bool', value: true }],
  ['false False FALSE', { kind: 'bool', value: false }],
  ['~ null Null NULL', { kind: 'null', value: null }],
  ['.nan .NaN .NAN', { kind: 'float', value: NaN }],
  ['.inf .Inf .INF +.inf +.Inf +.INF', { kind: 'float', value: Infinity }],
  ['-.inf -.Inf -.INF', { kind: 'float', value: -Infinity }],
  ['<<', { kind: 'merge', value: '<<' }],
] as [string, Resolved][]) {
  for (const w of words.split(' ')) V3_TABLE[w] = V2_TABLE[w] = r;
}
V3_TABLE[''] = V2_TABLE[''] = { kind: 'null', value: null };
for (const w of 'y Y yes Yes YES on On ON'.split(' ')) V2_TABLE[w] = { kind: 'bool', value: true };
for (const w of 'n N no No NO off Off OFF'.split(' ')) V2_TABLE[w] = { kind: 'bool', value: false };

/** The resolution hint of a first character: S sign, D digit, M table word, . dot, else none. */
function hint(c: string | undefined): string {
  if (c === undefined) return 'N';
  if (c === '+' || c === '-') return 'S';
  if (c >= '0' && c <= '9') return 'D';
  if (c === '.') return '.';
  return 'yYnNtTfFoO~'.includes(c) ? 'M' : '';
}

const STR = (s: string): Resolved => ({ kind: 'str', value: s });
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;
const YAML_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const DOT_FLOAT = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/;

/** Go's strconv.ParseInt(s, 0, 64) / ParseUint(s, 0, 64): the integer, or undefined. */
function goParseInt(s: string): bigint | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const body = m[2]!;
  let n: bigint;
  if (/^0[oO]/.test(body)) n = BigInt(`0o${body.slice(2)}`);
  else if (/^0[0-7]+$/.test(body)) n = BigInt(`0o${body.slice(1)}`);
  else n = BigInt(body);
  if (m[1] === '-') n = -n;
  // ParseInt takes a sign; ParseUint does not, so a signed value must fit int64.
  if (n >= INT64_MIN && n <= INT64_MAX) return n;
  if (m[1] === '' && n <= UINT64_MAX) return n;
  return undefined;
}

/** Go's ParseFloat for text of YAML_FLOAT's syntax: the value, or undefined when out of range. */
function goParseFloat(s: string): number | undefined {
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

/** What go-yaml (v3 for resources, v2 for kustomization files) makes of an unquoted, untagged scalar. */
export function resolvePlain(s: string, version: 2 | 3): Resolved {
  const h = hint(s[0]);
  if (!h) return STR(s);
  const table = version === 3 ? V3_TABLE : V2_TABLE;
  const known = table[s];
  if (known) return known;
  if (h === '.') {
    const v = DOT_FLOAT.test(s) ? goParseFloat(s) : undefined;
    return v === undefined ? STR(s) : { kind: 'float', value: v };
  }
  if (h !== 'D' && h !== 'S') return STR(s);
  // Fast path: the ordinary decimal integers most manifests hold.
  if (/^-?[1-9][0-9]{0,14}$|^0$/.test(s)) return { kind: 'int', value: Number(s) };
  if (h === 'D') {
    const t = goTimestamp(s);
    if (t !== undefined) return { kind: 'timestamp', value: version === 3 ? t : s };
  }
  const plain = s.includes('_') ? s.replace(/_/g, '') : s;
  const i = goParseInt(plain);
  if (i !== undefined) return { kind: 'int', value: Number(i) };
  if (YAML_FLOAT.test(plain)) {
    const v = goParseFloat(plain);
    if (v !== undefined) return { kind: 'float', value: v };
  }
  return STR(s);
}

const daysIn = (y: number, m: number): number => [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
const TS = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:([Tt])|( ))([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:[.,]([0-9]+))?(Z|[-+][0-9]{2}:[0-9]{2})?)?$/;

/**
 * A timestamp go-yaml accepts (Go's time.Parse with 2006-1-2T15:4:5.999999999Z07:00, the same with
 * `t`, 2006-1-2 15:4:5.999999999, 2006-1-2), printed as encoding/json prints a time.Time (RFC 3339
 * with nanoseconds, trailing zeros dropped, `Z` for a zero offset); undefined when it is none.
 */
function goTimestamp(s: string): string | undefined {
  const m = TS.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, t, space, hh, mi, ss, frac, zone] = m;
  const year = Number(y), month = Number(mo), day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  const pad = (n: string | undefined) => (n ?? '0').padStart(2, '0');
  const date = `${y}-${pad(mo)}-${pad(d)}`;
  if (hh === undefined) return `${date}T00:00:00Z`;
  // The T/t layouts require a zone; the space layout has none (UTC).
  if ((t && zone === undefined) || (space && zone !== undefined)) return undefined;
  if (Number(hh) >= 24 || Number(mi) >= 60 || Number(ss) >= 60) return undefined;
  if (zone && zone !== 'Z' && (Number(zone.slice(1, 3)) >= 24 || Number(zone.slice(4)) >= 60)) return undefined;
  const nanos = (frac ?? '').slice(0, 9).replace(/0+$/, '');
  const offset = !zone || zone === 'Z' || /^[-+]00:00$/.test(zone) ? 'Z' : zone;
  return `${date}T${pad(hh)}:${pad(mi)}:${pad(ss)}${nanos ? `.${nanos}` : ''}${offset}`;
}

const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** Whether go-yaml v2's Marshal writes `s` quoted because unquoted it would read as something else. */
export function readsAsOtherType(s: string): boolean {
  return resolvePlain(s, 2).kind !== 'str' || BASE60.test(s);
}

/**
 * A number as kustomize prints it (encoding/json, then go-yaml v2 reading that JSON and writing it):
 * an integral value that fits int64 or uint64 as digits; any other as Go's FormatFloat(f, 'g', -1, 64),
 * the shortest digits with an exponent (two digits at least) when it is below -4 or from 6 up
 * (`1.0000005e+06`, `1e-05`, `1e+20`). NaN and ±Inf cannot be encoded: kustomize fails there too.
 */
export function formatGoNumber(v: number): string {
  if (!Number.isFinite(v)) {
    throw new KustomizeError(`json: unsupported value: ${Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf'}`);
  }
  // Go's int64 and uint64 range (-2^63 .. 2^64; the float64 nearest 2^64-1 is 2^64).
  if (Number.isInteger(v) && v >= -(2 ** 63) && v <= 2 ** 64) {
    return Math.abs(v) <= Number.MAX_SAFE_INTEGER ? String(v === 0 ? 0 : v) : BigInt(v).toString();
  }
  return formatGoG(v);
}

/** Go's FormatFloat(v, 'g', -1, …) of a value whose shortest digits JavaScript already has. */
export function formatGoG(v: number): string {
  const [mant, e] = v.toExponential().split('e') as [string, string];
  const exp = Number(e);
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(v);
}

/** go-yaml v2's order of map keys (its "natural" sort: digit runs compare as numbers, non-letters before letters). */
export function goKeyCompare(a: string, b: string): number {
  // Most keys differ first at two ASCII letters (or one is the other's prefix): that decides it.
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n && !(n && (a.charCodeAt(n - 1) & 0xfc00) === 0xd800)) return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
  const x = a.charCodeAt(i) | 32, y = b.charCodeAt(i) | 32;
  if (x >= 97 && x <= 122 && y >= 97 && y <= 122) return a.charCodeAt(i) < b.charCodeAt(i) ? -1 : 1;
  return goKeyLess(a, b) ? -1 : goKeyLess(b, a) ? 1 : 0;
}

const isLetter = (c: number): boolean => (c < 0x80 ? (c >= 65 && c <= 90) || (c >= 97 && c <= 122) : /\p{L}/u.test(String.fromCodePoint(c)));
const isDigit = (c: number): boolean => (c < 0x80 ? c >= 48 && c <= 57 : /\p{Nd}/u.test(String.fromCodePoint(c)));

function goKeyLess(a: string, b: string): boolean {
  const ar = /[\ud800-\udfff]/.test(a) ? Array.from(a, (ch) => ch.codePointAt(0)!) : undefined;
  const br = /[\ud800-\udfff]/.test(b) ? Array.from(b, (ch) => ch.codePointAt(0)!) : undefined;
  const al = ar ? ar.length : a.length;
  const bl = br ? br.length : b.length;
  const at = (i: number): number => (ar ? ar[i]! : a.charCodeAt(i));
  const bt = (i: number): number => (br ? br[i]! : b.charCodeAt(i));
  for (let i = 0; i < al && i < bl; i++) {
    const x = at(i);
    const y = bt(i);
    if (x === y) continue;
    const xl = isLetter(x);
    const yl = isLetter(y);
    if (xl && yl) return x < y;
    if (xl || yl) return yl;
    // Digit runs starting here compare as numbers (a run continuing a non-zero number counts from 1).
    let an = 0n;
    let bn = 0n;
    if (x === 48 || y === 48) {
      for (let j = i - 1; j >= 0 && isDigit(at(j)); j--) {
        if (at(j) !== 48) { an = 1n; bn = 1n; break; }
      }
    }
    let ai = i;
    for (; ai < al && isDigit(at(ai)); ai++) an = BigInt.asIntN(64, an * 10n + BigInt(at(ai) - 48));
    let bi = i;
    for (; bi < bl && isDigit(bt(bi)); bi++) bn = BigInt.asIntN(64, bn * 10n + BigInt(bt(bi) - 48));
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return x < y;
  }
  return al < bl;
}

/**
 * What a folded block scalar (`>`) of a resource becomes in kustomize's output. kyaml keeps the
 * scalar's style, and the output step writes the node with go-yaml v3 and reads it back. v3's
 * emitter, when it writes a line break that follows a line not indented further, adds an empty line
 * (a folded scalar needs one to keep the break) unless the *value's first* line is indented (it tests
 * the start of the value rather than the next line), so a break before a more-indented line comes
 * back doubled. This writes the lines as that emitter would and reads them as v3's scanner reads a
 * folded scalar (chomping as the emitter's header says).
 */
export function foldedRoundTrip(value: string): string {
  if (!value.includes('\n')) return value;
  let k = 0;
  while (value[k] === '\n') k++;
  const extra = !(k >= value.length || ' \t\n\r'.includes(value[k]!));
  // The emitter's text: content lines (indentation left out), '' for an empty line.
  let text = '';
  let breaks = true;
  let leadingSpaces = true;
  for (const ch of value) {
    if (ch === '\n') {
      if (!breaks && !leadingSpaces && extra) text += '\n';
      text += '\n';
      breaks = true;
    } else {
      if (breaks) leadingSpaces = ch === ' ' || ch === '\t';
      text += ch;
      breaks = false;
    }
  }
  // The header's chomping: strip without a final break, keep with more than one (or a lone break).
  const chomp = !value.endsWith('\n') ? 'strip' : value.length === 1 || value.endsWith('\n\n') ? 'keep' : 'clip';
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  // v3's scanner: fold a break between two lines that are not more-indented into a space (or drop
  // it when empty lines follow), keep every other break.
  let s = '';
  let leadingBreak = '';
  let trailingBreaks = '';
  let leadingBlank = false;
  let i = 0;
  for (; i < lines.length && lines[i] === ''; i++) trailingBreaks += '\n';
  while (i < lines.length) {
    const line = lines[i]!;
    const trailingBlank = line[0] === ' ' || line[0] === '\t';
    if (!leadingBlank && !trailingBlank && leadingBreak === '\n') {
      if (trailingBreaks === '') s += ' ';
    } else s += leadingBreak;
    s += trailingBreaks;
    trailingBreaks = '';
    leadingBlank = trailingBlank;
    s += line;
    i++;
    leadingBreak = i < lines.length || text.endsWith('\n') ? '\n' : '';
    for (; i < lines.length && lines[i] === ''; i++) trailingBreaks += '\n';
  }
  if (chomp !== 'strip') s += leadingBreak;
  if (chomp === 'keep') s += trailingBreaks;
  return s;
}
