// The TextMate injection grammars in syntaxes/, tokenized with vscode-textmate + vscode-oniguruma
// the way VS Code does: injected (per package.json's contributes.grammars) into source.yaml.
// VS Code's own YAML grammar is not on npm, so source.yaml is a small fixture
// (test/grammar/fixtures/yaml.tmLanguage.json) that uses VS Code's scope names. To try another
// YAML grammar (e.g. one copied out of a VS Code install), set GITOPS_LENS_YAML_GRAMMAR=path.json
// (assertions about how the base grammar itself splits keys and values may then differ).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLES = path.join(ROOT, 'examples/gitops-repo');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
interface GrammarContribution { scopeName: string; path: string; injectTo?: string[]; language?: string }
const contributed: GrammarContribution[] = manifest.contributes?.grammars ?? [];

let grammar: textmate.IGrammar;

before(async () => {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const files = new Map<string, string>([['source.yaml', process.env.GITOPS_LENS_YAML_GRAMMAR || path.join(__dirname, 'fixtures/yaml.tmLanguage.json')]]);
  for (const g of contributed) files.set(g.scopeName, path.join(ROOT, g.path));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      const file = files.get(scopeName);
      if (!file) return null;
      return textmate.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
    // what VS Code does with contributes.grammars[].injectTo
    getInjections: (scopeName) => contributed.filter((g) => g.injectTo?.includes(scopeName)).map((g) => g.scopeName),
  });
  const g = await registry.loadGrammar('source.yaml');
  assert.ok(g, 'source.yaml fixture loads');
  grammar = g;
});

interface Token { line: number; text: string; scopes: string[] }

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let state = textmate.INITIAL;
  text.split('\n').forEach((line, i) => {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) out.push({ line: i + 1, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    state = r.ruleStack;
  });
  return out;
}

/** The token(s) covering `text` on `line` (1-based); asserts there is exactly one with that text. */
function tok(tokens: Token[], line: number, text: string): Token {
  const found = tokens.filter((t) => t.line === line && t.text === text);
  assert.equal(found.length, 1, `line ${line}: one token '${text}', have: ${JSON.stringify(tokens.filter((t) => t.line === line).map((t) => t.text))}`);
  return found[0]!;
}
const has = (t: Token, scope: string) => assert.ok(t.scopes.includes(scope), `'${t.text}' (line ${t.line}) lacks ${scope}: ${t.scopes.join(' ')}`);
const lacks = (t: Token, prefix: string) =>
  assert.ok(!t.scopes.some((s) => s.startsWith(prefix)), `'${t.text}' (line ${t.line}) has ${prefix}*: ${t.scopes.join(' ')}`);

const read = (rel: string) => fs.readFileSync(path.join(EXAMPLES, rel), 'utf8');
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('package.json contributes.grammars', () => {
  test('three injections into source.yaml, each file present with its scopeName', () => {
    const scopes = contributed.map((g) => g.scopeName).sort();
    assert.deepEqual(scopes, [
      'flux-substitution.injection.gitops-lens',
      'kustomization-keys.injection.gitops-lens',
      'kustomization.injection.gitops-lens',
    ]);
    for (const g of contributed) {
      const raw = JSON.parse(fs.readFileSync(path.join(ROOT, g.path), 'utf8'));
      assert.equal(raw.scopeName, g.scopeName, g.path);
      assert.ok(typeof raw.injectionSelector === 'string' && raw.injectionSelector.length > 0, `${g.path}: injectionSelector`);
      assert.deepEqual(g.injectTo, ['source.yaml'], g.path);
      assert.ok(g.path.startsWith('./syntaxes/'), g.path);
    }
  });
});

describe('kustomization grammar', () => {
  test('keys of a kustomization are keywords; deprecated commonLabels is also marked', () => {
    const text = read('apps/api/overlays/staging/kustomization.yaml');
    const t = tokenize(text);
    for (const key of ['apiVersion', 'kind', 'namespace', 'commonLabels', 'resources', 'images', 'replicas']) {
      has(tok(t, lineOf(text, `${key}:`), key), 'keyword.other.key.kustomization');
    }
    has(tok(t, lineOf(text, 'commonLabels:'), 'commonLabels'), 'invalid.deprecated.key.kustomization');
    lacks(tok(t, lineOf(text, 'resources:'), 'resources'), 'invalid');
    // nested keys are ordinary YAML keys, values are not paths
    const nameLine = lineOf(text, '- name: ghcr.io/example/api');
    has(tok(t, nameLine, 'name'), 'entity.name.tag.yaml');
    lacks(tok(t, nameLine, 'name'), 'keyword');
    lacks(tok(t, lineOf(text, 'tier: backend'), 'tier'), 'keyword');
    // the rest of the document stays YAML
    has(tok(t, 1, 'kustomize.config.k8s.io/v1beta1'), 'string.unquoted.plain.out.yaml');
    for (const x of t) assert.ok(x.scopes.includes('source.yaml'));
  });

  test('resources and components entries are paths', () => {
    const text = read('clusters/staging/kustomization.yaml');
    const t = tokenize(text);
    for (const p of ['cluster-info.yaml', '../../infrastructure/namespaces', '../../apps/api/overlays/staging', '../../components/monitoring']) {
      const x = tok(t, lineOf(text, `- ${p}`), p);
      has(x, 'string.other.path.kustomization');
      has(x, 'meta.path-list.kustomization');
    }
    has(tok(t, lineOf(text, 'components:'), 'components'), 'keyword.other.key.kustomization');
    has(tok(t, lineOf(text, '# Everything'), '#'), 'punctuation.definition.comment.yaml');
    has(tok(t, lineOf(text, '# Everything'), ' Everything the staging cluster runs. Reconciled by Flux (bootstrap/flux/staging.yaml).'), 'comment.line.number-sign.yaml');
    has(tok(t, lineOf(text, 'example.com/cluster'), 'example.com/cluster'), 'entity.name.tag.yaml');
  });

  test('path lists: unindented and indented items, quotes, remote targets, comments; the list ends at the next key', () => {
    const text = [
      'apiVersion: kustomize.config.k8s.io/v1beta1', // 1
      'kind: Kustomization',                          // 2
      'resources:',                                   // 3
      '- ../base',                                    // 4
      '  # a comment in the list',                   // 5
      '- "quoted dir"',                               // 6
      "- 'single.yaml'",                              // 7
      '- https://github.com/org/repo//deploy?ref=v1.2.0', // 8
      '- deploy.yaml # trailing',                     // 9
      'bases:',                                       // 10
      '  - ../old-base',                              // 11
      'namePrefix: p-',                               // 12
      'crds: []',                                     // 13
    ].join('\n');
    const t = tokenize(text);
    has(tok(t, 4, '../base'), 'string.other.path.kustomization');
    has(tok(t, 5, ' a comment in the list'), 'comment.line.number-sign.yaml');
    has(tok(t, 6, 'quoted dir'), 'string.other.path.kustomization');
    has(tok(t, 6, 'quoted dir'), 'string.quoted.double.yaml');
    has(tok(t, 7, 'single.yaml'), 'string.other.path.kustomization');
    has(tok(t, 8, 'https://github.com/org/repo//deploy?ref=v1.2.0'), 'markup.underline.link.remote.kustomization');
    has(tok(t, 9, 'deploy.yaml'), 'string.other.path.kustomization');
    has(tok(t, 9, ' trailing'), 'comment.line.number-sign.yaml');
    has(tok(t, 10, 'bases'), 'invalid.deprecated.key.kustomization');
    has(tok(t, 11, '../old-base'), 'string.other.path.kustomization');
    has(tok(t, 12, 'namePrefix'), 'keyword.other.key.kustomization');
    lacks(tok(t, 12, 'namePrefix'), 'meta.path-list');
    has(tok(t, 13, 'crds'), 'keyword.other.key.kustomization');
  });

  test('patch paths are paths; inline patches stay strings', () => {
    const text = read('apps/web/overlays/prod/kustomization.yaml');
    const t = tokenize(text);
    has(tok(t, lineOf(text, 'path: production.yaml'), 'production.yaml'), 'string.other.path.kustomization');
    has(tok(t, lineOf(text, 'path: rollout.json6902.yaml'), 'rollout.json6902.yaml'), 'string.other.path.kustomization');
    has(tok(t, lineOf(text, 'hpa.yaml'), 'hpa.yaml'), 'string.other.path.kustomization');
    const api = read('apps/api/overlays/prod/kustomization.yaml');
    const ta = tokenize(api);
    const inline = ta.filter((x) => x.line === lineOf(api, 'path: /spec/template/spec/containers/0/env'));
    assert.ok(inline.length > 0);
    for (const x of inline) {
      lacks(x, 'string.other.path');
      if (x.text.trim()) has(x, 'string.unquoted.block.yaml');
    }
    const innerApiVersion = ta.filter((x) => x.line === lineOf(api, '      apiVersion: apps/v1'));
    for (const x of innerApiVersion) lacks(x, 'keyword');
  });

  test('not a kustomization: a Flux Kustomization, manifests and Helm-style values', () => {
    const flux = read('bootstrap/flux/dev.yaml');
    const tf = tokenize(flux);
    has(tok(tf, lineOf(flux, 'kind: Kustomization'), 'kind'), 'entity.name.tag.yaml');
    for (const x of tf) {
      lacks(x, 'keyword.other.key.kustomization');
      lacks(x, 'string.other.path');
      lacks(x, 'meta.kustomization');
    }
    const values = 'replicas: 2\nresources:\n  - cpu\nimages: []\n';
    for (const x of tokenize(values)) lacks(x, 'keyword.other.key.kustomization');
    const deploy = read('apps/web/base/deployment.yaml');
    for (const x of tokenize(deploy)) lacks(x, 'keyword.other.key.kustomization');
  });

  test('the kustomization region ends with its document', () => {
    const text = [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'resources:',
      '- a.yaml',
      '---',
      'resources:',
      '- b.yaml',
      'namespace: x',
    ].join('\n');
    const t = tokenize(text);
    has(tok(t, 2, 'resources'), 'keyword.other.key.kustomization');
    has(tok(t, 3, 'a.yaml'), 'string.other.path.kustomization');
    has(tok(t, 4, '---'), 'entity.other.document.begin.yaml');
    lacks(tok(t, 5, 'resources'), 'keyword');
    lacks(tok(t, 6, 'b.yaml'), 'string.other.path');
    lacks(tok(t, 7, 'namespace'), 'keyword');
  });

  test('a Component is a kustomization too', () => {
    const text = read('components/monitoring/kustomization.yaml');
    const t = tokenize(text);
    has(tok(t, lineOf(text, 'patches:'), 'patches'), 'keyword.other.key.kustomization');
    has(tok(t, lineOf(text, 'kind: Component'), 'kind'), 'keyword.other.key.kustomization');
  });
});

describe('Flux postBuild substitution grammar', () => {
  test('${VAR} and ${VAR:=default} in plain and quoted scalars, not in comments', () => {
    const text = read('clusters/dev/cluster-info.yaml');
    const t = tokenize(text);
    const l = lineOf(text, 'cluster: ${CLUSTER_NAME}');
    has(tok(t, l, '${'), 'punctuation.definition.variable.begin.flux-substitution');
    has(tok(t, l, 'CLUSTER_NAME'), 'variable.other.substitution.flux-substitution');
    has(tok(t, l, 'CLUSTER_NAME'), 'meta.substitution.flux-substitution');
    has(tok(t, l, '}'), 'punctuation.definition.variable.end.flux-substitution');
    const r = lineOf(text, 'region:');
    has(tok(t, r, 'REGION'), 'variable.other.substitution.flux-substitution');
    has(tok(t, r, ':='), 'keyword.operator.default.flux-substitution');
    has(tok(t, r, 'eu-west-1'), 'string.unquoted.default.flux-substitution');
    // the comment on line 1 mentions ${...} and stays a comment
    for (const x of t.filter((x) => x.line === 1)) lacks(x, 'meta.substitution');
  });

  test('inside quotes, after text, escaped, and other operators', () => {
    const text = [
      'a: "${HOST}.example.com"',   // 1
      'b: prefix-${ENV:-dev}',      // 2
      'c: $${NOT_A_VAR}',          // 3
      'd: ${lower_ok}',             // 4
      '# e: ${IN_COMMENT}',         // 5
      'f: ${1BAD}',                 // 6
    ].join('\n');
    const t = tokenize(text);
    has(tok(t, 1, 'HOST'), 'variable.other.substitution.flux-substitution');
    has(tok(t, 1, 'HOST'), 'string.quoted.double.yaml');
    has(tok(t, 2, 'ENV'), 'variable.other.substitution.flux-substitution');
    has(tok(t, 2, ':-'), 'keyword.operator.default.flux-substitution');
    has(tok(t, 3, '$${NOT_A_VAR}'), 'constant.character.escape.flux-substitution');
    has(tok(t, 4, 'lower_ok'), 'variable.other.substitution.flux-substitution');
    for (const x of t.filter((x) => x.line === 5 || x.line === 6)) lacks(x, 'meta.substitution');
  });

  test('substitutions inside a kustomization too', () => {
    const text = 'apiVersion: kustomize.config.k8s.io/v1beta1\nnamespace: ${TENANT}\nresources:\n- ../${TENANT}\n';
    const t = tokenize(text);
    has(tok(t, 2, 'namespace'), 'keyword.other.key.kustomization');
    has(tok(t, 2, 'TENANT'), 'variable.other.substitution.flux-substitution');
  });
});
