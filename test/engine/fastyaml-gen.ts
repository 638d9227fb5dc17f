// Seeded random YAML in the shapes manifests take (and some they should not), for the differential
// check of the fast reader against the `yaml` package (fastyaml.test.ts, fastyaml-corpus.ts).

import { mulberry32 } from '../fuzz/mutate';

/** The seeded generator the fuzz suites use. */
export const rng = mulberry32;

const PLAIN = ['x', 'nginx:1.25', 'app', 'foo bar', '1', '0', '-0', '007', '0x1F', '0o17', '1_000', '1e3', '1E+3', '.5', '-.5', '+1', '1.', '.inf', '-.Inf', '.nan',
  '~', 'null', 'Null', 'true', 'False', 'yes', 'on', 'y', '2001-12-14', '2001-12-14 10:00:00', '2001-12-14T10:00:00Z', '2001-1-2', '12:30', '1:20:30',
  'a#b', 'http://x/y?z=1', '-foo', '--flag=1', 'é', 'a, b', 'a[0]', 'a{b}', 'x:y', 'it\'s', 'say "hi"', '12345678901234567890', '9007199254740993', '-9223372036854775809',
  '<<', '=', '.', '1e', '0b101', '+.inf', 'a  b', 'a\u00a0b', '😀', ':x', '?x', ':node:sum', '-', '?'];
// Continuation lines of a plain scalar may start with what a scalar may not.
const CONT = ['\'q\'', '"q"', '- dash', '-x', '[x]', '{y}', '&a', '*b', '!t', '|', '>', '%p', '@a', '`b`', ':x', '?x', ',a', ']', '}', '- ', ':', 'a: b', '#c'];
const KEYS = ['a', 'b', 'name', 'kind', 'spec', 'value', 'app.kubernetes.io/name', 'foo bar', '-x', 'a:b', 'x.y', 'é', 'description', 'type', 'k8s'];
const ODD_KEYS = ['1', 'true', 'null', '~', '2001-12-14', '<<', '__proto__', 'constructor', 'toString', '"a b"', '\'q\'', '"\\u0041"', '"x"', '\'it\'\'s\''];
const WORDS = ['lorem', 'ipsum', 'dolor', 'sit', 'amet', 'x', 'a#b', 'k: v', '- item', '# not', '"q"', '\'s\'', '{x}', '[y]', '\\n', '\t', 'é', '  ', 'end '];

export interface GenOptions { mutate?: boolean }

export function generateYaml(rand: () => number, opts: GenOptions = {}): string {
  const r = (n: number) => Math.floor(rand() * n);
  const pick = <T>(a: readonly T[]): T => a[r(a.length)]!;
  const chance = (p: number) => rand() < p;
  const sp = (n: number) => ' '.repeat(Math.max(0, n));

  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');

  // Scalars: the first line (after `key: ` or `- `) and the lines below, each with its indentation.
  function scalar(parent: number, annotations = false): string[] {
    const cont = parent + 1 + r(3);
    switch (r(annotations ? 4 : 9)) {
      case 0: case 1: case 2: {
        // plain, maybe over several lines
        const first = pick(PLAIN);
        const comment = chance(0.1);
        const lines = [first + (chance(0.1) ? ' ' : '') + (comment ? ' # c' : '')];
        if (!comment && chance(0.15)) for (let i = r(3); i >= 0; i--) {
          if (chance(0.2)) lines.push(chance(0.5) ? '' : sp(r(6)));
          lines.push(sp(chance(0.97) ? cont : r(parent + 2)) + (chance(0.3) ? pick(CONT) : pick(PLAIN.filter((x) => !/^[-#?:]/.test(x)))) + (chance(0.1) ? ' ' : ''));
        }
        return lines;
      }
      case 3: {
        if (annotations) return [''];
        return [''];
      }
      case 4: case 5: {
        // quoted
        const dq = chance(0.5);
        const body = () => {
          let t = '';
          for (let i = r(4); i >= 0; i--) {
            const w = pick(WORDS);
            t += i ? ' ' : '';
            if (dq) t += chance(0.3) ? pick(['\\t', '\\n', '\\"', '\\\\', '\\u00e9', '\\x41', '\\/', '\\ ', '\\_', '\\U0001F600', '\\0', '\\e', '\\N', '\\L'])
              : chance(0.02) ? pick(['\\q', '\\ud800', 'a"']) : w.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
            else t += w.replace(/'/g, '\'\'') + (chance(0.1) ? '\'\'' : '');
          }
          return t;
        };
        const q = dq ? '"' : '\'';
        const lines = [q + body()];
        if (chance(0.3)) for (let i = r(3); i >= 0; i--) {
          if (chance(0.2)) lines[lines.length - 1] += chance(0.5) ? '  ' : dq && chance(0.5) ? '\\' : '';
          if (chance(0.25)) lines.push(chance(0.5) ? '' : sp(r(5)));
          lines.push(sp(chance(0.97) ? cont : r(parent + 2)) + body() + (chance(0.2) ? ' ' : ''));
        }
        lines[lines.length - 1] += q + (chance(0.1) ? ' # c' : '') + (chance(0.03) ? 'x' : '');
        return lines;
      }
      case 6: case 7: {
        // block scalar
        const ind = parent + 1 + r(3);
        const digit = chance(0.1) ? String(chance(0.8) ? ind - parent : 1 + r(4)) : '';
        const chomp = pick(['', '', '-', '+']);
        const header = pick(['|', '>']) + (chance(0.5) ? digit + chomp : chomp + digit) + (chance(0.1) ? ' # c' : '');
        const lines = [header];
        if (chance(0.1)) lines.push(sp(r(ind + 1)));
        for (let i = r(5); i >= 0; i--) {
          switch (r(12)) {
            case 0: lines.push(''); break;
            case 1: lines.push(sp(chance(0.7) ? r(ind + 1) : ind + 1 + r(3))); break;
            case 2: lines.push(sp(ind + 1 + r(3)) + words(1 + r(3))); break;
            case 9: lines.push(sp(ind + (digit ? r(3) : 0)) + words(2)); break;
            case 3: lines.push(sp(ind) + '# not a comment'); break;
            case 4: lines.push(sp(ind) + '\tx'); break;
            default: lines.push(sp(ind) + words(1 + r(4)) + (chance(0.1) ? '  ' : ''));
          }
        }
        for (let i = chance(0.3) ? r(3) : 0; i > 0; i--) lines.push(chance(0.5) ? '' : sp(r(ind + 2)));
        return lines;
      }
      default: {
        // flow
        return [pick(['[]', '{}', '[a, 1, "b"]', '{a: 1, b: \'x\'}', '[ x ]', '{ k: v }', '[a,b]', '[1, [2]]', '{a: }', '[a, ]', '{"a": 1}', '[-1, -x]', '{a: 1, a: 2}', '[http://x]', '[a b, c]'])
          + (chance(0.1) ? ' # c' : '')];
      }
    }
  }

  let keyOfMap = 0;
  function key(): string {
    if (chance(0.04)) return pick(ODD_KEYS);
    return pick(KEYS) + (chance(0.9) ? String(keyOfMap++) : '');
  }

  // A block node at column `col`: its lines, the first without indentation.
  function map(col: number, depth: number, which: 'top' | 'metadata' | 'annotations' | '' = ''): string[] {
    const out: string[] = [];
    const n = 1 + r(4);
    const keys: string[] = [];
    if (which === 'top') keys.push('apiVersion', 'metadata');
    else if (which === 'metadata') keys.push('name', 'annotations');
    for (let i = 0; i < n; i++) keys.push(key());
    if (chance(0.02)) keys.push(keys[0]!);
    keys.forEach((k, i) => {
      const prefix = (i ? sp(col) : '') + k + ':';
      const sub = which === 'top' && k === 'metadata' ? 'metadata' : which === 'metadata' && k === 'annotations' ? 'annotations' : '';
      value(prefix, col, depth, out, sub, which === 'annotations');
    });
    return out;
  }

  function value(prefix: string, col: number, depth: number, out: string[], sub: 'metadata' | 'annotations' | '', annotation = false): void {
    const kind = sub ? 0 : depth > 4 ? 3 : r(annotation ? 5 : 6);
    if (kind === 0 || (kind === 1 && chance(0.5))) {
      // nested map on the lines below
      const c = col + 1 + r(3);
      const lines = map(c, depth + 1, sub || '');
      if (sub === 'annotations' && chance(0.1)) { out.push(`${prefix} {a: 1, b: "2", c: 2001-12-14}`); return; }
      out.push(prefix + (chance(0.1) ? ' # c' : ''));
      out.push(sp(c) + lines[0], ...lines.slice(1));
      return;
    }
    if (kind === 1 || kind === 2) {
      // sequence below, indented or at the key's column
      const c = chance(0.5) ? col : col + 1 + r(3);
      const lines = seq(c, depth + 1);
      out.push(prefix);
      out.push(sp(c) + lines[0], ...lines.slice(1));
      return;
    }
    const s = scalar(col, annotation);
    if (s[0] === '') { out.push(prefix + (chance(0.3) ? ' # c' : chance(0.2) ? '  ' : '')); return; }
    out.push(`${prefix} ${s[0]}`, ...s.slice(1));
  }

  function seq(col: number, depth: number): string[] {
    const out: string[] = [];
    for (let i = 1 + r(3); i > 0; i--) {
      const first = out.length === 0;
      const lead = first ? '' : sp(col);
      switch (depth > 4 ? 0 : r(5)) {
        case 0: {
          const s = scalar(col);
          if (s[0] === '') out.push(lead + '-' + (chance(0.3) ? ' ' : '') + (chance(0.2) ? ' # c' : ''));
          else out.push(`${lead}- ${s[0]}`, ...s.slice(1));
          break;
        }
        case 1: case 2: {
          const c = col + 2 + (chance(0.1) ? 1 : 0);
          const lines = map(c, depth + 1);
          out.push(`${lead}-${sp(c - col - 1)}${lines[0]}`, ...lines.slice(1));
          break;
        }
        case 3: {
          const lines = seq(col + 2, depth + 1);
          out.push(`${lead}- ${lines[0]}`, ...lines.slice(1));
          break;
        }
        default: {
          const c = col + 1 + r(3);
          const lines = map(c, depth + 1);
          out.push(lead + '-');
          out.push(sp(c) + lines[0], ...lines.slice(1));
        }
      }
    }
    return out;
  }

  const docs: string[][] = [];
  for (let d = 1 + r(3); d > 0; d--) {
    if (chance(0.1)) { docs.push([]); continue; }
    const col = chance(0.1) ? 2 : 0;
    const lines = chance(0.8) ? map(col, 0, chance(0.5) ? 'top' : '') : seq(col, 0);
    docs.push([sp(col) + lines[0], ...lines.slice(1)]);
  }
  let lines: string[] = [];
  docs.forEach((d, i) => {
    if (i || chance(0.3)) lines.push(pick(['---', '---', '--- # c', '---  ']));
    lines.push(...d);
  });
  if (chance(0.05)) lines.push('---');
  // Comment and blank lines anywhere, at any indentation.
  const withExtras: string[] = [];
  for (const l of lines) {
    withExtras.push(l);
    if (chance(0.06)) withExtras.push(chance(0.6) ? `${sp(r(9))}# c${r(10)}` : chance(0.5) ? '' : sp(r(6)));
  }
  lines = withExtras;
  let text = lines.join('\n') + (chance(0.9) ? '\n' : '');
  if (opts.mutate) {
    for (let i = 1 + r(3); i > 0; i--) {
      const at = r(text.length + 1);
      const what = r(6);
      if (what === 0) text = text.slice(0, at) + text.slice(at + 1);
      else if (what === 1) text = text.slice(0, at) + pick(['\t', ':', ': ', '#', ' #', '-', '- ', '"', '\'', '[', ']', '{', '&a ', '*a', '!t ', '?', '\n', '  ', '|', '>', '...', '\\', '\r', '\u00a0']) + text.slice(at);
      else if (what === 2) text = text.slice(0, at) + '\n' + sp(r(8)) + text.slice(at);
      else if (what === 3) text = text.slice(0, at) + sp(1 + r(3)) + text.slice(at);
      else if (what === 4) { const j = text.lastIndexOf('\n', at - 1) + 1; text = text.slice(0, j) + (chance(0.5) ? ' ' : '') + text.slice(j + (chance(0.5) ? 1 : 0)); } else text = text.slice(0, at);
    }
  }
  return text;
}
