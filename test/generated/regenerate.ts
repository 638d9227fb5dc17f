// Regenerates generated files into a temporary folder and compares them with the committed ones.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');

/** Runs `script --out <tmp> args`, then compares each of `files` with the committed one in `committedDir`. */
export function regenerate(script: string, committedDir: string, files: string[], args: string[] = []): void {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-lens-fresh-'));
  try {
    execFileSync(process.execPath, [path.join(root, script), '--out', tmp, ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    for (const f of files) {
      const fresh = fs.readFileSync(path.join(tmp, f), 'utf8');
      const committed = fs.readFileSync(path.join(root, committedDir, f), 'utf8');
      assert.ok(fresh === committed, `${committedDir}/${f} differs from what ${script} makes now: run it (npm run generate) and commit the result`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
