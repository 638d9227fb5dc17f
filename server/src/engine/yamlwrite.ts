// A direct YAML writer for plain JSON-like values, in the style kustomize prints: block mappings and
// sequences, list items at their parent's indentation, literal blocks for multi-line strings, and
// quotes only where a plain scalar would read back as something else. It is much faster than
// building a YAML document per resource, which matters when a preview re-renders on every keystroke.

import type { JsonValue } from './resource';

// Strings that a YAML 1.2 core parser (or go-yaml's 1.1 habits) would read as non-strings.
const SPECIAL = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const NUMBERISH = /^[-+]?(?:\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+|\d+(?::[0-5]?\d)+(?:\.\d*)?)$/;
const TIMESTAMPISH = /^\d{4}-\d\d?-\d\d?(?:[Tt ]|$)/;

/** Can `s` be written as a plain (unquoted) scalar and read back as the same string? */
export function isPlainSafe(s: string, inKey = false): boolean {
  // Fast path: identifiers, image references, label keys, paths (most of what a manifest holds).
  if (/^[A-Za-z_/][A-Za-z0-9_./-]*$/.test(s) && !SPECIAL.test(s)) return true;
  if (s === '' || SPECIAL.test(s) || NUMBERISH.test(s) || TIMESTAMPISH.test(s)) return false;
  if (/^[\s]|[\s]$/.test(s)) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(s)) {
    // `-`, `?` and `:` may start a plain scalar when followed by a non-space character.
    if (!/^[-?:][^\s]/.test(s)) return false;
    if (s.startsWith('---')) return false;
  }
  if (/: |:$| #|\t/.test(s)) return false;
  if (/[\n\r\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u0085\u2028\u2029\ufeff]/.test(s)) return false;
  if (inKey && /[[\]{},]/.test(s)) return false;
  if (/[[\]{},]/.test(s) && /^[[{]/.test(s)) return false;
  return true;
}

function quoted(s: string): string {
  return JSON.stringify(s);
}

function scalar(v: JsonValue, inKey = false): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '.nan';
    if (!Number.isFinite(v)) return v > 0 ? '.inf' : '-.inf';
    return String(v);
  }
  const s = v as string;
  return isPlainSafe(s, inKey) ? s : quoted(s);
}

/** A multi-line string as a literal block (`|`, `|-`, `|+`), or undefined when it cannot be one. */
function literalBlock(s: string, indent: string): string | undefined {
  if (!s.includes('\n')) return undefined;
  if (/[\r\t\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u0085\u2028\u2029\ufeff]/.test(s)) return undefined;
  const lines = s.split('\n');
  if (lines.some((l, i) => i < lines.length - 1 && / $/.test(l))) return undefined;
  let chomp = '';
  let body = s;
  if (!s.endsWith('\n')) chomp = '-';
  else if (s.endsWith('\n\n')) chomp = '+';
  if (chomp !== '+') body = body.replace(/\n$/, '');
  else body = body.slice(0, -1);
  const out = body.split('\n');
  const first = out.find((l) => l !== '') ?? '';
  const indicator = /^ /.test(first) ? '2' : '';
  return `|${indicator}${chomp}\n` + out.map((l) => (l === '' ? '' : indent + l)).join('\n') + '\n';
}

function writeValue(v: JsonValue, indent: string, out: string[]): void {
  // Called for a value that follows `key:` on the same line; writes the rest (starting with ' ' or '\n').
  if (Array.isArray(v)) {
    if (v.length === 0) { out.push(' []\n'); return; }
    out.push('\n');
    writeSeq(v, indent, out);
    return;
  }
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length === 0) { out.push(' {}\n'); return; }
    out.push('\n');
    writeMap(v as Record<string, JsonValue>, indent + '  ', out);
    return;
  }
  if (typeof v === 'string') {
    const block = literalBlock(v, indent + '  ');
    if (block !== undefined) { out.push(' ' + block); return; }
  }
  out.push(' ' + scalar(v) + '\n');
}

function writeMap(m: Record<string, JsonValue>, indent: string, out: string[]): void {
  for (const k of Object.keys(m)) {
    out.push(indent + scalar(k, true) + ':');
    writeValue(m[k]!, indent, out);
  }
}

function writeSeq(a: JsonValue[], indent: string, out: string[]): void {
  for (const item of a) {
    if (Array.isArray(item)) {
      if (item.length === 0) { out.push(indent + '- []\n'); continue; }
      out.push(indent + '-\n');
      writeSeq(item, indent + '  ', out);
    } else if (item !== null && typeof item === 'object') {
      const keys = Object.keys(item);
      if (keys.length === 0) { out.push(indent + '- {}\n'); continue; }
      // The first key shares the dash's line; the rest align under it.
      const inner: string[] = [];
      writeMap(item as Record<string, JsonValue>, indent + '  ', inner);
      inner[0] = indent + '- ' + inner[0]!.slice(indent.length + 2);
      out.push(...inner);
    } else if (typeof item === 'string' && literalBlock(item, indent + '  ') !== undefined) {
      out.push(indent + '- ' + literalBlock(item, indent + '  ')!);
    } else {
      out.push(indent + '- ' + scalar(item) + '\n');
    }
  }
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
    return block ?? scalar(v) + '\n';
  }
  return out.join('');
}
