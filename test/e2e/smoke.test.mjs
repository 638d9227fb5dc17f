// Smoke test in a real VS Code: the .vsix from `npm run package` installs into a fresh
// extensions dir, the example GitOps repository opens as the workspace, a kustomization file
// opens in the editor, and the extension's grammars color it (checked with VS Code's own
// "Inspect Editor Tokens and Scopes", over VS Code's real YAML grammar).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { editorText, ensureE2E, launchVSCode, ROOT } from './harness.mjs';
import { makeVsix } from '../package/vsix.mjs';

const WORKSPACE = path.join(ROOT, 'examples/gitops-repo');
let vscode;
let made;
const t0 = Date.now();

/** Puts the cursor on the first visible token with exactly this text and inspects its scopes. */
async function inspectScopes(text) {
  const { page } = vscode;
  const token = page.locator('.editor-instance .view-lines .view-line span span', { hasText: new RegExp(`^${text.replace(/[$^{}()[\]]/g, '\\$&')}$`) }).first();
  await token.click();
  await vscode.runCommand('Developer: Inspect Editor Tokens and Scopes');
  const widget = page.locator('.token-inspect-widget');
  await widget.waitFor();
  const body = (await widget.innerText()).replace(/\u00a0/g, ' ');
  await page.keyboard.press('Escape');
  await widget.waitFor({ state: 'hidden' }).catch(() => {});
  return body;
}

describe('e2e smoke: the packaged extension in code-server', () => {
  before(async () => {
    const s0 = Date.now();
    ensureE2E();
    const setupMs = Date.now() - s0;
    made = makeVsix();
    vscode = await launchVSCode({ vsix: made.vsix, workspace: WORKSPACE, name: 'smoke' });
    process.stderr.write(`timings: setup ${setupMs} ms, vsix install ${vscode.timings.installMs} ms, `
      + `code-server listening ${vscode.timings.listenMs} ms, workbench ${vscode.timings.workbenchMs} ms after spawn\n`);
  });
  after(async () => {
    await vscode?.close();
    process.stderr.write(`smoke suite: ${Date.now() - t0} ms in all\n`);
  });

  test('the .vsix is installed into the fresh extensions dir', async () => {
    await vscode.run('installed', async () => {
      const dirs = fs.readdirSync(vscode.extensionsDir).filter((d) => d.startsWith('gitops-lens.gitops-lens-'));
      assert.deepEqual(dirs, ['gitops-lens.gitops-lens-0.1.0']);
      const manifest = JSON.parse(fs.readFileSync(path.join(vscode.extensionsDir, dirs[0], 'package.json'), 'utf8'));
      assert.equal(manifest.contributes.grammars.length, 3);
    });
  });

  test('the workspace is the example repository', async () => {
    await vscode.run('workspace', async () => {
      const rows = vscode.page.locator('.explorer-folders-view .monaco-list-row');
      for (const name of ['apps', 'bootstrap', 'clusters', 'components', 'infrastructure']) {
        await rows.filter({ hasText: new RegExp(`^${name}$`) }).first().waitFor();
      }
    });
  });

  test('a kustomization file opens and the editor shows it', async () => {
    await vscode.run('open-prod-kustomization', async () => {
      await vscode.openFile('clusters/prod/kustomization.yaml');
      const expected = fs.readFileSync(path.join(WORKSPACE, 'clusters/prod/kustomization.yaml'), 'utf8').split('\n');
      await vscode.page.locator('.view-line', { hasText: '../../components/monitoring' }).waitFor();
      assert.deepEqual(await editorText(vscode.page), expected);
      // the language VS Code picked for it
      await vscode.page.locator('.statusbar-item', { hasText: /^YAML$/ }).first().waitFor();
    });
  });

  test('the kustomization grammar colors keys and paths (scopes from the .vsix)', async () => {
    const body = await vscode.run('inspect-resources', () => inspectScopes('resources'));
    assert.match(body, /keyword\.other\.key\.kustomization/, body);
    assert.match(body, /meta\.kustomization\.gitops-lens/, body);
    const pathBody = await vscode.run('inspect-path', () => inspectScopes('../../components/monitoring'));
    assert.match(pathBody, /string\.other\.path\.kustomization/, pathBody);
  });

  test('the Flux substitution grammar marks ${VAR}', async () => {
    await vscode.run('open-cluster-info', () => vscode.openFile('clusters/dev/cluster-info.yaml'));
    const body = await vscode.run('inspect-variable', () => inspectScopes('CLUSTER_NAME'));
    assert.match(body, /variable\.other\.substitution\.flux-substitution/, body);
  });
});
