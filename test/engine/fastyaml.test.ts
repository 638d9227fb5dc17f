// The fast YAML reader (engine/fastyaml.ts) must give exactly what the `yaml` package's path gives
// (values, ranges, annotations kept as text) or give up: each construct it reads, each thing it
// leaves to the `yaml` package, the lazy `doc`/`lines` of the files it read, and a differential run
// over the fixtures, the shared conformance corpus and seeded random YAML. The real-world cache is
// compared by test/engine/fastyaml-corpus.ts (not part of npm test).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fastParseYaml } from '../../server/src/engine/fastyaml';
import { KustomizeError } from '../../server/src/engine/resource';
import { parseYamlFile, parseYamlFileFull, rangeOfPath, scalarFacts } from '../../server/src/engine/yamlio';
import { compareText, jsonDiff } from './fastyaml-compare';
import { generateYaml, rng } from './fastyaml-gen';

const fast = (text: string) => fastParseYaml(text, { version: 3, annotationsAsText: text.includes('annotations'), roundTripFolded: text.includes('>') });

/** The fast reader reads `text`, to what the `yaml` package reads (and, when given, to `want`). */
function reads(text: string, want?: unknown[]): void {
  const o = compareText(text);
  assert.equal(o.kind, 'same', `${JSON.stringify(text)}: ${JSON.stringify(o)}`);
  if (want) assert.deepEqual(fast(text)!.map((d) => d.value), want);
}

/** The fast reader leaves `text` to the `yaml` package (which reads it, or fails). */
function leaves(text: string, reason?: RegExp): void {
  const o = compareText(text);
  assert.ok(o.kind === 'bail' || o.kind === 'full-error', `${JSON.stringify(text)}: ${JSON.stringify(o)}`);
  if (reason && o.kind === 'bail') assert.match(o.reason, reason, JSON.stringify(text));
  assert.equal(fast(text), undefined);
}

describe('fastyaml: what it reads', () => {
  test('block mappings, sequences, compact and same-indentation forms', () => {
    reads('a: 1\nb:\n  c: x\n  d:\n  - 1\n  - two\n', [{ a: 1, b: { c: 'x', d: [1, 'two'] } }]);
    reads('items:\n- name: a\n  value: 1\n- - x\n  - y\n-\n  k: v\n', [{ items: [{ name: 'a', value: 1 }, ['x', 'y'], { k: 'v' }] }]);
    reads('-   a: 1\n    b: 2\n- c\n', [[{ a: 1, b: 2 }, 'c']]);
    reads('  indented: top\n  map: 1\n');
    reads('k:\n- a\nnext: 1\n', [{ k: ['a'], next: 1 }]);
    reads('- a:\n  - x\n  b: 2\n', [[{ a: ['x'], b: 2 }]]);
  });

  test('plain scalars as go-yaml v3 resolves them, on one line or folded over several', () => {
    reads('a: 0x1F\nb: -0\nc: 1e3\nd: 12345678901234567890\ne: .5\nf: 2001-12-14 10:00:00\ng: ~\nh: True\ni: yes\nj: 0o17\nk: 1_000\nl: .inf\nm: 007\n');
    reads('a: two\n  lines\n\n  and a break\nb: http://x/y?z=1#frag\nc: a#b\nd: -x\ne: :node:sum\nf: ?q\n', [{ a: 'two lines\nand a break', b: 'http://x/y?z=1#frag', c: 'a#b', d: '-x', e: ':node:sum', f: '?q' }]);
    reads('- first\n  \'quoted\' - dash [x] {y} &a *b !t | > %p @a `b`\n', [['first \'quoted\' - dash [x] {y} &a *b !t | > %p @a `b`']]);
    reads('a:\n  value below\n  its key\n', [{ a: 'value below its key' }]);
    reads('a: x   # comment\nb: y#not\n', [{ a: 'x', b: 'y#not' }]);
    reads('a:\nb: # c\nc:   \n', [{ a: null, b: null, c: null }]);
  });

  test('single- and double-quoted scalars: escapes, doubled quotes, folding', () => {
    reads(`a: 'it''s'\nb: "t\\tu\\u00e9\\x41\\U0001F600\\"\\\\\\/\\ \\_\\N\\L\\P\\0\\a\\b\\e\\f\\r\\v"\n`);
    reads('a: "one\n  two\n\n  three  "\nb: \'x  \n   y\'\nc: "joined\\\n   here"\n', [{ a: 'one two\nthree  ', b: 'x y', c: 'joinedhere' }]);
    reads('"quoted key": 1\n\'single\': 2\n"": 3\n', [{ 'quoted key': 1, single: 2, '': 3 }]);
    reads('- "a: b"\n- \'# x\'\n', [['a: b', '# x']]);
  });

  test('a one-line flow collection below its key or dash (as helm writes `{}`)', () => {
    reads('spec:\n  securityContext:\n    {}\n  containers:\n  - name: x\n', [{ spec: { securityContext: {}, containers: [{ name: 'x' }] } }]);
    reads('a:\n  [1, two]\nb:\n  {k: v}  # c\nc: 1\n', [{ a: [1, 'two'], b: { k: 'v' }, c: 1 }]);
    reads('-\n  {}\n-\n  [x]\n', [[{}, ['x']]]);
    reads('metadata:\n  annotations:\n    {a: 1}\n', [{ metadata: { annotations: { a: '1' } } }]);
  });

  test('literal and folded block scalars: chomping, more-indented lines, indentation indicators', () => {
    reads('a: |\n  x\n   y\n\n  z\n\nb: |-\n  s\nc: |+\n  k\n\n\nd: x\n', [{ a: 'x\n y\n\nz\n', b: 's', c: 'k\n\n\n', d: 'x' }]);
    reads('a: >\n  folded\n  text\n\n  para\n    more\n  back\nb: >-\n\n  lead\n');
    reads('- |2-\n    two more\n  base\n- >1\n  x\n');
    reads('a: |\n  # not a comment\n  \ttab\n     \n  end\n');
    reads('a: |\n  no final break');
    reads('a: >+\n  kept\n\n');
  });

  test('flow collections of scalars on one line', () => {
    reads('a: []\nb: {}\nc: [1, "two", \'3\', x y]\nd: {k: v, "q": 1}\ne: [-1, -x]\n', [{ a: [], b: {}, c: [1, 'two', '3', 'x y'], d: { k: 'v', q: 1 }, e: [-1, '-x'] }]);
  });

  test('documents, markers, comments and empty documents', () => {
    reads('# head\n---\na: 1\n--- # c\n---\n- x\n---   \n', [{ a: 1 }, null, ['x'], null]);
    reads('a: 1\n---\n');
    reads('');
    reads('# only a comment\n');
    reads('x: 1\r'.replace('\r', '\n'));
  });

  test('scalar facts: empty, quoted and non-string plain fields by map-only path, annotations as annotationsAsText leaves them', () => {
    reads('a:\nb: "q"\nc: |\n  x\nd: 1\ne: {f: 2, g: \'h\'}\nl:\n- i: 1\nm:\n  n: ~\n');
    reads('metadata:\n  annotations:\n    a: 1\n    b: "2"\n    c:\n    d:\n      e: 1\n    f: {g: 1}\n  labels:\n    x: 1\n');
  });

  test('annotations keep the text of plain values that read as something else', () => {
    const text = 'metadata:\n  annotations:\n    a: 1\n    b: \'2\'\n    c:\n    d: [1]\n    e: 2001-12-14\n    f: yes\n    g: ~\n    h: |\n      x\n';
    reads(text);
    const d = fast(text)![0]!;
    assert.deepEqual(d.value, { metadata: { annotations: { a: '1', b: '2', c: '', d: '', e: '2001-12-14', f: 'yes', g: '~', h: 'x\n' } } });
    assert.deepEqual([...d.rawAnnotations!], [['a', ['1', 1]], ['c', ['', null]], ['e', ['2001-12-14', '2001-12-14T00:00:00Z']], ['g', ['~', null]]]);
    reads('metadata:\n  annotations: {a: 1, b: x}\n');
    reads('spec:\n  annotations:\n    a: 1\n'); // not metadata's
  });

  test('ranges: where the yaml package ends a document (trailing comments, empty values, ---)', () => {
    for (const t of ['a: 1\n  # joins the scalar\n# not\n', 'a:\n  b: 1\n  # kept by the inner map\n\n', 'a:\n  b: 1\n # moved up\n', '- a: 1\n  # c\n',
      'a:\n- x\n  # c\n', 'a: # c\n\n---\nb: 1\n', 'a:\n# c\n\n\n---\n', 'b: 1\na:\n\n# c\n\n---\n', 'a:\n  b: |\n    x\n\n  # c\n', '- \n', '-\n# c\n', 'a: |+\n  k\n\n# c\n']) reads(t);
  });
});

describe('fastyaml: what it leaves to the yaml package', () => {
  test('anchors, aliases, tags, merge keys, complex keys, directives, document end', () => {
    leaves('a: &x 1\nb: *x\n');
    leaves('a: !!str 1\n', /indicator/);
    leaves('<<: {a: 1}\n', /special key/);
    leaves('? a\n: b\n');
    leaves('%YAML 1.2\n---\na: 1\n', /directive|indicator/);
    leaves('a: 1\n...\n', /document end/);
  });

  test('tabs as indentation, duplicate keys, keys that are not strings, top-level scalars', () => {
    leaves('a:\n\tb: 1\n');
    leaves('a: 1\na: 2\n');
    leaves('1: a\n', /not a string/);
    leaves('true: a\n', /not a string/);
    leaves('__proto__: a\n', /special key/);
    leaves('just text\n', /top-level/);
    leaves('[1, 2]\n', /top-level/);
  });

  test('what it is not sure of: empty block scalars, multi-line flow, odd characters, malformed text', () => {
    leaves('a: |\nb: 1\n', /empty block scalar/);
    leaves('a: [1,\n  2]\n', /multi-line flow/);
    leaves('a: [[1]]\n', /flow/);
    leaves('a: b\r\n', /unusual characters/);
    leaves('\ufeffa: 1\n', /unusual characters/);
    leaves('a: "unterminated\n');
    leaves('a: b: c\n');
    leaves('a: 1\n b: 2\n');
    leaves('a: "x" y\n');
    leaves('a: "\\q"\n');
    leaves('a:\n  b: |\n    x\n   # between the indentations\n', /less indented/);
    leaves(`x:\n- ${'- '.repeat(300)}leaf\n`, /too deep/);
    reads(`x:\n- ${'- '.repeat(200)}leaf\n`);
  });

  test('errors still come from the yaml package, unchanged', () => {
    for (const text of ['a: 1\na: 2\n', 'a: b: c\n', 'a: "x\n']) {
      let fastErr: unknown, fullErr: unknown;
      try { parseYamlFile('f.yaml', text); } catch (e) { fastErr = e; }
      try { parseYamlFileFull('f.yaml', text); } catch (e) { fullErr = e; }
      assert.ok(fastErr instanceof KustomizeError && fullErr instanceof KustomizeError, text);
      assert.equal(fastErr.message, fullErr.message);
      assert.deepEqual(fastErr.source, fullErr.source);
    }
  });
});

describe('fastyaml: the files it read', () => {
  const text = '# c\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n    n: 1\ndata:\n  empty:\n  q: "1"\n  n: 1e3\n---\n- a: 1\n';

  test('doc and lines are the yaml package\'s, made when first asked for', () => {
    const f = parseYamlFile('f.yaml', text);
    const full = parseYamlFileFull('f.yaml', text);
    // scalarFacts come from the fast reader while the yaml package's parse is not made, then from it.
    const facts = scalarFacts(f, 0);
    assert.deepEqual(facts, scalarFacts(full, 0));
    assert.deepEqual([...facts.empty], ['data\u0000empty']);
    assert.deepEqual([...facts.quoted], ['data\u0000q']);
    assert.deepEqual([...facts.plainText], [['data\u0000n', '1e3']]);
    assert.equal(f.documents.length, 2);
    for (let i = 0; i < 2; i++) {
      const a = f.documents[i]!, b = full.documents[i]!;
      assert.equal(jsonDiff(a.value, b.value), '');
      assert.deepEqual(a.range, b.range);
      assert.equal(a.index, b.index);
      assert.equal(String(a.doc), String(b.doc));
    }
    assert.deepEqual(f.lines.linePos(30), full.lines.linePos(30));
    assert.deepEqual(rangeOfPath(f, 0, ['data', 'q']), rangeOfPath(full, 0, ['data', 'q']));
    assert.deepEqual(rangeOfPath(f, 1, [0, 'a'], 'key'), rangeOfPath(full, 1, [0, 'a'], 'key'));
    assert.deepEqual(scalarFacts(f, 0), scalarFacts(full, 0));
    assert.deepEqual([...f.documents[0]!.rawAnnotations!], [...full.documents[0]!.rawAnnotations!]);
  });

  test('kustomization files are read with go-yaml v2\'s scalars; a repeated key (the last wins) goes to the yaml package', () => {
    const k = 'resources:\n- a.yaml\nnamePrefix: on\nsuffix: 2001-12-14\n';
    assert.equal(compareText(k, { yaml11: true }).kind, 'same');
    const f = parseYamlFile('kustomization.yaml', k, { yaml11: true, uniqueKeys: false });
    assert.deepEqual(f.documents[0]!.value, { resources: ['a.yaml'], namePrefix: true, suffix: '2001-12-14' });
    assert.deepEqual(rangeOfPath(f, 0, ['resources', 0]), rangeOfPath(parseYamlFileFull('kustomization.yaml', k, { yaml11: true, uniqueKeys: false }), 0, ['resources', 0]));
    const twice = 'namePrefix: a-\nnamePrefix: b-\n';
    assert.deepEqual(compareText(twice, { yaml11: true }), { kind: 'bail', reason: 'duplicate key' });
    assert.deepEqual(parseYamlFile('kustomization.yaml', twice, { yaml11: true, uniqueKeys: false }).documents[0]!.value, { namePrefix: 'b-' });
  });
});

describe('fastyaml: differential', () => {
  const corpus = (dir: string): string[] => {
    const out: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.ya?ml$/.test(e.name)) out.push(p);
      }
    };
    if (fs.existsSync(dir)) walk(dir);
    return out;
  };

  for (const [name, dir] of [['fixtures', path.join(__dirname, 'fixtures')], ['conformance', path.resolve(__dirname, '../../../shared/conformance')]] as const) {
    const files = corpus(dir);
    // (The conformance corpus sits beside the project; without it there is nothing to compare.)
    if (files.length) test(`${name}: every YAML file reads the same (${files.length} files)`, () => {
      let same = 0;
      for (const f of files) {
        // Kustomization files as the engine reads them (go-yaml v2), every file as a resource too.
        const text = fs.readFileSync(f, 'utf8');
        const asKustomization = /^kustomization\.ya?ml$/.test(path.basename(f)) ? compareText(text, { yaml11: true }) : undefined;
        if (asKustomization) assert.notEqual(asKustomization.kind, 'mismatch', `${f} (as a kustomization): ${asKustomization.kind === 'mismatch' ? asKustomization.detail : ''}`);
        const o = compareText(text);
        assert.notEqual(o.kind, 'mismatch', `${f}: ${o.kind === 'mismatch' ? o.detail : ''}`);
        if (o.kind === 'same') same++;
      }
      // Most files take the fast path (a drop here means the reader got more careful than it needs to be).
      assert.ok(same / files.length > 0.9, `fast path for ${same} of ${files.length}`);
    });
  }

  test('seeded random YAML, well-formed and mutated, reads the same or is left to the yaml package', () => {
    let same = 0;
    for (let i = 0; i < 400; i++) {
      for (const mutate of [false, true]) {
        const text = generateYaml(rng(7919 * i + (mutate ? 1 : 0)), { mutate });
        const o = compareText(text);
        assert.notEqual(o.kind, 'mismatch', `seed ${i}${mutate ? ' (mutated)' : ''}: ${o.kind === 'mismatch' ? o.detail : ''}\n${JSON.stringify(text)}`);
        if (o.kind === 'same') same++;
        const v2 = compareText(text, { yaml11: true });
        assert.notEqual(v2.kind, 'mismatch', `seed ${i}${mutate ? ' (mutated)' : ''}, go-yaml v2: ${v2.kind === 'mismatch' ? v2.detail : ''}\n${JSON.stringify(text)}`);
      }
    }
    assert.ok(same > 40, `only ${same} generated texts took the fast path`);
  });
});
