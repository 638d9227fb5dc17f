// Remote bases and files, against a Git server and plain files served on 127.0.0.1 (git-server.mjs):
// with --enable-remote the CLI builds byte-identical to `kubectl kustomize` for each form of remote
// entry kustomize accepts; a pinned ref is fetched once; with fetching off nothing asks the network
// (neither the CLI nor the language server); and the language server, once the setting is on,
// fetches in the background and renders what kubectl renders.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { renderEnvironment } from '../../server/src/features/render';
import { diskIO } from '../../server/src/workspace/disk-io';
import { readSettings } from '../../server/src/workspace/settings';
import { Workspace } from '../../server/src/workspace/workspace';
import { ensureBuilt, repo } from '../server/lsp';
// @ts-expect-error -- plain JS helper without declarations
import { startGitServer } from './git-server.mjs';

interface GitServer { url: string; requests: string[]; pages(on: boolean): void; stop(): Promise<void> }

const cm = (name: string, data: Record<string, string>) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n${Object.entries(data).map(([k, v]) => `  ${k}: ${v}\n`).join('')}`;
const deploy = (name: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.25\n`;

const PLATFORM = (tag: string) => ({
  'kustomization.yaml': 'resources:\n- base\ncommonAnnotations:\n  from: repo-root\n',
  'base/kustomization.yaml': 'resources:\n- deploy.yaml\n- settings.yaml\nlabels:\n- pairs:\n    part-of: platform\n',
  'base/deploy.yaml': deploy('web'),
  'base/settings.yaml': cm('settings', { release: tag }),
  'overlays/shared/kustomization.yaml': 'resources:\n- ../../base\nnamePrefix: shared-\nreplicas:\n- name: web\n  count: 3\n',
  'components/labels/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nlabels:\n- pairs:\n    team: platform\n',
  'generated/kustomization.yaml': 'configMapGenerator:\n- name: generated\n  literals:\n  - tag=' + tag + '\n',
});

let server: GitServer;
let tmp: string;
const cacheHome = () => path.join(tmp, 'cache');

const run = (cmd: string, args: string[], env: Record<string, string> = {}) => new Promise<{ code: number; out: string; err: string }>((resolve) => {
  execFile(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env } }, (e, out, err) => resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, out, err }));
});
const cli = (dir: string, ...flags: string[]) => run(process.execPath, [path.join(repo, 'dist', 'cli.js'), 'build', ...flags, dir], { XDG_CACHE_HOME: cacheHome() });

/** A local kustomization folder (under the test's temporary folder) with these files. */
function local(name: string, files: Record<string, string>): string {
  const dir = path.join(tmp, 'local', name);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const cases = (url: string): Record<string, Record<string, string>> => ({
  'tag-and-path': { 'kustomization.yaml': `resources:\n- ${url}/platform.git//base?ref=v1\nnamePrefix: x-\n` },
  'branch-by-version': { 'kustomization.yaml': `resources:\n- ${url}/platform.git//base?version=main\n` },
  'git-prefix-overlay-reaching-up-in-the-repo': { 'kustomization.yaml': `resources:\n- git::${url}/platform.git//overlays/shared?ref=v1\n` },
  'repository-top': { 'kustomization.yaml': `resources:\n- ${url}/platform.git?ref=v1\n` },
  'plain-http-file-and-patch': { 'kustomization.yaml': `resources:\n- ${url}/raw/extra.yaml\n- local.yaml\npatches:\n- path: ${url}/raw/patch.yaml\n`, 'local.yaml': cm('local', { a: 'b' }) },
  'origin-annotations': { 'kustomization.yaml': `resources:\n- ${url}/platform.git//generated?ref=v1\n- ${url}/platform.git?ref=v1\nbuildMetadata: [originAnnotations]\n` },
  'remote-component': { 'kustomization.yaml': `resources:\n- ${url}/platform.git//base?ref=v1\ncomponents:\n- ${url}/platform.git//components/labels?ref=v1\n` },
});

before(async () => {
  ensureBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-lens-remote-'));
  server = await startGitServer({
    repos: { platform: [{ ref: 'v1', tag: true, files: PLATFORM('v1') }, { ref: 'main', files: PLATFORM('main') }] },
    raw: { 'extra.yaml': cm('extra', { from: 'http' }), 'patch.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  patched: "yes"\n' },
  });
});
after(async () => {
  await server?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('remote bases and files', () => {
  it('--enable-remote builds every form byte-identical to kubectl kustomize', async () => {
    for (const [name, files] of Object.entries(cases(server.url))) {
      const dir = local(name, files);
      const want = await run('kubectl', ['kustomize', dir]);
      assert.equal(want.code, 0, `${name}: kubectl: ${want.err}`);
      const got = await cli(dir, '--enable-remote');
      assert.equal(got.err, '', name);
      assert.equal(got.out, want.out, name);
    }
  });

  it('a repository URL that answers a web page (as a Git hosting site does) builds from the checkout, as kubectl does', async () => {
    server.pages(true);
    try {
      const dir = local('web-page', { 'kustomization.yaml': `resources:\n- ${server.url}/platform.git//overlays/shared?ref=v1\n` });
      const want = await run('kubectl', ['kustomize', dir]);
      assert.equal(want.code, 0, want.err);
      const got = await cli(dir, '--enable-remote');
      assert.equal(got.err, '');
      assert.equal(got.out, want.out);
    } finally {
      server.pages(false);
    }
  });

  it('a pinned ref is fetched once: the second build asks the server nothing', async () => {
    const dir = local('pinned', cases(server.url)['tag-and-path']!);
    const first = await cli(dir, '--enable-remote');
    const asked = server.requests.length;
    const second = await cli(dir, '--enable-remote');
    assert.equal(second.out, first.out);
    assert.deepEqual(server.requests.slice(asked), []);
  });

  it('with fetching off nothing asks the network: the CLI says what is not fetched and how to fetch it', async () => {
    const asked = server.requests.length;
    const out: string[] = [];
    for (const [name, files] of Object.entries(cases(server.url))) {
      const got = await cli(local(`off-${name}`, files));
      out.push(`${name}: exit ${got.code}: ${got.err.trim().replace(tmp, '<tmp>').replace(server.url, '<server>')}`);
    }
    assert.deepEqual(server.requests.slice(asked), []);
    assert.deepEqual(out, [
      "tag-and-path: exit 1: Error: <tmp>/local/off-tag-and-path/kustomization.yaml:2:3: remote resource '<server>/platform.git//base?ref=v1' is not fetched: remote fetching is off (--enable-remote fetches it)",
      "branch-by-version: exit 1: Error: <tmp>/local/off-branch-by-version/kustomization.yaml:2:3: remote resource '<server>/platform.git//base?version=main' is not fetched: remote fetching is off (--enable-remote fetches it)",
      "git-prefix-overlay-reaching-up-in-the-repo: exit 1: Error: <tmp>/local/off-git-prefix-overlay-reaching-up-in-the-repo/kustomization.yaml:2:3: remote resource 'git::<server>/platform.git//overlays/shared?ref=v1' is not fetched: remote fetching is off (--enable-remote fetches it)",
      "repository-top: exit 1: Error: <tmp>/local/off-repository-top/kustomization.yaml:2:3: remote resource '<server>/platform.git?ref=v1' is not fetched: remote fetching is off (--enable-remote fetches it)",
      "plain-http-file-and-patch: exit 1: Error: <tmp>/local/off-plain-http-file-and-patch/kustomization.yaml:2:3: remote resource '<server>/raw/extra.yaml' is not fetched: remote fetching is off (--enable-remote fetches it)",
      "origin-annotations: exit 1: Error: <tmp>/local/off-origin-annotations/kustomization.yaml:2:3: remote resource '<server>/platform.git//generated?ref=v1' is not fetched: remote fetching is off (--enable-remote fetches it)",
      "remote-component: exit 1: Error: <tmp>/local/off-remote-component/kustomization.yaml:2:3: remote resource '<server>/platform.git//base?ref=v1' is not fetched: remote fetching is off (--enable-remote fetches it)",
    ]);
  });

  it('the language server: off, nothing is fetched and the render says it is incomplete; on, it fetches in the background and renders what kubectl renders', async () => {
    const folder = path.join(tmp, 'editor');
    const dir = path.join(folder, 'env');
    for (const [rel, text] of Object.entries(cases(server.url)['git-prefix-overlay-reaching-up-in-the-repo']!)) { fs.mkdirSync(dir, { recursive: true }); fs.writeFileSync(path.join(dir, rel), text); }
    const before = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = path.join(tmp, 'editor-cache');
    const progress: string[] = [];
    try {
      const asked = server.requests.length;
      const ws = new Workspace(diskIO(), { debounceMs: 0, onRemoteProgress: (what, state) => progress.push(`${state} ${what.replace(server.url, '<server>')}`) });
      ws.addFolder(pathToFileURL(folder).href, folder);
      ws.renderAll();
      await ws.idle();
      assert.deepEqual(ws.renders.get(dir)!.errors.map((e) => `${e.missing?.kind}: ${e.message.replace(server.url, '<server>')}`), ["remote: remote resource 'git::<server>/platform.git//overlays/shared?ref=v1' is not fetched: remote fetching is off"]);
      assert.deepEqual(server.requests.slice(asked), [], 'nothing asked while fetching is off');
      ws.applySettings(readSettings({ gitopsLens: { remote: { enabled: true } } }, ws.settings));
      for (let i = 0; i < 600 && (!ws.isIdle() || ws.renders.get(dir)!.errors.length); i++) await new Promise((r) => setTimeout(r, 50));
      const want = await run('kubectl', ['kustomize', dir]);
      assert.equal(renderEnvironment(ws, { environment: 'env', maskSecrets: false })!.yaml, want.out);
      assert.deepEqual(progress, ['start <server>/platform.git v1', 'done <server>/platform.git v1']);
    } finally {
      if (before === undefined) delete process.env.XDG_CACHE_HOME; else process.env.XDG_CACHE_HOME = before;
    }
  });
});
