// Seeded input generation for the robustness fuzzer: a PRNG (mulberry32), and mutations of the
// seed trees (seeds.ts) — truncation, garbage and binary bytes, alias bombs, huge and
// regex-special scalars, nulls and wrong types where lists and maps are expected, duplicate keys,
// deep nesting, empty and missing files.
//
// Case `i` of run seed `s` depends only on (s, i), so one case can be regenerated on its own:
// FUZZ_SEED=s FUZZ_CASE=i.

import { parse, stringify } from 'yaml';
import { SEEDS, type Seed } from './seeds';

export type Rng = () => number;

/** mulberry32: a tiny, fast, well-mixed 32-bit PRNG. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The PRNG of case `i` of a run with seed `seed`. */
export function caseRng(seed: number, i: number, salt = 0): Rng {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (i + 0x85ebca6b), 0xc2b2ae35) >>> 0;
  h = Math.imul(h ^ (h >>> 16) ^ salt, 0x27d4eb2f) >>> 0;
  return mulberry32(h ^ (h >>> 13));
}

export const DEFAULT_SEED = 20240611;
export function runSeed(): number {
  const s = process.env.FUZZ_SEED;
  if (s === undefined || s === '') return DEFAULT_SEED;
  const n = Number(s);
  return Number.isFinite(n) ? n >>> 0 : [...s].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);
}
export function iterations(dflt: number): number {
  const n = Number(process.env.FUZZ_ITERATIONS);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : dflt;
}
/** FUZZ_CASE=i (or i,j,k): run only these cases of the run. */
export function onlyCases(): number[] | undefined {
  const s = process.env.FUZZ_CASE;
  if (!s) return undefined;
  return s.split(',').map((x) => Number(x.trim())).filter((n) => Number.isInteger(n) && n >= 0);
}

const int = (rng: Rng, n: number): number => Math.floor(rng() * n);
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[int(rng, xs.length)]!;

// ---- hostile values ------------------------------------------------------------------------------

const MB = 1024 * 1024;

/** Strings that break code which builds a RegExp, a path or a YAML key from user text. */
export const REGEX_SPECIAL = [
  '(', ')', '[', ']', '{', '}', '*', '+', '?', '*+?', '\\', '\\\\', '^$', '.*', '|', '(?<', '(?<n>x)', '[z-a]',
  'a{2,1}', '(a+)+$', '[[:alpha:]]', '\\p{L}', '\\k<x>', 'web(', 'web[', 'w**', '$(CFG_NAME)', '${HOME}',
  '%s%n', 'a\u0000b', '\u2028', '🙂', 'x'.repeat(100_000), '('.repeat(20_000), '['.repeat(5000) + ']'.repeat(5000),
  'web=', 'app in (web', '!app', 'app notin ()', 'a,b,,', '=', ',', 'app==web', 'a/b/c', 'sha256:', '@sha256:x',
  'nginx:', ':tag', 'registry:5000/nginx@sha256:' + 'f'.repeat(64), 'spec.[name=web', 'spec.containers.[', '[]',
  'a.b.c.d.e.f', 'data.x.y[0]', 'metadata..name', '.', '..', '../..', '/', '/etc/passwd', '../../../../../../etc',
  'http://[::1', 'github.com/x/y?ref=', '~', 'null', 'true', '0x1F', '1e999', '-', '#', '&a', '*a', '!!binary x',
];

function deepMap(depth: number): unknown {
  let v: unknown = 'leaf';
  for (let d = 0; d < depth; d++) v = { k: v };
  return v;
}
function deepList(depth: number): unknown {
  let v: unknown = 'leaf';
  for (let d = 0; d < depth; d++) v = [v];
  return v;
}

/** A value to put where something else was expected. */
export function evilValue(rng: Rng): unknown {
  switch (int(rng, 16)) {
    case 0: return null;
    case 1: return [null];
    case 2: return pick(rng, [[], {}, [[]], [{}], [null, null], { '': null }]);
    case 3: return pick(rng, [0, -1, 1.5, 1e308, 4294967296, -0, 2 ** 53 + 1]);
    case 4: return pick(rng, [true, false]);
    case 5: return pick(rng, [{ a: 1 }, { kind: 'Deployment', name: 'web' }, { '0': 'x' }, { path: null, patch: null }]);
    case 6: return pick(rng, [[1, 2], ['a', 3, null, {}], [['nested']], [{ a: [null] }]]);
    case 7: case 8: case 9: return pick(rng, REGEX_SPECIAL);
    case 10: return pick(rng, [deepMap(50 + int(rng, 200)), deepList(50 + int(rng, 200))]);
    case 11: return rng() < 0.15 ? 'y'.repeat(MB) : 'z'.repeat(1000 + int(rng, 100_000));
    case 12: return pick(rng, ['', ' ', '\t', '\n', '  lead', 'trail  ', 'multi\nline\n']);
    case 13: return pick(rng, ['web', 'Deployment', 'ConfigMap', 'v1', 'apps/v1', 'deployment.yaml', 'app=web', 'nginx']);
    case 14: return pick(rng, [[pick(rng, REGEX_SPECIAL)], { name: pick(rng, REGEX_SPECIAL) }, [{ name: null }]]);
    default: return pick(rng, ['A=1', 'A', '=1', 'A==', 'k8s.io/x=y', '-1', 'yes', 'no', 'on', '0755', '12:30', '2024-01-01']);
  }
}

// ---- paths into the kustomization fields that matter ---------------------------------------------

/** Places where kustomize reads a selector, a name, a path or a regex-like pattern. */
const TARGETED: (string | number)[][] = [
  ['resources'], ['resources', 0], ['resources', 99], ['components'], ['components', 0], ['bases'],
  ['patches'], ['patches', 0], ['patches', 0, 'target'], ['patches', 0, 'target', 'name'], ['patches', 0, 'target', 'kind'],
  ['patches', 0, 'target', 'labelSelector'], ['patches', 0, 'target', 'annotationSelector'], ['patches', 0, 'target', 'group'],
  ['patches', 0, 'target', 'version'], ['patches', 0, 'target', 'namespace'], ['patches', 0, 'patch'], ['patches', 0, 'path'],
  ['patches', 1, 'path'], ['patches', 2, 'target', 'name'], ['patches', 0, 'options'],
  ['patchesStrategicMerge'], ['patchesStrategicMerge', 0], ['patchesJson6902'], ['patchesJson6902', 0, 'target', 'name'],
  ['replacements'], ['replacements', 0], ['replacements', 0, 'source'], ['replacements', 0, 'source', 'name'],
  ['replacements', 0, 'source', 'kind'], ['replacements', 0, 'source', 'fieldPath'], ['replacements', 0, 'source', 'options'],
  ['replacements', 0, 'source', 'options', 'delimiter'], ['replacements', 0, 'source', 'options', 'index'],
  ['replacements', 0, 'targets'], ['replacements', 0, 'targets', 0], ['replacements', 0, 'targets', 0, 'select'],
  ['replacements', 0, 'targets', 0, 'select', 'name'], ['replacements', 0, 'targets', 0, 'select', 'kind'],
  ['replacements', 0, 'targets', 0, 'select', 'labelSelector'], ['replacements', 0, 'targets', 0, 'reject'],
  ['replacements', 0, 'targets', 0, 'reject', 0, 'name'], ['replacements', 0, 'targets', 0, 'fieldPaths'],
  ['replacements', 0, 'targets', 0, 'fieldPaths', 0], ['replacements', 0, 'targets', 0, 'options'], ['replacements', 1, 'path'],
  ['vars'], ['vars', 0], ['vars', 0, 'name'], ['vars', 0, 'objref'], ['vars', 0, 'objref', 'name'], ['vars', 0, 'fieldref'],
  ['vars', 0, 'fieldref', 'fieldpath'],
  ['images'], ['images', 0], ['images', 0, 'name'], ['images', 0, 'newName'], ['images', 0, 'newTag'], ['images', 0, 'digest'],
  ['images', 1, 'name'], ['imageTags'],
  ['labels'], ['labels', 0], ['labels', 0, 'pairs'], ['labels', 0, 'pairs', 'team'], ['labels', 0, 'fields'],
  ['commonLabels'], ['commonLabels', 'env'], ['commonAnnotations'], ['commonAnnotations', 'owner'],
  ['namespace'], ['namePrefix'], ['nameSuffix'], ['replicas'], ['replicas', 0], ['replicas', 0, 'name'], ['replicas', 0, 'count'],
  ['configMapGenerator'], ['configMapGenerator', 0], ['configMapGenerator', 0, 'name'], ['configMapGenerator', 0, 'literals'],
  ['configMapGenerator', 0, 'literals', 0], ['configMapGenerator', 0, 'files'], ['configMapGenerator', 0, 'files', 0],
  ['configMapGenerator', 0, 'envs'], ['configMapGenerator', 0, 'behavior'], ['configMapGenerator', 0, 'options'],
  ['secretGenerator'], ['secretGenerator', 0], ['secretGenerator', 0, 'type'], ['secretGenerator', 0, 'literals'],
  ['generatorOptions'], ['generatorOptions', 'labels'], ['generatorOptions', 'disableNameSuffixHash'],
  ['helmCharts'], ['helmCharts', 0], ['helmCharts', 0, 'name'], ['helmCharts', 0, 'version'], ['helmCharts', 0, 'valuesInline'],
  ['helmCharts', 0, 'valuesFile'], ['helmCharts', 0, 'releaseName'], ['helmGlobals'], ['helmGlobals', 'chartHome'],
  ['crds'], ['crds', 0], ['configurations'], ['configurations', 0], ['transformers'], ['transformers', 0], ['generators'],
  ['sortOptions'], ['sortOptions', 'order'], ['sortOptions', 'legacySortOptions', 'orderFirst'], ['buildMetadata'],
  ['openapi'], ['openapi', 'path'], ['apiVersion'], ['kind'], ['metadata'],
];

/** Where a user string becomes a pattern or a selector (patch targets, replacement selectors, images...). */
const SELECTORS: (string | number)[][] = [
  ['patches', 0, 'target', 'name'], ['patches', 0, 'target', 'kind'], ['patches', 0, 'target', 'labelSelector'],
  ['patches', 0, 'target', 'annotationSelector'], ['patches', 0, 'target', 'namespace'], ['patches', 0, 'target', 'group'],
  ['patches', 0, 'target', 'version'], ['patches', 1, 'target', 'name'],
  ['patchesJson6902', 0, 'target', 'name'], ['patchesJson6902', 0, 'target', 'kind'],
  ['replacements', 0, 'source', 'name'], ['replacements', 0, 'source', 'kind'], ['replacements', 0, 'source', 'fieldPath'],
  ['replacements', 0, 'source', 'namespace'], ['replacements', 0, 'targets', 0, 'select', 'name'],
  ['replacements', 0, 'targets', 0, 'select', 'kind'], ['replacements', 0, 'targets', 0, 'select', 'labelSelector'],
  ['replacements', 0, 'targets', 0, 'select', 'annotationSelector'], ['replacements', 0, 'targets', 0, 'reject', 0, 'name'],
  ['replacements', 0, 'targets', 0, 'reject', 0, 'kind'], ['replacements', 0, 'targets', 0, 'fieldPaths', 0],
  ['images', 0, 'name'], ['images', 0, 'newName'], ['images', 0, 'newTag'], ['images', 0, 'digest'],
  ['vars', 0, 'objref', 'name'], ['vars', 0, 'objref', 'kind'], ['vars', 0, 'fieldref', 'fieldpath'], ['vars', 0, 'name'],
  ['replicas', 0, 'name'], ['namespace'], ['namePrefix'], ['nameSuffix'], ['configMapGenerator', 0, 'name'],
  ['labels', 0, 'pairs', 'team'], ['commonLabels', 'env'],
];

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Sets `path` in `root` to `value`, creating maps and lists on the way (replacing scalars in the way). */
function setPath(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  let container: Record<string, unknown> | unknown[];
  if (typeof head === 'number') {
    container = Array.isArray(root) ? root : [];
    const idx = Math.min(head, container.length);
    container[idx] = setPath(container[idx], rest, value);
  } else {
    container = isObj(root) ? root : {};
    container[head!] = setPath(container[head!], rest, value);
  }
  return container;
}

/** A random existing path in a parsed value (lists by index, maps by key). */
function randomPath(rng: Rng, v: unknown): (string | number)[] {
  const out: (string | number)[] = [];
  let cur = v;
  for (;;) {
    if (rng() < 0.25 && out.length > 0) return out;
    if (Array.isArray(cur) && cur.length) { const i = int(rng, cur.length); out.push(i); cur = cur[i]; continue; }
    if (isObj(cur) && Object.keys(cur).length) { const k = pick(rng, Object.keys(cur)); out.push(k); cur = cur[k]; continue; }
    return out;
  }
}

function getPath(v: unknown, path: (string | number)[]): unknown {
  let cur = v;
  for (const seg of path) {
    if (Array.isArray(cur) && typeof seg === 'number') cur = cur[seg];
    else if (isObj(cur)) cur = cur[String(seg)];
    else return undefined;
  }
  return cur;
}

/** A short, readable label for a value in mutation descriptions. */
export function show(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  if (s.length <= 60) return s;
  const first = typeof v === 'string' ? v[0] : undefined;
  if (typeof v === 'string' && first !== undefined && v === first.repeat(v.length)) return `${JSON.stringify(first)} x ${v.length}`;
  return `${s.slice(0, 50)}…(${s.length} chars)`;
}

// ---- text-level mutations -------------------------------------------------------------------------

const GARBAGE_CHARS = ':-?{}[],&*#|>!%@`\'"\\\t\n \r0aZ.$~=';

function garbage(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += GARBAGE_CHARS[int(rng, GARBAGE_CHARS.length)];
  return s;
}

function binary(rng: Rng, n: number): string {
  let s = '';
  const specials = ['\u0000', '\uFEFF', '\uFFFE', '\uFFFF', '\uD800', '\uDC00', '\u0085', '\u2028', '\u001B', '\u007F', '\r'];
  for (let i = 0; i < n; i++) s += rng() < 0.3 ? pick(rng, specials) : String.fromCharCode(int(rng, 256));
  return s;
}

function aliasBomb(rng: Rng, key: string): string {
  const levels = 6 + int(rng, 5);
  const width = 6 + int(rng, 5);
  const lines = [`x0: &x0 ["lol", "lol"]`];
  for (let l = 1; l <= levels; l++) lines.push(`x${l}: &x${l} [${Array.from({ length: width }, () => `*x${l - 1}`).join(', ')}]`);
  const variant = int(rng, 3);
  if (variant === 0) return `${lines.join('\n')}\n${key}: *x${levels}\n`;
  if (variant === 1) {
    // Merge keys: maps of maps.
    const m = ['m0: &m0 {a: lol, b: lol}'];
    for (let l = 1; l <= levels; l++) m.push(`m${l}: &m${l} {${Array.from({ length: width }, (_, j) => `k${j}: *m${l - 1}`).join(', ')}}`);
    return `${m.join('\n')}\n${key}:\n  <<: *m${levels}\n`;
  }
  return `${lines.join('\n')}\n${key}:\n- *x${levels}\n- *x${levels}\n`;
}

/** A whole-file replacement with the wrong top-level shape or no content. */
const WHOLE_FILES = [
  '', ' ', '\n\n\n', '# only a comment\n', '---\n', '---\n---\n---\n', '~\n', 'null\n', '[]\n', '{}\n', '42\n', '"text"\n',
  '- a\n- b\n', '[resources]\n', 'resources\n', '!!binary AAAA\n', '%YAML 1.2\n---\n', '%TAG ! tag:x,2000:\n--- !foo {}\n',
  '\uFEFFresources: []\n', 'resources: [\n', '{"resources": ["deployment.yaml"],}\n', 'apiVersion: v1\nkind: List\nitems: [null, 1, [], {}]\n',
  'apiVersion: v1\nkind: ConfigMap\n', 'kind: ConfigMap\nmetadata:\n  name: [a]\n', 'apiVersion: [1]\nkind: {a: b}\nmetadata: 3\n',
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
];

export interface Case {
  seed: number;
  index: number;
  seedName: string;
  /** The folder to build, relative to the tree root. */
  dir: string;
  /** The tree, relative paths → text. */
  files: Record<string, string>;
  mutations: string[];
  /** The seed has helmCharts: also build with a (fake) helm runner. */
  helm: boolean;
}

/** Mutations that change one file's text; used for the trees and for the language server's buffers. */
export function mutateText(rng: Rng, text: string, file: string): { text: string; what: string } {
  const op = int(rng, 24);
  const at = int(rng, text.length + 1);
  switch (op) {
    case 0: return { text: text.slice(0, at), what: `truncate ${file} at char ${at}` };
    case 1: {
      const bytes = Buffer.from(text, 'utf8');
      const cut = int(rng, bytes.length + 1);
      return { text: bytes.subarray(0, cut).toString('utf8'), what: `truncate ${file} at byte ${cut}` };
    }
    case 2: { const g = garbage(rng, 1 + int(rng, 12)); return { text: text.slice(0, at) + g + text.slice(at), what: `insert ${show(g)} into ${file} at ${at}` }; }
    case 3: { const b = binary(rng, 1 + int(rng, 16)); return { text: text.slice(0, at) + b + text.slice(at), what: `insert binary ${show(b)} into ${file} at ${at}` }; }
    case 4: { const n = 1 + int(rng, 40); return { text: text.slice(0, at) + text.slice(at + n), what: `delete ${n} chars of ${file} at ${at}` }; }
    case 5: case 6: {
      // Duplicate a line (duplicate keys, repeated list entries) or a top-level block.
      const lines = text.split('\n');
      const i = int(rng, lines.length);
      let j = i + 1;
      if (op === 6) while (j < lines.length && /^[\s-]/.test(lines[j]!)) j++;
      const dup = lines.slice(i, j);
      lines.splice(j, 0, ...dup);
      return { text: lines.join('\n'), what: `duplicate lines ${i + 1}-${j} of ${file}` };
    }
    case 7: {
      const lines = text.split('\n');
      const i = int(rng, lines.length);
      const j = int(rng, lines.length);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return { text: lines.join('\n'), what: `swap lines ${i + 1} and ${j + 1} of ${file}` };
    }
    case 8: {
      const lines = text.split('\n');
      const i = int(rng, lines.length);
      const how = pick(rng, ['  ', '\t', ' ', '-', '- ', '? ', '', '#']);
      lines[i] = rng() < 0.5 ? how + lines[i] : lines[i]!.replace(/^\s{1,2}/, '');
      return { text: lines.join('\n'), what: `reindent line ${i + 1} of ${file} with ${show(how)}` };
    }
    case 9: { const w = pick(rng, WHOLE_FILES); return { text: w, what: `replace ${file} with ${show(w)}` }; }
    case 10: {
      const key = pick(rng, ['resources', 'patches', 'images', 'commonAnnotations', 'replacements', 'vars', 'namespace', 'metadata', 'data', 'spec', 'configMapGenerator']);
      const bomb = aliasBomb(rng, key);
      return rng() < 0.5 ? { text: bomb, what: `replace ${file} with an alias bomb at ${key}` } : { text: `${text.replace(/\n?$/, '\n')}${bomb}`, what: `append an alias bomb at ${key} to ${file}` };
    }
    case 11: {
      // Deep nesting, in linear size: flow `[[[…]]]`, block `- - - …`, or flow maps `{a: {a: …}}`.
      const depth = pick(rng, [100, 500, 1000, 3000, 5000]);
      const style = pick(rng, ['flow', 'block', 'map'] as const);
      const key = pick(rng, ['resources', 'patches', 'metadata', 'spec', 'data', 'replacements', 'x']);
      const deep = style === 'flow' ? `${key}: ${'['.repeat(depth)}${']'.repeat(depth)}\n`
        : style === 'block' ? `${key}:\n${'- '.repeat(depth)}leaf\n`
          : `${key}: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}\n`;
      return { text: `${text.replace(/\n?$/, '\n')}${deep}`, what: `append ${style} nesting depth ${depth} at ${key} to ${file}` };
    }
    case 12: {
      // A huge scalar in place of a value.
      const lines = text.split('\n');
      const cands = lines.map((l, i) => [l, i] as const).filter(([l]) => /:\s+\S/.test(l) || /^\s*-\s+\S/.test(l));
      const size = rng() < 0.15 ? MB : 10_000 + int(rng, 90_000);
      const big = pick(rng, ['a', 'x', '(', '*', '.']).repeat(size);
      if (!cands.length) return { text: `${text}\nhuge: ${big}\n`, what: `append a ${size}-char scalar to ${file}` };
      const [l, i] = pick(rng, cands);
      lines[i] = l.replace(/(:\s+|^\s*-\s+)\S.*$/, (_, p: string) => p + big);
      return { text: lines.join('\n'), what: `replace the value on line ${i + 1} of ${file} with ${show(big)}` };
    }
    case 13: {
      // A regex-special or otherwise hostile scalar in place of a value.
      const lines = text.split('\n');
      const cands = lines.map((l, i) => [l, i] as const).filter(([l]) => /:\s+\S/.test(l) || /^\s*-\s+\S/.test(l));
      const v = pick(rng, REGEX_SPECIAL);
      const quoted = JSON.stringify(v);
      if (!cands.length) return { text: `${text}\nname: ${quoted}\n`, what: `append name ${show(v)} to ${file}` };
      const [l, i] = pick(rng, cands);
      lines[i] = l.replace(/(:\s+|^\s*-\s+)\S.*$/, (_, p: string) => p + quoted);
      return { text: lines.join('\n'), what: `set the value on line ${i + 1} of ${file} to ${show(v)}` };
    }
    case 14: {
      // CRLF, lone CR, tabs for indentation.
      const how = pick(rng, ['\r\n', '\r', '\t']);
      const t = how === '\t' ? text.replace(/^ {2}/gm, '\t') : text.replace(/\n/g, how);
      return { text: t, what: `line endings/indent of ${file} as ${show(how)}` };
    }
    default: return structural(rng, text, file);
  }
}

/** Parse, change the value tree, print again (falls back to a text mutation when the text does not parse). */
export function structural(rng: Rng, text: string, file: string): { text: string; what: string } {
  let v: unknown;
  try { v = parse(text, { uniqueKeys: false, maxAliasCount: 100 }); } catch { return { text: text.slice(0, int(rng, text.length + 1)), what: `truncate ${file} (unparseable)` }; }
  const kustomization = /kustomization\.yaml$/.test(file);
  let what: string;
  const op = int(rng, 7);
  if (op >= 5 && kustomization) {
    const path = pick(rng, SELECTORS);
    const val = rng() < 0.85 ? pick(rng, REGEX_SPECIAL) : evilValue(rng);
    v = setPath(v, path, val);
    what = `set ${path.join('.')} of ${file} to ${show(val)}`;
  } else if (op <= 1 && kustomization) {
    const path = pick(rng, TARGETED);
    const val = evilValue(rng);
    v = setPath(v, path, val);
    what = `set ${path.join('.')} of ${file} to ${show(val)}`;
  } else if (op === 2) {
    // Put a null (or ~) into a list.
    const lists: (string | number)[][] = [];
    const walk = (x: unknown, p: (string | number)[]) => {
      if (Array.isArray(x)) { lists.push(p); x.forEach((y, i) => walk(y, [...p, i])); } else if (isObj(x)) for (const [k, y] of Object.entries(x)) walk(y, [...p, k]);
    };
    walk(v, []);
    if (!lists.length) return { text: `${text}\n- null\n`, what: `append a null list entry to ${file}` };
    const p = pick(rng, lists);
    const list = getPath(v, p) as unknown[];
    const at = int(rng, list.length + 1);
    const nul = pick(rng, [null, null, [], {}, '', 0]);
    list.splice(at, 0, nul);
    what = `insert ${show(nul)} into list ${p.join('.') || '(top)'} of ${file} at ${at}`;
  } else if (op === 3) {
    // Swap a node's type: map -> list of values, list -> map, scalar -> [scalar] or {scalar: scalar}.
    const p = randomPath(rng, v);
    const cur = getPath(v, p);
    const next = Array.isArray(cur) ? Object.fromEntries(cur.map((x, i) => [String(i), x])) : isObj(cur) ? Object.values(cur) : rng() < 0.5 ? [cur] : { [String(cur)]: cur };
    v = setPath(v, p, next);
    what = `swap the type of ${p.join('.') || '(top)'} of ${file}`;
  } else {
    const p = randomPath(rng, v);
    const val = rng() < 0.2 ? undefined : evilValue(rng);
    if (val === undefined && p.length) {
      const parent = getPath(v, p.slice(0, -1));
      const last = p[p.length - 1]!;
      if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
      else if (isObj(parent)) delete parent[String(last)];
      what = `delete ${p.join('.')} of ${file}`;
    } else {
      v = setPath(v, p, val ?? null);
      what = `set ${p.join('.') || '(top)'} of ${file} to ${show(val ?? null)}`;
    }
  }
  let out: string;
  try { out = stringify(v, { lineWidth: 0, aliasDuplicateObjects: false }); } catch (e) { return { text, what: `${what} (not printable: ${(e as Error).message})` }; }
  return { text: out, what };
}

/** Case `index` of run `seed`: one seed tree with 1-4 mutations. */
export function makeCase(seed: number, index: number): Case {
  const rng = caseRng(seed, index);
  const s: Seed = pick(rng, SEEDS);
  const files: Record<string, string> = { ...s.files };
  const mutations: string[] = [];
  const n = 1 + (rng() < 0.35 ? 1 + int(rng, 3) : 0);
  for (let m = 0; m < n; m++) {
    const names = Object.keys(files);
    if (!names.length) break;
    const kusts = names.filter((f) => /kustomization\.yaml$/.test(f));
    const file = kusts.length && rng() < 0.6 ? pick(rng, kusts) : pick(rng, names);
    const r = rng();
    if (r < 0.0007) {
      // A backtracking-prone pattern against long names (Go's RE2, which kustomize uses, is linear).
      const k = kusts.length ? pick(rng, kusts) : file;
      for (const f of names) if (!/kustomization\.yaml$/.test(f)) files[f] = files[f]!.replace(/^( {2}name: )\S+$/m, `$1${'a'.repeat(25)}`);
      files[k] = `${files[k]!.replace(/\n?$/, '\n')}patches:\n- target:\n    name: "(a+)+b"\n  patch: "[]"\n`;
      mutations.push(`rename resources to ${'a'.repeat(25)} and target them with the pattern (a+)+b in ${k}`);
    } else if (r < 0.05) {
      delete files[file];
      mutations.push(`remove ${file}`);
    } else if (r < 0.08) {
      // A reference to a file that is not there.
      const k = kusts.length ? pick(rng, kusts) : file;
      const missing = pick(rng, ['missing.yaml', 'nope/', '../outside.yaml', 'sub/dir/x.yaml', 'kustomization.yaml', '.', '']);
      const field = pick(rng, ['resources', 'components', 'patchesStrategicMerge', 'crds', 'configurations', 'transformers', 'generators']);
      files[k] = `${files[k]!.replace(/\n?$/, '\n')}${field}:\n- ${JSON.stringify(missing)}\n`;
      mutations.push(`append ${field}: [${JSON.stringify(missing)}] to ${k} (duplicate key when present)`);
    } else {
      const { text, what } = mutateText(rng, files[file]!, file);
      files[file] = text;
      mutations.push(what);
    }
  }
  return { seed, index, seedName: s.name, dir: s.dir, files, mutations, helm: Object.values(s.files).some((t) => t.includes('helmCharts')) };
}

/** A printable form of a tree, long strings abbreviated (the full tree is written to disk on failure). */
export function describeTree(files: Record<string, string>, max = 1500): string {
  const out: string[] = [];
  for (const [p, t] of Object.entries(files)) {
    let text = t.replace(/([^]{1,4}?)\1{49,}/g, (m, c: string) => `${c}…[${m.length / c.length} x ${JSON.stringify(c)}]…`);
    if (text.length > max) text = `${text.slice(0, max)}\n…[${text.length - max} more chars]`;
    out.push(`--- ${p}\n${text}`);
  }
  return out.join('\n');
}
