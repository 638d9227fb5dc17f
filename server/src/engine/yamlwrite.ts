// A direct YAML writer for plain JSON-like values that prints what kustomize prints (go-yaml v2's
// Marshal, 80-column line width; goyaml.ts has the rules): keys in v2's order, block mappings and sequences with list items at their
// parent's indentation, literal blocks for multi-line strings, plain scalars where they read back as
// the same string, double quotes for strings that would read as another type, single quotes for the
// other strings that cannot be plain, and long scalars folded at spaces after column 80.
// It is much faster than building a YAML document per resource, which matters when a preview
// re-renders on every keystroke.

import { formatGoNumber, goKeyCompare, readsAsOtherType } from './goyaml';
import type { JsonValue } from './resource';

const WIDTH = 80;

// Characters go-yaml cannot write unescaped (not "printable" for libyaml: controls, tab, DEL, C1 but
// NEL, surrogates, BOM, U+FFFE/F, and everything beyond the BMP, such as emoji).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ud800-\udfff\ufeff\ufffe\uffff\t\r]/;
const SIMPLE = /^[A-Za-z_/][A-Za-z0-9_./-]*$/;

/** Whether libyaml would allow `s` (one line) as a plain scalar in block context. */
function plainAllowed(s: string): boolean {
  if (/^\s|\s$/.test(s)) return false;
  if (s.startsWith('---') || s.startsWith('...')) return false;
  const first = s[0]!;
  if ('#,[]{}&*!|>\'"%@`'.includes(first)) return false;
  if ((first === '-' || first === '?' || first === ':') && (s.length === 1 || s[1] === ' ')) return false;
  if (/: |:$| #/.test(s)) return false;
  return true;
}

/** Can `s` be written as a plain (unquoted) scalar and read back as the same string? */
export function isPlainSafe(s: string): boolean {
  // Fast path: identifiers, image references, label keys, paths (most of what a manifest holds).
  if (SIMPLE.test(s)) return !readsAsOtherType(s);
  if (s.includes('\n') || UNPRINTABLE.test(s) || readsAsOtherType(s)) return false;
  return plainAllowed(s);
}

/**
 * Writes `text` starting at column `col`, replacing a single space by a line break plus `cont`
 * whenever the line is already past the width (libyaml's rule; the space is not written).
 */
function fold(text: string, col: number, cont: string, quoted: 'plain' | 'single' | 'double'): string {
  // No space can come past the width: nothing to fold.
  if (col + text.length <= WIDTH + 1) return text;
  let out = '';
  let from = 0; // text[from, i) is still to be written
  let spaces = false;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 32) {
      const next = text.charCodeAt(i + 1);
      const canBreak = quoted === 'plain' ? next !== 32 : i !== 0 && i !== text.length - 1 && (quoted === 'double' || next !== 32);
      if (!spaces && col > WIDTH && canBreak) {
        out += text.slice(from, i) + '\n' + cont;
        from = i + 1;
        col = cont.length;
        if (quoted === 'double' && next === 32) { out += '\\'; col++; }
        spaces = true;
        continue;
      }
      spaces = true;
    } else spaces = false;
    col++;
  }
  return from === 0 ? text : out + text.slice(from);
}

function doubleQuoted(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; break;
      case '\\': out += '\\\\'; break;
      case '\n': out += '\\n'; break;
      case '\t': out += '\\t'; break;
      case '\r': out += '\\r'; break;
      case '\0': out += '\\0'; break;
      case '\u0007': out += '\\a'; break;
      case '\b': out += '\\b'; break;
      case '\u000b': out += '\\v'; break;
      case '\f': out += '\\f'; break;
      case '\u001b': out += '\\e'; break;
      case '\u0085': out += '\\N'; break;
      case '\u00a0': out += '\\_'; break;
      case '\u2028': out += '\\L'; break;
      case '\u2029': out += '\\P'; break;
      default:
        if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0) || c === 0xfeff || c === 0xfffe || c === 0xffff || (c >= 0xd800 && c <= 0xdfff)) {
          out += c <= 0xff ? `\\x${c.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
        } else if (c > 0xffff) {
          out += `\\U${c.toString(16).toUpperCase().padStart(8, '0')}`;
        } else out += ch;
    }
  }
  return `"${out}"`;
}

/** A scalar as go-yaml writes it, starting at column `col`; `cont` is the indentation of folded lines (none for keys). */
function scalar(v: JsonValue, col: number, cont: string | undefined): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return formatGoNumber(v);
  const s = v as string;
  if (SIMPLE.test(s) && !readsAsOtherType(s)) return s;
  let style: 'plain' | 'single' | 'double';
  if (readsAsOtherType(s) || UNPRINTABLE.test(s) || s.includes('\n')) style = 'double';
  else style = plainAllowed(s) ? 'plain' : 'single';
  if (cont === undefined) {
    return style === 'plain' ? s : style === 'single' ? `'${s.replace(/'/g, "''")}'` : doubleQuoted(s);
  }
  if (style === 'plain') return fold(s, col, cont, 'plain');
  if (style === 'single') return `'${fold(s.replace(/'/g, "''"), col + 1, cont, 'single')}'`;
  const q = doubleQuoted(s);
  return `"${fold(q.slice(1, -1), col + 1, cont, 'double')}"`;
}

/** A multi-line string as a literal block (`|`, `|-`, `|+`, with `2` when it starts with a space or break). */
function literalBlock(s: string, indent: string): string | undefined {
  if (!s.includes('\n')) return undefined;
  // libyaml allows a literal block unless a space ends a line or the text, or a character needs
  // escaping (a tab too: such strings are written double-quoted).
  if (UNPRINTABLE.test(s) || s.includes(' \n') || s.endsWith(' ')) return undefined;
  let chomp = '';
  if (!s.endsWith('\n')) chomp = '-';
  else if (s.length === 1 || s.endsWith('\n\n')) chomp = '+';
  const body = s.endsWith('\n') ? s.slice(0, -1) : s;
  const hint = s[0] === ' ' || s[0] === '\n' ? '2' : '';
  // Every line indented, empty lines left empty.
  const lines = (body === '' || body[0] === '\n' ? '' : indent) + body.replace(NON_EMPTY_LINE, `\n${indent}`);
  return `|${hint}${chomp}\n${lines}\n`;
}

const NON_EMPTY_LINE = /\n(?=[^\n])/g;

// go-yaml writes a key longer than 128 bytes, or one with a line break, as a complex key: `? key`,
// then the value after `: ` as a list item goes after `- `.
// eslint-disable-next-line no-control-regex -- ASCII, NUL included
const utf8Length = (k: string): number => (/^[\x00-\x7f]*$/.test(k) ? k.length : new TextEncoder().encode(k).length);

// Keys as written (`scalar(k, …, undefined)` does not depend on the column): the same few keys
// come back in every object. Bounded, for a long-running server.
const keyText = new Map<string, string>();

function writeKey(k: string): string {
  let t = keyText.get(k);
  if (t === undefined) {
    t = scalar(k, 0, undefined);
    if (keyText.size >= 20000) keyText.clear();
    keyText.set(k, t);
  }
  return t;
}

function writeMap(m: Record<string, JsonValue>, indent: string, out: string[]): void {
  // kustomize prints map keys in go-yaml v2's order, whatever order the source had.
  for (const k of Object.keys(m).sort(goKeyCompare)) {
    const v = m[k]!;
    if (k.includes('\n') || (k.length > 32 && utf8Length(k) > 128)) {
      out.push(`${indent}? ${literalBlock(k, indent + '  ') ?? scalar(k, indent.length + 2, undefined) + '\n'}`);
      writeItem(v, indent, ': ', out);
      continue;
    }
    const key = writeKey(k);
    if (Array.isArray(v)) {
      if (v.length === 0) { out.push(`${indent}${key}: []\n`); continue; }
      out.push(`${indent}${key}:\n`);
      writeSeq(v, indent, out);
    } else if (v !== null && typeof v === 'object') {
      if (Object.keys(v).length === 0) { out.push(`${indent}${key}: {}\n`); continue; }
      out.push(`${indent}${key}:\n`);
      writeMap(v as Record<string, JsonValue>, indent + '  ', out);
    } else {
      const block = typeof v === 'string' ? literalBlock(v, indent + '  ') : undefined;
      const text = block ?? scalar(v, indent.length + key.length + 2, indent + '  ') + '\n';
      out.push(`${indent}${key}: ${text}`);
    }
  }
}

/** One list item (`marker` "- "), or the value of a complex key (`marker` ": "). */
function writeItem(item: JsonValue, indent: string, marker: string, out: string[]): void {
  if (Array.isArray(item)) {
    if (item.length === 0) { out.push(`${indent}${marker}[]\n`); return; }
    // A list in a list starts on the dash's line, like a map does.
    const first = out.length;
    writeSeq(item, indent + '  ', out);
    out[first] = `${indent}${marker}${out[first]!.slice(indent.length + 2)}`;
  } else if (item !== null && typeof item === 'object') {
    if (Object.keys(item).length === 0) { out.push(`${indent}${marker}{}\n`); return; }
    // The first key shares the dash's line; the rest align under it.
    const first = out.length;
    writeMap(item as Record<string, JsonValue>, indent + '  ', out);
    out[first] = `${indent}${marker}${out[first]!.slice(indent.length + 2)}`;
  } else {
    const block = typeof item === 'string' ? literalBlock(item, indent + '  ') : undefined;
    out.push(`${indent}${marker}${block ?? scalar(item, indent.length + 2, indent + '  ') + '\n'}`);
  }
}

function writeSeq(a: JsonValue[], indent: string, out: string[]): void {
  for (const item of a) writeItem(item, indent, '- ', out);
}

/** One YAML document for a value (a mapping at the top, as every Kubernetes object is). */
export function writeYaml(v: JsonValue): string {
  const out: string[] = [];
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]\n';
    writeSeq(v, '', out);
  } else if (v !== null && typeof v === 'object') {
    if (Object.keys(v).length === 0) return '{}\n';
    writeMap(v as Record<string, JsonValue>, '', out);
  } else {
    const block = typeof v === 'string' ? literalBlock(v, '  ') : undefined;
    return block ?? scalar(v, 0, '  ') + '\n';
  }
  return out.join('');
}
