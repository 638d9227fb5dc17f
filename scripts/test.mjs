#!/usr/bin/env node
// `npm test`: every suite the project has, one after another (heavy suites never side by side).
// Build, type-check, architecture lint, ESLint (lint and format), knip (unused code), then one run of Node's test runner over all test files,
// so its closing summary counts every test. Suites set up what they need themselves.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);

function run(cmd, args, title) {
  const t0 = Date.now();
  process.stdout.write(`\n== ${title}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    process.stdout.write(`== ${title}: FAILED after ${secs}s\n`);
    process.exit(r.status ?? 1);
  }
  process.stdout.write(`== ${title}: ok (${secs}s)\n`);
}

function testFiles(dir, re) {
  const out = [];
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...testFiles(p, re));
    else if (re.test(e.name)) out.push(p);
  }
  return out.sort();
}

const only = process.argv.slice(2);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
run(npm, ['run', '--silent', 'build'], 'build');
run(npm, ['run', '--silent', 'typecheck'], 'type-check');
run(process.execPath, ['scripts/lint.mjs'], 'architecture lint');
run(process.execPath, ['scripts/engine-sizes.mjs', '--check'], 'engine size limits');
run(process.execPath, [path.join('node_modules', 'eslint', 'bin', 'eslint.js'), '--max-warnings', '0', '.'], 'lint and format (eslint)');
run(process.execPath, [path.join('node_modules', 'knip', 'bin', 'knip.js'), '--no-progress'], 'unused exports, files and dependencies (knip)');

// Every folder under test/ with *.test.* files is a suite (bench is not a test). Fast suites first,
// the heavy ones (a real API server, a real VS Code) last.
const ORDER = ['setup', 'generated', 'engine', 'cli', 'fuzz', 'diff', 'examples', 'grammar', 'client', 'server', 'browser', 'package', 'helm', 'remote', 'cluster', 'cluster-diff', 'e2e'];
const found = fs.readdirSync('test', { withFileTypes: true })
  .filter((e) => e.isDirectory() && e.name !== 'bench' && testFiles(path.join('test', e.name), /\.test\.(ts|mjs)$/).length)
  .map((e) => e.name)
  .sort((a, b) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b));
const suites = only.length ? only : found;
const files = suites.flatMap((s) => testFiles(path.join('test', s), /\.test\.(ts|mjs)$/));
// In CI no suite may skip: a suite that cannot set itself up must fail, not skip. A second reporter
// writes TAP to a file whose totals are read after the run.
const tap = path.join(root, '.cache', 'test-results.tap');
fs.mkdirSync(path.dirname(tap), { recursive: true });
fs.rmSync(tap, { force: true });
const reporters = process.env.CI
  ? ['--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`]
  : [];
run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...reporters, ...files], `tests (${suites.join(', ')})`);
if (process.env.CI) {
  const text = fs.readFileSync(tap, 'utf8');
  const count = (what) => Number(text.match(new RegExp(`^# ${what} (\\d+)$`, 'm'))?.[1] ?? NaN);
  const skipped = count('skipped');
  const todo = count('todo');
  const names = [...text.matchAll(/^\s*(?:not )?ok \d+ - (.*?) # (SKIP|TODO)\b(.*)$/gm)].map((m) => `  ${m[2]} ${m[1]}${m[3]}`);
  if (!(skipped === 0 && todo === 0)) {
    process.stdout.write(`== CI: ${skipped} skipped, ${todo} todo; in CI no suite skips:\n${names.join('\n')}\n`);
    process.exit(1);
  }
}
