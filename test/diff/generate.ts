// Generative differential testing, part 1: a seeded generator of random but well-formed kustomization
// trees. Tree `i` of seed `s` depends only on (s, i): `generateTree(s, i)` always returns the same
// files, so one tree can be regenerated on its own. Each tree is a Record<path, text> whose
// kustomization root is `root/` (build `root`), built from a random choice of kustomize features,
// and carries the list of feature tags it exercised (see ALL_TAGS).
//
// The trees aim to be valid (kustomize builds the vast majority); the interest is in where the engine's
// output differs from kustomize's, not in errors. Resources are assembled as a small YAML syntax tree
// whose scalars are raw YAML text, so that odd spellings (`yes`, `0x1F`, `2001-12-14`, block scalars,
// empty values) reach the files exactly as written.

import { parse as parseYaml } from 'yaml';
import { mulberry32 } from '../fuzz/mutate';

// ---- PRNG (mulberry32, shared with the robustness fuzzer) ---------------------------------------

/** The PRNG of tree `i` of seed `seed` (independent of every other tree). */
export function treeRng(seed: number, i: number): Rng {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (i + 0x85ebca6b), 0xc2b2ae35) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x27d4eb2f) >>> 0;
  return new Rng(mulberry32(h ^ (h >>> 13)));
}

export class Rng {
  constructor(private next: () => number) {}
  float(): number { return this.next(); }
  int(n: number): number { return Math.floor(this.next() * n); }
  range(lo: number, hi: number): number { return lo + this.int(hi - lo + 1); }
  chance(p: number): boolean { return this.next() < p; }
  pick<T>(xs: readonly T[]): T {
    if (!xs.length) throw new Error('pick from an empty list');
    return xs[this.int(xs.length)]!;
  }
  shuffle<T>(xs: readonly T[]): T[] {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  }
  some<T>(xs: readonly T[], min = 1, max = xs.length): T[] {
    return this.shuffle(xs).slice(0, Math.min(xs.length, this.range(min, Math.max(min, max))));
  }
}

// ---- feature tags --------------------------------------------------------------------------------

export const ALL_TAGS = [
  // layout
  'resources.file', 'resources.multidoc', 'resources.base', 'resources.nested', 'components', 'kustfile.variant',
  // kinds
  'kind.Deployment', 'kind.StatefulSet', 'kind.Service', 'kind.ConfigMap', 'kind.Secret', 'kind.Ingress', 'kind.custom',
  'kind.Namespace', 'kind.ServiceAccount', 'kind.RoleBinding',
  // transformers
  'namespace', 'namePrefix', 'nameSuffix', 'commonLabels', 'labels.pairs', 'labels.includeSelectors',
  'labels.includeTemplates', 'labels.fields', 'commonAnnotations', 'images.newName', 'images.newTag', 'images.digest',
  'replicas',
  // patches
  'patches.smp.inline', 'patches.smp.file', 'patches.smp.delete', 'patches.smp.directive', 'patches.json6902.inline',
  'patches.json6902.file', 'patches.json6902.json', 'patches.target.name', 'patches.target.kind', 'patches.target.regex',
  'patches.target.labelSelector', 'patchesStrategicMerge', 'patchesStrategicMerge.inline', 'patchesJson6902',
  // generators
  'configMapGenerator.literals', 'configMapGenerator.files', 'configMapGenerator.envs', 'secretGenerator.literals',
  'secretGenerator.files', 'secretGenerator.envs', 'generator.options.labels', 'generator.options.annotations',
  'generator.options.disableNameSuffixHash', 'generator.options.immutable', 'generator.behavior.merge',
  'generator.behavior.replace', 'generatorOptions', 'generator.nameref',
  // replacements, vars, sort
  'replacements', 'replacements.delimiter', 'replacements.index', 'replacements.create', 'replacements.sourceOptions',
  'vars.args', 'vars.env', 'sortOptions.legacy', 'sortOptions.fifo',
  // odd values
  'scalar.yaml11', 'scalar.dot', 'scalar.equals', 'scalar.tilde', 'scalar.empty', 'scalar.emptyFlow', 'scalar.hex',
  'scalar.octal', 'scalar.underscore', 'scalar.float', 'scalar.timestamp', 'scalar.quotedNumber', 'scalar.tab',
  'scalar.emoji', 'scalar.spaces', 'scalar.colonSpace', 'scalar.spaceHash', 'scalar.long', 'scalar.null',
  'scalar.indicator', 'scalar.escape', 'scalar.block.keep', 'scalar.block.strip', 'scalar.block.folded',
  'keys.sortOrder', 'null.annotations', 'null.labels', 'empty.labels',
] as const;
export type Tag = (typeof ALL_TAGS)[number];
const TAG_SET = new Set<string>(ALL_TAGS);

export interface GeneratedTree {
  /** path (starting `root/`) -> file text */
  files: Record<string, string>;
  /** the feature tags this tree exercises, sorted */
  tags: Tag[];
}

// ---- a tiny YAML syntax tree with raw scalars ----------------------------------------------------

/** A block scalar: `head` is the indicator (`|`, `|-`, `>`, ...), `text` its content. */
class Blk {
  constructor(readonly head: string, readonly text: string) {}
}
/** A map with ordered entries; keys and string values are raw YAML text. */
class M {
  constructor(public e: [string, Y][] = []) {}
  get(k: string): Y | undefined { return this.e.find(([x]) => x === k)?.[1]; }
  set(k: string, v: Y): this {
    const i = this.e.findIndex(([x]) => x === k);
    if (i >= 0) this.e[i] = [k, v];
    else this.e.push([k, v]);
    return this;
  }
}
type Y = string | Y[] | M | Blk;
const m = (...e: [string, Y][]) => new M(e);
/** A double-quoted YAML string (JSON's escapes are valid YAML ones). */
const q = (s: string) => JSON.stringify(s);
/** `s` as a plain scalar when that is safe and unambiguous, else double-quoted. */
const str = (s: string) => (/^[A-Za-z_/][A-Za-z0-9_./-]*$/.test(s) && !/^(y|n|yes|no|on|off|true|false|null)$/i.test(s) ? s : q(s));

function emitBlock(b: Blk, pad: string, first: string, out: string[]): void {
  out.push(`${first}${b.head}`);
  const lines = b.text.split('\n');
  if (b.text.endsWith('\n')) lines.pop();
  for (const l of lines) out.push(l === '' ? '' : `${pad}${l}`);
}

function emitMap(mp: M, ind: number, out: string[]): void {
  const pad = ' '.repeat(ind);
  for (const [k, v] of mp.e) {
    if (typeof v === 'string') out.push(v === '' ? `${pad}${k}:` : `${pad}${k}: ${v}`);
    else if (v instanceof Blk) emitBlock(v, `${pad}  `, `${pad}${k}: `, out);
    else if (v instanceof M) {
      if (!v.e.length) out.push(`${pad}${k}: {}`);
      else { out.push(`${pad}${k}:`); emitMap(v, ind + 2, out); }
    } else if (!v.length) out.push(`${pad}${k}: []`);
    else { out.push(`${pad}${k}:`); emitList(v, ind, out); }
  }
}

function emitList(xs: Y[], ind: number, out: string[]): void {
  const pad = ' '.repeat(ind);
  for (const x of xs) {
    if (typeof x === 'string') out.push(x === '' ? `${pad}-` : `${pad}- ${x}`);
    else if (x instanceof Blk) emitBlock(x, `${pad}  `, `${pad}- `, out);
    else if (x instanceof M) {
      if (!x.e.length) { out.push(`${pad}- {}`); continue; }
      const sub: string[] = [];
      emitMap(x, ind + 2, sub);
      sub[0] = `${pad}- ${sub[0]!.slice(ind + 2)}`;
      out.push(...sub);
    } else out.push(`${pad}- []`);
  }
}

function yaml(mp: M): string {
  const out: string[] = [];
  emitMap(mp, 0, out);
  return out.join('\n') + '\n';
}

// ---- odd values ----------------------------------------------------------------------------------

interface Odd { tag: Tag; y: Y; /** a string under YAML 1.2 (what a label or annotation value must be) */ s: boolean }
const o = (tag: Tag, y: Y, s = true): Odd => ({ tag, y, s });
const LONG_WORDS = 'the quick brown fox jumps over the lazy dog while the kustomize build keeps every byte of this sentence intact';
const ODD: Odd[] = [
  o('scalar.yaml11', 'yes'), o('scalar.yaml11', 'no'), o('scalar.yaml11', 'on'), o('scalar.yaml11', 'off'),
  o('scalar.yaml11', 'y'), o('scalar.yaml11', 'n'), o('scalar.yaml11', 'Yes'), o('scalar.yaml11', 'OFF'), o('scalar.yaml11', 'True', false),
  o('scalar.dot', '.'), o('scalar.dot', '..'), o('scalar.equals', '='), o('scalar.equals', 'a=b'),
  o('scalar.tilde', '~', false), o('scalar.empty', '', false), o('scalar.emptyFlow', '{}', false), o('scalar.emptyFlow', '[]', false),
  o('scalar.hex', '0x1F', false), o('scalar.hex', '0xff', false), o('scalar.octal', '0o17', false), o('scalar.octal', '017', false),
  o('scalar.octal', '0755', false), o('scalar.underscore', '1_000', false), o('scalar.underscore', '1_000.5', false),
  o('scalar.float', '1e3', false), o('scalar.float', '1000000.5', false), o('scalar.float', '0.00001', false), o('scalar.float', '1.0', false),
  o('scalar.float', '.5', false), o('scalar.float', '6.02E+23', false),
  o('scalar.float', '3.14159265358979323846', false), o('scalar.float', '12e-7', false), o('scalar.float', '123456789012345678901', false),
  o('scalar.timestamp', '2001-12-14', false), o('scalar.timestamp', '2001-12-14t21:59:43.10-05:00', false),
  o('scalar.timestamp', '2001-12-14 21:59:43.10 -5', false), o('scalar.timestamp', '"2001-12-14"'),
  o('scalar.quotedNumber', '"123"'), o('scalar.quotedNumber', "'007'"), o('scalar.quotedNumber', '"1e3"'),
  o('scalar.quotedNumber', '"0x1F"'), o('scalar.quotedNumber', '"true"'), o('scalar.quotedNumber', "'1_000'"), o('scalar.quotedNumber', '"-0"'),
  o('scalar.tab', '"a\\tb"'), o('scalar.tab', 'a\tb'), o('scalar.tab', '"\\tleading tab"'), o('scalar.tab', "'trailing tab\t'"),
  o('scalar.emoji', '🙂'), o('scalar.emoji', '"café ☕"'), o('scalar.emoji', '日本語テキスト'), o('scalar.emoji', '"👩‍💻 dev"'),
  o('scalar.spaces', '"  leading"'), o('scalar.spaces', '"trailing  "'), o('scalar.spaces', "' both '"), o('scalar.spaces', '" "'),
  o('scalar.colonSpace', '"a: b"'), o('scalar.colonSpace', "'key: value: more'"), o('scalar.colonSpace', 'a:b'), o('scalar.colonSpace', '"ends with colon:"'),
  o('scalar.spaceHash', '"a #b"'), o('scalar.spaceHash', "'x # not a comment'"), o('scalar.spaceHash', 'a#b'), o('scalar.spaceHash', '"#hash first"'),
  o('scalar.long', LONG_WORDS), o('scalar.long', q(LONG_WORDS + ', with: colons # and hashes')), o('scalar.long', 'x'.repeat(70) + ' ' + 'y'.repeat(30)),
  o('scalar.long', q('a'.repeat(120))), o('scalar.long', q(LONG_WORDS.replace(/ /g, '  '))),
  o('scalar.null', 'null', false), o('scalar.null', 'Null', false), o('scalar.null', 'NULL', false),
  o('scalar.indicator', '"@at"'), o('scalar.indicator', '"*star"'), o('scalar.indicator', '"&amp"'), o('scalar.indicator', '"!bang"'),
  o('scalar.indicator', '"%pct"'), o('scalar.indicator', "'-'"), o('scalar.indicator', '"- dash"'), o('scalar.indicator', '"? q"'),
  o('scalar.indicator', '"|"'), o('scalar.indicator', '">"'), o('scalar.indicator', '"[x]"'), o('scalar.indicator', "'{y}'"), o('scalar.indicator', '"`tick`"'),
  o('scalar.escape', '"line1\\nline2"'), o('scalar.escape', '"line1\\nline2\\n"'), o('scalar.escape', '"back\\\\slash"'),
  o('scalar.escape', '"quote\\"in"'), o('scalar.escape', "'it''s'"), o('scalar.escape', '"\\u00e9t\\u00e9"'), o('scalar.escape', '"nul\\x01ctl"'),
  o('scalar.block.keep', new Blk('|', 'line one\nline two\n')), o('scalar.block.keep', new Blk('|+', 'kept\n\n')),
  o('scalar.block.keep', new Blk('|', 'tab\there\n  indented\n')), o('scalar.block.keep', new Blk('|', 'trailing spaces   \nnext\n')),
  o('scalar.block.strip', new Blk('|-', 'no final newline\nsecond')), o('scalar.block.strip', new Blk('|-', 'single')),
  o('scalar.block.strip', new Blk('|-', '#!/bin/sh\necho "hi: there" # x\nexit 0')),
  o('scalar.block.folded', new Blk('>', 'folded text that\nspans lines\n\nwith a paragraph\n')), o('scalar.block.folded', new Blk('>-', 'folded\nstripped')),
  o('scalar.block.folded', new Blk('>', LONG_WORDS + '\n')),
];
const ODD_STRINGS = ODD.filter((x) => x.s);

// ---- resources -----------------------------------------------------------------------------------

type Layer = 'base' | 'mid' | 'comp' | 'top';
const LAYER_DIR: Record<Layer, string> = { base: 'root/base', mid: 'root/mid', comp: 'root/comp', top: 'root' };
const BELOW: Record<Layer, Layer[]> = { base: ['base'], mid: ['base', 'mid'], comp: ['base', 'mid', 'top', 'comp'], top: ['base', 'mid', 'top', 'comp'] };

interface Res {
  kind: string;
  group: string;
  version: string;
  name: string;
  layer: Layer;
  y: M;
  labels: 'map' | 'null' | 'empty' | 'none';
  /** containers[0] (workloads) */
  container?: M;
  image?: string;
  data?: string[];
  deleted?: boolean;
  /** a patch deleted env MODE from containers[0] of this kind */
  modeDeleted?: boolean;
  generated?: boolean;
}

const IMAGES: { ref: string; name: string }[] = [
  { ref: 'nginx:1.25', name: 'nginx' }, { ref: 'nginx', name: 'nginx' }, { ref: 'busybox:1.36', name: 'busybox' },
  { ref: 'registry.example.com/team/api:v2', name: 'registry.example.com/team/api' },
  { ref: 'redis@sha256:' + 'ab12'.repeat(16), name: 'redis' }, { ref: 'ghcr.io/org/worker:latest', name: 'ghcr.io/org/worker' },
  { ref: 'localhost:5000/app:1.0.0', name: 'localhost:5000/app' },
];
const WORKLOAD_NAMES = ['web', 'api', 'worker', 'db', 'cache', 'front-end'];
const DIGEST = 'sha256:' + '0123456789abcdef'.repeat(4);

class Gen {
  tags = new Set<Tag>();
  files: Record<string, string> = {};
  res: Res[] = [];
  used = new Set<string>();
  budget: number;
  layers: Layer[];
  kust: Partial<Record<Layer, M>> = {};
  /** the names of generated ConfigMaps/Secrets per layer (for merge/replace and name references) */
  gens: { kind: 'ConfigMap' | 'Secret'; name: string; layer: Layer; keys: string[] }[] = [];
  namespaces: Partial<Record<Layer, string>> = {};
  varNames = new Set<string>();
  patchFileNo = 0;

  constructor(readonly r: Rng) {
    this.budget = r.range(3, 8);
    const shape = r.float();
    this.layers = shape < 0.3 ? ['top'] : shape < 0.7 ? ['base', 'top'] : ['base', 'mid', 'top'];
    if (r.chance(0.3)) this.layers.splice(this.layers.length - 1, 0, 'comp');
  }

  tag(t: Tag): void {
    if (!TAG_SET.has(t)) throw new Error(`unknown tag ${t}`);
    this.tags.add(t);
  }
  fileCount(): number { return Object.keys(this.files).length; }
  /** Files every tree needs: one kustomization per layer and one resource file per layer with resources. */
  reserved = 0;
  /** Files beyond the reserved ones: patch files, generator sources, more resource files. */
  extra = 0;
  /** Whether one more file fits in the tree's budget (2 to 8 files). */
  canAddFile(): boolean { return this.reserved + this.extra < this.budget; }
  addFile(path: string, text: string): void {
    if (this.files[path] === undefined) this.extra++;
    this.files[path] = text;
  }
  /** Operations that may run only once per tree (a second `remove` of the same field fails). */
  once = new Set<string>();

  odd(stringsOnly = false): Y {
    const x = this.r.pick(stringsOnly ? ODD_STRINGS : ODD);
    this.tag(x.tag);
    return x.y;
  }
  /** A value for a label: mostly plain words, sometimes odd strings. */
  labelValue(): Y {
    if (this.r.chance(0.75)) return this.r.pick(['prod', 'blue', 'v1', 'team-a', 'x.y_z', '"1.0"', 'A-b']);
    const x = this.r.pick(ODD.filter((v) => ['scalar.yaml11', 'scalar.quotedNumber', 'scalar.dot', 'scalar.empty', 'scalar.timestamp'].includes(v.tag) && typeof v.y === 'string'));
    this.tag(x.tag);
    return x.y;
  }
  /**
   * A label or annotation value for a kustomization file, which kustomize reads as YAML 1.1 into
   * strings: plain scalars that would not be strings there are quoted (but rarely left as they are:
   * kustomize must refuse them, and so must the engine).
   */
  kustValue(y: Y): Y {
    if (typeof y !== 'string' || /^["']/.test(y) || this.r.chance(0.02)) return y;
    return /^[A-Za-z][\w./-]*$/.test(y) && !/^(y|n|yes|no|on|off|true|false|null)$/i.test(y) ? y : q(y);
  }
  annotationValue(): Y {
    if (this.r.chance(0.35)) return this.r.pick(['hello', 'a/b', '"true"', 'https://example.com/x?y=1']);
    return this.r.chance(0.85) ? this.odd(true) : this.odd();
  }
  oddKeys(): string[] {
    this.tag('keys.sortOrder');
    return this.r.pick([['k9', 'k10', 'k1'], ['_x', 'Abc', 'abc'], ['"10"', '"9"', '"1"'], ['a-b', 'a.b', 'a_b', 'aB', 'A'], ['z', 'Zebra', '~tilde', '"key with space"'], ['b', 'a', 'é', '🙂']]);
  }
  oddMap(n: number): M {
    const mp = new M();
    const keys = this.r.chance(0.5) ? this.r.shuffle(this.oddKeys()) : this.r.shuffle(['mode', 'level', 'note', 'threshold', 'enabled', 'when', 'path']).slice(0, n);
    for (const k of keys) mp.set(k, this.odd());
    return mp;
  }

  uniqueName(kind: string, pool: string[]): string {
    for (const n of this.r.shuffle(pool)) if (!this.used.has(`${kind}/${n}`)) { this.used.add(`${kind}/${n}`); return n; }
    for (let k = 2; ; k++) {
      const n = `${pool[0]}${k}`;
      if (!this.used.has(`${kind}/${n}`)) { this.used.add(`${kind}/${n}`); return n; }
    }
  }

  metadata(name: string, res: Partial<Res>, labelsWanted: boolean, app?: string): M {
    const md = m(['name', name]);
    const lv = this.r.float();
    if (labelsWanted || lv < 0.6) {
      const labels = m();
      if (app) labels.set('app', app);
      if (!app || this.r.chance(0.35)) labels.set(this.r.pick(['tier', 'team', 'version', 'app.kubernetes.io/part-of']), this.labelValue());
      md.set('labels', labels);
      res.labels = 'map';
    } else if (lv < 0.7) {
      md.set('labels', this.r.pick(['', '~', 'null']));
      res.labels = 'null';
      this.tag('null.labels');
    } else if (lv < 0.8) {
      md.set('labels', m());
      res.labels = 'empty';
      this.tag('empty.labels');
    } else res.labels = 'none';
    const av = this.r.float();
    if (av < 0.3) {
      const ann = m();
      for (let k = this.r.range(1, 3); k > 0; k--) ann.set(this.r.pick(['note', 'description', 'example.com/owner', 'checksum', 'z-last', 'a-first']), this.annotationValue());
      md.set('annotations', ann);
    } else if (av < 0.4) {
      md.set('annotations', this.r.pick(['', '{}', '~', 'null']));
      this.tag('null.annotations');
    }
    return md;
  }

  container(name: string): { c: M; image: string } {
    const img = this.r.pick(IMAGES);
    const env: Y[] = [m(['name', 'MODE'], ['value', this.r.chance(0.6) ? this.odd(true) : 'plain'])];
    if (this.r.chance(0.4)) env.push(m(['name', 'EXTRA'], ['value', this.odd(true)]));
    if (this.r.chance(0.3)) env.push(m(['name', 'POD_NAME'], ['valueFrom', m(['fieldRef', m(['fieldPath', 'metadata.name'])])]));
    const c = m(['name', name], ['image', img.ref]);
    if (this.r.chance(0.5)) c.set('args', [...this.r.some<Y>(['--verbose', '--port=8080', 'serve', '"--flag=yes"'], 1, 3), ...(this.r.chance(0.4) ? [this.odd(true)] : [])]);
    c.set('ports', [m(['containerPort', this.r.pick(['80', '8080', '443'])], ...(this.r.chance(0.5) ? [['name', 'http'] as [string, Y]] : []))]);
    c.set('env', env);
    if (this.r.chance(0.3)) c.set('resources', m(['limits', m(['cpu', this.r.pick(['100m', '0.5', '1', '"2"'])], ['memory', this.r.pick(['64Mi', '1Gi', '128974848', '129e6'])])]));
    if (this.r.chance(0.2)) c.set('command', [new Blk('|-', 'sh'), '-c', this.odd(true)]);
    return { c, image: img.name };
  }

  addWorkload(layer: Layer, kind: 'Deployment' | 'StatefulSet'): Res {
    const name = this.uniqueName(kind, WORKLOAD_NAMES);
    const r: Res = { kind, group: 'apps', version: 'v1', name, layer, y: new M(), labels: 'map' };
    const { c, image } = this.container(name);
    r.container = c;
    r.image = image;
    const containers: Y[] = [c];
    if (this.r.chance(0.25)) containers.push(m(['name', 'sidecar'], ['image', this.r.pick(IMAGES).ref]));
    const podSpec = m(['containers', containers]);
    if (this.r.chance(0.3)) podSpec.set('serviceAccountName', this.r.pick(['runner', 'default']));
    const tmplMeta = m(['labels', m(['app', name])]);
    if (this.r.chance(0.3)) tmplMeta.set('annotations', this.oddMap(2));
    const spec = m(['replicas', this.r.pick(['1', '2', '3'])], ['selector', m(['matchLabels', m(['app', name])])]);
    if (kind === 'StatefulSet') spec.set('serviceName', name);
    spec.set('template', m(['metadata', tmplMeta], ['spec', podSpec]));
    r.y = m(['apiVersion', 'apps/v1'], ['kind', kind], ['metadata', this.metadata(name, r, true, name)], ['spec', spec]);
    this.tag(kind === 'Deployment' ? 'kind.Deployment' : 'kind.StatefulSet');
    return r;
  }

  addResource(layer: Layer, kind: string): Res {
    if (kind === 'Deployment' || kind === 'StatefulSet') return this.addWorkload(layer, kind);
    const r: Res = { kind, group: '', version: 'v1', name: '', layer, y: new M(), labels: 'none' };
    const workloads = this.res.filter((x) => x.container);
    const app = workloads.length ? this.r.pick(workloads).name : 'web';
    switch (kind) {
      case 'Service': {
        r.name = this.uniqueName(kind, [app, 'web', 'api', 'backend']);
        const port = m(['port', this.r.pick(['80', '443', '8080'])], ['targetPort', this.r.pick(['8080', 'http', '"9090"'])]);
        if (this.r.chance(0.5)) port.set('name', 'http');
        if (this.r.chance(0.3)) port.set('protocol', 'TCP');
        r.y = m(['apiVersion', 'v1'], ['kind', 'Service'], ['metadata', this.metadata(r.name, r, false, app)], ['spec', m(['selector', m(['app', app])], ['ports', [port]])]);
        if (this.r.chance(0.2)) (r.y.get('spec') as M).set('type', 'ClusterIP');
        this.tag('kind.Service');
        break;
      }
      case 'ConfigMap': {
        r.name = this.uniqueName(kind, ['app-config', 'settings-file', 'env-vars', 'scripts']);
        const data = m();
        r.data = [];
        data.set('host', this.r.pick(['web.example.com', 'api.internal.example.org', 'localhost']));
        r.data.push('host');
        data.set('obsolete', 'remove-me');
        for (const [k, v] of this.oddMap(3).e) { data.set(k, v); }
        if (this.r.chance(0.4)) data.set('script.sh', this.odd());
        r.y = m(['apiVersion', 'v1'], ['kind', 'ConfigMap'], ['metadata', this.metadata(r.name, r, false)], ['data', data]);
        this.tag('kind.ConfigMap');
        break;
      }
      case 'Secret': {
        r.name = this.uniqueName(kind, ['db-credentials', 'tls-extra', 'token']);
        const data = m(['password', this.r.pick(['cGFzc3dvcmQ=', 'c2VjcmV0', '""'])]);
        r.y = m(['apiVersion', 'v1'], ['kind', 'Secret'], ['metadata', this.metadata(r.name, r, false)], ['type', 'Opaque'], ['data', data]);
        if (this.r.chance(0.5)) r.y.set('stringData', m(['user', this.odd(true)]));
        this.tag('kind.Secret');
        break;
      }
      case 'Ingress': {
        r.group = 'networking.k8s.io';
        r.name = this.uniqueName(kind, ['public', 'ingress']);
        const svc = this.res.find((x) => x.kind === 'Service')?.name ?? app;
        const rule = m(['host', this.r.pick(['web.example.com', 'shop.example.org'])], ['http', m(['paths', [m(['path', '/'], ['pathType', 'Prefix'], ['backend', m(['service', m(['name', svc], ['port', m(['number', '80'])])])])]])]);
        const spec = m(['rules', [rule]]);
        if (this.r.chance(0.5)) spec.set('tls', [m(['hosts', ['web.example.com']], ['secretName', this.r.pick(['tls-cert', 'db-credentials'])])]);
        r.y = m(['apiVersion', 'networking.k8s.io/v1'], ['kind', 'Ingress'], ['metadata', this.metadata(r.name, r, false)], ['spec', spec]);
        this.tag('kind.Ingress');
        break;
      }
      case 'Widget': {
        r.group = 'example.com';
        r.version = 'v1alpha1';
        r.name = this.uniqueName(kind, ['gadget', 'thing', 'sprocket']);
        const spec = m(['size', this.r.pick(['3', '10', '"7"'])], ['settings', this.oddMap(3)]);
        if (this.r.chance(0.6)) spec.set('items', this.r.some([m(['name', 'a'], ['value', this.odd()]), m(['name', 'b'], ['value', this.odd()]), this.odd(), this.odd()], 1, 3));
        if (this.r.chance(0.4)) spec.set('text', this.odd());
        if (this.r.chance(0.2)) spec.set('empty', this.r.pick(['', '{}', '[]', '~']));
        r.y = m(['apiVersion', 'example.com/v1alpha1'], ['kind', 'Widget'], ['metadata', this.metadata(r.name, r, false)], ['spec', spec]);
        this.tag('kind.custom');
        break;
      }
      case 'Namespace': {
        r.name = this.uniqueName(kind, ['team-ns', 'apps']);
        r.y = m(['apiVersion', 'v1'], ['kind', 'Namespace'], ['metadata', this.metadata(r.name, r, false)]);
        this.tag('kind.Namespace');
        break;
      }
      case 'ServiceAccount': {
        r.name = this.uniqueName(kind, ['runner', 'default', 'deployer']);
        r.y = m(['apiVersion', 'v1'], ['kind', 'ServiceAccount'], ['metadata', this.metadata(r.name, r, false)]);
        if (this.r.chance(0.3)) r.y.set('automountServiceAccountToken', this.r.pick(['false', 'no']));
        this.tag('kind.ServiceAccount');
        break;
      }
      case 'RoleBinding': {
        r.group = 'rbac.authorization.k8s.io';
        r.name = this.uniqueName(kind, ['viewers', 'editors']);
        const sa = this.res.find((x) => x.kind === 'ServiceAccount')?.name ?? 'default';
        const subjects: Y[] = [m(['kind', 'ServiceAccount'], ['name', sa], ['namespace', this.r.pick(['default', 'apps', 'prod', 'other'])])];
        if (this.r.chance(0.5)) subjects.push(m(['kind', 'ServiceAccount'], ['name', 'default'], ['namespace', this.r.pick(['default', 'apps', 'kube-system'])]));
        if (this.r.chance(0.3)) subjects.push(m(['kind', 'User'], ['name', 'jane@example.com'], ['apiGroup', 'rbac.authorization.k8s.io']));
        if (this.r.chance(0.3)) subjects.push(m(['kind', 'ServiceAccount'], ['name', sa]));
        r.y = m(['apiVersion', 'rbac.authorization.k8s.io/v1'], ['kind', 'RoleBinding'], ['metadata', this.metadata(r.name, r, false)],
          ['roleRef', m(['apiGroup', 'rbac.authorization.k8s.io'], ['kind', this.r.pick(['ClusterRole', 'Role'])], ['name', this.r.pick(['view', 'edit'])])], ['subjects', subjects]);
        this.tag('kind.RoleBinding');
        break;
      }
      default:
        throw new Error(kind);
    }
    return r;
  }

  visible(layer: Layer): Res[] {
    return this.res.filter((x) => BELOW[layer].includes(x.layer) && this.layers.includes(x.layer) && !x.deleted);
  }
}

// ---- the tree ------------------------------------------------------------------------------------

const KINDS = ['Deployment', 'Deployment', 'Deployment', 'StatefulSet', 'Service', 'Service', 'ConfigMap', 'Secret', 'Ingress', 'Widget', 'Widget', 'Namespace', 'ServiceAccount', 'RoleBinding'];

export function generateTree(seed: number, index: number): GeneratedTree {
  const g = new Gen(treeRng(seed, index));
  const r = g.r;

  // 1. resources, placed in layers and grouped into files
  const n = r.range(2, 5);
  const kinds = [r.chance(0.85) ? 'Deployment' : r.pick(KINDS)];
  while (kinds.length < n) kinds.push(r.pick(KINDS));
  const resLayers = g.layers.filter((l) => l !== 'mid' || r.chance(0.5));
  for (const kind of kinds) {
    const layer = g.layers.includes('base') && r.chance(0.55) ? 'base' : r.pick(resLayers);
    g.res.push(g.addResource(layer, kind));
  }
  // every layer except mid/comp needs a resource of its own
  for (const l of ['base', 'top'] as Layer[]) {
    if (g.layers.includes(l) && !g.res.some((x) => x.layer === l) && !(l === 'top' && g.layers.length > 1)) g.res.push(g.addResource(l, r.pick(KINDS)));
  }

  g.reserved = g.layers.length + g.layers.filter((l) => g.res.some((x) => x.layer === l)).length;
  g.budget = Math.max(g.budget, g.reserved);

  // 2. features, per kustomization (lowest first), mutating the resources' trees
  // kustomize runs a kustomization's generators before its components, then its transformers
  for (const l of g.layers.filter((x) => x !== 'comp')) {
    if (l === 'top' && g.layers.includes('comp')) {
      g.kust.top = new M();
      generators(g, 'top', g.kust.top);
      features(g, 'comp');
      features(g, 'top', false);
    } else features(g, l);
  }

  // 3. files
  const resourceFiles: Partial<Record<Layer, string[]>> = {};
  for (const l of g.layers) {
    const mine = g.res.filter((x) => x.layer === l);
    if (!mine.length) continue;
    const groups: Res[][] = [];
    for (const x of r.shuffle(mine)) {
      if (groups.length && (!g.canAddFile() || r.chance(0.5))) groups[r.int(groups.length)]!.push(x);
      else { if (groups.length) g.extra++; groups.push([x]); }
    }
    resourceFiles[l] = [];
    groups.forEach((grp, k) => {
      const file = `${grp.length > 1 ? 'all' : grp[0]!.kind.toLowerCase()}${k ? k + 1 : ''}.${r.chance(0.15) ? 'yml' : 'yaml'}`;
      g.files[`${LAYER_DIR[l]}/${file}`] = multiDoc(g, grp);
      resourceFiles[l]!.push(file);
      g.tag('resources.file');
    });
  }
  for (const l of g.layers) {
    const k = g.kust[l]!;
    const resources: Y[] = [...(resourceFiles[l] ?? []).map(str)];
    if (l === 'mid') resources.unshift('../base');
    if (l === 'top' && g.layers.includes('mid')) resources.unshift(r.chance(0.5) ? 'mid' : './mid/');
    else if (l === 'top' && g.layers.includes('base')) resources.unshift(r.chance(0.5) ? 'base' : './base');
    if (resources.length) k.e.unshift(['resources', r.shuffle(resources)]);
    if (l === 'top' && g.layers.includes('comp')) k.e.splice(1, 0, ['components', ['comp']]);
    const head: [string, Y][] = l === 'comp'
      ? [['apiVersion', 'kustomize.config.k8s.io/v1alpha1'], ['kind', 'Component']]
      : r.chance(0.8) ? [['apiVersion', 'kustomize.config.k8s.io/v1beta1'], ['kind', 'Kustomization']] : [];
    k.e.unshift(...head);
    const name = r.chance(0.85) ? 'kustomization.yaml' : r.pick(['kustomization.yml', 'Kustomization']);
    if (name !== 'kustomization.yaml') g.tag('kustfile.variant');
    g.files[`${LAYER_DIR[l]}/${name}`] = k.e.length ? yaml(k) : '{}\n';
  }
  if (g.layers.includes('base')) g.tag('resources.base');
  if (g.layers.includes('mid')) g.tag('resources.nested');
  if (g.layers.includes('comp')) g.tag('components');
  return { files: sortedRecord(g.files), tags: [...g.tags].sort() };
}

function sortedRecord(x: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function multiDoc(g: Gen, grp: Res[]): string {
  const r = g.r;
  const docs = grp.map((x) => yaml(x.y));
  if (grp.length === 1) return (r.chance(0.2) ? '---\n' : '') + docs[0];
  g.tag('resources.multidoc');
  let text = r.chance(0.3) ? '# several documents\n---\n' : '';
  docs.forEach((d, k) => {
    if (k) text += r.chance(0.15) ? '---\n# between\n---\n' : r.chance(0.1) ? '--- \n' : '---\n';
    text += d;
  });
  if (r.chance(0.1)) text += '---\n';
  return text;
}

// ---- features of one kustomization ---------------------------------------------------------------

function features(g: Gen, l: Layer, withGenerators = true): void {
  const r = g.r;
  const k = g.kust[l] ?? new M();
  g.kust[l] = k;
  const top = l === 'top';
  const p = (x: number) => r.chance(top ? x : x * 0.6);
  const vis = () => g.visible(l);
  const workloads = () => vis().filter((x) => x.container);

  if (l !== 'comp' && p(0.25)) {
    const ns = r.pick(['prod', 'team-a', 'default', 'apps']);
    k.set('namespace', ns);
    g.namespaces[l] = ns;
    g.tag('namespace');
  }
  if (p(0.25)) { k.set('namePrefix', r.pick(['dev-', 'p-', 'team-a-', 'x'])); g.tag('namePrefix'); }
  if (p(0.2)) { k.set('nameSuffix', r.pick(['-v1', '-x', '-prod', '"2"'])); g.tag('nameSuffix'); }
  if (p(0.25)) {
    const cl = m();
    for (const key of r.some(['env', 'team', 'app.kubernetes.io/managed-by', 'tier'], 1, 2)) cl.set(key, g.kustValue(g.labelValue()));
    k.set('commonLabels', cl);
    g.tag('commonLabels');
  }
  if (p(0.3)) {
    const entries: Y[] = [];
    for (let c = r.range(1, 2); c > 0; c--) {
      const e = m(['pairs', m([r.pick(['owner', 'cost-center', 'tier', 'env']), g.kustValue(g.labelValue())])]);
      g.tag('labels.pairs');
      if (r.chance(0.4)) { e.set('includeSelectors', r.pick(['true', 'false'])); if (e.get('includeSelectors') === 'true') g.tag('labels.includeSelectors'); }
      if (r.chance(0.4)) { e.set('includeTemplates', r.pick(['true', 'false'])); if (e.get('includeTemplates') === 'true') g.tag('labels.includeTemplates'); }
      if (r.chance(0.3)) {
        const f = r.pick([
          m(['path', 'spec/labels'], ['kind', 'Widget'], ['create', 'true']),
          m(['path', 'metadata/annotations'], ['create', 'true']),
          m(['path', 'spec/template/metadata/labels'], ['kind', 'Deployment'], ['create', 'true']),
          m(['path', 'spec/selector'], ['kind', 'Service']),
          m(['path', 'data'], ['kind', 'ConfigMap']),
        ]);
        e.set('fields', [f]);
        g.tag('labels.fields');
      }
      entries.push(e);
    }
    k.set('labels', entries);
  }
  if (p(0.25)) {
    const ca = m();
    for (let c = r.range(1, 2); c > 0; c--) ca.set(r.pick(['note', 'example.com/build', 'owner', 'z']), g.kustValue(g.annotationValue()));
    k.set('commonAnnotations', ca);
    g.tag('commonAnnotations');
  }
  if (workloads().length && p(0.3)) {
    const imgs: Y[] = [];
    for (const w of r.some(workloads(), 1, 2)) {
      const image = w.image!;
      const e = m(['name', image]);
      const v = r.float();
      if (v < 0.35) { e.set('newName', r.pick(['mirror.example.com/' + image.split('/').pop()!.split(':')[0], 'quay.io/x/y', 'my-registry:5000/z'])); g.tag('images.newName'); }
      if (v > 0.25 && v < 0.8) { e.set('newTag', r.pick(['"1.27"', 'v3', '"2024-01-01"', 'latest', '"0755"'])); g.tag('images.newTag'); }
      if (v > 0.7) { e.set('digest', DIGEST); g.tag('images.digest'); }
      imgs.push(e);
    }
    k.set('images', imgs);
  }
  if (workloads().length && p(0.25)) {
    k.set('replicas', r.some(workloads(), 1, 2).map((w) => m(['name', w.name], ['count', r.pick(['0', '4', '10'])])));
    g.tag('replicas');
  }

  if (withGenerators) generators(g, l, k);
  if (p(0.45)) patches(g, l, k);
  if (p(0.15)) patchesStrategicMerge(g, l, k);
  if (p(0.12)) patchesJson6902(g, l, k);
  if (l !== 'comp' && l !== 'mid' && p(0.3)) replacements(g, l, k);
  if (top && r.chance(0.25)) vars(g, k);
  if (l === 'comp' && !k.e.length) k.set('commonAnnotations', m(['component', 'applied']));
  if (top && r.chance(0.2)) {
    if (r.chance(0.5)) {
      const so = m(['order', 'legacy']);
      if (r.chance(0.7)) so.set('legacySortOptions', m(['orderFirst', r.some(['Namespace', 'ConfigMap', 'Service', 'Widget'], 1, 2)], ['orderLast', r.some(['Deployment', 'Ingress', 'RoleBinding'], 0, 2)]));
      k.set('sortOptions', so);
      g.tag('sortOptions.legacy');
    } else {
      k.set('sortOptions', m(['order', 'fifo']));
      g.tag('sortOptions.fifo');
    }
  }
}

// ---- generators ----------------------------------------------------------------------------------

function genFileContent(g: Gen): string {
  return g.r.pick([
    'server.port=8080\nserver.host=0.0.0.0\n',
    'single line without newline',
    'tab\tseparated\tvalues\n',
    'emoji 🙂 and café\n',
    'trailing spaces   \nsecond line\n',
    LONG_WORDS + '\n',
    '#!/bin/sh\necho "a: b" # comment\n',
    '\n\nleading blank lines\n',
    'ends with blank lines\n\n\n',
    '{"json": true, "n": 1}\n',
    'key: value\nlist:\n  - a\n  - b\n',
    '',
    '  indented first line\nsecond\n',
  ]);
}
function envFileContent(g: Gen): string {
  const lines = g.r.some([
    'LOG_LEVEL=debug', '# a comment', '', 'EMPTY=', 'WITH_EQUALS=a=b=c', 'QUOTED="quoted value"', "SINGLE='single'",
    'SPACES=  padded  ', 'BOOL=yes', 'NUM=0x1F', 'URL=https://example.com/?a=1#frag', 'EMOJI=🙂', 'HASH=a # not comment',
    '  LEADING_WS=1', 'TIMESTAMP=2001-12-14', 'TAB=a\tb',
  ], 2, 6);
  if (!lines.some((x) => /^\s*[A-Z]/.test(x))) lines.push('KEY=value');
  return lines.join('\n') + (g.r.chance(0.8) ? '\n' : '');
}
function literal(g: Gen): { y: Y; key: string } {
  const key = g.r.pick(['LOG_LEVEL', 'mode', 'enabled', 'port', 'greeting', 'empty', 'path', 'config.json', 'k10', 'k9', '_x', 'Abc']);
  const v = g.r.pick(['debug', 'yes', '8080', '0x1F', '', 'hello world', 'a=b', '"quoted"', "'single'", 'a: b', 'x #y', '2001-12-14', ' spaced ', '🙂', 'line1\nline2', '{"a": 1}', '~', 'null', '1e3', LONG_WORDS]);
  const text = `${key}=${v}`;
  return { y: /^[\w.-]+=[\w./-]*$/.test(text) && g.r.chance(0.5) ? text : q(text), key };
}

/** The namespace a resource generated in layer `from` has when layer `at` runs its generators. */
function effectiveNamespace(g: Gen, from: Layer, at: Layer): string | undefined {
  const chain: Layer[] = ['base', 'mid', 'top', 'comp'];
  let ns: string | undefined;
  for (let i = chain.indexOf(from); i < chain.indexOf(at); i++) ns = g.namespaces[chain[i]!] ?? ns;
  return ns;
}

function generators(g: Gen, l: Layer, k: M): void {
  const r = g.r;
  // a kustomization's generators run before its components: the top cannot merge a component's
  const lower = g.gens.filter((x) => BELOW[l].includes(x.layer) && x.layer !== l && !(l === 'top' && x.layer === 'comp'));
  const pp = l === 'top' ? 0.35 : l === 'base' ? 0.35 : 0.2;
  for (const kind of ['ConfigMap', 'Secret'] as const) {
    if (!r.chance(kind === 'ConfigMap' ? pp : pp * 0.6)) continue;
    const field = kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator';
    const list: Y[] = [];
    const candidates = lower.filter((x) => x.kind === kind);
    for (let c = r.range(1, 2); c > 0; c--) {
      const e = new M();
      let behavior: string | undefined;
      let name: string;
      let namespace: string | undefined;
      if (candidates.length && r.chance(0.6)) {
        const base = r.pick(candidates);
        candidates.splice(candidates.indexOf(base), 1);
        name = base.name;
        namespace = effectiveNamespace(g, base.layer, l);
        behavior = r.pick(['merge', 'merge', 'replace']);
        g.tag(behavior === 'merge' ? 'generator.behavior.merge' : 'generator.behavior.replace');
      } else {
        name = g.uniqueName(kind, kind === 'ConfigMap' ? ['settings', 'app-env', 'files'] : ['creds', 'api-keys']);
      }
      e.set('name', name);
      if (namespace && behavior) e.set('namespace', namespace);
      if (behavior) e.set('behavior', behavior);
      if (kind === 'Secret' && r.chance(0.3)) e.set('type', 'Opaque');
      const keys: string[] = [];
      const pre = kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator';
      const src = r.float();
      if (src < 0.5 || !g.canAddFile()) {
        const lits = new Map<string, Y>();
        for (let c2 = r.range(1, 3); c2 > 0; c2--) { const x = literal(g); lits.set(x.key, x.y); }
        e.set('literals', [...lits.values()]);
        keys.push(...lits.keys());
        g.tag(`${pre}.literals` as Tag);
      }
      if (src >= 0.5 && g.canAddFile()) {
        const dir = LAYER_DIR[l];
        if (r.chance(0.55)) {
          const fname = r.pick(['app.properties', 'config.txt', 'script.sh', 'data.json', 'notes.md']);
          const path = r.chance(0.3) ? `files/${fname}` : fname;
          if (!g.files[`${dir}/${path}`]) g.addFile(`${dir}/${path}`, genFileContent(g));
          const custom = r.chance(0.35) ? r.pick(['custom.key', 'k10', 'renamed']) : undefined;
          e.set('files', [str(custom ? `${custom}=${path}` : path)]);
          keys.push(custom ?? fname);
          g.tag(`${pre}.files` as Tag);
        } else {
          const path = r.pick(['app.env', 'config.env', '.env']);
          if (!g.files[`${dir}/${path}`]) g.addFile(`${dir}/${path}`, envFileContent(g));
          e.set('envs', [str(path)]);
          g.tag(`${pre}.envs` as Tag);
        }
      }
      if (r.chance(0.3)) {
        const opts = new M();
        if (r.chance(0.5)) { opts.set('labels', m([r.pick(['generated', 'tier']), g.kustValue(g.labelValue())])); g.tag('generator.options.labels'); }
        if (r.chance(0.5)) { opts.set('annotations', m([r.pick(['note', 'example.com/src']), g.kustValue(g.annotationValue())])); g.tag('generator.options.annotations'); }
        if (r.chance(0.4)) { opts.set('disableNameSuffixHash', r.pick(['true', 'false'])); g.tag('generator.options.disableNameSuffixHash'); }
        if (r.chance(0.3)) { opts.set('immutable', r.pick(['true', 'false'])); g.tag('generator.options.immutable'); }
        if (opts.e.length) e.set('options', opts);
      }
      list.push(e);
      if (!behavior) g.gens.push({ kind, name, layer: l, keys });
      else {
        const base = g.gens.find((x) => x.kind === kind && x.name === name)!;
        base.keys = behavior === 'replace' ? keys : [...base.keys, ...keys];
      }
      // a workload refers to it: kustomize rewrites the reference to the hashed name
      const w = g.visible(l).filter((x) => x.container);
      if (!behavior && w.length && r.chance(0.7)) {
        const c = r.pick(w).container!;
        const ref = kind === 'ConfigMap' ? m(['configMapRef', m(['name', name])]) : m(['secretRef', m(['name', name])]);
        const envFrom = c.get('envFrom');
        if (Array.isArray(envFrom)) envFrom.push(ref); else c.set('envFrom', [ref]);
        g.tag('generator.nameref');
      }
    }
    k.set(field, list);
  }
  if (r.chance(l === 'top' ? 0.15 : 0.08)) {
    const go = new M();
    if (r.chance(0.5)) go.set('labels', m(['generated-by', 'kustomize']));
    if (r.chance(0.4)) go.set('annotations', m(['note', g.kustValue(g.annotationValue())]));
    if (r.chance(0.5)) go.set('disableNameSuffixHash', r.pick(['true', 'false']));
    if (r.chance(0.2)) go.set('immutable', 'true');
    if (!go.e.length) go.set('disableNameSuffixHash', 'true');
    k.set('generatorOptions', go);
    g.tag('generatorOptions');
  }
}

// ---- patches -------------------------------------------------------------------------------------

/** A strategic-merge patch body for `x` (without apiVersion/kind/metadata). */
function smpBody(g: Gen, x: Res): [string, Y][] {
  const r = g.r;
  switch (x.kind) {
    case 'Deployment':
    case 'StatefulSet': {
      const cname = (x.container!.get('name') as string);
      const v = r.float();
      if (v < 0.25) return [['spec', m(['replicas', r.pick(['5', '0'])])]];
      if (v < 0.55) {
        const c = m(['name', cname]);
        if (r.chance(0.5)) c.set('image', r.pick(IMAGES).ref);
        c.set('env', r.chance(0.3)
          ? [m(['name', 'MODE'], ['$patch', 'delete'])]
          : [m(['name', r.pick(['MODE', 'NEW_VAR'])], ['value', g.odd(true)])]);
        if (r.chance(0.3)) c.set('resources', m(['limits', m(['cpu', '250m'])]));
        if ((c.get('env') as M[])[0]!.get('$patch')) {
          g.tag('patches.smp.directive');
          for (const y of g.res) if (y.kind === x.kind) y.modeDeleted = true;
        }
        return [['spec', m(['template', m(['spec', m(['containers', [c]])])])]];
      }
      if (v < 0.75) return [['spec', m(['template', m(['metadata', m(['annotations', g.oddMap(2)])])])]];
      if (v < 0.85) {
        const vol = m(['name', 'data'], ['emptyDir', m()]);
        const mount = m(['name', cname], ['volumeMounts', [m(['name', 'data'], ['mountPath', '/data'])]]);
        return [['spec', m(['template', m(['spec', m(['volumes', [vol]], ['containers', [mount]])])])]];
      }
      g.tag('patches.smp.directive');
      const labels = m(['$patch', 'replace'], ['app', x.name], ['patched', 'true']);
      return [['spec', m(['template', m(['metadata', m(['labels', labels])])])]];
    }
    case 'ConfigMap':
      return [['data', m(['added', g.odd()], ...(r.chance(0.4) ? [['obsolete', 'null'] as [string, Y]] : []))]];
    case 'Secret':
      return [['stringData', m(['extra', g.odd(true)])]];
    case 'Service':
      return r.chance(0.5) ? [['spec', m(['type', 'NodePort'])]] : [['spec', m(['ports', [m(['port', '8443'], ['targetPort', '8443'], ['name', 'https'])]])]];
    case 'Widget':
      return [['spec', m(['settings', g.oddMap(2)], ...(r.chance(0.5) ? [['items', [m(['name', 'z'], ['value', g.odd()])]] as [string, Y]] : []))]];
    default:
      return [['metadata', m(['annotations', m(['patched', g.annotationValue()])])]];
  }
}

function smpPatch(g: Gen, x: Res, withHeader: boolean): M {
  const md = m(['name', x.name]);
  const doc = m(['apiVersion', x.group ? `${x.group}/${x.version}` : x.version], ['kind', x.kind], ['metadata', md]);
  if (!withHeader) md.set('name', g.r.pick([x.name, 'ignored-by-target']));
  for (const [key, v] of smpBody(g, x)) {
    if (key === 'metadata' && v instanceof M) md.e.push(...v.e);
    else doc.set(key, v);
  }
  return doc;
}

/** JSON 6902 operations valid for every resource of x's kind that the tree has. */
function jsonOps(g: Gen, x: Res): M[] {
  const r = g.r;
  const ops: M[] = [];
  const add = (op: string, path: string, value?: Y, from?: string) => ops.push(m(['op', op], ...(from ? [['from', from] as [string, Y]] : []), ['path', path], ...(value !== undefined ? [['value', value] as [string, Y]] : [])));
  switch (x.kind) {
    case 'Deployment':
    case 'StatefulSet': {
      const choices = [
        () => add('replace', '/spec/replicas', r.pick(['7', '0'])),
        () => add('add', '/spec/template/spec/containers/0/imagePullPolicy', 'Always'),
        () => add('add', '/metadata/annotations', m(['json-patched', g.odd(true)])),
        () => add('add', '/spec/template/spec/containers/0/env/-', m(['name', 'FROM_JSON'], ['value', g.odd(true)])),
        () => add('test', '/kind', x.kind),
        () => add('add', '/spec/template/spec/containers/0/args', ['--from-json', g.odd(true)]),
        () => add('copy', '/spec/template/spec/containers/0/workingDir', undefined, '/spec/template/spec/containers/0/name'),
      ];
      for (const f of r.some(choices, 1, 3)) f();
      if (!g.once.has('remove') && r.chance(0.15)) { add('remove', '/spec/template/spec/containers/0/ports'); g.once.add('remove'); }
      break;
    }
    case 'ConfigMap':
      add('add', '/data/json-added', g.odd());
      if (r.chance(0.4)) add('replace', '/data/host', r.pick(['replaced.example.com', '"0x10"']));
      break;
    case 'Service':
      add(r.pick(['replace', 'add']), '/spec/ports/0/port', r.pick(['9090', '1_000']));
      break;
    case 'Ingress':
      add('replace', '/spec/rules/0/host', r.pick(['new.example.com', '"*.example.com"']));
      break;
    case 'Widget':
      add('add', '/spec/extra', r.chance(0.5) ? g.odd() : g.oddMap(2));
      if (r.chance(0.4)) add('replace', '/spec/size', r.pick(['99', '"99"', '1e3']));
      if (!g.once.has('move') && r.chance(0.3)) { add('move', '/spec/moved', undefined, '/spec/settings'); g.once.add('move'); }
      break;
    default:
      add('add', '/metadata/annotations', m(['json', 'yes']));
  }
  return ops;
}
const JSON_KINDS = ['Deployment', 'StatefulSet', 'ConfigMap', 'Service', 'Ingress', 'Widget'];
function groupOf(x: Res): [string, Y][] {
  return [...(x.group ? [['group', x.group] as [string, Y]] : []), ['version', x.version], ['kind', x.kind]];
}

/** A target selecting x (and maybe others of its kind) plus its tag. */
function targetFor(g: Gen, x: Res, json: boolean): M {
  const r = g.r;
  const same = g.res.filter((y) => y.kind === x.kind && !y.deleted);
  const v = r.float();
  const t = new M();
  if (json && (x.kind === 'ConfigMap' || (x.kind === 'Widget' && same.length > 1))) { t.e.push(...groupOf(x), ['name', x.name]); g.tag('patches.target.name'); return t; }
  if (v < 0.35) {
    t.e.push(...(r.chance(0.5) ? groupOf(x) : [['kind', x.kind] as [string, Y]]), ['name', x.name]);
    g.tag('patches.target.name');
  } else if (v < 0.55) {
    t.e.push(['kind', x.kind]);
    g.tag('patches.target.kind');
  } else if (v < 0.8) {
    const re = r.pick([`${x.name.slice(0, 2)}.*`, `.*${x.name.slice(-2)}`, `(${x.name}|nothing)`, `${x.name}-?.*`, `^${x.name}$`, `[a-z-]+`]);
    t.e.push(['kind', x.kind], ['name', str(re)]);
    g.tag('patches.target.regex');
  } else {
    if (x.labels !== 'map' || !x.container) { t.e.push(['kind', x.kind], ['name', x.name]); g.tag('patches.target.name'); return t; }
    t.e.push(['kind', x.kind], ['labelSelector', str(r.pick([`app=${x.name}`, `app in (${x.name}, other)`, `app`, `app!=nothing`]))]);
    g.tag('patches.target.labelSelector');
  }
  return t;
}

function patchFile(g: Gen, l: Layer, text: string, ext = 'yaml'): string {
  const name = `patch${++g.patchFileNo}.${ext}`;
  g.addFile(`${LAYER_DIR[l]}/${name}`, text);
  return name;
}

function patches(g: Gen, l: Layer, k: M): void {
  const r = g.r;
  const list: Y[] = [];
  for (let c = r.range(1, 3); c > 0; c--) {
    const cands = g.visible(l);
    if (!cands.length) break;
    const json = r.chance(0.4);
    const pool = json ? cands.filter((x) => JSON_KINDS.includes(x.kind)) : cands;
    if (!pool.length) continue;
    const x = r.pick(pool);
    const e = new M();
    if (json) {
      const ops = jsonOps(g, x);
      const asJson = r.chance(0.25);
      const out: string[] = [];
      emitList(ops, 0, out);
      const yamlText = out.join('\n') + '\n';
      // the same operations in JSON (the yaml package reads the scalars as YAML 1.2 core)
      const text = asJson ? JSON.stringify(parseYaml(yamlText)) + '\n' : yamlText;
      if (asJson) g.tag('patches.json6902.json');
      if (g.canAddFile() && r.chance(0.5)) { e.set('path', patchFile(g, l, text, asJson ? 'json' : 'yaml')); g.tag('patches.json6902.file'); } else { e.set('patch', new Blk(r.pick(['|', '|-']), text)); g.tag('patches.json6902.inline'); }
      e.set('target', targetFor(g, x, true));
    } else {
      const del = r.chance(0.06) && !x.container && x.kind !== 'ConfigMap' && x.kind !== 'Service';
      const withTarget = r.chance(0.5) && !del;
      const doc = smpPatch(g, x, !withTarget);
      if (del) { doc.e = doc.e.slice(0, 3); doc.set('$patch', 'delete'); x.deleted = true; g.tag('patches.smp.delete'); }
      const text = yaml(doc);
      if (g.canAddFile() && r.chance(0.5)) { e.set('path', patchFile(g, l, text)); g.tag('patches.smp.file'); } else { e.set('patch', new Blk(r.pick(['|', '|-']), text)); g.tag('patches.smp.inline'); }
      if (withTarget) e.set('target', targetFor(g, x, false));
    }
    list.push(e);
  }
  if (list.length) k.set('patches', list);
}

function patchesStrategicMerge(g: Gen, l: Layer, k: M): void {
  const r = g.r;
  const cands = g.visible(l);
  if (!cands.length) return;
  const list: Y[] = [];
  for (const x of r.some(cands, 1, 2)) {
    const text = yaml(smpPatch(g, x, true));
    if (g.canAddFile() && r.chance(0.6)) list.push(patchFile(g, l, text));
    else { list.push(new Blk('|', text)); g.tag('patchesStrategicMerge.inline'); }
  }
  k.set('patchesStrategicMerge', list);
  g.tag('patchesStrategicMerge');
}

function patchesJson6902(g: Gen, l: Layer, k: M): void {
  const r = g.r;
  const cands = g.visible(l).filter((x) => JSON_KINDS.includes(x.kind));
  if (!cands.length) return;
  const x = r.pick(cands);
  const ops = jsonOps(g, x);
  const out: string[] = [];
  emitList(ops, 0, out);
  const e = m(['target', m(...groupOf(x), ['name', x.name])]);
  if (g.canAddFile() && r.chance(0.6)) e.set('path', patchFile(g, l, out.join('\n') + '\n'));
  else e.set('patch', new Blk('|-', out.join('\n')));
  k.set('patchesJson6902', [e]);
  g.tag('patchesJson6902');
}

// ---- replacements and vars -----------------------------------------------------------------------

function replacements(g: Gen, l: Layer, k: M): void {
  const r = g.r;
  const vis = g.visible(l);
  type Src = { sel: [string, Y][]; path: string; dotted: boolean; int?: boolean };
  const sources: Src[] = [];
  for (const x of vis) {
    const sel: [string, Y][] = [['kind', x.kind], ['name', x.name]];
    if (x.kind === 'ConfigMap') sources.push({ sel, path: 'data.host', dotted: true });
    if (x.kind === 'Service') sources.push({ sel, path: 'metadata.name', dotted: false }, { sel, path: 'spec.ports.0.port', dotted: false, int: true });
    if (x.container) sources.push({ sel, path: 'spec.template.spec.containers.0.image', dotted: true }, { sel, path: 'metadata.name', dotted: false });
    if (x.kind === 'Widget') sources.push({ sel, path: 'spec.size', dotted: false, int: true });
    if (x.kind === 'Ingress') sources.push({ sel, path: 'spec.rules.0.host', dotted: true });
  }
  for (const gen of g.gens.filter((x) => BELOW[l].includes(x.layer))) {
    if (gen.keys.some((key) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(key))) sources.push({ sel: [['kind', gen.kind], ['name', gen.name]], path: `data.${gen.keys.find((key) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(key))}`, dotted: false });
  }
  if (!sources.length) return;
  const list: Y[] = [];
  for (let c = r.range(1, 2); c > 0; c--) {
    const s = r.pick(sources);
    const source = m(...s.sel, ['fieldPath', s.path]);
    if (s.dotted && r.chance(0.3)) {
      source.set('options', m(['delimiter', str(s.path.endsWith('image') ? ':' : '.')], ['index', s.path.endsWith('image') ? '0' : r.pick(['0', '1'])]));
      g.tag('replacements.sourceOptions');
    }
    const targets: Y[] = [];
    for (const x of r.some(vis.filter((y) => y.container || y.kind === 'Ingress' || y.kind === 'ConfigMap' || y.kind === 'Widget'), 1, 2)) {
      const byName = r.chance(0.6) || x.kind === 'ConfigMap';
      const t = m(['select', m(['kind', x.kind], ...(byName ? [['name', x.name] as [string, Y]] : []))]);
      const sameKind = vis.filter((y) => y.kind === x.kind);
      const opts = new M();
      let fp: string;
      if (x.container) {
        fp = r.pick(['spec.template.spec.containers.0.env.[name=MODE].value', 'spec.template.metadata.annotations.replaced', 'spec.template.spec.containers.0.image', 'metadata.labels.from-source']);
        if (fp.includes('annotations') || fp.includes('labels')) opts.set('create', 'true');
        if (fp.endsWith('image') && r.chance(0.5)) { opts.set('delimiter', str(':')); opts.set('index', r.pick(['1', '0'])); }
        if (fp.includes('[name=MODE]') && sameKind.some((y) => y.modeDeleted)) { fp = 'spec.template.metadata.annotations.replaced'; opts.set('create', 'true'); }
      } else if (x.kind === 'Ingress') {
        fp = 'spec.rules.0.host';
        if (r.chance(0.6)) { opts.set('delimiter', str('.')); opts.set('index', r.pick(['0', '1', '2'])); }
      } else if (x.kind === 'ConfigMap') {
        fp = r.pick(['data.host', 'data.from-replacement']);
        if (fp === 'data.host' && r.chance(0.4)) { opts.set('delimiter', str('.')); opts.set('index', '0'); }
        if (fp !== 'data.host') opts.set('create', 'true');
      } else {
        // spec.size is an int: kustomize refuses a string there
        fp = r.pick([...(s.int ? ['spec.size'] : []), 'spec.target.value', 'spec.settings.mode']);
        if (fp !== 'spec.size') opts.set('create', 'true');
      }
      if (opts.get('create')) g.tag('replacements.create');
      if (opts.get('delimiter')) g.tag('replacements.delimiter');
      if (opts.get('index')) g.tag('replacements.index');
      t.set('fieldPaths', [fp]);
      if (opts.e.length) t.set('options', opts);
      targets.push(t);
    }
    if (!targets.length) continue;
    list.push(m(['source', source], ['targets', targets]));
  }
  if (list.length) { k.set('replacements', list); g.tag('replacements'); }
}

function vars(g: Gen, k: M): void {
  const r = g.r;
  const vis = g.visible('top');
  const ws = vis.filter((x) => x.container);
  const objs = vis.filter((x) => ['Service', 'ConfigMap', 'Deployment', 'StatefulSet', 'Widget'].includes(x.kind));
  if (!ws.length || !objs.length) return;
  const list: Y[] = [];
  for (const x of r.some(objs, 1, 2)) {
    const name = `${x.kind.toUpperCase()}_${x.name.toUpperCase().replace(/-/g, '_')}`;
    const field = x.kind === 'Service' ? r.pick(['metadata.name', 'spec.ports[0].port']) : x.kind === 'ConfigMap' ? r.pick(['data.host', 'metadata.name']) : x.kind === 'Widget' ? 'spec.size' : 'metadata.name';
    const v = m(['name', name], ['objref', m(['kind', x.kind], ['name', x.name], ['apiVersion', x.group ? `${x.group}/${x.version}` : x.version])]);
    if (field !== 'metadata.name' || r.chance(0.5)) v.set('fieldref', m(['fieldPath', field]));
    list.push(v);
    const c = r.pick(ws).container!;
    if (r.chance(0.5)) {
      const args = c.get('args');
      const use = r.pick([`$(${name})`, `"--target=$(${name})"`, `"$(${name}):$(${name})"`, `"$$(${name})"`]);
      if (Array.isArray(args)) args.push(use); else c.set('args', [use]);
      g.tag('vars.args');
    } else {
      (c.get('env') as Y[]).push(m(['name', `V_${name}`], ['value', r.pick([`$(${name})`, `"prefix-$(${name})"`, `"$(UNDEFINED_VAR)-$(${name})"`])]));
      g.tag('vars.env');
    }
  }
  k.set('vars', list);
}
