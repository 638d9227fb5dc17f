#!/usr/bin/env node
// `npm start`: builds the extension and opens examples/gitops-repo (as a repository of its own, so
// its Flux and Argo CD paths resolve) in VS Code with the extension loaded from this folder.
//  - with a local `code` on PATH: `code --extensionDevelopmentPath=<repo> examples/gitops-repo`;
//  - otherwise (a headless machine): code-server on 127.0.0.1, set up by test/e2e/setup.sh (cached),
//    with this folder linked in as the extension; prints the URL to open and what to try.
// PORT=<n> picks the port (default 8080, or any free one when that is taken).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { toolEnv } from './tool-env.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = path.join(ROOT, 'examples/gitops-repo');
const STATE = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'gitops-lens', 'start');
// The example is a repository of its own: its Flux and Argo CD paths are relative to its root. Inside
// this project's checkout the enclosing .git would be taken as that root, so it opens from a fresh
// copy with its own git repository (edits there never touch the project).
const EXAMPLE = path.join(STATE, 'gitops-repo');
const say = (s) => process.stdout.write(`${s}\n`);

const TRY = `
What to try (in the example repository):
  1. Open clusters/prod/kustomization.yaml, then "GitOps Lens: Open Rendered Preview to the Side"
     (the preview icon in the editor title bar, or Ctrl+K V). Edit a value, e.g. the replicas count in
     apps/web/overlays/prod/kustomization.yaml, without saving: the preview follows.
  2. In the preview, Ctrl+click (or F12) a field such as an image or replicas: it jumps to the line
     that set it. Hover a field to see which kustomization step set it.
  3. Open apps/web/base/deployment.yaml and the preview: pick the environment to render the base in.
  4. The GitOps Lens activity bar icon: environments (clusters/dev, staging, prod and the apps'
     overlays), their resources by kind; click one to open it in the preview.
  5. "GitOps Lens: Compare Environments…": staging vs prod in the diff editor.
  6. Break a patch target (e.g. name: web -> name: webb in apps/web/overlays/prod/kustomization.yaml):
     see the Problems panel and the quick fix. The status bar shows the active file's environments.
`;

function copyExample() {
  fs.rmSync(EXAMPLE, { recursive: true, force: true });
  fs.mkdirSync(STATE, { recursive: true });
  fs.cpSync(SOURCE, EXAMPLE, { recursive: true });
  const git = (...args) => spawnSync('git', args, { cwd: EXAMPLE, stdio: 'ignore', env: {
    ...process.env, GIT_AUTHOR_NAME: 'GitOps Lens', GIT_AUTHOR_EMAIL: 'example@gitops-lens.invalid',
    GIT_COMMITTER_NAME: 'GitOps Lens', GIT_COMMITTER_EMAIL: 'example@gitops-lens.invalid' } });
  if (git('init', '-q', '-b', 'main').status === 0) { git('add', '-A'); git('commit', '-q', '-m', 'The example GitOps repository'); } else fs.mkdirSync(path.join(EXAMPLE, '.git')); // no git: a marker is enough to make it the repository root
  say(`The example repository (a fresh copy of examples/gitops-repo): ${EXAMPLE}`);
}

function build() {
  say('Building the extension (npm run build)…');
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) { say('The build failed.'); process.exit(1); }
}

function onPath(cmd) {
  return (process.env.PATH ?? '').split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, cmd)));
}

function freePort(port) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

async function withCodeServer() {
  const { ensureE2E } = await import('../test/e2e/harness.mjs');
  say('No `code` on PATH: starting a browser VS Code (code-server). First run sets it up (~2 min, cached)…');
  const e = ensureE2E();
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const state = STATE;
  const extensions = path.join(state, 'extensions');
  const userData = path.join(state, 'data');
  // A fresh extensions dir each time (VS Code records what it saw in extensions.json).
  fs.rmSync(extensions, { recursive: true, force: true });
  fs.mkdirSync(extensions, { recursive: true });
  fs.symlinkSync(ROOT, path.join(extensions, `${manifest.publisher}.${manifest.name}-${manifest.version}`));
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  const settingsFile = path.join(userData, 'User', 'settings.json');
  if (!fs.existsSync(settingsFile)) {
    fs.writeFileSync(settingsFile, JSON.stringify({
      'workbench.startupEditor': 'none', 'chat.disableAIFeatures': true, 'security.workspace.trust.enabled': false,
      'extensions.autoUpdate': false, 'extensions.autoCheckUpdates': false, 'telemetry.telemetryLevel': 'off', 'update.mode': 'none',
    }, null, 2));
  }
  const config = path.join(state, 'config.yaml');
  fs.writeFileSync(config, 'auth: none\n');
  const wanted = Number(process.env.PORT ?? 8080);
  const port = (await freePort(wanted)) ? wanted : 0;
  const child = spawn(e.GITOPS_LENS_E2E_NODE, [e.GITOPS_LENS_E2E_CODE_SERVER, '--config', config, '--user-data-dir', userData,
    '--extensions-dir', extensions, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry',
    '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', EXAMPLE],
  { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: toolEnv() });
  const stop = () => { try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ } };
  process.on('SIGINT', () => { stop(); process.exit(0); });
  process.on('SIGTERM', () => { stop(); process.exit(0); });
  let log = '';
  let shown = false;
  const onData = (d) => {
    log += d;
    const m = !shown && log.match(/HTTP server listening on (http:\/\/[^\s/]+)/);
    if (m) {
      shown = true;
      say(`\nOpen ${m[1]}/?folder=${encodeURIComponent(EXAMPLE)}\n(GitOps Lens is loaded from ${ROOT}; code-server log: ${path.join(state, 'code-server.log')})`);
      say(TRY);
      say('Ctrl+C stops it.');
    }
    fs.appendFileSync(path.join(state, 'code-server.log'), d);
  };
  fs.writeFileSync(path.join(state, 'code-server.log'), '');
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  child.on('exit', (code) => {
    if (!shown) say(`code-server exited (${code}) before listening:\n${log}`);
    process.exit(code ?? 1);
  });
}

build();
copyExample();
if (onPath('code') && !process.env.GITOPS_LENS_START_CODE_SERVER) {
  say(`Opening ${EXAMPLE} in VS Code with the extension from ${ROOT}…`);
  const r = spawnSync('code', [`--extensionDevelopmentPath=${ROOT}`, EXAMPLE], { stdio: 'inherit' });
  say(TRY);
  process.exit(r.status ?? 0);
} else {
  await withCodeServer();
}
