// GitOps Lens end-to-end harness: a real VS Code (code-server, on Node 24) in headless Debian
// Chromium, driven through playwright-core. Prerequisites come from test/e2e/setup.sh, which
// ensureE2E() runs (a no-op when everything is cached).
//
//   const vscode = await launchVSCode({ vsix, workspace, settings });
//   await vscode.run('opens the file', async () => { await vscode.openFile('clusters/prod/kustomization.yaml'); });
//   await vscode.close();
//
// run(step, fn) takes a screenshot after the step (test-results/e2e/<test>/NN-step.png) and, when
// the step fails, prints the code-server log, the extension host log and GitOps Lens's output
// channel logs before rethrowing.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { toolEnv } from '../../scripts/tool-env.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '../..');

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
];

let env;
/** Runs test/e2e/setup.sh (idempotent, cached) and returns the paths it reports. */
export function ensureE2E() {
  if (env) return env;
  const t0 = Date.now();
  const r = spawnSync('bash', [path.join(HERE, 'setup.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: toolEnv() });
  if (r.status !== 0) throw new Error(`test/e2e/setup.sh failed (${r.status})`);
  const file = r.stdout.trim().split('\n').pop();
  env = {};
  for (const m of fs.readFileSync(file, 'utf8').matchAll(/^export (\w+)='([^']*)'$/gm)) env[m[1]] = m[2];
  env.setupMs = Date.now() - t0;
  return env;
}

function tree(dir, re, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) tree(p, re, out);
    else if (re.test(p)) out.push(p);
  }
  return out;
}

/**
 * Starts code-server with the extension (a .vsix installed into a fresh extensions dir, or a
 * folder linked into it) and opens `workspace` in Chromium. Resolves once the explorer shows.
 */
export async function launchVSCode({ vsix, extensionDir, workspace, settings = {}, name = 'e2e', timeoutMs = 90_000 }) {
  const e = ensureE2E();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-lens-e2e-'));
  const mk = (...p) => { const d = path.join(tmp, ...p); fs.mkdirSync(d, { recursive: true }); return d; };
  const extensionsDir = mk('extensions');
  const userData = mk('data');
  const shots = path.join(ROOT, 'test-results/e2e', name);
  fs.rmSync(shots, { recursive: true, force: true });
  fs.mkdirSync(shots, { recursive: true });
  // code-server, VS Code and Chromium write config, logs and caches under HOME and XDG dirs.
  const childEnv = toolEnv({
    HOME: mk('home'), XDG_CONFIG_HOME: mk('xdg/config'), XDG_DATA_HOME: mk('xdg/data'),
    XDG_CACHE_HOME: mk('xdg/cache'),
  });
  const config = path.join(tmp, 'config.yaml');
  fs.writeFileSync(config, 'auth: none\n');
  const csArgs = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extensionsDir];
  const timings = { setupMs: e.setupMs };

  if (vsix) {
    const t0 = Date.now();
    execFileSync(e.GITOPS_LENS_E2E_NODE, [e.GITOPS_LENS_E2E_CODE_SERVER, ...csArgs, '--install-extension', vsix],
      { env: childEnv, stdio: 'pipe' });
    timings.installMs = Date.now() - t0;
  } else if (extensionDir) {
    const m = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8'));
    fs.symlinkSync(path.resolve(extensionDir), path.join(extensionsDir, `${m.publisher}.${m.name}-${m.version}`));
  }
  fs.writeFileSync(path.join(mk('data', 'User'), 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'chat.disableAIFeatures': true, 'security.workspace.trust.enabled': false,
    'extensions.autoUpdate': false, 'extensions.autoCheckUpdates': false, 'telemetry.telemetryLevel': 'off',
    'workbench.tips.enabled': false, 'update.mode': 'none', 'workbench.secondarySideBar.defaultVisibility': 'hidden',
    // updateSettings types settings.json in the editor: nothing may be auto-closed or re-indented there.
    '[jsonc]': { 'editor.autoClosingBrackets': 'never', 'editor.autoClosingQuotes': 'never', 'editor.autoIndent': 'none', 'editor.formatOnType': false, 'editor.autoSurround': 'never' },
    ...settings,
  }, null, 2));

  const t0 = Date.now();
  const server = spawn(e.GITOPS_LENS_E2E_NODE, [e.GITOPS_LENS_E2E_CODE_SERVER, ...csArgs, '--bind-addr', '127.0.0.1:0',
    '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', path.resolve(workspace)],
  { env: childEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }); // its own process group: it forks
  let serverLog = '';
  const stopServer = () => { try { process.kill(-server.pid, 'SIGTERM'); } catch { /* gone */ } };
  process.once('exit', stopServer);
  // A killed test run skips exit hooks: a detached watchdog takes code-server down then.
  spawn(process.execPath, [fileURLToPath(new URL('./watchdog.mjs', import.meta.url)), String(process.pid), String(server.pid)],
    { detached: true, stdio: 'ignore' }).unref();
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not listen within ${timeoutMs} ms:\n${serverLog}`)), timeoutMs);
    const onData = (d) => {
      serverLog += d;
      const m = serverLog.match(/HTTP server listening on (http:\/\/[^\s/]+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.once('exit', (code) => { clearTimeout(timer); reject(new Error(`code-server exited (${code}):\n${serverLog}`)); });
  });
  timings.listenMs = Date.now() - t0;

  const context = await chromium.launchPersistentContext(mk('chromium'), {
    executablePath: e.GITOPS_LENS_E2E_CHROMIUM, headless: true, env: childEnv, viewport: { width: 1400, height: 900 },
    args: CHROMIUM_ARGS,
  });
  const page = context.pages()[0] ?? await context.newPage();
  const consoleErrors = [];
  page.on('pageerror', (err) => consoleErrors.push(String(err)));
  let shot = 0;

  const vscode = {
    page, url, tmp, extensionsDir, userData, timings, consoleErrors,
    serverLog: () => serverLog,
    /** Saves test-results/e2e/<name>/NN-<step>.png and returns its path. */
    async screenshot(step) {
      const file = path.join(shots, `${String(++shot).padStart(2, '0')}-${step.replace(/[^\w.-]+/g, '-')}.png`);
      await page.screenshot({ path: file }).catch(() => {});
      return file;
    },
    openFile: (rel) => openFile(page, rel),
    /**
     * Changes user settings as a user does, in VS Code's settings.json editor (saved through VS Code:
     * code-server does not notice when another process writes the file). Resolves once it is saved.
     */
    async updateSettings(patch) {
      const file = path.join(userData, 'User', 'settings.json');
      const next = { ...JSON.parse(fs.readFileSync(file, 'utf8')), ...patch };
      await runCommand(page, 'Preferences: Open User Settings (JSON)');
      const editor = page.locator('.monaco-editor', { has: page.locator('.view-line', { hasText: 'workbench.startupEditor' }) }).first();
      await editor.waitFor();
      await editor.locator('.view-lines').click();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      await page.keyboard.insertText(JSON.stringify(next));
      await page.keyboard.press('Control+S');
      const want = JSON.stringify(next);
      for (let i = 0; ; i++) {
        let now;
        try { now = JSON.stringify(JSON.parse(fs.readFileSync(file, 'utf8'))); } catch { now = undefined; }
        if (now === want) break;
        if (i > 50) throw new Error(`settings.json was not saved as ${want}:\n${fs.readFileSync(file, 'utf8')}`);
        await page.waitForTimeout(100);
      }
      // VS Code 1.139 opens settings.json in a modal editor: Escape closes it. The file on disk was
      // checked above; if VS Code still asks about unsaved changes in the buffer (seen when several
      // suites run in a row), keep what is on disk.
      await page.keyboard.press('Escape');
      const dontSave = page.locator('.monaco-dialog-box .monaco-button', { hasText: "Don't Save" });
      await Promise.race([
        editor.waitFor({ state: 'detached', timeout: 10_000 }),
        dontSave.waitFor({ timeout: 10_000 }).then(() => dontSave.click()),
      ]).catch(() => {});
      await editor.waitFor({ state: 'detached', timeout: 10_000 });
    },
    runCommand: (title) => runCommand(page, title),
    /** Logs VS Code wrote: the extension host's and every output channel's (incl. GitOps Lens's server). */
    logs() {
      const files = tree(path.join(userData, 'logs'), /(exthost\.log|remoteexthost\.log|output_logging_[^/]*\/.*\.log|exthost\d*\/[^/]+\.[^/]+\/[^/]+\.log)$/);
      return files.map((f) => `--- ${path.relative(userData, f)}\n${fs.readFileSync(f, 'utf8')}`).join('\n');
    },
    /** Runs one step; screenshot after it; on failure prints the logs, then rethrows. */
    async run(step, fn) {
      try {
        const r = await fn();
        await vscode.screenshot(step);
        return r;
      } catch (err) {
        const png = await vscode.screenshot(`FAILED-${step}`);
        process.stderr.write(`\n=== e2e step '${step}' failed: ${err?.message ?? err}\nscreenshot: ${png}\n`
          + `=== code-server log\n${serverLog}\n=== VS Code logs\n${vscode.logs()}\n`
          + (consoleErrors.length ? `=== page errors\n${consoleErrors.join('\n')}\n` : ''));
        throw err;
      }
    },
    async close() {
      await context.close().catch(() => {});
      stopServer();
      process.removeListener('exit', stopServer);
      await new Promise((r) => setTimeout(r, 200));
      fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
    },
  };

  try {
    await page.goto(`${url}/?folder=${encodeURIComponent(path.resolve(workspace))}`);
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: timeoutMs });
    timings.workbenchMs = Date.now() - t0;
  } catch (err) {
    await vscode.screenshot('FAILED-launch');
    process.stderr.write(`=== workbench did not come up: ${err.message}\n=== code-server log\n${serverLog}\n=== VS Code logs\n${vscode.logs()}\n`);
    await vscode.close();
    throw err;
  }
  return vscode;
}

/** Opens a workspace file with Quick Open (Ctrl+P), as a user would; waits for its tab. */
export async function openFile(page, rel) {
  const base = path.basename(rel);
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget');
  await input.waitFor({ state: 'visible' });
  await page.keyboard.type(rel);
  // Quick Open lists the file by name with its folder as description: pick the row for this path.
  const dir = path.dirname(rel);
  const rows = input.locator('.monaco-list-row', { hasText: base });
  await rows.first().waitFor();
  const row = dir === '.' ? rows.first() : rows.filter({ hasText: dir }).first();
  await row.click();
  await page.locator('.tab.active', { hasText: base }).waitFor();
  await page.locator('.editor-instance .view-lines').first().waitFor();
}

/** Runs a command by its title through the Command Palette (F1). */
export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget');
  await input.waitFor({ state: 'visible' });
  await page.keyboard.type(title);
  const row = input.locator('.monaco-list-row', { hasText: title }).first();
  await row.waitFor();
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

/** The visible lines of the active editor in order (Monaco positions lines absolutely; nbsp -> space). */
export async function editorText(page) {
  return page.locator('.editor-instance .view-lines').first().evaluate((el) =>
    [...el.querySelectorAll('.view-line')]
      .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
      .map((l) => l.textContent.replace(/\u00a0/g, ' ')));
}
