// `npm run package` makes a small, self-contained .vsix: the manifest, the bundles, the grammars,
// the view icon, README and LICENSE, and none of node_modules, sources, tests or examples.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';

import { makeVsix, readZip, ROOT, type MadeVsix, type ZipEntry } from './vsix.mjs';

let made: MadeVsix;
let entries: Map<string, ZipEntry>;

describe('vsix', () => {
  before(() => {
    const t0 = Date.now();
    made = makeVsix();
    entries = readZip(made.vsix);
    const kib = (fs.statSync(made.vsix).size / 1024).toFixed(0);
    process.stderr.write(`${path.relative(ROOT, made.vsix)}: ${entries.size} files, ${kib} KiB, made in ${Date.now() - t0} ms\n`);
  });

  test('carries the manifest as package.json, with the grammars it contributes', () => {
    const manifest = JSON.parse(entries.get('extension/package.json')!.read().toString('utf8'));
    const source = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.equal(manifest.publisher, 'gitops-lens');
    assert.equal(manifest.name, 'gitops-lens');
    assert.equal(manifest.version, source.version);
    const grammars: { path: string; scopeName: string }[] = manifest.contributes.grammars;
    assert.ok(grammars.length >= 3);
    for (const g of grammars) {
      const name = path.posix.join('extension', g.path);
      assert.ok(entries.has(name), `${name} in the vsix`);
      assert.equal(JSON.parse(entries.get(name)!.read().toString('utf8')).scopeName, g.scopeName);
    }
  });

  test('carries the client bundle that main names, and the server bundle it starts', () => {
    const manifest = JSON.parse(entries.get('extension/package.json')!.read().toString('utf8'));
    assert.equal(manifest.main, './dist/client.js');
    assert.ok(entries.has('extension/dist/server.js'));
    assert.ok(entries.has('extension/dist/client.js'));
    assert.ok(entries.get('extension/dist/client.js')!.size > 0);
  });

  test('carries the server bundle when there is one, README and LICENSE', () => {
    if (fs.existsSync(path.join(ROOT, 'dist/server.js'))) assert.ok(entries.has('extension/dist/server.js'));
    assert.ok(entries.has('extension/readme.md') || entries.has('extension/README.md'), [...entries.keys()].join('\n'));
    const license = [...entries.keys()].find((k) => /^extension\/LICENSE(\.txt)?$/i.test(k));
    assert.ok(license, 'LICENSE in the vsix');
    assert.match(entries.get(license)!.read().toString('utf8'), /Apache License[\s\S]*Copyright 2026 The GitOps Lens authors/);
  });

  test('nothing else: no node_modules, sources, tests, examples, source maps', () => {
    const names = [...entries.keys()];
    const bad = names.filter((n) => /(^|\/)(node_modules|src|test|examples|\.git|\.cache|scripts)\//.test(n) || /\.(ts|map|vsix)$/.test(n));
    assert.deepEqual(bad, []);
    const inExtension = names.filter((n) => n.startsWith('extension/'));
    const allowed = /^extension\/(package\.json|readme\.md|README\.md|LICENSE(\.txt)?|changelog\.md|CHANGELOG\.md|icon\.png|media\/[^/]+\.svg|dist\/[^/]+\.js|syntaxes\/[^/]+\.tmLanguage\.json)$/;
    assert.deepEqual(inExtension.filter((n) => !allowed.test(n)), []);
    // vsce's own files beside the extension folder
    assert.deepEqual(names.filter((n) => !n.startsWith('extension/')).sort(), ['[Content_Types].xml', 'extension.vsixmanifest']);
  });

  test('small', () => {
    assert.ok(fs.statSync(made.vsix).size < 2 * 1024 * 1024, `${fs.statSync(made.vsix).size} bytes`);
  });
});
