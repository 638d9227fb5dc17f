// A small test harness in the style of kustomize's krusty tests: write a tree of kustomizations and
// resources into a MemoryHost, build a folder with the engine, and compare the result with what
// `kubectl kustomize` printed for the same tree (as YAML documents, structurally and in order).
//
//   const t = harness();
//   t.writeK('overlays/prod', 'namePrefix: p-\nresources:\n- ../../base\n');
//   t.writeF('base/deploy.yaml', deployYaml);
//   t.expectBuild('overlays/prod', expectedYaml);
//   t.expectError('overlays/prod', /no such file/, { file: 'overlays/prod/kustomization.yaml', line: 3 });
//
// Paths given to the harness are relative to its root (default /ws); writeK writes the text as is
// (no apiVersion/kind header is added), so line numbers in expectError are the lines you wrote.

import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';

import { Engine, KustomizeError, MemoryHost, renderYaml, type BuildOptions, type FileHost } from '../../server/src/engine/index';
import type { BuildResult } from '../../server/src/engine/index';
import type { Resource } from '../../server/src/engine/resource';

export interface Built {
  /** The YAML stream `kustomize build` would print. */
  yaml: string;
  resources: Resource[];
  /** The documents of `yaml`, parsed back. */
  docs: unknown[];
  result: BuildResult;
}

export interface ExpectedErrorSource {
  /** The file the error points at, relative to the harness root (or absolute). */
  file?: string;
  /** 1-based line of the error's range start. */
  line?: number;
}

export interface Harness {
  readonly root: string;
  readonly host: MemoryHost;
  /** One engine for the whole harness (its parse cache lives across builds, as in the server). */
  readonly engine: Engine;
  /** Absolute path of a harness-relative path. */
  abs(path: string): string;
  /** Writes `dir/kustomization.yaml`. */
  writeK(dir: string, text: string): Harness;
  /** Writes `dir/kustomization.yaml` for a Component (adds apiVersion and kind in front of `text`). */
  writeC(dir: string, text: string): Harness;
  /** Writes any file. */
  writeF(path: string, text: string): Harness;
  build(dir: string, options?: BuildOptions): Built;
  expectBuild(dir: string, expected: string, options?: BuildOptions): Built;
  expectError(dir: string, message: RegExp, where?: ExpectedErrorSource, options?: BuildOptions): KustomizeError;
}

/** Parses a YAML stream into plain values, one per non-empty document. */
export function yamlDocs(text: string): unknown[] {
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [];
  const out: unknown[] = [];
  for (const d of list) {
    if (d.errors.length) throw new Error(`expected YAML does not parse: ${d.errors[0]!.message}`);
    const v = d.toJS();
    if (v !== null && v !== undefined) out.push(v);
  }
  return out;
}

/** The trimmed, de-indented text of a template literal, so expectations can be indented in tests. */
export function dedent(s: string): string {
  const lines = s.replace(/^\n/, '').replace(/\n\s*$/, '\n').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n');
}

export function harness(opts: { root?: string; host?: MemoryHost; engineHost?: FileHost } = {}): Harness {
  const root = (opts.root ?? '/ws').replace(/\/$/, '');
  const host = opts.host ?? new MemoryHost();
  host.mkdir(root);
  const engine = new Engine(opts.engineHost ?? host);
  const abs = (p: string): string => (p.startsWith('/') ? p : p === '' || p === '.' ? root : `${root}/${p.replace(/^\.\//, '')}`);

  const t: Harness = {
    root,
    host,
    engine,
    abs,
    writeK(dir, text) {
      host.write(`${abs(dir)}/kustomization.yaml`, text);
      return t;
    },
    writeC(dir, text) {
      host.write(`${abs(dir)}/kustomization.yaml`, `apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n${text}`);
      return t;
    },
    writeF(path, text) {
      host.write(abs(path), text);
      return t;
    },
    build(dir, options) {
      const result = engine.build(abs(dir), options);
      const yaml = renderYaml(result.resources);
      return { yaml, resources: result.resources, docs: yamlDocs(yaml), result };
    },
    expectBuild(dir, expected, options) {
      const built = t.build(dir, options);
      const want = yamlDocs(dedent(expected));
      assert.equal(built.docs.length, want.length,
        `expected ${want.length} documents, got ${built.docs.length}:\n${built.yaml}`);
      built.docs.forEach((d, i) => assert.deepStrictEqual(d, want[i], `document ${i + 1} differs; whole output:\n${built.yaml}`));
      return built;
    },
    expectError(dir, message, where = {}, options) {
      let caught: unknown;
      try {
        const built = t.build(dir, options);
        assert.fail(`expected an error matching ${message}, but the build succeeded:\n${built.yaml}`);
      } catch (e) {
        caught = e;
      }
      if (!(caught instanceof KustomizeError)) throw caught;
      assert.match(caught.message, message);
      if (where.file !== undefined) {
        assert.equal(caught.source?.file, abs(where.file), `error source file (message: ${caught.message})`);
      }
      if (where.line !== undefined) {
        assert.ok(caught.source?.range, `error has no range (message: ${caught.message})`);
        assert.equal(caught.source.range.start.line + 1, where.line, `error source line (message: ${caught.message})`);
      }
      return caught;
    },
  };
  return t;
}
