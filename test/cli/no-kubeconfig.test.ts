// `gitops-lens diff` with no kubeconfig anywhere says so, where it looked and how to point at one
// (client-node alone would invent a "loaded-context" on http://localhost and fail on that).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..');

test('diff without any kubeconfig: a clear message and exit 2', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-lens-nokube-'));
  const env: Record<string, string | undefined> = { ...process.env, HOME: home, USERPROFILE: home };
  delete env.KUBECONFIG;
  delete env.KUBERNETES_SERVICE_HOST;
  // The sources through tsx, so the test needs no fresh dist/cli-diff.js.
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', 'diff', 'examples/gitops-repo/apps/web/overlays/prod'], { cwd: ROOT, encoding: 'utf8', env });
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stderr.trim(), `gitops-lens: no kubeconfig found (looked at $KUBECONFIG (not set), ${path.join(home, '.kube', 'config')} (missing)): point at one with KUBECONFIG=FILE, \`--kubeconfig FILE\` (CLI) or the gitopsLens.cluster.kubeconfig setting`);
  assert.doesNotMatch(r.stderr, /loaded-context|HTTP protocol/);

  const missing = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', 'diff', 'examples/gitops-repo/apps/web/overlays/prod'], { cwd: ROOT, encoding: 'utf8', env: { ...env, KUBECONFIG: path.join(home, 'nope.yaml') } });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no kubeconfig found \(looked at .*nope\.yaml \(from \$KUBECONFIG\) \(missing\)\)/);
});
