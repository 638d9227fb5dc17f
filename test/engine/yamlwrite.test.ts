// The YAML writer must print every value so that it reads back as the same value (the conformance
// runner and kubectl both parse our output), in kustomize's block style.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { isPlainSafe, writeYaml } from '../../server/src/engine/yamlwrite';

const roundTrip = (v: unknown) => assert.deepEqual(parse(writeYaml(v as never)), v);

describe('writeYaml', () => {
  test('strings that would read back as something else are quoted', () => {
    for (const s of ['', ' x', 'x ', '0755', '1e3', '0x1F', '.5', '+1', '12:30', 'yes', 'no', 'on', 'off', '~', 'null', 'true', 'False', '.inf', '2024-01-01',
      '- x', ': x', 'a: b', 'a #b', '#x', '[x]', '{x}', '*x', '&x', '!x', '|', '>', "'q'", '"q"', '%x', '@x', '`x', 'a\tb', '\u0001', '---', 'x:', '1_000', '0b101', '2001-1-2', '😀']) {
      assert.equal(isPlainSafe(s), false, JSON.stringify(s));
      roundTrip({ k: s });
    }
  });

  test('ordinary strings stay plain, as kustomize prints them', () => {
    for (const s of ['nginx:1.25', 'app.kubernetes.io/name', '-x', 'http://example.com/a?b=c', 'é', 'a,b', 'x-y_z.1', '.', '=', '<<', '1e']) {
      assert.equal(isPlainSafe(s), true, JSON.stringify(s));
    }
    // Keys come out sorted, as kustomize prints them; a key that reads as a bool is quoted.
    assert.equal(writeYaml({ replicas: 3, image: 'nginx:1.25', on: true }), 'image: nginx:1.25\n"on": true\nreplicas: 3\n');
  });

  test('multi-line strings become literal blocks with the right chomping', () => {
    assert.equal(writeYaml({ a: 'x\ny\n' }), 'a: |\n  x\n  y\n');
    assert.equal(writeYaml({ a: 'x\ny' }), 'a: |-\n  x\n  y\n');
    assert.equal(writeYaml({ a: 'x\n\n' }), 'a: |+\n  x\n\n');
    for (const s of ['x\ny\n', 'x\ny', 'x\n\n', '  indented\nx\n', 'trail \nx', 'a\n\nb\n', 'tab\there\n']) roundTrip({ a: s, l: [s] });
  });

  test('go-yaml\'s quoting: double for strings that read as another type, single for other non-plain strings', () => {
    assert.equal(writeYaml({ a: 'true', b: '1', c: '', d: '* * * * *', e: "it's", f: '#34577c', g: 'a\tb' }),
      'a: "true"\nb: "1"\nc: ""\nd: \'* * * * *\'\ne: it\'s\nf: \'#34577c\'\ng: "a\\tb"\n');
  });

  test('long scalars fold at a space once past column 80, continuing two columns in', () => {
    const long = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. Maecenas suscipit ex non molestie varius.';
    assert.equal(writeYaml({ spec: { value: long } }),
      'spec:\n  value: Lorem ipsum dolor sit amet, consectetur adipiscing elit. Maecenas suscipit\n    ex non molestie varius.\n');
    roundTrip({ a: long, b: [long, `'${long}'`, `${long}\t`] });
  });

  test('lists sit at their parent key\'s indentation; maps in lists start on the dash line', () => {
    assert.equal(
      writeYaml({ spec: { containers: [{ name: 'web', ports: [{ containerPort: 80 }] }], empty: [], none: {} } }),
      'spec:\n  containers:\n  - name: web\n    ports:\n    - containerPort: 80\n  empty: []\n  none: {}\n',
    );
    roundTrip({ c: [[], {}, [[1, 2], []], [{ a: 1, b: [1, { c: 2 }] }]], d: null, e: 1.5, 'a.b/c': 1, 'k: v': 2, '': 3, '1': 4 });
  });
});
