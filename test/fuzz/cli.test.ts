// Seeded robustness fuzzing of the CLI: a sample (FUZZ_CLI_CASES, default 50) of the engine
// fuzzer's mutated trees (the same case numbers: every N/50-th), written to a temp folder and run
// through `node dist/cli.js build DIR`. It must exit 0 (stdout: YAML that parses) or 1 with a clean
// `Error: file:line:col: message` on stderr — never a stack trace, an uncaught exception, a Node
// warning, another exit code, or no answer within 20 s.
//
//   FUZZ_SEED=123 node --import tsx --test test/fuzz/cli.test.ts
//   FUZZ_SEED=123 FUZZ_CASE=40 node --import tsx --test test/fuzz/cli.test.ts   # one case

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { ensureBuilt, repo } from '../server/lsp';
import { iterations, makeCase, onlyCases, runSeed } from './mutate';
import { report, writeTree, type Finding } from './report';

const SEED = runSeed();
const N = iterations(1000);
const SAMPLE = Math.max(1, Number(process.env.FUZZ_CLI_CASES) || 50);
const TIMEOUT_MS = 20_000;
const CONCURRENCY = Math.max(1, Math.min(4, os.availableParallelism()));

interface Run { code: number | null; signal: string | null; stdout: string; stderr: string; timedOut: boolean }

function runCli(dir: string, sourceMaps = false): Promise<Run> {
  return new Promise((resolve) => {
    // Source maps (slower to start) only to re-run a crash, so that its stack names server/src lines.
    const child = spawn(process.execPath, [...(sourceMaps ? ['--enable-source-maps'] : []), path.join(repo, 'dist', 'cli.js'), 'build', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => { stderr += String(d); });
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, TIMEOUT_MS);
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr, timedOut }); });
  });
}

const STACK = /^\s+at .*(:\d+:\d+\)?|<anonymous>\)?|native\)?)$/m;
const CRASH = /\b(TypeError|SyntaxError|RangeError|ReferenceError|EvalError|InternalError|AggregateError)\b|Uncaught|node:internal|FATAL ERROR|heap out of memory|\^\s*$/m;

/** What is wrong with one CLI run, or undefined. */
function judge(r: Run): { key: string; message: string; stack: string } | undefined {
  const firstLine = (s: string) => s.split('\n').find((l) => l.trim()) ?? '';
  if (r.timedOut) return { key: 'CLI: no answer within 20 s', message: 'killed after 20 s', stack: '' };
  if (r.code !== 0 && r.code !== 1) return { key: `CLI: exit code ${r.code ?? r.signal}`, message: firstLine(r.stderr), stack: '' };
  const stackLines = r.stderr.split('\n').filter((l) => /^\s+at /.test(l));
  if (STACK.test(r.stderr) || CRASH.test(r.stderr)) {
    const name = /\b([A-Z][A-Za-z]*Error)\b/.exec(r.stderr)?.[1] ?? 'crash';
    const ours = stackLines.find((l) => /server\/src\//.test(l)) ?? stackLines[0] ?? '';
    const frame = /((?:server\/src|node_modules)\/[^\s):]+:\d+)/.exec(ours)?.[1] ?? ours.trim();
    const msg = r.stderr.split('\n').find((l) => /Error\b/.test(l) && !/^\s+at /.test(l)) ?? firstLine(r.stderr);
    return { key: `CLI stack trace: ${name} at ${frame}`, message: msg.trim(), stack: stackLines.slice(0, 6).map((l) => l.trim().replace(/\(\/.*?\/(server\/src|node_modules)\//, '($1/')).join('\n') };
  }
  if (/^\(node:\d+\) /m.test(r.stderr)) {
    const w = /^\(node:\d+\) (.*)$/m.exec(r.stderr)![1]!;
    return { key: `CLI prints a Node process warning: ${w.replace(/".*"/, '"…"').slice(0, 100)}`, message: w.slice(0, 300), stack: '' };
  }
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  if (r.code === 1) {
    const err = lines.filter((l) => !l.startsWith('# '));
    if (!err.length || !/^Error: \S/.test(err[0]!)) return { key: 'CLI: exit 1 without an "Error: …" line', message: firstLine(r.stderr), stack: '' };
  } else {
    const stray = lines.filter((l) => !l.startsWith('# '));
    if (stray.length) return { key: 'CLI: exit 0 with stray stderr', message: stray[0]!.slice(0, 300), stack: '' };
    for (const d of parseAllDocuments(r.stdout) as unknown as { errors: { message: string }[] }[]) {
      if (d.errors[0]) return { key: 'CLI: output is not valid YAML', message: d.errors[0].message.split('\n')[0]!, stack: '' };
    }
  }
  return undefined;
}

describe(`CLI fuzz (seed ${SEED})`, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-lens-fuzz-cli-'));
  let failed = false;
  before(() => ensureBuilt());
  after(() => { if (!failed) fs.rmSync(tmp, { recursive: true, force: true }); });

  it(`${SAMPLE} mutated trees through \`gitops-lens build\`: exit 0 or 1 with a clean error`, { timeout: 10 * 60_000 }, async () => {
    const step = Math.max(1, Math.floor(N / SAMPLE));
    const indices = onlyCases() ?? Array.from({ length: SAMPLE }, (_, k) => k * step);
    const findings: Finding[] = [];
    const unlocated: string[] = [];
    const queue = [...indices];
    const worker = async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        const c = makeCase(SEED, i);
        const root = path.join(tmp, `case-${i}`);
        writeTree(root, c.files);
        let r = await runCli(path.join(root, c.dir));
        let bad = judge(r);
        if (bad && STACK.test(r.stderr)) { r = await runCli(path.join(root, c.dir), true); bad = judge(r) ?? bad; }
        if (bad) findings.push({ ...bad, index: i, mode: 'cli', name: bad.key, detail: r.stderr.slice(0, 3000) });
        else {
          fs.rmSync(root, { recursive: true, force: true });
          if (r.code === 1 && !/^Error: \/\S*?(:\d+:\d+)?: /m.test(r.stderr)) unlocated.push(`case ${i}: ${r.stderr.split('\n').find((l) => l.startsWith('Error: '))?.slice(0, 160)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    findings.sort((a, b) => a.index - b.index);
    if (unlocated.length) console.log(`CLI errors without a file:line location (not a failure):\n  ${unlocated.join('\n  ')}`);
    const text = report('cli', SEED, indices.length, findings, 'node --import tsx --test test/fuzz/cli.test.ts', 25);
    if (text) { failed = true; assert.fail(`${text}\n\n(trees kept under ${tmp})`); }
  });
});
