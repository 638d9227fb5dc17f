// The engine runs in a browser: bundled by esbuild for platform 'browser' with every Node
// built-in refused (the build fails if the engine imports one), loaded into headless Chromium
// (Debian's, through playwright-core), rendering a kustomization from a MemoryHost in the page.

import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { parseAllDocuments } from 'yaml';

import { Engine, MemoryHost, renderYaml } from '../../server/src/engine/index';
import { CHROMIUM_ARGS, ensureChromium } from './chromium';
import { BUILD_DIR, EXPECTED_YAML, FILES, ROOT } from './fixture';

const REPO = path.resolve(__dirname, '../..');

/** An esbuild plugin that fails the build on any import of a Node built-in, naming the importer. */
const noNodeBuiltins: esbuild.Plugin = {
  name: 'no-node-builtins',
  setup(b) {
    const names = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    b.onResolve({ filter: /.*/ }, (args) => {
      if (!names.has(args.path) && !args.path.startsWith('node:')) return undefined;
      return { errors: [{ text: `Node built-in '${args.path}' imported by ${path.relative(REPO, args.importer)}: the engine must run in a browser` }] };
    });
  },
};

async function bundle(entry: string): Promise<esbuild.BuildResult & { outputFiles: esbuild.OutputFile[] }> {
  return esbuild.build({
    entryPoints: [entry], bundle: true, write: false, platform: 'browser', format: 'iife', target: 'chrome120',
    plugins: [noNodeBuiltins], logLevel: 'silent', metafile: true,
  });
}

let code = '';
let browser: Browser | undefined;
let page: Page;

const docs = (yaml: string) => parseAllDocuments(yaml).map((d) => d.toJS());

/** Every file of a folder, for a MemoryHost under `mount`. */
function readTree(dir: string, mount: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = path.posix.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else out[`${mount}/${r}`] = fs.readFileSync(path.join(dir, r), 'utf8');
    }
  };
  walk('');
  return out;
}

describe('engine in the browser', () => {
  before(async () => {
    const t0 = Date.now();
    const r = await bundle(path.join(__dirname, 'entry.ts'));
    code = r.outputFiles[0]!.text;
    const inputs = Object.keys(r.metafile!.inputs);
    assert.ok(inputs.some((i) => i.includes('server/src/engine/index.ts')), inputs.join('\n'));
    process.stderr.write(`browser bundle: ${(code.length / 1024).toFixed(0)} KiB from ${inputs.length} inputs in ${Date.now() - t0} ms\n`);
    const t1 = Date.now();
    browser = await chromium.launch({ executablePath: ensureChromium(), headless: true, args: CHROMIUM_ARGS });
    page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.setContent('<!doctype html><title>gitops-lens engine</title>');
    await page.addScriptTag({ content: code });
    assert.deepEqual(errors, []);
    process.stderr.write(`chromium up and bundle loaded in ${Date.now() - t1} ms\n`);
  });
  after(async () => {
    await browser?.close();
  });

  test('the bundle is self-contained (no require of any module)', () => {
    assert.doesNotMatch(code, /\brequire\(\s*["'](?:node:)?[a-z_]+["']\s*\)/);
    assert.ok(code.length > 10_000);
  });

  test('the guard fails the build on a Node built-in', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-lens-browser-'));
    try {
      const entry = path.join(dir, 'bad.ts');
      fs.writeFileSync(entry, "import { readFileSync } from 'node:fs';\nimport * as p from 'path';\nexport const x = [readFileSync, p];\n");
      await assert.rejects(bundle(entry), (e: esbuild.BuildFailure) => {
        const texts = e.errors.map((x) => x.text);
        assert.ok(texts.some((t) => t.includes("Node built-in 'node:fs'")), texts.join('\n'));
        assert.ok(texts.some((t) => t.includes("Node built-in 'path'")), texts.join('\n'));
        return true;
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('renders the fixture kustomization from a MemoryHost inside the page', async () => {
    const files = Object.fromEntries(Object.entries(FILES).map(([p, t]) => [`${ROOT}/${p}`, t]));
    const out = await page.evaluate(({ files, dir }) => {
      const g = (globalThis as any).GitOpsLensEngine;
      const host = new g.MemoryHost(files);
      const result = g.build(host, dir);
      return { yaml: g.renderYaml(result.resources) as string, warnings: result.warnings.length as number, ua: navigator.userAgent };
    }, { files, dir: BUILD_DIR });
    assert.match(out.ua, /HeadlessChrome|Chrome/);
    assert.equal(out.warnings, 0);
    // the same documents as kubectl kustomize printed
    assert.deepStrictEqual(docs(out.yaml), docs(EXPECTED_YAML));
    // and byte for byte what the engine prints under Node
    const node = renderYaml(new Engine(new MemoryHost(files)).build(BUILD_DIR).resources);
    assert.equal(out.yaml, node);
  });

  test('errors cross the page boundary as KustomizeError with a source', async () => {
    const out = await page.evaluate(() => {
      const g = (globalThis as any).GitOpsLensEngine;
      const host = new g.MemoryHost({ '/ws/kustomization.yaml': 'resources:\n- missing.yaml\n' });
      try {
        g.build(host, '/ws');
        return { ok: true };
      } catch (e: any) {
        return { ok: false, isKustomizeError: e instanceof g.KustomizeError, message: String(e.message), file: e.source?.file };
      }
    });
    assert.equal(out.ok, false);
    assert.equal(out.isKustomizeError, true);
    assert.match(String(out.message), /missing\.yaml/);
    assert.equal(out.file, '/ws/kustomization.yaml');
  });

  test('the example repository builds in the page as under Node', async () => {
    const files = readTree(path.join(REPO, 'examples/gitops-repo'), '/gitops-repo');
    const yaml = await page.evaluate(({ files }) => {
      const g = (globalThis as any).GitOpsLensEngine;
      const engine = new g.Engine(new g.MemoryHost(files));
      return ['dev', 'staging', 'prod'].map((env) => g.renderYaml(engine.build(`/gitops-repo/clusters/${env}`).resources) as string);
    }, { files });
    const engine = new Engine(new MemoryHost(files));
    ['dev', 'staging', 'prod'].forEach((env, i) => {
      assert.equal(yaml[i], renderYaml(engine.build(`/gitops-repo/clusters/${env}`).resources), env);
    });
  });
});
