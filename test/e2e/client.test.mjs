// The client in a real VS Code (code-server + headless Chromium), installed from the .vsix that
// `npm run package` makes, on a copy of examples/gitops-repo opened as a repository of its own.
// One session for the whole file (each step screenshots to test-results/e2e/client/; a failing step
// prints the code-server log, the extension host log and the server's output channel).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { editorText, launchVSCode, ROOT } from './harness.mjs';
import { makeVsix } from '../package/vsix.mjs';

let vscode;
let page;
let workspace;
const times = [];
const t0 = Date.now();

/** The editor group whose active tab's title matches `title`. */
const group = (title) => page.locator('.editor-group-container').filter({ has: page.locator('.tab.active', { hasText: title }) }).first();

/** Uses the editor's find widget (Ctrl+F) in the group showing `title`: returns "1 of 2" or "No results". */
async function find(title, text) {
  const g = group(title);
  await g.locator('.tab.active').first().click(); // focuses that group's editor
  await page.keyboard.press('Control+F');
  const widget = g.locator('.find-widget.visible');
  await widget.waitFor();
  await setFindRegex(widget, false); // the options persist between searches (one step turns regex on)
  const input = widget.locator('textarea, input').first();
  await input.fill(''); // the same text again would not search again
  await input.fill(text);
  const count = widget.locator('.matchesCount');
  await page.waitForTimeout(150);
  const result = (await count.innerText()).trim();
  await page.keyboard.press('Escape');
  return result;
}

/** Turns the find widget's regular-expression toggle on or off (it keeps its state between searches). */
async function setFindRegex(widget, on) {
  const toggle = widget.locator('.codicon-regex').first();
  if (((await toggle.getAttribute('aria-checked')) === 'true') !== on) await toggle.click();
  await widget.locator(`.codicon-regex[aria-checked="${on}"]`).first().waitFor();
}

/** Polls `find` until `ok(result)` holds (the preview re-renders asynchronously). */
async function waitFind(title, text, ok, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await find(title, text);
    if (ok(last)) return last;
    if (Date.now() > end) throw new Error(`find '${text}' in '${title}': still '${last}' after ${timeoutMs} ms`);
    await page.waitForTimeout(400);
  }
}
const found = (r) => /\d+ of \d+/.test(r) && !/^0 of/.test(r);
const notFound = (r) => /No results|^0 of/.test(r);

/** Puts the cursor on the first line of the group's editor containing `text`, at the end of it (or after `after`). */
async function cursorOn(title, text) {
  const g = group(title);
  const line = g.locator('.view-line', { hasText: text }).first();
  await line.waitFor();
  await line.click();
  await page.keyboard.press('End');
}

async function step(name, fn) {
  const s = Date.now();
  try { return await vscode.run(name, fn); } finally { times.push(`${name} ${((Date.now() - s) / 1000).toFixed(1)}s`); }
}

function serverPids() {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes(vscode.extensionsDir) && l.includes('dist/server.js')).map((l) => Number(l.trim().split(/\s+/)[0]));
}

/** Runs a command that opens a quick pick of its own (the harness's runCommand waits for the palette to close). */
async function runPickingCommand(title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget');
  await input.waitFor({ state: 'visible' });
  await page.keyboard.type(title);
  await input.locator('.monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Picks the row with `text` in our quick pick (waits until the pick lists it before typing). */
async function quickPick(text) {
  const input = page.locator('.quick-input-widget');
  await input.locator('.monaco-list-row', { hasText: text }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.type(text);
  await page.waitForTimeout(100);
  await input.locator('.monaco-list-row.focused', { hasText: text }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Closes every editor (discarding unsaved edits), so each test starts from one editor group. */
async function closeAll() {
  await vscode.runCommand('View: Close All Editor Groups');
  const dontSave = page.locator('.monaco-dialog-box button, .dialog-buttons a', { hasText: "Don't Save" }).first();
  for (let i = 0; i < 10; i++) {
    if (!(await dontSave.isVisible().catch(() => false))) { await page.waitForTimeout(300); if (!(await dontSave.isVisible().catch(() => false))) break; }
    // The dialog can close (or be replaced by the next editor's) between the check and the click.
    await dontSave.click({ timeout: 2000 }).catch(() => {});
  }
  await page.locator('.tab').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
}

/** The breadcrumbs (folder path) of the active editor group. */
async function activeBreadcrumbs() {
  return (await page.locator('.editor-group-container.active .breadcrumbs-control').first().innerText()).replace(/\s+/g, ' ');
}

describe('e2e client: preview, diagnostics, completion, compare, environments, status bar, settings, restart', () => {
  before(async () => {
    const made = makeVsix();
    workspace = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-lens-e2e-ws-')), 'gitops-repo');
    fs.cpSync(path.join(ROOT, 'examples/gitops-repo'), workspace, { recursive: true });
    fs.mkdirSync(path.join(workspace, '.git')); // its own repository root: Flux/Argo CD paths are relative to it
    // A deprecated field to fix (kustomize edit fix moves `bases` into `resources`).
    const dev = path.join(workspace, 'apps/api/overlays/dev/kustomization.yaml');
    fs.writeFileSync(dev, fs.readFileSync(dev, 'utf8').replace('resources:\n  - ../../base', 'bases:\n  - ../../base'));
    vscode = await launchVSCode({ vsix: made.vsix, workspace, name: 'client', settings: { 'editor.minimap.enabled': false, 'workbench.editor.enablePreview': false, 'files.autoSave': 'off' } });
    page = vscode.page;
    times.push(`launch ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  });
  after(async () => {
    await vscode?.close();
    if (workspace) fs.rmSync(path.dirname(workspace), { recursive: true, force: true });
    process.stderr.write(`client e2e: ${((Date.now() - t0) / 1000).toFixed(1)}s in all; ${times.join(', ')}\n`);
  });

  test('installed from the .vsix (the packaged client and server)', async () => {
    await step('installed', async () => {
      const dirs = fs.readdirSync(vscode.extensionsDir).filter((d) => d.startsWith('gitops-lens.gitops-lens-'));
      assert.equal(dirs.length, 1);
      assert.ok(!fs.lstatSync(path.join(vscode.extensionsDir, dirs[0])).isSymbolicLink(), 'installed, not linked');
      const dir = path.join(vscode.extensionsDir, dirs[0]);
      assert.ok(fs.existsSync(path.join(dir, 'dist/client.js')) && fs.existsSync(path.join(dir, 'dist/server.js')));
    });
  });

  test('the preview of an environment shows its render and follows unsaved edits', async () => {
    await step('open-environment', () => vscode.openFile('clusters/staging/kustomization.yaml'));
    await step('open-preview-to-side', async () => {
      await vscode.runCommand('GitOps Lens: Open Rendered Preview to the Side');
      await page.locator('.tab', { hasText: 'rendered.yaml' }).first().waitFor();
      await group('rendered.yaml').locator('.view-line', { hasText: 'kind:' }).first().waitFor();
      assert.equal(await page.locator('.tab', { hasText: 'rendered.yaml' }).count(), 1);
      assert.ok(found(await find('rendered.yaml', 'example.com/cluster: staging')));
      assert.ok(found(await find('rendered.yaml', '# Source: apps/web/base/deployment.yaml')));
      assert.ok(found(await find('rendered.yaml', ' replicas: 2')));
    });
    await step('edit-unsaved', async () => {
      await cursorOn('kustomization.yaml', 'example.com/cluster: staging');
      await page.keyboard.type('-eu');
      await waitFind('rendered.yaml', 'example.com/cluster: staging-eu', found);
      await page.locator('.tab.dirty', { hasText: 'kustomization.yaml' }).waitFor();
      assert.doesNotMatch(fs.readFileSync(path.join(workspace, 'clusters/staging/kustomization.yaml'), 'utf8'), /staging-eu/);
    });
  });

  test('go-to-definition in the preview jumps to the line that set the field', async () => {
    await step('definition-from-preview', async () => {
      const g = group('rendered.yaml');
      await g.locator('.tab.active').first().click();
      // ' replicas: 2' is in the api and the web Deployments, and find starts at wherever the earlier
      // steps left the cursor: a multi-line regex names the web Deployment's line alone.
      await page.keyboard.press('Control+F');
      const widget = g.locator('.find-widget.visible');
      await setFindRegex(widget, true);
      await widget.locator('textarea, input').first().fill('');
      await widget.locator('textarea, input').first().fill('namespace: web\\nspec:\\n  replicas: 2');
      await widget.locator('.matchesCount', { hasText: /^1 of 1$/ }).waitFor();
      await page.keyboard.press('Enter');
      await page.keyboard.press('Escape');
      await page.keyboard.press('End'); // on the value `2` (the match ends on the replicas line)
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('F12');
      // the staging overlay's kustomization, on its replicas entry (lines 9-11)
      await page.waitForFunction(() => [...document.querySelectorAll('.editor-group-container.active .breadcrumbs-control')].some((e) => /overlays.*staging/.test(e.textContent ?? '')), null, { timeout: 10_000 });
      await page.waitForFunction(() => [...document.querySelectorAll('.statusbar-item')].some((e) => /Ln (9|10|11),/.test(e.textContent ?? '')), null, { timeout: 10_000 });
      assert.match(await activeBreadcrumbs(), /web.*overlays.*staging.*kustomization\.yaml/);
    });
  });

  test('the preview of an overlay follows an unsaved replica count edit', async () => {
    await closeAll();
    await step('open-overlay', () => vscode.openFile('apps/web/overlays/prod/kustomization.yaml'));
    await step('overlay-preview', async () => {
      await vscode.runCommand('GitOps Lens: Open Rendered Preview to the Side');
      await group('rendered.yaml').locator('.view-line', { hasText: 'kind:' }).first().waitFor();
      assert.match(await find('rendered.yaml', ' replicas: 4'), /^1 of 1$/);
    });
    await step('overlay-edit-replicas', async () => {
      await cursorOn('kustomization.yaml', 'count: 4');
      await page.keyboard.press('Backspace');
      await page.keyboard.type('7');
      await waitFind('rendered.yaml', ' replicas: 7', found, 8000);
    });
  });

  test('completion in patches[].target.name lists the base resources', async () => {
    await closeAll();
    await step('completion-target-name', async () => {
      await vscode.openFile('apps/web/overlays/prod/kustomization.yaml');
      await cursorOn('kustomization.yaml', 'kind: Deployment');
      await page.keyboard.press('ArrowDown'); // patches[1].target.name: web
      await page.keyboard.press('End');
      for (let i = 0; i < 3; i++) await page.keyboard.press('Backspace');
      await page.keyboard.press('Control+Space');
      const rows = page.locator('.suggest-widget.visible .monaco-list-row');
      await rows.first().waitFor({ timeout: 10_000 });
      const labels = await rows.allInnerTexts();
      assert.ok(labels.some((l) => /^web\b/.test(l.trim())), labels.join(' | '));
      await page.keyboard.press('Escape');
    });
  });

  test('a broken patch target shows in the Problems panel at its line', async () => {
    await step('break-patch-target', async () => {
      await page.keyboard.type('webb');
      await page.keyboard.press('Control+Shift+M');
      const marker = page.locator('.markers-panel .monaco-list-row', { hasText: 'selects nothing' }).first();
      await marker.waitFor({ timeout: 15_000 });
      const text = await marker.innerText();
      assert.match(text, /\[Ln 18, Col \d+\]/, text); // the `- target:` line of the patch
      // put it back, as typed (still unsaved)
      await cursorOn('kustomization.yaml', 'name: webb');
      await page.keyboard.press('Backspace');
      await marker.waitFor({ state: 'detached', timeout: 15_000 });
    });
  });

  test('the quick fix for a deprecated field rewrites it', async () => {
    await closeAll();
    await step('deprecated-quick-fix', async () => {
      await vscode.openFile('apps/api/overlays/dev/kustomization.yaml');
      await page.locator('.markers-panel .monaco-list-row', { hasText: "'bases' is deprecated" }).first().waitFor({ timeout: 15_000 });
      const g = group('kustomization.yaml');
      await g.locator('.view-line', { hasText: /^bases:/ }).first().click();
      await page.keyboard.press('Home');
      await page.keyboard.press('Control+.');
      const action = page.locator('.action-widget .monaco-list-row', { hasText: "Rewrite 'bases'" }).first();
      await action.waitFor({ timeout: 10_000 });
      await action.click();
      await g.locator('.view-line', { hasText: /^resources:/ }).first().waitFor();
      const lines = await editorText(page);
      assert.ok(!lines.some((l) => /^bases:/.test(l)), lines.join('\n'));
      assert.ok(lines.some((l) => /^resources:/.test(l)) && lines.some((l) => l.includes('- ../../base')), lines.join('\n'));
    });
  });

  test('compare two environments in the diff editor', async () => {
    await closeAll();
    await step('compare', async () => {
      await runPickingCommand('GitOps Lens: Compare Environments…');
      await quickPick('clusters/staging');
      await quickPick('clusters/prod');
      const diff = page.locator('.monaco-diff-editor').first();
      await diff.waitFor({ timeout: 15_000 });
      await page.locator('.tab.active', { hasText: '↔' }).waitFor();
      await diff.locator('.editor.original .view-line', { hasText: 'kind:' }).first().waitFor();
      await diff.locator('.editor.modified .view-line', { hasText: 'kind:' }).first().waitFor();
      const original = await diff.locator('.editor.original .view-lines').innerText();
      const modified = await diff.locator('.editor.modified .view-lines').innerText();
      assert.match(original.replace(/\u00a0/g, ' '), /clusters\/staging/);
      assert.match(modified.replace(/\u00a0/g, ' '), /clusters\/prod/);
    });
  });

  test('the Environments view lists the environments and opens a resource in the preview', async () => {
    await step('environments-view', async () => {
      await page.locator('.activitybar .action-item a[aria-label^="GitOps Lens"]').first().click();
      const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Environments' }) }).first();
      for (const id of ['clusters/dev', 'clusters/staging', 'clusters/prod']) {
        await view.locator('.monaco-list-row', { hasText: id }).first().waitFor({ timeout: 15_000 });
      }
    });
    await step('environments-open-resource', async () => {
      const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Environments' }) }).first();
      await view.locator('.monaco-list-row', { hasText: 'clusters/staging' }).first().click();
      await view.locator('.monaco-list-row', { hasText: /^Deployment/ }).first().click();
      await view.locator('.monaco-list-row', { hasText: /^web/ }).first().click();
      await page.locator('.tab.active', { hasText: 'rendered.yaml' }).waitFor();
      const lines = await editorText(page);
      assert.ok(lines.some((l) => /name: web$/.test(l)), lines.join('\n'));
    });
  });

  test('the status bar shows the active file\'s environment', async () => {
    await closeAll();
    await step('status-bar', async () => {
      await vscode.openFile('clusters/dev/cluster-info.yaml');
      const item = page.locator('.statusbar-item', { hasText: /clusters\/dev|cluster-dev|dev/ }).filter({ hasText: /ok|problem|rendering/ }).first();
      await item.waitFor({ timeout: 15_000 });
      assert.match(await item.innerText(), /dev/);
    });
  });

  test('a changed setting takes effect without a reload (secret masking, on the client)', async () => {
    await closeAll();
    await step('setting-mask-secrets', async () => {
      await vscode.openFile('apps/api/base/kustomization.yaml');
      await runPickingCommand('GitOps Lens: Open Rendered Preview');
      await quickPick('clusters/dev');
      await page.locator('.tab.active', { hasText: 'rendered.yaml' }).waitFor();
      await waitFind('rendered.yaml', 'kind: Secret', found);
      assert.ok(found(await find('rendered.yaml', 'DB_PASSWORD: <masked>')));
      // Edited in VS Code's settings editor, as a user would (code-server does not watch settings.json
      // for writes by other processes: writing the file directly was why this looked like a bug).
      await vscode.updateSettings({ 'gitopsLens.preview.maskSecrets': false });
      await waitFind('rendered.yaml', 'DB_PASSWORD: <masked>', notFound);
      assert.ok(found(await find('rendered.yaml', 'DB_PASSWORD: bm90')));
      await vscode.updateSettings({ 'gitopsLens.preview.maskSecrets': true });
      await waitFind('rendered.yaml', 'DB_PASSWORD: <masked>', found);
    });
  });

  const kubectl = execFileSync('sh', ['-c', 'command -v kubectl || true'], { encoding: 'utf8' }).trim();
  test('a changed server setting takes effect without a reload (renderer: kubectl kustomize on the saved files)', { skip: kubectl || process.env.CI ? false : 'no kubectl on PATH' }, async () => {
    await closeAll();
    await step('setting-renderer', async () => {
      await vscode.openFile('clusters/staging/kustomization.yaml');
      await vscode.runCommand('GitOps Lens: Open Rendered Preview to the Side');
      await group('rendered.yaml').locator('.view-line', { hasText: 'kind:' }).first().waitFor();
      await vscode.updateSettings({ 'gitopsLens.renderer': 'kubectl' });
      await waitFind('rendered.yaml', 'Rendered by kubectl kustomize', found);
      assert.ok(found(await find('rendered.yaml', 'example.com/cluster: staging')));
      // An unsaved edit: the built-in renderer would show it; kubectl renders the saved files.
      await cursorOn('kustomization.yaml', 'example.com/cluster: staging');
      await page.keyboard.type('-unsaved');
      await page.waitForTimeout(1500);
      assert.ok(notFound(await find('rendered.yaml', 'staging-unsaved')));
      await vscode.updateSettings({ 'gitopsLens.renderer': 'builtin' });
      await waitFind('rendered.yaml', 'Rendered by kubectl kustomize', notFound);
      await waitFind('rendered.yaml', 'example.com/cluster: staging-unsaved', found);
    });
  });

  test('after the server process is killed it is restarted and the preview works again', async () => {
    await step('kill-server', async () => {
      const before = serverPids();
      assert.equal(before.length, 1, `one server process: ${before}`);
      process.kill(before[0], 'SIGKILL');
      const end = Date.now() + 20_000;
      let after = [];
      while (Date.now() < end) {
        after = serverPids().filter((p) => p !== before[0]);
        if (after.length) break;
        await page.waitForTimeout(300);
      }
      assert.equal(after.length, 1, 'a new server process');
    });
    await step('preview-after-restart', async () => {
      await closeAll();
      await vscode.openFile('clusters/prod/kustomization.yaml');
      await vscode.runCommand('GitOps Lens: Open Rendered Preview to the Side');
      await group('rendered.yaml').locator('.view-line', { hasText: 'kind:' }).first().waitFor({ timeout: 20_000 });
      await cursorOn('kustomization.yaml', 'example.com/cluster: prod');
      await page.keyboard.type('-restarted');
      await waitFind('rendered.yaml', 'example.com/cluster: prod-restarted', found, 20_000);
    });
  });
});
