// Shared by the suites that run the bundled CLI as a process: rebuild dist/cli.js when any source
// bundled into it (per its source map) is newer than the bundle.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');

/** True when dist/cli.js is missing or older than any source bundled into it. */
export function cliIsStale(): boolean {
  if (!fs.existsSync(CLI) || !fs.existsSync(`${CLI}.map`)) return true;
  const built = fs.statSync(CLI).mtimeMs;
  const sources = (JSON.parse(fs.readFileSync(`${CLI}.map`, 'utf8')) as { sources: string[] }).sources
    .map((s) => path.resolve(path.dirname(CLI), s))
    .filter((s) => !s.includes(`${path.sep}node_modules${path.sep}`));
  return [...sources, path.join(ROOT, 'server', 'src', 'cli.ts')].some((s) => !fs.existsSync(s) || fs.statSync(s).mtimeMs > built);
}

/** `npm run build` when stale; if another entry point does not build (work in progress elsewhere), the CLI alone. */
export function ensureCli(): void {
  if (!cliIsStale()) return;
  const r = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status === 0 && !cliIsStale()) return;
  const alone = spawnSync(process.execPath, ['-e', `require('esbuild').buildSync({ entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js',
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning', banner: { js: '#!/usr/bin/env node' } })`],
  { cwd: ROOT, encoding: 'utf8' });
  assert.equal(alone.status, 0, `building dist/cli.js failed:\n${r.stderr}\n${alone.stderr}`);
}
