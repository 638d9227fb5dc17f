// Vars (binding per kustomization level, resolution after the build, $(VAR) expansion), checked
// against kustomize v5.5.0: expected values and messages were confirmed with `kubectl kustomize`
// on equivalent kustomizations (renames simulated here the way the pipeline records them).

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';

import { Resource, KustomizeError, type JsonObject, type JsonValue, type SourceRef } from '../../server/src/engine/resource';
import { defaultTransformerConfig } from '../../server/src/engine/k8s/transformer-config';
import {
  mergeVars, mergeVarSets, resolveVars, expandVars, collectVarErrors, formatVar, objrefGvk, type VarDecl, type VarObjRef,
} from '../../server/src/engine/filters/vars';

const KUST: SourceRef = { file: '/repo/base/kustomization.yaml' };
const VARREF = defaultTransformerConfig().varReference;

const BASE = `
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
data:
  port: "8080"
  num: 7
---
apiVersion: v1
kind: Service
metadata:
  name: svc
spec:
  ports:
  - port: 80
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: dep
spec:
  template:
    metadata:
      annotations:
        a: "$(PORT)-$(DATA)"
        b: "$(DATA)"
        c: "$(SELF)"
        n: 5
    spec:
      containers:
      - name: app
        image: nginx
        command: ["run", "$(SVC)", "$(PORT)", "$$(SVC)", "$(UNKNOWN)", "a$(NUM)b", "$(NUM)", "$(PORTNUM)", "$(", "$x", "$"]
        args: ["$(PORTNUM)", "$(NUM)"]
        env:
        - name: A
          value: "$(SVC).$(PORT)"
`;

function load(text: string, file = '/repo/base/res.yaml'): Resource[] {
  return parseAllDocuments(text).map((d, i) => new Resource(d.toJS() as JsonObject, { source: { file }, docIndex: i, via: ['/repo/base'] }));
}

function rename(rs: Resource[], f: (r: Resource) => void): void {
  for (const r of rs) { r.rememberId(); f(r); }
}

let line = 0;
function v(name: string, objref: VarObjRef, fieldpath?: string): VarDecl {
  return { name, objref, fieldref: fieldpath === undefined ? {} : { fieldpath }, source: { file: KUST.file, range: { start: { line: ++line, character: 0 }, end: { line, character: 4 } } } };
}

function find(rs: Resource[], kind: string): Resource {
  const r = rs.find((x) => x.kind === kind);
  assert.ok(r);
  return r;
}

function throwsKustomize(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof KustomizeError, String(e));
    assert.equal(e.message, message);
    return true;
  });
}

const BASE_VARS = (): VarDecl[] => [
  v('SVC', { kind: 'Service', name: 'svc', apiVersion: 'v1' }),
  v('PORT', { kind: 'ConfigMap', name: 'cm', apiVersion: 'v1' }, 'data.port'),
  v('NUM', { kind: 'ConfigMap', name: 'cm', apiVersion: 'v1' }, 'data.num'),
  v('PORTNUM', { kind: 'Service', name: 'svc', apiVersion: 'v1' }, 'spec.ports[0].port'),
  v('DATA', { kind: 'ConfigMap', name: 'cm', apiVersion: 'v1' }, 'data'),
  v('SELF', { kind: 'Deployment', name: 'dep', apiVersion: 'apps/v1' }, 'spec.template.metadata.annotations.a'),
];

describe('vars: resolution', () => {
  test('expands in varReference fields after a prefix; typed whole values, $$ escapes, unknown names kept', () => {
    const rs = load(BASE);
    rename(rs, (r) => { r.name = `p-${r.name}`; });
    const vars = mergeVars([], BASE_VARS(), rs);
    const { unused } = resolveVars(rs, vars, VARREF);
    const c = (find(rs, 'Deployment').obj as any).spec.template.spec.containers[0];
    assert.deepEqual(c.command, ['run', 'p-svc', '8080', '$(SVC)', '$(UNKNOWN)', 'a7b', 7, 80, '$(', '$x', '$']);
    assert.deepEqual(c.args, [80, 7]);
    assert.equal(c.env[0].value, 'p-svc.8080');
    // map values: strings expanded, other values left; a map-valued var is never substituted;
    // values are read before any expansion (SELF is the raw annotation)
    assert.deepEqual((find(rs, 'Deployment').obj as any).spec.template.metadata.annotations, {
      a: '8080-$(DATA)', b: '$(DATA)', c: '$(PORT)-$(DATA)', n: 5,
    });
    assert.deepEqual(unused, ['DATA']);
  });

  test('origins: each changed field is recorded with the declaring var entry', () => {
    const rs = load(BASE);
    const vars = BASE_VARS();
    resolveVars(rs, mergeVars([], vars, rs), VARREF);
    const d = find(rs, 'Deployment');
    const env = d.fieldOrigins.get('spec.template.spec.containers[0].env[0].value');
    assert.deepEqual(env?.map((o) => [o.by, o.source, o.value]), [
      ['vars', vars[0]!.source, 'svc.8080'], ['vars', vars[1]!.source, 'svc.8080'],
    ]);
    assert.deepEqual(d.fieldOrigins.get('spec.template.spec.containers[0].args[0]')?.map((o) => o.value), [80]);
    assert.equal(d.fieldOrigins.get('spec.template.spec.containers[0].command[3]'), undefined); // $$(SVC) → $(SVC) is not a var use
  });

  test('no vars: nothing is walked', () => {
    const rs = load(BASE);
    assert.deepEqual(resolveVars(rs, [], VARREF), { unused: [] });
    assert.equal((find(rs, 'Deployment').obj as any).spec.template.spec.containers[0].args[0], '$(PORTNUM)');
  });

  test('a list item that is not a string is an error (with the field spec walk prefix)', () => {
    const rs = load(BASE.replace('args: ["$(PORTNUM)", "$(NUM)"]', 'args: ["$(PORTNUM)", 5]'));
    throwsKustomize(() => resolveVars(rs, mergeVars([], BASE_VARS(), rs), VARREF),
      "considering field 'spec/template/spec/containers/args' of object Deployment.v1.apps/dep.[noNs]: visit traversal on path: [args]: invalid value type expect a string");
  });

  test('objref without apiVersion names nothing (gvk must be equal): unresolvable', () => {
    const rs = load(BASE);
    const vars = mergeVars([], [v('SVC', { kind: 'Service', name: 'svc' })], rs);
    throwsKustomize(() => resolveVars(rs, vars, VARREF),
      "var '{SVC Service.[noVer].[noGrp] {metadata.name}}' cannot be mapped to a field in the set of known resources");
  });

  test('objref naming no resource is unresolvable', () => {
    const rs = load(BASE);
    const vars = mergeVars([], [v('SVC', { kind: 'Service', name: 'nosuch', apiVersion: 'v1' })], rs);
    throwsKustomize(() => resolveVars(rs, vars, VARREF),
      "var '{SVC Service.v1.[noGrp] {metadata.name}}' cannot be mapped to a field in the set of known resources");
  });

  test('missing field and bad paths are "not found"', () => {
    for (const [fp, shown] of [['metadata.namespace', 'metadata.namespace'], ['spec.template.metadata.annotations.[a]', 'spec.template.metadata.annotations.[a]']] as const) {
      const rs = load(BASE);
      const vars = mergeVars([], [v('X', { kind: 'Deployment', name: 'dep', apiVersion: 'apps/v1' }, fp)], rs);
      throwsKustomize(() => resolveVars(rs, vars, VARREF), `field specified in var '{X Deployment.v1.apps {${shown}}}' not found in corresponding resource`);
    }
  });

  test('fieldref paths: x[0], [k=v], bracketed dotted keys', () => {
    const rs = load(BASE);
    const vars = mergeVars([], [
      v('IMG', { kind: 'Deployment', name: 'dep', apiVersion: 'apps/v1' }, 'spec.template.spec.containers[0].image'),
      v('NAME', { kind: 'Deployment', name: 'dep', apiVersion: 'apps/v1' }, 'spec.template.spec.containers.[image=nginx].name'),
      v('SVC', { kind: 'Service', name: 'svc', apiVersion: 'v1' }),
    ], rs);
    const d = find(rs, 'Deployment').obj as any;
    d.spec.template.spec.containers[0].args = ['$(IMG)/$(NAME)/$(SVC)'];
    resolveVars(rs, vars, VARREF);
    assert.deepEqual(d.spec.template.spec.containers[0].args, ['nginx/app/svc']);
  });
});

describe('vars: binding and merging', () => {
  test('an overlay var finds a base resource by its original name, or by an earlier name and namespace', () => {
    const rs = load(BASE);
    rename(rs, (r) => { r.name = `p-${r.name}`; }); // base namePrefix
    const base = mergeVars([], [], rs);
    rename(rs, (r) => { r.namespace = 'nsx'; }); // overlay namespace
    rename(rs, (r) => { r.name = `${r.name}-s`; }); // overlay nameSuffix
    const vars = mergeVars(base, [
      v('OV', { kind: 'ConfigMap', name: 'cm', apiVersion: 'v1' }, 'metadata.name'),
      v('OVNS', { kind: 'ConfigMap', name: 'p-cm', apiVersion: 'v1', namespace: 'nsx' }, 'metadata.namespace'),
    ], rs);
    const d = find(rs, 'Deployment').obj as any;
    d.spec.template.spec.containers[0].args = ['$(OV)', '$(OVNS)'];
    resolveVars(rs, vars, VARREF);
    assert.deepEqual(d.spec.template.spec.containers[0].args, ['p-cm-s', 'nsx']);
  });

  test('a var is bound at its own level: a sibling resource with the same original id is not taken', () => {
    const cmText = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n';
    const a = load(cmText, '/repo/a/res.yaml');
    rename(a, (r) => { r.name = `a-${r.name}`; });
    const aVars = mergeVars([], [v('V', { kind: 'ConfigMap', name: 'cm', apiVersion: 'v1' })], a);
    const b = load(cmText, '/repo/b/res.yaml');
    rename(b, (r) => { r.name = `b-${r.name}`; });
    const dep = load('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: x\n        args: ["$(V)"]\n');
    const all = [...b, ...a, ...dep];
    const vars = mergeVarSets(mergeVarSets([], mergeVars([], [], b)), aVars);
    resolveVars(all, vars, VARREF);
    assert.deepEqual((dep[0]!.obj as any).spec.template.spec.containers[0].args, ['a-cm']);
  });

  test('a name declared twice in one kustomization', () => {
    const rs = load(BASE);
    throwsKustomize(() => mergeVars([], [v('SVC', { kind: 'Service', name: 'svc', apiVersion: 'v1' }), v('SVC', { kind: 'Service', name: 'svc', apiVersion: 'v1' })], rs),
      "merging vars [{SVC Service.[noVer].[noGrp] {}} {SVC Service.[noVer].[noGrp] {}}]: var 'SVC' already encountered");
  });

  test('an overlay declaring a name its base declared', () => {
    const rs = load(BASE);
    const base = mergeVars([], [v('V', { kind: 'ConfigMap', name: 'cm', apiVersion: 'v1' })], rs);
    throwsKustomize(() => mergeVars(base, [v('V', { kind: 'ConfigMap', name: 'cm', apiVersion: 'v1' })], rs),
      "merging vars [{V ConfigMap.[noVer].[noGrp] {}}]: var 'V' already encountered");
  });

  test('two sibling bases declaring the same name', () => {
    const a = [v('V', { kind: 'ConfigMap', name: 'cm', apiVersion: 'v1' })];
    const b = [v('V', { kind: 'ConfigMap', name: 'cm', apiVersion: 'v1' })];
    throwsKustomize(() => mergeVarSets(mergeVarSets([], a), b), "var 'V' already encountered");
    assert.deepEqual(collectVarErrors(a, b).map((e) => e.message), ["var 'V' already encountered"]);
  });

  test('an objref naming two resources (namespace not given)', () => {
    const rs = load(BASE + '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n  namespace: other\n');
    throwsKustomize(() => mergeVars([], [v('SVC', { kind: 'Service', name: 'svc', apiVersion: 'v1' })], rs),
      'merging vars [{SVC Service.[noVer].[noGrp] {}}]: found 2 resId matches for var {SVC Service.v1.[noGrp] {}} (unable to disambiguate)');
    // with a namespace only one: '' and 'default' are the same namespace
    const bound = mergeVars([], [v('SVC', { kind: 'Service', name: 'svc', apiVersion: 'v1', namespace: 'default' })], rs);
    assert.equal(bound.length, 1);
    assert.deepEqual(rs.filter((r) => r.refVarNames.includes('SVC')).map((r) => r.namespace), ['']);
  });

  test('objref gvk and var printing', () => {
    assert.deepEqual(objrefGvk({ kind: 'Deployment', name: 'd', apiVersion: 'apps/v1', group: 'x' }), { group: 'apps', version: 'v1', kind: 'Deployment' });
    assert.deepEqual(objrefGvk({ kind: 'K', name: 'd', apiVersion: 'v2', group: 'g' }), { group: 'g', version: 'v2', kind: 'K' });
    assert.deepEqual(objrefGvk({ kind: 'K', name: 'd', apiVersion: 'a/b/c', group: 'g', version: 'v' }), { group: 'g', version: 'v', kind: 'K' });
    const x = v('X', { kind: 'Deployment', name: 'd', apiVersion: 'apps/v1' });
    assert.equal(formatVar(x, 'raw'), '{X Deployment.[noVer].[noGrp] {}}');
    assert.equal(formatVar(x, 'resolved'), '{X Deployment.v1.apps {}}');
    assert.equal(formatVar(x), '{X Deployment.v1.apps {metadata.name}}');
  });
});

describe('vars: $(VAR) expansion', () => {
  const values: Record<string, string | number | boolean> = { N: 7, S: 'svc', B: true, F: 1.5 };
  const lookup = (n: string): string | number | boolean | undefined => values[n];
  const cases: [string, JsonValue][] = [
    ['$(N)', 7], ['$(B)', true], ['$(F)', 1.5], ['$(S)', 'svc'],
    ['a$(N)b', 'a7b'], ['x$(F)', 'x1.5'], ['$(S)-$(B)', 'svc-true'],
    ['$$(S)', '$(S)'], ['$$$(N)', '$7'], ['$$', '$'],
    ['$(UNKNOWN)', '$(UNKNOWN)'], ['a$(UNKNOWN)', 'a$(UNKNOWN)'],
    ['$(', '$('], ['$(S', '$(S'], ['$x', '$x'], ['$', '$'], ['a$', 'a$'],
    ['$()', '$()'], ['plain', 'plain'], ['', ''], ['$(S)$(S)', 'svcsvc'],
  ];
  for (const [input, want] of cases) test(JSON.stringify(input), () => assert.deepEqual(expandVars(input, lookup), want));
});
