// The preview model's pure parts (client/src/preview/model.ts has no vscode import): the preview text
// (header, `# Source:` comments, masking), positions back to documents and field paths, field origins,
// source lookup, and the anchors and source lookup that keep and sync the preview's scroll position.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  anchorAt, buildPreview, docKey, documentAt, documentForSource, fieldOriginFor, formatPath, lineOfAnchor,
  locateInSource, maskSecret, MASK, pathAt, sourceComment, type BuildOptions,
} from '../../client/src/preview/model';
import type { RenderedDocument, RenderResult } from '../../server/src/protocol';

const WS = 'file:///ws';
const rel = (u: string) => u.replace(`${WS}/`, '');
const opts = (o: Partial<BuildOptions> = {}): BuildOptions => ({ maskSecrets: true, showSources: true, relative: rel, title: 'Rendered prod (read-only preview)', ...o });

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  template:
    spec:
      containers:
      - image: nginx:1.25
        name: app
`;
const SECRET = `apiVersion: v1
data:
  password: aHVudGVyMg==
kind: Secret
metadata:
  name: creds
stringData:
  token: plain
`;

function doc(kind: string, name: string, start: number, end: number, origin: Partial<RenderedDocument['origin']> & { uri: string }, extra: Partial<RenderedDocument> = {}): RenderedDocument {
  return { apiVersion: 'v1', kind, name, range: { start: { line: start, character: 0 }, end: { line: end, character: 0 } }, origin, fields: [], via: [], ...extra };
}

function result(extra: Partial<RenderResult> = {}): RenderResult {
  const yaml = `${DEPLOY}---\n${SECRET}`;
  const dLines = DEPLOY.split('\n').length - 1;
  return {
    environment: { id: 'clusters/prod', shortName: 'prod', shortNameUnique: true, folder: `${WS}/clusters/prod`, workspaceFolder: WS, kind: 'root', foundBy: 'not included by any other kustomization', state: 'rendered' },
    yaml,
    documents: [
      doc('Deployment', 'web', 0, dLines, { uri: `${WS}/base/deploy.yaml`, range: { start: { line: 0, character: 0 }, end: { line: 10, character: 0 } } }, {
        via: [`${WS}/base`, `${WS}/clusters/prod`],
        fields: [{ path: 'spec.replicas', by: 'replicas', uri: `${WS}/clusters/prod/kustomization.yaml`, range: { start: { line: 4, character: 2 }, end: { line: 4, character: 9 } } },
          { path: 'spec.template.spec.containers[0].image', by: 'images', uri: `${WS}/clusters/prod/kustomization.yaml` }],
      }),
      doc('Secret', 'creds', dLines + 1, dLines + 1 + SECRET.split('\n').length - 1, { uri: `${WS}/base/kustomization.yaml`, generator: 'secretGenerator' }),
    ],
    warnings: [],
    version: 7,
    ...extra,
  };
}

describe('buildPreview', () => {
  it('a header, a `# Source:` comment over each document, bodies in order, Secret values masked', () => {
    const m = buildPreview(result(), opts());
    const lines = m.text.split('\n');
    assert.equal(lines[0], '# Rendered prod (read-only preview)');
    assert.equal(lines[1], '# root; 2 document(s), render 7');
    assert.equal(lines[2], '---');
    assert.equal(lines[3], '# Source: base/deploy.yaml:1 via base > clusters/prod');
    assert.equal(m.documents.length, 2);
    const [d, s] = m.documents;
    assert.equal(d!.headerLine, 3);
    assert.equal(d!.bodyStart, 4);
    assert.equal(lines[d!.bodyStart], 'apiVersion: apps/v1');
    assert.equal(lines[d!.bodyEnd], '---');
    assert.equal(lines[s!.headerLine], '# Source: base/kustomization.yaml (secretGenerator)');
    assert.match(m.text, new RegExp(`password: ${MASK}`));
    assert.match(m.text, new RegExp(`token: ${MASK}`));
    assert.doesNotMatch(m.text, /aHVudGVyMg==|plain/);
    assert.ok(m.text.endsWith('name: creds\n') || m.text.endsWith(`token: ${MASK}\n`));
  });

  it('Secret values shown when masking is off; no source comments when they are off', () => {
    const m = buildPreview(result(), opts({ maskSecrets: false, showSources: false }));
    assert.match(m.text, /password: aHVudGVyMg==/);
    assert.doesNotMatch(m.text, /# Source:/);
    assert.equal(m.documents[0]!.headerLine, m.documents[0]!.bodyStart);
  });

  it('errors (with their place), stale renders, warnings and an external renderer are said in the header', () => {
    const m = buildPreview(result({
      error: { message: 'patch failed:\n  no match', uri: `${WS}/clusters/prod/kustomization.yaml`, range: { start: { line: 8, character: 0 }, end: { line: 8, character: 4 } } },
      stale: true, warnings: [{ message: 'deprecated' }],
      renderer: { name: 'kubectl kustomize', command: 'kubectl', savedFilesOnly: true },
    }), opts());
    const head = m.text.split('---')[0]!;
    assert.match(head, /# ERROR: patch failed: no match \(clusters\/prod\/kustomization\.yaml:9\)/);
    assert.match(head, /# Showing the last successful render\./);
    assert.match(head, /# warning: deprecated/);
    assert.match(head, /# Rendered by kubectl kustomize \(kubectl\) from the saved files: unsaved edits are not included/);
  });

  it('nothing to render yet', () => {
    const m = buildPreview(undefined, opts());
    assert.deepEqual(m.documents, []);
    assert.match(m.text, /Nothing to render/);
  });
});

describe('masking, positions and origins', () => {
  it('maskSecret keeps keys and other fields; leaves text it cannot parse', () => {
    const out = maskSecret(SECRET);
    assert.match(out, /password: <masked>/);
    assert.match(out, /name: creds/);
    assert.equal(maskSecret('a: [\n'), 'a: [\n');
    assert.equal(maskSecret('kind: Secret\n'), 'kind: Secret\n');
  });

  it('documentAt and pathAt: the document and field path under a position (a key on its indentation)', () => {
    const m = buildPreview(result(), opts());
    const d = m.documents[0]!;
    assert.equal(documentAt(m, d.headerLine), d);
    assert.equal(documentAt(m, 0), undefined);
    const lines = d.body.split('\n');
    const replicas = lines.findIndex((l) => l.includes('replicas'));
    assert.deepEqual(pathAt(d.body, replicas, 12), { path: 'spec.replicas', segments: ['spec', 'replicas'] });
    const image = lines.findIndex((l) => l.includes('image'));
    assert.equal(pathAt(d.body, image, 0)?.path, 'spec.template.spec.containers[0].image');
    assert.equal(pathAt(d.body, 99, 0), undefined);
  });

  it('fieldOriginFor takes the field itself or its nearest ancestor a step set', () => {
    const d = result().documents[0]!;
    assert.equal(fieldOriginFor(d, 'spec.replicas')?.by, 'replicas');
    assert.equal(fieldOriginFor(d, 'spec.template.spec.containers[0].image')?.by, 'images');
    assert.equal(fieldOriginFor(d, 'spec.template'), undefined);
    assert.equal(formatPath(['spec', 'containers', 0, 'image']), 'spec.containers[0].image');
  });

  it('sourceComment: file, line, generator, via', () => {
    assert.equal(sourceComment(result().documents[1]!, rel), 'base/kustomization.yaml (secretGenerator)');
  });

  it('locateInSource finds the key line of a path in the document holding nearLine, or its nearest ancestor', () => {
    const text = `kind: A\nmetadata:\n  name: a\n---\nkind: B\nspec:\n  replicas: 1\n  template: {}\n`;
    assert.deepEqual(locateInSource(text, ['spec', 'replicas'], 4), { line: 6, character: 2 });
    assert.deepEqual(locateInSource(text, ['spec', 'missing', 'x'], 4), { line: 5, character: 0 });
    assert.deepEqual(locateInSource(text, ['metadata', 'name'], 0), { line: 2, character: 2 });
  });
});

describe('scroll: anchors across re-renders, the document of a source line', () => {
  it('an anchor keeps the same document and offset when lines are added above it', () => {
    const before = buildPreview(result(), opts());
    const s = before.documents[1]!;
    const a = anchorAt(before, s.bodyStart + 2);
    assert.deepEqual(a, { doc: docKey(s.doc), offset: 3 });
    // A re-render with an error and warnings in the header, and the secret's document further down.
    const after = buildPreview(result({ error: { message: 'x' }, warnings: [{ message: 'w1' }, { message: 'w2' }] }), opts());
    const line = lineOfAnchor(after, a)!;
    assert.equal(line, after.documents[1]!.bodyStart + 2);
    assert.equal(after.text.split('\n')[line], before.text.split('\n')[s.bodyStart + 2]);
  });

  it('the separator belongs to the document below it; header lines stay lines; a vanished document gives undefined; offsets clamp', () => {
    const m = buildPreview(result(), opts());
    const s = m.documents[1]!;
    assert.deepEqual(anchorAt(m, s.headerLine - 1), { doc: docKey(s.doc), offset: -1 });
    assert.deepEqual(anchorAt(m, 1), { line: 1 });
    assert.equal(lineOfAnchor(m, { line: 1 }), 1);
    assert.equal(lineOfAnchor(m, { doc: 'Secret||gone', offset: 2 }), undefined);
    assert.equal(lineOfAnchor(m, { doc: docKey(s.doc), offset: 999 }), s.bodyEnd - 1);
  });

  it('documentForSource: the document whose source starts at or before the line; generated documents are not a file\'s', () => {
    const r = result();
    const two = { ...r.documents[0]!, name: 'web2', origin: { uri: `${WS}/base/deploy.yaml`, range: { start: { line: 12, character: 0 }, end: { line: 20, character: 0 } } } };
    const m = buildPreview({ ...r, documents: [r.documents[0]!, two, r.documents[1]!] }, opts());
    assert.equal(documentForSource(m, `${WS}/base/deploy.yaml`, 3)?.doc.name, 'web');
    assert.equal(documentForSource(m, `${WS}/base/deploy.yaml`, 15)?.doc.name, 'web2');
    assert.equal(documentForSource(m, `${WS}/base/kustomization.yaml`, 0), undefined);
    assert.equal(documentForSource(m, `${WS}/other.yaml`, 0), undefined);
  });
});
